import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { asPipeline, startDataMeshBackend } from '../__testUtils__/backend';

jest.setTimeout(60_000);

/** A catalog that fails the way a broken connection does, with a stack. */
const brokenCatalog = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () =>
    ({
      queryEntities: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:7007');
      },
      getEntityByRef: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:7007');
      },
    } as any),
});

async function errorsIn(nodeEnv: string) {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    const { server } = await startDataMeshBackend({ catalog: brokenCatalog });
    const post = (body: string) =>
      request(server)
        .post(
          '/api/data-mesh/quality/results?entityRef=dataproduct:default/orders',
        )
        .set(asPipeline())
        .set('Content-Type', 'application/json')
        .send(body);
    // Bad input (400) and a failure inside (500: the catalog is down).
    const bad = await post('{ not json');
    const broken = await post(
      JSON.stringify({
        source: 'nightly',
        runId: 'r1',
        finishedAt: new Date().toISOString(),
        checks: [{ checkId: 'c', name: 'c', status: 'pass' }],
      }),
    );
    return { bad, broken };
  } finally {
    process.env.NODE_ENV = before;
  }
}

describe('error responses', () => {
  it('carry no stack trace or server path in production', async () => {
    const { bad, broken } = await errorsIn('production');
    expect(bad.status).toBe(400);
    expect(broken.status).toBe(500);
    for (const response of [bad, broken]) {
      const text = JSON.stringify(response.body);
      expect(response.body.error.message).toEqual(expect.any(String));
      expect(response.body.error.stack).toBeUndefined();
      expect(text).not.toMatch(/\bat \S+ \(|\/plugins\/|node_modules|\.ts:\d+/);
    }
  });

  it('carry the stack in development, where it helps', async () => {
    const { broken } = await errorsIn('development');
    expect(broken.status).toBe(500);
    expect(broken.body.error.stack).toMatch(/ECONNREFUSED[\s\S]*\bat /);
  });
});
