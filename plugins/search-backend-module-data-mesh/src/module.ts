import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { DATA_MESH_PRODUCTS_CHANGED_TOPIC } from '@quanta/plugin-data-mesh-node';
import { readCollatorSchedule, readRefreshOnChange } from './collator/config';
import { DataProductCollatorFactory } from './collator/DataProductCollatorFactory';
import { IndexRefresher } from './refresh/IndexRefresher';

/**
 * Indexes every DataProduct for search, as documents of type `data-product`
 * (see {@link DataProductSearchDocument}), on the schedule in
 * `search.collators.dataMesh.schedule`, and again soon after the data-mesh
 * backend announces changed products (`search.collators.dataMesh.refreshOnChange`).
 *
 * @public
 */
export const searchModuleDataMesh = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        lifecycle,
        scheduler,
        indexRegistry,
        catalog,
        events,
      }) {
        const refresh = readRefreshOnChange(config);
        let schedule = scheduler.createScheduledTaskRunner(
          readCollatorSchedule(config),
        );
        if (refresh.enabled) {
          // The search plugin's scheduler, shared by its modules, runs the
          // index task: a trigger from here starts it.
          const refresher = new IndexRefresher({
            scheduler,
            logger,
            minimumGapMs: refresh.minimumGapMs,
          });
          schedule = refresher.runnerFor(schedule);
          await events.subscribe({
            id: 'data-mesh-products-changed',
            topics: [DATA_MESH_PRODUCTS_CHANGED_TOPIC],
            async onEvent({ eventPayload }) {
              const products = (eventPayload as { products?: unknown })
                ?.products;
              refresher.changed(Array.isArray(products) ? products.length : 1);
            },
          });
          lifecycle.addShutdownHook(() => refresher.stop());
        }
        indexRegistry.addCollator({
          schedule,
          factory: new DataProductCollatorFactory({
            auth,
            catalog,
            discovery,
            logger,
          }),
        });
      },
    });
  },
});
