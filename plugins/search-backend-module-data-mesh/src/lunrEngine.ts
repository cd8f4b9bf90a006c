/**
 * Backstage's Lunr search engine with a query translator for data products,
 * as a module of the search backend:
 * `backend.add(import('@quanta/plugin-search-backend-module-data-mesh/lunr'))`.
 *
 * @packageDocumentation
 */
export { searchModuleDataMeshLunrEngine as default } from './lunr/module';
export { DataMeshLunrSearchEngine } from './lunr/DataMeshLunrSearchEngine';
