import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { dataMeshPermissions } from '@quanta/plugin-data-mesh-common';
import {
  type DataMeshPolicy,
  PolicyEngine,
  builtInPolicies,
  dataMeshPoliciesExtensionPoint,
  readConfigPolicies,
  readLevels,
  registerPolicies,
} from '@quanta/plugin-data-mesh-node';
import { readDuration, readDurationMs } from './config';
import { DataMeshStore } from './database/DataMeshStore';
import { LineageStore } from './database/LineageStore';
import { LineageService } from './lineage/LineageService';
import { readMappingRules } from './lineage/mapping';
import { setupQuality } from './quality/setupQuality';
import { ScorecardEvaluator, readMesh } from './service/ScorecardEvaluator';
import { createLineageRouter } from './service/lineageRouter';
import { createRouter } from './service/router';

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

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        const engine = new PolicyEngine({
          policies: [
            ...registerPolicies(builtInPolicies, 'built-in'),
            ...readConfigPolicies(config),
            ...registerPolicies(modulePolicies, 'module'),
          ],
          levels: readLevels(config),
        });
        const store = await DataMeshStore.create({ database: deps.database });
        const timeout = readDuration(config, 'dataMesh.evaluation.timeout', {
          minutes: 10,
        });
        const lineageStore = await LineageStore.create({
          database: deps.database,
        });
        const lineage = new LineageService({
          store: lineageStore,
          readMesh: () => readMesh({ catalog: deps.catalog, auth: deps.auth }),
          rules: readMappingRules(config),
          staleAfterDays:
            config.getOptionalNumber('dataMesh.lineage.staleAfterDays') ?? 30,
          refreshAfterMs: readDurationMs(config, 'dataMesh.lineage.refresh', {
            minutes: 5,
          }),
          logger,
        });

        const quality = await setupQuality({ ...deps, config, logger });

        const evaluator = new ScorecardEvaluator({
          lineageFacts: (entities, now) => lineage.factsFor(entities, now),
          qualityFacts: (now, refs) => quality.quality.facts(now, refs),
          engine,
          store,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          auditor: deps.auditor,
          timeoutMs: durationToMilliseconds(timeout),
          retentionDays:
            config.getOptionalNumber('dataMesh.history.retentionDays') ?? 400,
        });

        deps.permissionsRegistry.addPermissions(dataMeshPermissions);

        await deps.scheduler.scheduleTask({
          id: 'data-mesh-evaluation',
          // One instance evaluates the mesh, whatever the number of backends.
          scope: 'global',
          frequency: readDuration(config, 'dataMesh.evaluation.frequency', {
            minutes: 30,
          }),
          timeout,
          initialDelay: { seconds: 15 },
          fn: async () => {
            await evaluator.evaluate({ trigger: 'schedule' });
          },
        });

        if (
          config.getOptionalBoolean(
            'dataMesh.evaluation.changeDetection.enabled',
          ) !== false
        ) {
          await deps.scheduler.scheduleTask({
            id: 'data-mesh-change-detection',
            scope: 'global',
            frequency: readDuration(
              config,
              'dataMesh.evaluation.changeDetection.frequency',
              { minutes: 1 },
            ),
            timeout,
            initialDelay: { minutes: 1 },
            fn: async () => {
              await evaluator.evaluateChanges();
            },
          });
        }

        // First, so that OpenLineage batches get their own body size limit.
        deps.httpRouter.use(
          createLineageRouter({
            lineage,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            maxBodySize: config.getOptionalString(
              'dataMesh.lineage.maxRequestSize',
            ),
          }),
        );
        // Before the governance router too: results have their own size limit.
        deps.httpRouter.use(quality.router);
        deps.httpRouter.use(
          createRouter({
            engine,
            store,
            evaluator,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
        logger.info(
          `Data mesh governance: ${engine.policies.length} policies, ${engine.levels.length} levels`,
        );
      },
    });
  },
});
