import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createContractImpactAction } from './actions/contractImpact';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRegisterLocalAction } from './actions/registerLocal';
import { createValidateAction } from './actions/validate';
import { createWriteCodeownersAction } from './actions/writeCodeowners';
import { createWriteContractsAction } from './actions/writeContracts';
import { createWriteDescriptorAction } from './actions/writeDescriptor';
import { createWriteModelsAction } from './actions/writeModels';
import { createWriteQualityChecksAction } from './actions/writeQualityChecks';
import { createWriteSchemasAction } from './actions/writeSchemas';
import { createScaffolderPolicyEngine } from './lib/governance';
import { configFileLocations, localPublishDirectory } from './lib/localRepos';

/**
 * The data mesh scaffolder actions: validation against governance, the files
 * of a data product repository, local publishing for portals without a git
 * host, and the consumer impact of a contract change.
 *
 * @public
 */
export const scaffolderModuleDataMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, catalog, logger, discovery, auth }) {
        // Built at startup, so a bad policy in app-config stops the backend
        // here as it does in the data-mesh plugin.
        const engine = createScaffolderPolicyEngine(config);
        const directory = localPublishDirectory(config);
        scaffolder.addActions(
          createValidateAction({ catalog, engine }),
          createWriteDescriptorAction(),
          createWriteContractsAction(),
          createWriteModelsAction(),
          createWriteQualityChecksAction(),
          createWriteCodeownersAction(),
          createWriteSchemasAction(),
          createPublishLocalAction({ directory }),
          createRegisterLocalAction({
            catalog,
            directory,
            configLocations: configFileLocations(config),
          }),
          createContractImpactAction({ discovery, auth }),
        );
        logger.info(
          `Data mesh scaffolder actions: ${engine.policies.length} policies; local repositories in ${directory}`,
        );
      },
    });
  },
});
