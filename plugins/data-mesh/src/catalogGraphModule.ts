import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { catalogGraphApiRef } from '@backstage/plugin-catalog-graph';
import { createDataMeshCatalogGraphApi } from './catalogGraph';

/** Replaces the catalog graph plugin's API (extension `api:catalog-graph`). */
export const dataMeshCatalogGraphApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalogGraphApiRef,
      deps: {},
      factory: () => createDataMeshCatalogGraphApi(),
    }),
});

/**
 * Teaches the catalog graph the data mesh relations (the product owner).
 * Install it next to the catalog graph plugin:
 * `createApp({ features: [catalogGraphDataMeshModule] })`.
 *
 * @alpha
 */
export const catalogGraphDataMeshModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [dataMeshCatalogGraphApi],
});
