import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { readCollatorSchedule } from './collator/config';
import { DataProductCollatorFactory } from './collator/DataProductCollatorFactory';

/**
 * Indexes every DataProduct for search, as documents of type `data-product`
 * (see {@link DataProductSearchDocument}), on the schedule in
 * `search.collators.dataMesh.schedule`.
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
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        scheduler,
        indexRegistry,
        catalog,
      }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            readCollatorSchedule(config),
          ),
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
