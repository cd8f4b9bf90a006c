import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  DataMeshClient,
  DataMeshQualityClient,
  dataMeshApiRef,
  dataMeshQualityApiRef,
} from './api';
import { dataMeshAccessInboxRouteRef, dataMeshRootRouteRef } from './routes';
import type { JSX } from 'react';
import type { DataProductAboutCardProps } from './components/DataProductAboutCard';
import type { DataProductSummaryCardProps } from './components/DataProductSummaryCard';
import type { DataProductPortsCardProps } from './components/DataProductPortsCard';
import type { DataProductSlosCardProps } from './components/DataProductSlosCard';
import type { DataProductScorecardCardProps } from './components/DataProductScorecardCard';
import type { DataProductLineageCardProps } from './components/DataProductLineageCard';
import type { DataProductQualityCardProps } from './components/DataProductQualityCard';
import type { GroupDataProductsCardProps } from './components/GroupDataProductsCard';
import type { GroupFailedDescriptorsCardProps } from './components/GroupFailedDescriptorsCard';
import type { DataMeshOverviewProps } from './components/DataMeshPage';

/**
 * The data mesh plugin, for the legacy frontend system.
 *
 * @public
 */
export const dataMeshPlugin = createPlugin({
  id: 'data-mesh',
  apis: [
    createApiFactory({
      api: dataMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataMeshQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshQualityClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: dataMeshRootRouteRef,
    accessInbox: dataMeshAccessInboxRouteRef,
  },
});

/**
 * About a data product: description, owner, product owner, domain, system,
 * global address, tags and classification, with a warning when another file
 * declares the same product and the catalog ignores it.
 *
 * @public
 */
export const EntityDataProductAboutCard: (
  props: DataProductAboutCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductAboutCard',
    component: {
      lazy: () =>
        import('./components/DataProductAboutCard').then(
          m => m.DataProductAboutCard,
        ),
    },
  }),
);

/**
 * What a consumer needs first, at the top of a data product's page: the
 * copyable address, owner and product owner, level, SLO status and ports.
 *
 * @public
 */
export const EntityDataProductSummaryCard: (
  props: DataProductSummaryCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductSummaryCard',
    component: {
      lazy: () =>
        import('./components/DataProductSummaryCard').then(
          m => m.DataProductSummaryCard,
        ),
    },
  }),
);

/**
 * The output ports (type, format, address, contract, schema) and input ports
 * of a data product.
 *
 * @public
 */
export const EntityDataProductPortsCard: (
  props: DataProductPortsCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductPortsCard',
    component: {
      lazy: () =>
        import('./components/DataProductPortsCard').then(
          m => m.DataProductPortsCard,
        ),
    },
  }),
);

/**
 * The SLOs of a data product in plain words, with its classification, PII,
 * retention and regulations.
 *
 * @public
 */
export const EntityDataProductSlosCard: (
  props: DataProductSlosCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductSlosCard',
    component: {
      lazy: () =>
        import('./components/DataProductSlosCard').then(
          m => m.DataProductSlosCard,
        ),
    },
  }),
);

/**
 * The governance scorecard of a data product: level, score per usability
 * attribute, failing policies with how to fix them, what blocks the next
 * level, waivers and the score's trend.
 *
 * @public
 */
export const EntityDataProductScorecardCard: (
  props: DataProductScorecardCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductScorecardCard',
    component: {
      lazy: () =>
        import('./components/DataProductScorecardCard').then(
          m => m.DataProductScorecardCard,
        ),
    },
  }),
);

/**
 * The lineage of a data product, one hop each way: what it reads, what reads
 * it, and where observed runs disagree with the declared input ports.
 *
 * @public
 */
export const EntityDataProductLineageCard: (
  props: DataProductLineageCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductLineageCard',
    component: {
      lazy: () =>
        import('./components/DataProductLineageCard').then(
          m => m.DataProductLineageCard,
        ),
    },
  }),
);

