import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { dataMeshPermissions } from '@quanta/plugin-data-mesh-common';
import {
  type AccessProvisioner,
  type DataMeshPolicy,
  dataMeshAccessExtensionPoint,
  dataMeshPoliciesExtensionPoint,
} from '@quanta/plugin-data-mesh-node';
import { setupAccess } from './access/setup';
import { databaseUnavailableHandler } from './shared/unavailable';
import { setupContracts } from './contracts/setup';
import { DescriptorConflicts } from './descriptors/DescriptorConflicts';
import { FailedDescriptors } from './descriptors/FailedDescriptors';
import { createDescriptorsRouter } from './descriptors/router';
import { setupGovernance } from './governance/setup';
import { setupLineage } from './lineage/setup';
import { setupQuality } from './quality/setup';
import { readDataMeshConfig } from './shared/config';
import { openDatabase } from './shared/database';

/**
 * The data mesh backend: evaluates governance policies for every data
 * product on a schedule and serves scorecards, roll-ups and waivers.
 *
 * @public
 */
export const dataMeshPlugin = createBackendPlugin({
  pluginId: 'data-mesh',
  register(env) {
    const modulePolicies: DataMeshPolicy[] = [];
    env.registerExtensionPoint(dataMeshPoliciesExtensionPoint, {
      addPolicies(...policies) {
        modulePolicies.push(...policies);
      },
    });
    // One provisioner per portal makes grants take effect.
    let accessProvisioner: AccessProvisioner | undefined;
    env.registerExtensionPoint(dataMeshAccessExtensionPoint, {
      setProvisioner(provisioner) {
        if (accessProvisioner) {
          throw new Error(
            `An access provisioner is set already (${accessProvisioner.name}); a portal has one, so ${provisioner.name} cannot be set too`,
          );
        }
        accessProvisioner = provisioner;
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        urlReader: coreServices.urlReader,
        notifications: notificationService,
        userInfo: coreServices.userInfo,
      },
      async init(deps) {
        const settings = readDataMeshConfig(deps.config);
        const knex = await openDatabase({ database: deps.database });

        const lineage = setupLineage({
          ...deps,
          knex,
          settings: settings.lineage,
        });
        const quality = await setupQuality({
          ...deps,
          knex,
          settings: settings.quality,
        });
        const contracts = await setupContracts({
          ...deps,
          knex,
          settings: settings.contracts,
          lineage: lineage.lineage,
        });
        // Access grants are consumer edges in lineage and facts for policies.
        const access = await setupAccess({
          ...deps,
          knex,
          settings: settings.access,
          provisioner: accessProvisioner,
          lineage: lineage.lineage,
        });
        // Lineage, quality, contracts and access reach the policy engine as facts only.
        const governance = await setupGovernance({
          ...deps,
          knex,
          settings,
          modulePolicies,
          lineageFacts: lineage.facts,
          qualityFacts: quality.facts,
          contractFacts: contracts.facts,
          accessFacts: access.facts,
        });

        deps.permissionsRegistry.addPermissions(dataMeshPermissions);

        // Lineage first, so that OpenLineage batches get their own body size
        // limit; quality before governance too, for the same reason.
        deps.httpRouter.use(lineage.router);
        deps.httpRouter.use(quality.router);
        deps.httpRouter.use(governance.router);
        deps.httpRouter.use(contracts.router);
        deps.httpRouter.use(access.router);
        const conflicts = new DescriptorConflicts({ ...deps, knex });
        await conflicts.subscribe(deps.events);
        deps.httpRouter.use(
          createDescriptorsRouter({
            ...deps,
            descriptors: new FailedDescriptors({ ...deps, conflicts }),
          }),
        );
        // Last: errors of every route above that say the database is away
        // answer 503, so clients retry while PostgreSQL restarts.
        // The router takes request handlers by type; express tells an error
        // handler by its four parameters, which it keeps.
        deps.httpRouter.use(
          databaseUnavailableHandler() as unknown as Parameters<
            typeof deps.httpRouter.use
          >[0],
        );
      },
    });
  },
});
