import type {
  AuditorService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  type DataMeshPolicy,
  PolicyEngine,
  builtInPolicies,
  readConfigPolicies,
  readLevels,
  registerPolicies,
} from '@quanta/plugin-data-mesh-node';
import type { CapabilityDeps } from '../shared/capability';
import type { DataMeshConfig } from '../shared/config';
import type {
  AccessFactSource,
  ContractFactSource,
  LineageFactSource,
  QualityFactSource,
} from '../shared/facts';
import { createGovernanceRouter } from './router';
import { ScorecardEvaluator } from './ScorecardEvaluator';
import { governanceStores } from './stores';

/**
 * Governance: the policy engine (built-in, configured and module policies),
 * its stores, the evaluator and its two schedules (the whole mesh, and
 * products changed in the catalog), and the routes.
 */
export async function setupGovernance(
  deps: CapabilityDeps & {
    /** Policies and levels are read from it by the policy engine's readers. */
    config: RootConfigService;
    settings: Pick<DataMeshConfig, 'evaluation' | 'history' | 'waivers'>;
    /** Policies that backend modules added through the extension point. */
    modulePolicies: DataMeshPolicy[];
    auditor: AuditorService;
    lineageFacts?: LineageFactSource;
    qualityFacts?: QualityFactSource;
    contractFacts?: ContractFactSource;
    accessFacts?: AccessFactSource;
    /** Where evaluations that changed products publish `data-mesh.products.changed`. */
    events?: EventsService;
  },
) {
  const { config, settings, logger } = deps;
  const { evaluation } = settings;
  const engine = new PolicyEngine({
    policies: [
      ...registerPolicies(builtInPolicies, 'built-in'),
      ...readConfigPolicies(config),
      ...registerPolicies(deps.modulePolicies, 'module'),
    ],
    levels: readLevels(config),
  });
  const { store, waivers, history } = governanceStores(deps.knex);
  const evaluator = new ScorecardEvaluator({
    lineageFacts: deps.lineageFacts,
    qualityFacts: deps.qualityFacts,
    contractFacts: deps.contractFacts,
    accessFacts: deps.accessFacts,
    engine,
    store,
    waivers,
    history,
    catalog: deps.catalog,
    auth: deps.auth,
    logger,
    auditor: deps.auditor,
    events: deps.events,
    timeoutMs: durationToMilliseconds(evaluation.timeout),
    retentionDays: settings.history.retentionDays,
  });

  await deps.scheduler.scheduleTask({
    id: 'data-mesh-evaluation',
    // One instance evaluates the mesh, whatever the number of backends.
    scope: 'global',
    frequency: evaluation.frequency,
    timeout: evaluation.timeout,
    initialDelay: { seconds: 15 },
    fn: async () => {
      await evaluator.evaluate({ trigger: 'schedule' });
    },
  });
  if (evaluation.changeDetection.enabled) {
    await deps.scheduler.scheduleTask({
      id: 'data-mesh-change-detection',
      scope: 'global',
      frequency: evaluation.changeDetection.frequency,
      timeout: evaluation.timeout,
      // One period after startup, at most a minute: the first full run (at
      // 15 s) usually goes first, and a shorter period is kept from the start.
      initialDelay: {
        milliseconds: Math.min(
          durationToMilliseconds(evaluation.changeDetection.frequency),
          60_000,
        ),
      },
      fn: async () => {
        await evaluator.evaluateChanges();
      },
    });
  }

  const router = createGovernanceRouter({
    engine,
    store,
    waivers,
    history,
    evaluator,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    auditor: deps.auditor,
    catalog: deps.catalog,
    maxWaiverDuration: settings.waivers.maxDuration,
  });
  logger.info(
    `Data mesh governance: ${engine.policies.length} policies, ${engine.levels.length} levels`,
  );
  return { engine, evaluator, router };
}
