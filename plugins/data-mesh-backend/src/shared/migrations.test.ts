import { quantaTestDatabases } from '@quanta/test-utils';
import knexFactory from 'knex';
import { openDatabase } from './database';

jest.setTimeout(60_000);

/*
 * Backend instances starting at the same moment on an empty PostgreSQL
 * database all apply the migrations: one does the work, the others wait
 * for it, and all start.
 */

const databases = quantaTestDatabases(['POSTGRES_17']);
const suite = databases.supports('POSTGRES_17') ? describe : describe.skip;

suite(
  databases.supports('POSTGRES_17')
    ? 'migrations on PostgreSQL'
    : 'migrations on PostgreSQL (skipped: BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is not set)',
  () => {
    it('are applied once when four instances start at the same time, three times over', async () => {
      // The race is a matter of timing, so one start is weak evidence:
      // three empty databases, four instances each.
      for (let round = 0; round < 3; round++) {
        const first = await databases.init('POSTGRES_17');
        // More pools on the same database, as more instances have.
        const others = [1, 2, 3].map(() =>
          knexFactory({
            client: 'pg',
            connection: first.client.config.connection,
          }),
        );
        try {
          const open = (knex: typeof first) =>
            openDatabase({ database: { getClient: async () => knex } });
          await Promise.all([first, ...others].map(open));
          const names = (await first('knex_migrations').select('name')).map(
            r => r.name,
          );
          expect(names.length).toBe(new Set(names).size);
          expect(names).toContain('20261205180000_lineage_revision.js');
          // Two lock rows would make every later start fail as locked.
          expect(
            await first('knex_migrations_lock').select('is_locked'),
          ).toEqual([{ is_locked: 0 }]);
          for (const other of others) {
            expect(
              await other('dm_lineage_revision').first('revision'),
            ).toEqual({ revision: expect.anything() });
          }
          // A later start on the migrated database finds nothing to do.
          await open(others[0]);
        } finally {
          await Promise.all(others.map(other => other.destroy()));
        }
      }
    });
  },
);
