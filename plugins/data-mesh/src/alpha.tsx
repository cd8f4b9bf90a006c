import {
  ApiBlueprint,
  createFrontendPlugin,
  OverridableFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { z } from 'zod';
import {
  DataMeshClient,
  DataMeshQualityClient,
  dataMeshApiRef,
  dataMeshQualityApiRef,
} from './api';
import { dataMeshAccessInboxRouteRef, dataMeshRootRouteRef } from './routes';
import {
  dataProductSearchFilters,
  dataProductSearchResultListItem,
  dataProductSearchResultType,
} from './components/search/alphaExtensions';
import {
  dataProductOutputPortPickerFormFieldExtension,
  entityTitlePickerFormFieldExtension,
} from './components/scaffolder/alpha';

/** Cards only show on entities of kind DataProduct. */
const dataProductFilter = { kind: 'dataproduct' };

/**
 * About a data product: description, owner, product owner, domain, system,
 * global address, tags and classification, with a warning when another file
 * declares the same product and the catalog ignores it.
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
 * What a consumer needs first, for the top of a data product's page: the
 * copyable address, owner and product owner, level, SLO status and ports.
 * A `content` card: the page's `info` column scrolls on its own.
 */
const dataProductSummaryEntityCard = EntityCardBlueprint.make({
  name: 'data-product-summary',
  params: {
    type: 'content',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductSummaryCard').then(m => (
        <m.DataProductSummaryCard />
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
 * The governance scorecard of a data product: level, score per attribute,
 * failing policies, what blocks the next level, waivers and trend.
 */
const dataProductScorecardEntityCard = EntityCardBlueprint.make({
  name: 'data-product-scorecard',
  params: {
    type: 'content',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductScorecardCard').then(m => (
        <m.DataProductScorecardCard />
      )),
  },
});

/**
 * The lineage of a data product, one hop each way, declared and observed.
 */
const dataProductLineageEntityCard = EntityCardBlueprint.make({
  name: 'data-product-lineage',
  params: {
    type: 'content',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductLineageCard').then(m => (
        <m.DataProductLineageCard />
      )),
  },
});

/**
 * Data quality of a data product: SLO status, latest run, failing checks
 * and the 30-day pass rate.
 */
const dataProductQualityEntityCard = EntityCardBlueprint.makeWithOverrides({
  name: 'data-product-quality',
  configSchema: {
    // The web address of the Quanta repository's files, e.g.
    // https://github.com/acme/quanta/blob/main: owners get a link to its
    // README's section on posting quality results.
    docsBaseUrl: z.string().url().optional(),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      type: 'content',
      filter: dataProductFilter,
      loader: () =>
        import('./components/DataProductQualityCard').then(m => (
          <m.DataProductQualityCard docsBaseUrl={config.docsBaseUrl} />
        )),
    });
  },
});

/** The lineage explorer, as a tab of DataProduct pages. */
const dataProductLineageEntityContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: 'lineage',
    title: 'Lineage',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductLineageContent').then(m => (
        <m.DataProductLineageContent />
      )),
  },
});

/**
 * The contracts of a data product's output ports, as a tab of DataProduct
 * pages: status, the current contract and its version history.
 * `contract?port=<name>` opens one port (the Ports card links there).
 */
const dataProductContractEntityContent = EntityContentBlueprint.make({
  name: 'data-product-contract',
  params: {
    path: 'contract',
    title: 'Contract',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductContractContent').then(m => (
        <m.DataProductContractContent />
      )),
  },
});

/**
 * Access to a data product's output ports, as a tab of DataProduct pages:
 * sensitivity, the request form, and who consumes the product with the
 * owners' decisions.
 */
const dataProductAccessEntityContent = EntityContentBlueprint.make({
  name: 'data-product-access',
  params: {
    path: 'access',
    title: 'Access',
    filter: dataProductFilter,
    loader: () =>
      import('./components/DataProductAccessContent').then(m => (
        <m.DataProductAccessContent />
      )),
  },
});

/**
 * On Group pages: the team's data products with level, score and what blocks
 * the next level.
 */
const groupDataProductsEntityCard = EntityCardBlueprint.make({
  name: 'group-data-products',
  params: {
    type: 'content',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupDataProductsCard').then(m => (
        <m.GroupDataProductsCard />
      )),
  },
});

/**
 * On Group pages: the team's DataProduct descriptors the catalog refused,
 * with where each file is and why.
 */
const groupFailedDescriptorsEntityCard = EntityCardBlueprint.make({
  name: 'group-failed-descriptors',
  params: {
    type: 'content',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupFailedDescriptorsCard').then(m => (
        <m.GroupFailedDescriptorsCard />
      )),
  },
});

/**
 * The Data Mesh page at `/data-mesh`, with the access requests waiting for
 * the signed-in user at `/data-mesh/access`. Its title and icon also make
 * its entry in the app's navigation.
 */
const dataMeshPage = PageBlueprint.make({
  params: {
    path: '/data-mesh',
    title: 'Data Mesh',
    icon: <AssessmentIcon fontSize="inherit" />,
    routeRef: dataMeshRootRouteRef,
    loader: () =>
      import('./components/DataMeshPage').then(m => <m.DataMeshPageContent />),
  },
});

/** The client of the data-mesh backend's governance API. */
const dataMeshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of the data-mesh backend's quality API. */
const dataMeshQualityApi = ApiBlueprint.make({
  name: 'quality',
  params: defineParams =>
    defineParams({
      api: dataMeshQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshQualityClient({ discoveryApi, fetchApi }),
    }),
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
 * and tabs (lineage, contract, access), the governance scorecard, team cards
 * on Group pages, the Data Mesh page with its access inbox and
 * a catalog filter on domain, and the search page's data product result item,
 * result type and facets.
 *
 * @alpha
 */
const dataMeshPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'data-mesh',
  title: 'Data Mesh',
  icon: <AssessmentIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: dataMeshRootRouteRef,
    accessInbox: dataMeshAccessInboxRouteRef,
  },
  extensions: [
    dataMeshApi,
    dataMeshQualityApi,
    dataProductAboutEntityCard,
    dataProductSummaryEntityCard,
    dataProductPortsEntityCard,
    dataProductSlosEntityCard,
    dataProductScorecardEntityCard,
    dataProductLineageEntityCard,
    dataProductQualityEntityCard,
    dataProductLineageEntityContent,
    dataProductContractEntityContent,
    dataProductAccessEntityContent,
    groupDataProductsEntityCard,
    groupFailedDescriptorsEntityCard,
    dataMeshPage,
    dataProductDomainCatalogFilter,
    entityTitlePickerFormFieldExtension,
    dataProductOutputPortPickerFormFieldExtension,
    dataProductSearchResultListItem,
    dataProductSearchResultType,
    ...dataProductSearchFilters,
  ],
});

export default dataMeshPlugin;

export { catalogGraphDataMeshModule } from './catalogGraphModule';
export { catalogDataMeshModule } from './catalogPageModule';
