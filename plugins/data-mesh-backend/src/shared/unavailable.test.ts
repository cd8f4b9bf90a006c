import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import knexFactory, { type Knex } from 'knex';
import { startDataMeshBackend } from '../__testUtils__/backend';
import { isDatabaseUnavailable } from './unavailable';

jest.setTimeout(60_000);

/** The error a query gets from `knex`, or undefined when it succeeds. */
async function errorOf(knex: Knex): Promise<unknown> {
  try {
    await knex.raw('select 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await knex.destroy();
  }
}

describe('a database that cannot be reached', () => {
  it('is told apart from other failures, by what pg, knex and Node say', async () => {
    // Nothing listens on port 1: the connection is refused.
    const refused = await errorOf(
      knexFactory({
        client: 'pg',
        connection: 'postgresql://postgres@127.0.0.1:1/quanta',
        acquireConnectionTimeout: 10_000,
      }),
    );
    expect(refused).toBeDefined();
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    expect(isDatabaseUnavailable(shutdown)).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Connection terminated unexpectedly')),
    ).toBe(true);
    // A wrapped cause counts; a bad query, a duplicate key or a catalog that
    // is down do not.
    expect(
      isDatabaseUnavailable(new Error('failed', { cause: shutdown })),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('syntax error'), { code: '42601' }),
      ),
    ).toBe(false);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('duplicate key'), { code: '23505' }),
      ),
    ).toBe(false);
    expect(
      isDatabaseUnavailable(new Error('connect ECONNREFUSED 10.0.0.7:7007')),
    ).toBe(false);
  });

  it('makes the routes answer 503, not 500, while the pool is gone', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const database = createServiceFactory({
      service: coreServices.database,
      deps: {},
      factory: () => ({ getClient: async () => knex }),
    });
    const { api } = await startDataMeshBackend({ features: [database] });
    expect((await api.get('/runs')).status).toBe(200);
    // The pool is gone, as when the database server stops.
    await knex.destroy();
    const down = await api.get('/runs');
    expect(down.status).toBe(503);
    expect(down.body.error.name).toBe('ServiceUnavailableError');
    expect(down.body.error.message).toMatch(
      /^The data mesh database cannot be reached right now; try again shortly/,
    );
    // A bad request is still a 400.
    expect((await api.get('/runs?limit=x')).status).toBe(400);
  });
});
