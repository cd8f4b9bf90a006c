/**
 * Data mesh for Backstage: DataProduct entity cards and a catalog filter on
 * domain, for the legacy frontend system. The new frontend system uses the
 * `./alpha` entry point.
 *
 * @packageDocumentation
 */
export {
  dataMeshPlugin,
  EntityDataProductAboutCard,
  EntityDataProductPortsCard,
  EntityDataProductSlosCard,
} from './plugin';
export {
  DataProductDomainPicker,
  DataProductDomainFilter,
  type DataProductDomainPickerProps,
  type DataMeshEntityFilters,
} from './components/DataProductDomainPicker';
export type { DataProductAboutCardProps } from './components/DataProductAboutCard';
export type { DataProductPortsCardProps } from './components/DataProductPortsCard';
export type { DataProductSlosCardProps } from './components/DataProductSlosCard';
export { formatIsoDuration } from './lib/duration';
export {
  isDataProductEntity,
  type DataProductEntity,
} from '@quanta/plugin-data-mesh-common';
export { createDataMeshCatalogGraphApi } from './catalogGraph';
