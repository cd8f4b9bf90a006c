import { Fragment } from 'react';
import {
  PageBlueprint,
  coreExtensionData,
  createExtensionInput,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import CategoryIcon from '@material-ui/icons/Category';
import { z } from 'zod';

/**
 * Takes the place of the catalog's index page (`page:catalog`), with the same
 * inputs (the catalog filters) and configuration, so that its table can show
 * the data mesh's columns.
 */
export const dataMeshCatalogPage = PageBlueprint.makeWithOverrides({
  inputs: {
    filters: createExtensionInput([coreExtensionData.reactElement]),
  },
  configSchema: {
    // As the catalog's own page: `true` pages on the server, 20 at a time.
    pagination: z
      .union([
        z.boolean(),
        z.object({
          mode: z.enum(['cursor', 'offset']),
          limit: z.number().optional(),
          offset: z.number().optional(),
        }),
      ])
      .default(true),
  },
  factory(originalFactory, { inputs, config }) {
    return originalFactory({
      path: '/catalog',
      routeRef: catalogPlugin.routes.catalogIndex,
      icon: <CategoryIcon fontSize="inherit" />,
      title: 'Catalog',
      loader: async () => {
        const { DataMeshCatalogPage } = await import(
          './components/DataProductCatalogTable/DataMeshCatalogPage'
        );
        return (
          <DataMeshCatalogPage
            filters={inputs.filters.map((filter, index) => (
              // The filters keep their order: the index is a stable key.
              <Fragment key={index}>
                {filter.get(coreExtensionData.reactElement)}
              </Fragment>
            ))}
            pagination={config.pagination}
            createComponent={catalogPlugin.externalRoutes.createComponent}
          />
        );
      },
    });
  },
});

/**
 * Shows the data mesh's columns in the catalog table when it lists
 * DataProducts (domain, owner, type, governance level,
 * lifecycle, description), and Backstage's own columns for other kinds.
 * Backstage 1.52's catalog page takes no columns, so this module replaces it
 * with the same page, filters and configuration
 * (`createApp({ features: [catalogDataMeshModule] })`).
 *
 * @alpha
 */
export const catalogDataMeshModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [dataMeshCatalogPage],
});
