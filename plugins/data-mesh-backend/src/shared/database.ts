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

/** How long an instance waits for another one's migrations to finish. */
const MIGRATION_WAIT_MS = 120_000;

/**
 * What a migration run says when another instance runs them at the same
 * time: knex's lock is taken, or the other one created knex's own tables a
 * moment before (PostgreSQL: 42P07 duplicate table, or 23505 on the type
 * catalog, naming `knex_migrations`). Any other failure is a real one.
 */
function concurrentMigration(error: any): boolean {
  if (error?.name === 'MigrationLocked') return true;
  const text = `${error?.message ?? ''} ${error?.detail ?? ''}`;
  if (/already locked/i.test(text)) return true;
  return (
    (error?.code === '42P07' || error?.code === '23505') &&
    /knex_migrations/.test(text)
  );
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Applies the migrations; when another instance applies them at the same
 * time (several replicas starting together), waits and tries again until
 * they are done.
 */
async function migrate(knex: Knex) {
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      if (!concurrentMigration(error)) throw error;
      if (Date.now() > deadline) {
        throw new Error(
          `The data mesh migrations stayed locked for ${
            MIGRATION_WAIT_MS / 1000
          } s. If no other backend instance is starting, an instance stopped while migrating: clear the lock with UPDATE knex_migrations_lock SET is_locked = 0 in the data mesh plugin's database and start again`,
          { cause: error },
        );
      }
      await sleep(Math.min(250 * attempt, 2_000));
    }
  }
}

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
    await migrate(knex);
  }
  return knex;
}
