import { stringifyLocationRef } from '@backstage/catalog-model';
import {
  type CatalogProcessorParser,
  type CatalogProcessorResult,
  parseEntityYaml,
  processingResult,
} from '@backstage/plugin-catalog-node';

/** The catalog's own parser, as it runs when no other is installed. */
const catalogDefaultParser: CatalogProcessorParser = async function* parse({
  data,
  location,
}) {
  yield* parseEntityYaml(data, location);
};

/**
 * Wraps a catalog file parser so that a file yielding nothing at all (empty,
 * only comments, only `~` or `---` documents) is an error on the location
 * that lists it, instead of a location that silently has no entity. The
 * catalog reads each target file through its own Location entity, so the
 * error stays on that file and never holds back the entities of others.
 *
 * @public
 */
export function reportEmptyFiles(
  parse: CatalogProcessorParser = catalogDefaultParser,
): CatalogProcessorParser {
  return async function* parseReportingEmptyFiles(options) {
    let results = 0;
    for await (const result of parse(
      options,
    ) as AsyncIterable<CatalogProcessorResult>) {
      results += 1;
      yield result;
    }
    if (results === 0) {
      yield processingResult.generalError(
        options.location,
        `No entity in ${stringifyLocationRef(
          options.location,
        )}: the file is empty, or holds only comments or empty documents ('~', '---'). Add an entity to it, or remove it from the location that lists it`,
      );
    }
  };
}
