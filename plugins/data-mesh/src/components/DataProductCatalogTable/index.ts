export { dataProductCatalogColumns, dataProductColumns } from './columns';
