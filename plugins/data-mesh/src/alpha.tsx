import {
  createFrontendPlugin,
  OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
} from '@backstage/plugin-catalog-react/alpha';

/** Cards only show on entities of kind DataProduct. */
const dataProductFilter = { kind: 'dataproduct' };

/**
 * About a data product: description, owner, product owner, domain, system,
 * global address, tags and classification.
 */
const dataProductAboutEntityCard = EntityCardBlueprint.make({
  name: 'data-product-about',
  params: {
    type: 'info',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductAboutCard').then(m => (
        <m.DataProductAboutCard />
      )),
  },
});

/**
 * The output ports and input ports of a data product.
 */
const dataProductPortsEntityCard = EntityCardBlueprint.make({
  name: 'data-product-ports',
  params: {
    type: 'content',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductPortsCard').then(m => (
        <m.DataProductPortsCard />
      )),
  },
});

/**
 * The SLOs, classification, PII, retention and regulations of a data product.
 */
const dataProductSlosEntityCard = EntityCardBlueprint.make({
  name: 'data-product-slos',
  params: {
    type: 'info',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductSlosCard').then(m => (
        <m.DataProductSlosCard />
      )),
  },
});

/**
 * Catalog index filter on the domain (`spec.domain`) of the listed entities.
 */
const dataProductDomainCatalogFilter = CatalogFilterBlueprint.make({
  name: 'domain',
  params: {
    loader: () =>
      import('./components/DataProductDomainPicker').then(m => (
        <m.DataProductDomainPicker />
      )),
  },
});

/**
 * The data mesh plugin for the new frontend system: DataProduct entity cards
 * and a catalog filter on domain.
 */
const dataMeshPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'data-mesh',
  title: 'Data Mesh',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    dataProductAboutEntityCard,
    dataProductPortsEntityCard,
    dataProductSlosEntityCard,
    dataProductDomainCatalogFilter,
  ],
});

export default dataMeshPlugin;

export { catalogGraphDataMeshModule } from './catalogGraphModule';
