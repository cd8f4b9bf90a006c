import {
  type DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

// Resolved from the package root, so that it holds in src/ and in dist/ alike.
const migrationsDir = resolvePackagePath(
  '@quanta/plugin-data-mesh-backend',
  'migrations',
);

/**
 * The plugin's database, with every capability's migrations applied (one
 * directory, so one run covers them all) unless the deployment or the
 * caller skips them.
 */
export async function openDatabase(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const knex = await options.database.getClient();
  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return knex;
}
