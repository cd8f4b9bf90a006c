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
 * Any constant shared by every instance of the plugin: the PostgreSQL
 * advisory lock that lets one instance at a time run the migrations.
 */
const MIGRATION_LOCK_KEY = 4_713_524_025;

/**
 * What a migration run says when another instance runs them at the same
 * time: knex's lock is taken, or the other one created knex's own tables a
 * moment before (PostgreSQL: 42P07 duplicate table, 42710 duplicate type or
 * 23505 on the type catalog, naming `knex_migrations`). Any other failure is
 * a real one.
 */
function concurrentMigration(error: any): boolean {
  if (error?.name === 'MigrationLocked') return true;
  const text = `${error?.message ?? ''} ${error?.detail ?? ''}`;
  if (/already locked/i.test(text)) return true;
  return (
    ['42P07', '42710', '23505'].includes(error?.code) &&
    /knex_migrations/.test(text)
  );
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function lockedTooLong(error: unknown): Error {
  return new Error(
    `The data mesh migrations stayed locked for ${
      MIGRATION_WAIT_MS / 1000
    } s. If no other backend instance is starting, an instance stopped while migrating: clear the lock with UPDATE knex_migrations_lock SET is_locked = 0 in the data mesh plugin's database and start again`,
    { cause: error },
  );
}

/**
 * Applies the migrations, retrying while another instance applies them at
 * the same time (several replicas starting together).
 */
async function migrateRetrying(knex: Knex) {
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      if (!concurrentMigration(error)) throw error;
      if (Date.now() > deadline) throw lockedTooLong(error);
      await sleep(Math.min(250 * attempt, 2_000));
    }
  }
}

/**
 * On PostgreSQL, instances take turns: knex creates its own lock table and
 * lock row with check-then-create, so two instances migrating an empty
 * database together can fail on each other's table or, worse, leave two lock
 * rows, after which every start fails with "already locked". An advisory
 * lock held in a transaction (so released when the instance dies) serialises
 * them; the migrations run on another connection of the pool. A pool of one
 * connection cannot do both, so it falls back to retrying.
 */
async function migrate(knex: Knex) {
  const client = String(knex.client.config?.client ?? '');
  const poolMax = knex.client.config?.pool?.max ?? 10;
  if (!/^(pg|postgres|postgresql)$/.test(client) || poolMax < 2) {
    await migrateRetrying(knex);
    return;
  }
  await knex.transaction(async trx => {
    await trx.raw(`SET LOCAL lock_timeout = '${MIGRATION_WAIT_MS}ms'`);
    try {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    } catch (error: any) {
      // 55P03: lock_timeout; another instance holds the lock too long.
      if (error?.code === '55P03') throw lockedTooLong(error);
      throw error;
    }
    await migrateRetrying(knex);
  });
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
