import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { openDatabase } from './database';

jest.setTimeout(60_000);

/*
 * Two backend instances starting at the same moment on an empty PostgreSQL
 * database both apply the migrations: one does the work, the other waits
 * for it, and both start.
 */

const databases = TestDatabases.create({
  ids: ['POSTGRES_17'],
  disableDocker: true,
});

if (process.env.QUANTA_REQUIRE_POSTGRES && !databases.supports('POSTGRES_17')) {
  throw new Error(
    'QUANTA_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not',
  );
}
const suite = databases.supports('POSTGRES_17') ? describe : describe.skip;

suite(
  databases.supports('POSTGRES_17')
    ? 'migrations on PostgreSQL'
    : 'migrations on PostgreSQL (skipped: BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not set)',
  () => {
    it('are applied once when two instances start at the same time', async () => {
      const first = await databases.init('POSTGRES_17');
      // A second pool on the same database, as a second instance has.
      const second = knexFactory({
        client: 'pg',
        connection: first.client.config.connection,
      });
      try {
        const open = (knex: typeof first) =>
          openDatabase({ database: { getClient: async () => knex } });
        await Promise.all([open(first), open(second)]);
        const [{ count }] = await first('knex_migrations').count({
          count: '*',
        });
        const names = (await first('knex_migrations').select('name')).map(
          r => r.name,
        );
        expect(Number(count)).toBe(new Set(names).size);
        expect(names).toContain('20261205180000_lineage_revision.js');
        expect(await second('dm_lineage_revision').first('revision')).toEqual(
          { revision: expect.anything() },
        );
      } finally {
        await second.destroy();
      }
    });
  },
);
