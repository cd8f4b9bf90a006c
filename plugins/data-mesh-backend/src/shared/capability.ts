import type {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';

/**
 * What every capability's `setup` receives from plugin.ts: the plugin's
 * database and the core services its routes, schedules and catalog reads
 * use. A capability adds its own settings and facts beside these.
 */
export type CapabilityDeps = {
  knex: Knex;
  scheduler: SchedulerService;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
};
