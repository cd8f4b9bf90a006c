import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import {
  DEFAULT_MAX_DOCUMENT_SIZE,
  createCatalogFileParser,
} from './parser/boundedYaml';
import { reportEmptyFiles } from './parser/emptyFiles';
import {
  FILE_PARSER_KEY,
  MAX_DOCUMENT_SIZE_KEY,
  REPORT_EMPTY_FILES_KEY,
  readByteSize,
  readMaxDescriptorSize,
} from './processor/config';
import { DataProductProcessor } from './processor/DataProductProcessor';

/**
 * Adds the DataProduct kind to the catalog.
 *
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        model: catalogModelExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
      },
      async init({ catalog, model, logger, config, auth, catalogApi }) {
        // A catalog takes one file parser; a portal that installs its own
        // turns this one off (`fileParser: false`, or `reportEmptyFiles:
        // false` alone, as before the parser bounded anything) and keeps
        // its parser, which it may wrap with the exported functions.
        const reportEmpty = config.getOptionalBoolean(REPORT_EMPTY_FILES_KEY);
        if (config.getOptionalBoolean(FILE_PARSER_KEY) ?? reportEmpty ?? true) {
          const parser = createCatalogFileParser({
            maxDescriptorSize: readMaxDescriptorSize(config),
            maxDocumentSize: readByteSize(
              config,
              MAX_DOCUMENT_SIZE_KEY,
              DEFAULT_MAX_DOCUMENT_SIZE,
            ),
          });
          model.setEntityDataParser(
            reportEmpty ?? true ? reportEmptyFiles(parser) : parser,
          );
        }
        catalog.addProcessor(
          DataProductProcessor.fromConfig(config, {
            logger,
            // The served version decides whether a broken edit may replace
            // it; read through the catalog's API, as the module's own
            // service, rather than from the catalog's internal tables.
            readServedVersion: async entityRef =>
              catalogApi.getEntityByRef(entityRef, {
                credentials: await auth.getOwnServiceCredentials(),
              }),
          }),
        );
      },
    });
  },
});
