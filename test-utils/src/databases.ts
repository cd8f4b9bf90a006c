import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';

/** Dropping a test file's databases may take this long on a busy machine. */
const DROP_TIMEOUT_MS = 5 * 60_000;

/**
 * The databases Quanta's tests run on: SQLite always, and PostgreSQL where
 * BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING names a server (no
 * Docker). CI sets QUANTA_REQUIRE_POSTGRES so that a missing server fails the
 * suite instead of quietly testing SQLite alone.
 *
 * The PostgreSQL databases a test file created are dropped all at once after
 * its tests. TestDatabases drops them one by one, and each DROP DATABASE
 * waits for a checkpoint: on a machine busy with other tests, 19 in a row
 * took 26 s of the 30 s an afterAll hook may take, and the file failed with
 * every test passed. Dropped together, they share a checkpoint (1.2 s).
 *
 * Call once at the top level of a test file, after its imports (the test
 * backends they start are stopped first) and before anything that uses the
 * databases: it registers the hooks that remove them.
 */
export function quantaTestDatabases(
  ids: TestDatabaseId[] = ['POSTGRES_17', 'SQLITE_3'],
): TestDatabases {
  const created: Knex[] = [];
  // Registered before TestDatabases.create registers its own, so it runs
  // first (jest runs afterAll hooks in the order they were declared); the
  // one-by-one drop then finds nothing left to drop.
  afterAll(() => dropTogether(created.splice(0)), DROP_TIMEOUT_MS);

  const databases = TestDatabases.create({ ids, disableDocker: true });
  if (
    process.env.QUANTA_REQUIRE_POSTGRES &&
    ids.includes('POSTGRES_17') &&
    !databases.supports('POSTGRES_17')
  ) {
    throw new Error(
      'QUANTA_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not: set it to a PostgreSQL server, such as postgresql://postgres@127.0.0.1:5432',
    );
  }
  const init = databases.init.bind(databases);
  databases.init = async (id: TestDatabaseId) => {
    const knex = await init(id);
    if (knex.client.config.client === 'pg') created.push(knex);
    return knex;
  };
  return databases;
}

async function dropTogether(created: Knex[]): Promise<void> {
  if (!created.length) return;
  const connection = created[0].client.config
    .connection as Knex.PgConnectionConfig;
  const names = created.map(
    knex =>
      (knex.client.config.connection as Knex.PgConnectionConfig).database!,
  );
  // A database in use cannot be dropped: close this file's pools first.
  await Promise.all(created.map(knex => knex.destroy().catch(() => {})));
  const admin = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    pool: { min: 0, max: Math.min(names.length, 20) },
  });
  try {
    await Promise.all(
      names.map(name =>
        admin.raw('DROP DATABASE IF EXISTS ??', [name]).catch(error => {
          // Left to TestDatabases, which tries again one by one.
          console.warn(`could not drop test database ${name}: ${error}`);
        }),
      ),
    );
  } finally {
    await admin.destroy();
  }
}
