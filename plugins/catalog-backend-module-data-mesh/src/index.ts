/**
 * Catalog module that adds the DataProduct kind: validation with field-level
 * errors, global addresses and relations.
 *
 * @packageDocumentation
 */
export { catalogModuleDataMesh as default } from './module';
export {
  DataProductProcessor,
  type DataProductProcessorOptions,
} from './processor/DataProductProcessor';
export { reportEmptyFiles } from './parser/emptyFiles';
export {
  createCatalogFileParser,
  DEFAULT_MAX_DOCUMENT_SIZE,
  type CatalogFileParserOptions,
} from './parser/boundedYaml';
