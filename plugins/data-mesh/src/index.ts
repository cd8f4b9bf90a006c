/**
 * Data mesh for Backstage: DataProduct entity cards and tabs (lineage,
 * contract, access), the governance scorecard, team cards, the Data Mesh page
 * with its access inbox and a catalog filter on domain, for the
 * legacy frontend system. The new frontend system uses the `./alpha` entry
 * point.
 *
 * @packageDocumentation
 */
export {
  dataMeshPlugin,
  EntityDataProductAboutCard,
  EntityDataProductSummaryCard,
  EntityDataProductPortsCard,
  EntityDataProductSlosCard,
  EntityDataProductScorecardCard,
  EntityDataProductLineageCard,
  EntityDataProductQualityCard,
  EntityDataProductLineageContent,
  EntityDataProductContractContent,
  EntityDataProductAccessContent,
  EntityGroupDataProductsCard,
  EntityGroupFailedDescriptorsCard,
  DataMeshPage,
} from './plugin';
export { dataMeshRootRouteRef, dataMeshAccessInboxRouteRef } from './routes';
export {
  dataMeshApiRef,
  DataMeshClient,
  DataMeshResponseError,
  type DataMeshApi,
  type ScorecardListQuery,
  type AccessRequestsQuery,
  type AccessDecision,
  type LineageQuery,
  dataMeshQualityApiRef,
  DataMeshQualityClient,
  type DataMeshQualityApi,
} from './api';
export {
  DataProductDomainPicker,
  DataProductDomainFilter,
  type DataProductDomainPickerProps,
  type DataMeshEntityFilters,
} from './components/DataProductDomainPicker';
export type { DataProductAboutCardProps } from './components/DataProductAboutCard';
export type { DataProductSummaryCardProps } from './components/DataProductSummaryCard';
export type { DataProductPortsCardProps } from './components/DataProductPortsCard';
export type { DataProductSlosCardProps } from './components/DataProductSlosCard';
export type { DataProductScorecardCardProps } from './components/DataProductScorecardCard';
export type { DataProductLineageCardProps } from './components/DataProductLineageCard';
export type { DataProductQualityCardProps } from './components/DataProductQualityCard';
export type { GroupDataProductsCardProps } from './components/GroupDataProductsCard';
export type { GroupFailedDescriptorsCardProps } from './components/GroupFailedDescriptorsCard';
export type { DataMeshOverviewProps } from './components/DataMeshPage';
export { formatIsoDuration } from './lib/duration';
export {
  isDataProductEntity,
  type DataProductEntity,
} from '@quanta/plugin-data-mesh-common';
export { createDataMeshCatalogGraphApi } from './catalogGraph';
export {
  DATA_PRODUCT_SEARCH_TYPE,
  DataProductSearchResultListItem,
  DataProductSearchFilters,
  type DataProductSearchResultListItemProps,
  type DataProductSearchFiltersProps,
  type DataProductSearchFacet,
} from './components/search';
export { dataProductCatalogColumns } from './components/DataProductCatalogTable';
export {
  SkipToContentLink,
  type SkipToContentLinkProps,
} from './components/SkipToContentLink';
export {
  EntityTitlePickerFieldExtension,
  DataProductOutputPortPickerFieldExtension,
  type EntityTitlePickerUiOptions,
  type DataProductOutputPortPickerUiOptions,
  type EntityTitlePickerValue,
} from './components/scaffolder';