/**
 * Data quality of a data product: SLO status with error budgets, the latest
 * run with a link to it, failing checks with their messages and the pass
 * rate over 30 days.
 *
 * @public
 */
export const EntityDataProductQualityCard: (
  props: DataProductQualityCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductQualityCard',
    component: {
      lazy: () =>
        import('./components/DataProductQualityCard').then(
          m => m.DataProductQualityCard,
        ),
    },
  }),
);

/**
 * The lineage explorer of a data product, for an entity page tab: depth each
 * way, filters by domain and type, zoom and path highlight.
 *
 * @public
 */
export const EntityDataProductLineageContent: () => JSX.Element =
  dataMeshPlugin.provide(
    createComponentExtension({
      name: 'EntityDataProductLineageContent',
      component: {
        lazy: () =>
          import('./components/DataProductLineageContent').then(
            m => m.DataProductLineageContent,
          ),
      },
    }),
  );

/**
 * The contracts of a data product's output ports, for an entity page tab
 * (mount it at `contract`: the Ports card links to `contract?port=<name>`):
 * each port's contract status, the current contract (description, schema,
 * quality rules, service levels, support) and its version history with the
 * changes between versions.
 *
 * @public
 */
export const EntityDataProductContractContent: () => JSX.Element =
  dataMeshPlugin.provide(
    createComponentExtension({
      name: 'EntityDataProductContractContent',
      component: {
        lazy: () =>
          import('./components/DataProductContractContent').then(
            m => m.DataProductContractContent,
          ),
      },
    }),
  );

/**
 * Access to a data product's output ports, for an entity page tab (mount it
 * at `access`): each port's classification and personal data, whether
 * requests are approved at once, a form to request access, and who consumes
 * the product — the grants with whether they took effect, and the other
 * requests — with Approve, Deny and Revoke for the product's owners.
 *
 * @public
 */
export const EntityDataProductAccessContent: () => JSX.Element =
  dataMeshPlugin.provide(
    createComponentExtension({
      name: 'EntityDataProductAccessContent',
      component: {
        lazy: () =>
          import('./components/DataProductAccessContent').then(
            m => m.DataProductAccessContent,
          ),
      },
    }),
  );

/**
 * On a Group page: the team's data products with their level, score and what
 * blocks their next level.
 *
 * @public
 */
export const EntityGroupDataProductsCard: (
  props: GroupDataProductsCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityGroupDataProductsCard',
    component: {
      lazy: () =>
        import('./components/GroupDataProductsCard').then(
          m => m.GroupDataProductsCard,
        ),
    },
  }),
);

/**
 * On a Group page: the team's DataProduct descriptors that the catalog
 * refused, with where each file is and the catalog's reasons. Needs the
 * catalog's unprocessed entities backend module, and says so without it.
 *
 * @public
 */
export const EntityGroupFailedDescriptorsCard: (
  props: GroupFailedDescriptorsCardProps,
) => JSX.Element = dataMeshPlugin.provide(
  createComponentExtension({
    name: 'EntityGroupFailedDescriptorsCard',
    component: {
      lazy: () =>
        import('./components/GroupFailedDescriptorsCard').then(
          m => m.GroupFailedDescriptorsCard,
        ),
    },
  }),
);

/**
 * The Data Mesh page for platform owners: adoption over time, levels, a
 * domain by attribute heatmap, the policies failing most, and the products
 * behind each number with a CSV export; and, in its Access requests tab
 * (`dataMeshAccessInboxRouteRef`), the access requests waiting for the
 * signed-in user's decision.
 *
 * @public
 */
export const DataMeshPage: (props: DataMeshOverviewProps) => JSX.Element =
  dataMeshPlugin.provide(
    createRoutableExtension({
      name: 'DataMeshPage',
      component: () =>
        import('./components/DataMeshPage').then(m => m.DataMeshPage),
      mountPoint: dataMeshRootRouteRef,
    }),
  );
