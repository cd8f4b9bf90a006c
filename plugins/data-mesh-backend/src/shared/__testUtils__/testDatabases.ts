import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { DatabaseService } from '@backstage/backend-plugin-api';

/**
 * The databases every store test runs on: SQLite always, PostgreSQL where
 * BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING names one (no Docker).
 * CI sets QUANTA_REQUIRE_POSTGRES so that a missing PostgreSQL fails the suite
 * instead of quietly testing SQLite alone.
 *
 * Call it once at the top level of a test file: it registers that file's
 * database lifecycle hooks.
 */
export function storeTestDatabases<Store>(
  createStore: (options: { database: DatabaseService }) => Promise<Store>,
) {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_17', 'SQLITE_3'],
    disableDocker: true,
  });
  if (
    process.env.QUANTA_REQUIRE_POSTGRES &&
    !databases.supports('POSTGRES_17')
  ) {
    throw new Error(
      'QUANTA_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not',
    );
  }
  return {
    databases,
    /** A fresh database with the store's migrations applied. */
    async createStore(databaseId: TestDatabaseId) {
      const knex = await databases.init(databaseId);
      const store = await createStore({
        database: { getClient: async () => knex },
      });
      return { knex, store };
    },
  };
}
