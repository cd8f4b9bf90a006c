import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import { reportEmptyFiles } from './parser/emptyFiles';
import { REPORT_EMPTY_FILES_KEY } from './processor/config';
import { DataProductProcessor } from './processor/DataProductProcessor';

/**
 * Adds the DataProduct kind to the catalog.
 *
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        model: catalogModelExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalogApi: catalogServiceRef,
      },
      async init({ catalog, model, logger, config, auth, catalogApi }) {
        // A catalog takes one file parser; a portal that installs its own
        // turns this off and keeps its parser.
        if (config.getOptionalBoolean(REPORT_EMPTY_FILES_KEY) ?? true) {
          model.setEntityDataParser(reportEmptyFiles());
        }
        catalog.addProcessor(
          DataProductProcessor.fromConfig(config, {
            logger,
            // The served version decides whether a broken edit may replace
            // it; read through the catalog's API, as the module's own
            // service, rather than from the catalog's internal tables.
            readServedVersion: async entityRef =>
              catalogApi.getEntityByRef(entityRef, {
                credentials: await auth.getOwnServiceCredentials(),
              }),
          }),
        );
      },
    });
  },
});
