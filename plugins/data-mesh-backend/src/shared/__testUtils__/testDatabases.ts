import { TestDatabaseId } from '@backstage/backend-test-utils';
import { quantaTestDatabases } from '@quanta/test-utils';
import type { DatabaseService } from '@backstage/backend-plugin-api';

/**
 * The databases every store test runs on (quantaTestDatabases), each test
 * with a fresh one holding the store's tables.
 *
 * Call it once at the top level of a test file: it registers that file's
 * database lifecycle hooks.
 */
export function storeTestDatabases<Store>(
  createStore: (options: { database: DatabaseService }) => Promise<Store>,
) {
  const databases = quantaTestDatabases();
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
