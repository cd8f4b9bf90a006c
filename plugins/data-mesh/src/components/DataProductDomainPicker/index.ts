export { DataProductDomainPicker } from './DataProductDomainPicker';
export type { DataProductDomainPickerProps } from './DataProductDomainPicker';
export { DataProductDomainFilter } from './DataProductDomainFilter';
export type { DataMeshEntityFilters } from './DataProductDomainFilter';
