import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import net from 'node:net';
import { startDataMeshBackend } from '../__testUtils__/backend';
import { failedDependencyStatus, isDatabaseUnavailable } from './unavailable';

/** What the catalog client throws when the catalog answers `status`. */
function catalogAnswered(status: number, statusText: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'AuthenticationError', message: statusText },
        request: { method: 'GET', url: '/entities/by-query' },
        response: { statusCode: status },
      }),
      { status, statusText, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

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
    // A server that resets the connection once the client has spoken, as a
    // stopping PostgreSQL may do to open sessions before it can say why.
    const resetting = net.createServer(socket =>
      socket.once('data', () => socket.resetAndDestroy()),
    );
    await new Promise<void>(resolve =>
      resetting.listen(0, '127.0.0.1', resolve),
    );
    const { port } = resetting.address() as net.AddressInfo;
    const reset = await errorOf(
      knexFactory({
        client: 'pg',
        connection: `postgresql://postgres@127.0.0.1:${port}/quanta`,
        acquireConnectionTimeout: 10_000,
      }),
    );
    resetting.close();
    expect(reset).toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
    expect(isDatabaseUnavailable(reset)).toBe(true);
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

  it('makes the routes answer 503 while the catalog cannot verify this plugin (its keys are in the database)', async () => {
    // Seen with replicas while PostgreSQL was unreachable: the catalog
    // answered 401 to the data mesh's own service token (reliability/).
    const unauthorized = await catalogAnswered(401, 'Unauthorized');
    expect(failedDependencyStatus(unauthorized)).toBe(401);
    expect(
      failedDependencyStatus(await catalogAnswered(502, 'Bad Gateway')),
    ).toBe(502);
    // An answer about the request itself passes through.
    expect(
      failedDependencyStatus(await catalogAnswered(403, 'Forbidden')),
    ).toBeUndefined();
    expect(
      failedDependencyStatus(await catalogAnswered(404, 'Not Found')),
    ).toBeUndefined();
    expect(failedDependencyStatus(new Error('boom'))).toBeUndefined();

    const fail = async () => {
      throw unauthorized;
    };
    const catalog = catalogServiceMock.mock({
      getEntities: fail,
      queryEntities: fail,
      getEntitiesByRefs: fail,
      getEntityByRef: fail,
    });
    const { api } = await startDataMeshBackend({ catalog: catalog.factory });
    const answer = await api.get('/quality/dataproduct/default/orders');
    expect(answer.status).toBe(503);
    expect(answer.body.error.message).toMatch(
      /^The catalog could not answer the data mesh right now \(it answered 401\); try again shortly/,
    );
  });
});
