import type {
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { QualityStore } from '../database/QualityStore';
import {
  DEFAULT_QUALITY_MAX_BODY_BYTES,
  DEFAULT_QUALITY_RATE_LIMIT,
  createQualityRouter,
} from '../service/qualityRouter';
import { ProductDirectory } from './ProductDirectory';
import { QualityService } from './QualityService';

/** Days of quality runs and results kept unless configured. */
export const DEFAULT_QUALITY_RETENTION_DAYS = 400;

function positive(config: RootConfigService, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value !== undefined && !(value > 0)) {
    throw new Error(`${key}: found ${value}, expected a number above 0`);
  }
  return value;
}

/**
 * Quality results for the data-mesh plugin: the store, the service, the
 * routes and the daily retention task, read from `dataMesh.quality`.
 */
export async function setupQuality(deps: {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const { config, logger } = deps;
  const store = await QualityStore.create({ database: deps.database });
  const directory = new ProductDirectory({
    catalog: deps.catalog,
    auth: deps.auth,
  });
  const durationSloTarget = config.getOptionalNumber(
    'dataMesh.quality.durationSloTarget',
  );
  if (
    durationSloTarget !== undefined &&
    !(durationSloTarget > 0 && durationSloTarget <= 100)
  ) {
    throw new Error(
      `dataMesh.quality.durationSloTarget: found ${durationSloTarget}, expected a percentage above 0 and at most 100`,
    );
  }
  const quality = new QualityService({ store, directory, durationSloTarget });

  const retentionDays =
    positive(config, 'dataMesh.quality.retentionDays') ??
    DEFAULT_QUALITY_RETENTION_DAYS;
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

  const router = createQualityRouter({
    quality,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    maxBodyBytes:
      positive(config, 'dataMesh.quality.maxBodyBytes') ??
      DEFAULT_QUALITY_MAX_BODY_BYTES,
    rateLimit: {
      requests:
        positive(config, 'dataMesh.quality.rateLimit.requests') ??
        DEFAULT_QUALITY_RATE_LIMIT.requests,
      perSeconds:
        positive(config, 'dataMesh.quality.rateLimit.perSeconds') ??
        DEFAULT_QUALITY_RATE_LIMIT.perSeconds,
    },
  });
  return { quality, store, router };
}
