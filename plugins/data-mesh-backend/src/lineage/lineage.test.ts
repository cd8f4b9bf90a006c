import request from 'supertest';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import {
  asAnonymous,
  asPipeline,
  asUser,
  expectBadRequest,
  startDataMeshBackend,
} from '../__testUtils__/backend';
import {
  RECENT_EVENT_TIME,
  datasetEvent,
  jobEvent,
  runEvent,
} from './__fixtures__/events';

jest.setTimeout(60_000);

function product(name: string, reads: string[] = []): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name },
    spec: {
      type: reads.length ? 'aggregate' : 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      inputPorts: reads.map(upstream => ({
        name: upstream,
        dataProduct: `dataproduct:default/${upstream}`,
        outputPort: 'table',
      })),
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'iceberg',
          address: `iceberg://lake/sales/${name}`,
        },
      ],
    },
  };
}

const entities: Entity[] = [
  product('orders'),
  product('payments'),
  product('daily-sales', ['orders']),
  product('revenue', ['daily-sales']),
];

const start = (permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY) =>
  startDataMeshBackend({
    entities,
    config: { dataMesh: { lineage: { staleAfterDays: 10 } } },
    permission,
  });

const lake = (name: string) => ({ namespace: 'iceberg://lake', name });

/** A lineage response's edges by `from>to`. */
const edgesByEnds = (body: any): Map<string, any> =>
  new Map(body.edges.map((e: any) => [`${e.from}>${e.to}`, e]));

