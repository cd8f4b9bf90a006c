/**
 * Search module that indexes every DataProduct of the catalog: what it holds
 * (output ports, addresses, schema fields), who owns it and how it is
 * governed.
 *
 * @packageDocumentation
 */
export { searchModuleDataMesh as default } from './module';
export {
  DATA_PRODUCT_SEARCH_TYPE,
  type DataProductSearchDocument,
  type DataProductSearchOutputPort,
  type DataProductSearchSloStatus,
} from './collator/types';
