import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';

/**
 * The data mesh plugin, for the legacy frontend system.
 *
 * @public
 */
export const dataMeshPlugin = createPlugin({
  id: 'data-mesh',
});

/**
 * About a data product: description, owner, product owner, domain, system,
 * global address, tags and classification.
 *
 * @public
 */
export const EntityDataProductAboutCard = dataMeshPlugin.provide(
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
 * The output ports (type, format, address, contract, schema) and input ports
 * of a data product.
 *
 * @public
 */
export const EntityDataProductPortsCard = dataMeshPlugin.provide(
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
export const EntityDataProductSlosCard = dataMeshPlugin.provide(
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