describe('lineage API', () => {
  it('answers the declared neighbourhood of a product, and 404 for an unknown one', async () => {
    const { api } = await start();
    const res = await api.get('/lineage/dataproduct/default/daily-sales');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'dataproduct:default/daily-sales',
      upstream: 1,
      downstream: 1,
      limit: 1000,
      truncated: false,
      staleAfterDays: 10,
    });
    expect(res.body.nodes.map((n: any) => [n.entityRef, n.depth])).toEqual([
      ['dataproduct:default/daily-sales', 0],
      ['dataproduct:default/orders', -1],
      ['dataproduct:default/revenue', 1],
    ]);
    expect(res.body.edges[0]).toEqual({
      from: 'dataproduct:default/orders',
      to: 'dataproduct:default/daily-sales',
      ports: [{ outputPort: 'table', inputPort: 'orders' }],
      declared: true,
      undeclared: false,
      stale: false,
    });
    const missing = await api.get('/lineage/dataproduct/default/nope');
    expect(missing.status).toBe(404);
  });

  // eslint-disable-next-line jest/expect-expect -- expectBadRequest asserts
  it('answers bad queries with 400 naming each field', async () => {
    const { api } = await start();
    const res = await api.get(
      '/lineage/dataproduct/default/orders?upstream=9&limit=0&depth=2',
    );
    expectBadRequest(
      res,
      'query.upstream: expected a whole number from 0 to 5; ' +
        'query.limit: expected a whole number from 1 to 5000; ' +
        'query: Unrecognized key: "depth"',
    );
  });

  it('takes OpenLineage events from services only, and stores a bad batch not at all', async () => {
    const { api, server } = await start();
    const event = runEvent({
      inputs: [lake('sales/orders'), lake('sales/payments')],
      outputs: [lake('sales/daily-sales')],
    });
    const anonymous = await api.as(asAnonymous).post('/openlineage', event);
    expect(anonymous.status).toBe(401);
    const user = await api.post('/openlineage', event);
    expect(user.status).toBe(403);

    const bad = await api
      .as(asPipeline())
      .post('/openlineage', { events: [event, { ...event, run: {} }] });
    expectBadRequest(
      bad,
      'body.events[1].run.runId: expected the run id, a UUID',
    );
    // An event dated two days ahead would look fresh for two days.
    const future = await api.as(asPipeline()).post('/openlineage', [
      event,
      {
        ...event,
        eventTime: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      },
    ]);
    expectBadRequest(
      future,
      /^body\[1\]\.eventTime: .* is more than a day after now .*; check the producer's clock and time zone: events from the future are not stored$/,
    );
    // The caller is checked before the body is read: a refused caller gets
    // 401 or 403, not a complaint about its body.
    for (const [who, status] of [
      [asAnonymous, 401],
      [asUser, 403],
    ] as const) {
      const refusedFirst = await request(server)
        .post('/api/data-mesh/openlineage')
        .set(who)
        .set('Content-Type', 'application/json')
        .send('{ not json');
      expect(refusedFirst.status).toBe(status);
    }
    const unchanged = await api.get('/lineage/dataproduct/default/daily-sales');
    expect(unchanged.body.edges.some((e: any) => e.observed)).toBe(false);

    const ok = await api.as(asPipeline()).post('/openlineage', [
      event,
      runEvent({
        inputs: [lake('staging.raw_refunds')],
        outputs: [lake('sales/daily-sales')],
      }),
    ]);
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({
      events: 2,
      jobEvents: 0,
      datasetEvents: 0,
      edges: 3,
      datasets: 4,
      fieldReads: 0,
    });

    const observed = await api.get('/lineage/dataproduct/default/daily-sales');
    const edges = edgesByEnds(observed.body);
    expect(
      edges.get('dataproduct:default/orders>dataproduct:default/daily-sales'),
    ).toMatchObject({
      declared: true,
      observed: { runs: 1, outputPorts: ['table'] },
      undeclared: false,
      stale: false,
    });
    expect(
      edges.get('dataproduct:default/payments>dataproduct:default/daily-sales'),
    ).toMatchObject({ declared: false, undeclared: true, ports: [] });

    const unmapped = await api.get('/lineage/unmapped');
    expect(unmapped.status).toBe(200);
    expect(unmapped.body).toEqual({
      totalItems: 1,
      items: [
        {
          namespace: 'iceberg://lake',
          name: 'staging.raw_refunds',
          firstSeen: RECENT_EVENT_TIME,
          lastSeen: RECENT_EVENT_TIME,
        },
      ],
    });

    // The governance engine sees the undeclared upstream.
    const run = await api.post('/evaluations', {});
    expect(run.status).toBe(201);
    const card = await api.get('/scorecards/dataproduct/default/daily-sales');
    expect(
      card.body.results.find(
        (r: any) => r.policyId === 'quanta.lineage-matches-declared',
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'Runs read dataproduct:default/payments, which no input port declares',
    });
    const revenue = await api.get('/scorecards/dataproduct/default/revenue');
    expect(
      revenue.body.results.find(
        (r: any) => r.policyId === 'quanta.lineage-matches-declared',
      ).status,
    ).toBe('not-applicable');
  });

  it('takes JobEvents and DatasetEvents from pipelines: declared lineage, shown apart from runs', async () => {
    const { api } = await start();
    const posted = await api.as(asPipeline()).post('/openlineage', [
      jobEvent({
        inputs: [lake('sales/orders'), lake('sales/payments')],
        outputs: [lake('sales/daily-sales')],
        job: 'daily_sales_dag',
      }),
      datasetEvent(lake('staging.raw_refunds')),
    ]);
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual({
      events: 2,
      jobEvents: 1,
      datasetEvents: 1,
      edges: 0,
      datasets: 4,
      fieldReads: 0,
    });

    const lineage = await api.get('/lineage/dataproduct/default/daily-sales');
    const edges = edgesByEnds(lineage.body);
    const pipeline = {
      jobs: ['dbt://acme/daily_sales_dag'],
      declaredAt: RECENT_EVENT_TIME,
      outputPorts: ['table'],
    };
    // Declared by an input port and by the pipeline; no run observed.
    const orders = edges.get(
      'dataproduct:default/orders>dataproduct:default/daily-sales',
    );
    expect(orders).toMatchObject({ declared: true, pipeline });
    expect(orders.observed).toBeUndefined();
    // Only the pipeline declares this one: not "observed, not declared".
    const payments = edges.get(
      'dataproduct:default/payments>dataproduct:default/daily-sales',
    );
    expect(payments).toMatchObject({
      declared: false,
      undeclared: false,
      ports: [],
      pipeline,
    });
    expect(payments.observed).toBeUndefined();

    // The dataset a DatasetEvent named maps to no port: listed to map.
    const unmapped = await api.get('/lineage/unmapped');
    expect(unmapped.body.items.map((d: any) => d.name)).toEqual([
      'staging.raw_refunds',
    ]);

    // Governance reads runs only: nothing observed, nothing undeclared.
    await api.post('/evaluations', {});
    const card = await api.get('/scorecards/dataproduct/default/daily-sales');
    expect(
      card.body.results.find(
        (r: any) => r.policyId === 'quanta.lineage-matches-declared',
      ).status,
    ).toBe('not-applicable');
  });

  it('shows the whole mesh, by product or by domain', async () => {
    const { api } = await start();
    const products = await api.get('/lineage/mesh');
    expect(products.body.groupBy).toBe('product');
    expect(products.body.nodes).toHaveLength(4);
    expect(products.body.edges).toHaveLength(2);
    const domains = await api.get('/lineage/mesh?maxProducts=2');
    expect(domains.body).toMatchObject({
      groupBy: 'domain',
      nodes: [{ id: 'domain:default/sales', products: 4 }],
      edges: [],
    });
  });

  it('requires the lineage permissions', async () => {
    const { api } = await start(AuthorizeResult.DENY);
    for (const [method, path, headers] of [
      ['get', '/lineage/dataproduct/default/orders', asUser],
      ['get', '/lineage/unmapped', asUser],
      ['get', '/lineage/mesh', asUser],
      ['post', '/openlineage', asPipeline()],
    ] as const) {
      const denied = await api.as(headers)[method](path);
      expect({ path, status: denied.status }).toEqual({ path, status: 403 });
    }
  });
});
