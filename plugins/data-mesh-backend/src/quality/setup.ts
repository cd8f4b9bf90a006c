import type { CapabilityDeps } from '../shared/capability';
import type { DataMeshConfig } from '../shared/config';
import type { QualityFactSource } from '../shared/facts';
import { ProductDirectory } from './ProductDirectory';
import { QualityService } from './QualityService';
import { QualityStore } from './QualityStore';
import { createQualityRouter } from './router';

/**
 * Quality results: the store, the service, the routes and the daily
 * retention task, as `dataMesh.quality` configures them.
 */
export async function setupQuality(
  deps: CapabilityDeps & { settings: DataMeshConfig['quality'] },
) {
  const { settings, logger } = deps;
  const store = new QualityStore(deps.knex);
  const directory = new ProductDirectory({
    catalog: deps.catalog,
    auth: deps.auth,
    logger,
  });
  const quality = new QualityService({
    store,
    directory,
    durationSloTarget: settings.durationSloTarget,
  });

  const { retentionDays } = settings;
  await deps.scheduler.scheduleTask({
    id: 'data-mesh-quality-retention',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const deleted = await store.enforceRetention(new Date(), retentionDays);
      logger.info(
        `Quality retention: deleted ${deleted.runs} runs and ${deleted.results} check results older than ${retentionDays} days`,
      );
    },
  });

  const facts: QualityFactSource = (now, refs) => quality.facts(now, refs);
  const router = createQualityRouter({
    quality,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    maxBodyBytes: settings.maxBodyBytes,
    rateLimit: settings.rateLimit,
  });
  return { quality, facts, router };
}
