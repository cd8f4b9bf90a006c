export { DATA_PRODUCT_SEARCH_TYPE } from './document';
export {
  DataProductSearchResultListItem,
  DataProductSearchFilters,
} from './extensions';
export type { DataProductSearchResultListItemProps } from './DataProductSearchResultItem';
export type { DataProductSearchFiltersProps } from './DataProductSearchFilters';
export type { DataProductSearchFacet } from './facets';
