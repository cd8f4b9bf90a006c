import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  asPipeline,
  asUser,
  startDataMeshBackend,
} from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';

jest.setTimeout(60_000);

function product(name: string, addresses: string[], slos?: JsonObject): Entity {
  return dataProduct(name, {
    outputPorts: addresses.map((address, i) => ({
      name: i === 0 ? `${name}-table` : `${name}-${i}`,
      type: 'table',
      format: 'iceberg',
      address,
    })),
    ...(slos ? { slos } : {}),
  });
}

const entities: Entity[] = [
  product(
    'orders',
    ['s3://lake/sales/orders/', 'snowflake://acme/analytics/orders'],
    { freshness: 'PT6H', completeness: 99 },
  ),
  product('customers', ['bigquery://acme-dw/crm.customers']),
  product('finance-orders', ['snowflake://acme/finance/orders']),
];

async function start(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    quality?: JsonObject;
  } = {},
) {
  // Scheduled tasks are run by the test, not by timers.
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async () => {},
  });
  const { server } = await startDataMeshBackend({
    entities,
    config: { dataMesh: { quality: options.quality ?? {} } },
    permission: options.permission,
    features: [scheduler.factory],
  });
  return server;
}

const fixture = (name: string) =>
  fs.readFileSync(
    path.join(__dirname, 'formats', '__fixtures__', name),
    'utf8',
  );

const RESULTS = '/api/data-mesh/quality/results';

describe('quality results API', () => {
  it.each([
    ['quanta', 'quanta.json', 'application/json', 3, 0],
    ['dbt', 'dbt-run-results-v5.json', 'application/json', 5, 0],
    ['dbt', 'dbt-run-results-v6.json', 'application/json', 8, 1],
    // dbt source freshness: one freshness check per source.
    ['dbt', 'dbt-sources-v2.json', 'application/json', 4, 0],
    [
      'great-expectations',
      'great-expectations-0.18.json',
      'application/json',
      6,
      0,
    ],
    [
      'great-expectations',
      'great-expectations-1.x.json',
      'application/json',
      4,
      0,
    ],
    // A checkpoint: every suite's checks in one run.
    [
      'great-expectations',
      'great-expectations-0.18-checkpoint.json',
      'application/json',
      8,
      0,
    ],
    [
      'great-expectations',
      'great-expectations-1.x-checkpoint-describe.json',
      'application/json',
      5,
      0,
    ],
    ['soda', 'soda-scan-results.json', 'application/json', 6, 0],
    ['datacontract', 'datacontract-test-run.json', 'application/json', 6, 1],
    ['junit', 'junit.xml', 'application/xml', 5, 1],
    ['junit', 'junit-single-suite.xml', 'text/xml', 3, 0],
  ])(
    'stores %s results (%s) once, however often they are posted',
    async (format, file, contentType, stored, skipped) => {
      const server = await start();
      const post = () =>
        request(server)
          .post(
            `${RESULTS}?format=${format}&entityRef=dataproduct:default/orders`,
          )
          .set(asPipeline())
          .set('Content-Type', contentType)
          .send(fixture(file));
      const first = await post();
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        entityRef: 'dataproduct:default/orders',
        stored,
        duplicates: 0,
        skipped,
      });
      const again = await post();
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({
        stored: 0,
        duplicates: stored,
        runId: first.body.runId,
      });
    },
  );

  it('finds the product by output port address, dataset name or the document itself', async () => {
    const server = await start();
    const doc = JSON.parse(fixture('quanta.json'));
    delete doc.entityRef;
    delete doc.outputPort;
    const post = (query: string, body: object = doc) =>
      request(server).post(`${RESULTS}${query}`).set(asPipeline()).send(body);

    const byAddress = await post('?address=s3://lake/sales/orders');
    expect(byAddress.status).toBe(201);
    expect(byAddress.body.entityRef).toBe('dataproduct:default/orders');

    const byDataset = await post(
      `?dataset=crm.customers&runId=customers-1&source=nightly`,
    );
    expect(byDataset.status).toBe(201);
    expect(byDataset.body).toMatchObject({
      entityRef: 'dataproduct:default/customers',
      source: 'nightly',
      runId: 'customers-1',
    });

    const ambiguous = await post('?dataset=orders');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.message).toBe(
      'query.dataset: "orders" matches output ports of 2 data products (dataproduct:default/orders, dataproduct:default/finance-orders); post with entityRef instead',
    );

    const inDocument = await post('', {
      ...doc,
      runId: 'in-document',
      address: 'snowflake://acme/finance/orders/',
    });
    expect(inDocument.body.entityRef).toBe(
      'dataproduct:default/finance-orders',
    );

    const unknown = await post('?entityRef=dataproduct:default/nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'query.entityRef: dataproduct:default/nope is not a data product in the catalog',
    );
    const nowhere = await post('');
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.message).toMatch(
      /^query\.entityRef: expected the data product the results are about/,
    );
    const twice = await post(
      '?entityRef=dataproduct:default/orders&address=s3://lake/sales/orders',
    );
    expect(twice.body.error.message).toBe(
      'query: name the data product once, by entityRef, address or dataset; found entityRef and address',
    );
    const badPort = await post(
      '?entityRef=dataproduct:default/orders&outputPort=files',
    );
    expect(badPort.body.error.message).toBe(
      'query.outputPort: dataproduct:default/orders has no output port "files"; its ports are orders-table, orders-1',
    );
  });

  it('answers malformed input with 400 naming the field, and stores nothing of it', async () => {
    const server = await start();
    const doc = JSON.parse(fixture('quanta.json'));
    const bad = structuredClone(doc);
    bad.checks[2].status = 'green';
    const refused = await request(server)
      .post(RESULTS)
      .set(asPipeline())
      .send(bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual(
      expect.objectContaining({
        name: 'InputError',
        message:
          'body.checks[2].status: expected one of pass, warn, fail, error',
      }),
    );
    // Nothing of the refused batch was kept: the good one stores every check.
    const accepted = await request(server)
      .post(RESULTS)
      .set(asPipeline())
      .send(doc);
    expect(accepted.body).toMatchObject({ stored: 3, duplicates: 0 });

    const badQuery = await request(server)
      .post(`${RESULTS}?format=csv&colour=red&url=ftp://x`)
      .set(asPipeline())
      .send(doc);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toBe(
      'query.format: expected one of quanta, dbt, great-expectations, soda, datacontract, junit; query.url: expected an http(s) URL of the run; query: Unrecognized key: "colour"',
    );

    const notJson = await request(server)
      .post(`${RESULTS}?format=dbt&entityRef=dataproduct:default/orders`)
      .set(asPipeline())
      .set('Content-Type', 'application/json')
      .send('{"metadata": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/^body: not valid JSON/);
  });

  it('takes results from services only, with the ingest permission', async () => {
    const server = await start();
    const body = fixture('quanta.json');
    const anonymous = await request(server)
      .post(RESULTS)
      .set('Authorization', mockCredentials.none.header())
      .set('Content-Type', 'application/json')
      .send(body);
    expect(anonymous.status).toBe(401);
    const user = await request(server)
      .post(RESULTS)
      .set(asUser)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(user.status).toBe(403);
    expect(user.body.error.message).toBe(
      "This endpoint does not allow 'user' credentials",
    );

    const denied = await start({ permission: AuthorizeResult.DENY });
    const refused = await request(denied)
      .post(RESULTS)
      .set(asPipeline())
      .set('Content-Type', 'application/json')
      .send(body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Not allowed: data-mesh.quality.ingest',
    );
  });

  it('limits posts per caller with 429 and Retry-After', async () => {
    const server = await start({
      quality: { rateLimit: { requests: 2, perSeconds: 3600 } },
    });
    const doc = JSON.parse(fixture('quanta.json'));
    const post = (subject: string, runId: string) =>
      request(server)
        .post(RESULTS)
        .set(asPipeline(subject))
        .send({ ...doc, runId });
    expect((await post('dbt-pipeline', 'a')).status).toBe(201);
    expect((await post('dbt-pipeline', 'b')).status).toBe(201);
    const limited = await post('dbt-pipeline', 'c');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1800');
    expect(limited.body.error.message).toBe(
      'Too many quality results posted by external:dbt-pipeline: at most 2 requests per 3600 seconds (dataMesh.quality.rateLimit); retry in 1800 s',
    );
    // Each caller has its own budget.
    expect((await post('soda-pipeline', 'c')).status).toBe(201);
  });

  it('answers other requests while it reads a batch at the size limit', async () => {
    const server = await start();
    const checks = Array.from({ length: 25_000 }, (_, i) => {
      const rows = i % 7;
      return {
        checkId: `model_${i % 50}.check_${i}`,
        name: `Check ${i} of column_${i % 50}`,
        status: rows ? 'fail' : 'pass',
        message: `Got ${rows} rows violating the rule; they were written to audit.check_${i} for review by the owning team`,
      };
    });
    const body = JSON.stringify({
      source: 'nightly',
      runId: 'at-the-limit',
      finishedAt: new Date().toISOString(),
      checks,
    });
    // Close to the default limit of 5 MB.
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(body.length).toBeLessThan(5 * 1024 * 1024);

    // Someone opens the portal once the batch has arrived whole, while it is
    // being read: a request that needs no database, as the batch's
    // transaction holds SQLite's one connection.
    const answered: string[] = [];
    let other: Promise<void> | undefined;
    server.on('request', req => {
      if (req.method !== 'POST') return;
      req.on('end', () => {
        other = request(server)
          .get('/api/data-mesh/quality/dataproduct/default/nope')
          .set(asUser)
          .then(res => {
            answered.push(`GET ${res.status}`);
          });
      });
    });
    await request(server)
      .post(`${RESULTS}?entityRef=dataproduct:default/orders`)
      .set(asPipeline())
      .set('Content-Type', 'application/json')
      .send(body)
      .then(res => {
        answered.push(`POST ${res.status} ${res.body.stored}`);
      });
    await other;
    expect(answered).toEqual(['GET 404', 'POST 201 25000']);
  });

  it('refuses bodies above the size limit with 413 naming the limit', async () => {
    const server = await start({ quality: { maxBodyBytes: 2048 } });
    const doc = JSON.parse(fixture('quanta.json'));
    doc.checks = Array.from({ length: 40 }, (_, i) => ({
      checkId: `check-${i}`,
      name: `Check number ${i}`,
      status: 'pass',
    }));
    const res = await request(server).post(RESULTS).set(asPipeline()).send(doc);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual(
      expect.objectContaining({
        name: 'PayloadTooLargeError',
        message:
          'Request body too large: the limit is 2048 bytes (2 kB, dataMesh.quality.maxBodyBytes); post the results in smaller batches',
      }),
    );
    doc.checks = doc.checks.slice(0, 5);
    const small = await request(server)
      .post(RESULTS)
      .set(asPipeline())
      .send(doc);
    expect(small.status).toBe(201);
  });
});

describe('quality status API', () => {
  const HOUR = 3_600_000;
  const at = (offset: number) => new Date(Date.now() + offset).toISOString();
  const results = (runId: string, finishedAgo: number, checks: object[]) => ({
    source: 'orders-nightly',
    runId,
    finishedAt: at(-finishedAgo),
    url: `https://ci.acme.example/runs/${runId}`,
    checks,
  });
  const postAs = (server: any, entityRef: string, body: object) =>
    request(server)
      .post(`${RESULTS}?entityRef=${entityRef}`)
      .set(asPipeline())
      .send(body);

  it('says a product without results has no data, for every SLO', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asUser);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'dataproduct:default/orders',
      windowDays: 30,
      hasResults: false,
      latestRuns: [],
      failing: [],
      notes: [],
      slos: [
        { slo: 'freshness', objective: 'PT6H', status: 'no-data' },
        { slo: 'completeness', objective: 99, status: 'no-data' },
      ],
    });
    expect(res.body.latestRun).toBeUndefined();
    expect(res.body.passRate).toHaveLength(30);
    expect(res.body.passRate[29]).toEqual({
      day: new Date().toISOString().slice(0, 10),
      checks: 0,
      passed: 0,
    });

    const missing = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/nope')
      .set(asUser);
    expect(missing.status).toBe(404);
  });

  it('serves the latest run, failing checks, the daily pass rate and SLO status', async () => {
    const server = await start();
    const completeness = (status: string) => ({
      checkId: 'orders-completeness',
      name: 'Orders have a customer',
      status,
      dimension: 'completeness',
      measured: status === 'pass' ? 99.9 : 97.2,
      threshold: '>= 99',
      ...(status === 'pass'
        ? {}
        : { message: '97.2% of orders have a customer' }),
    });
    await postAs(
      server,
      'dataproduct:default/orders',
      results('r1', 3 * HOUR, [completeness('pass')]),
    ).expect(201);
    await postAs(
      server,
      'dataproduct:default/orders',
      results('r2', HOUR, [
        completeness('fail'),
        { checkId: 'ids-unique', name: 'Order ids are unique', status: 'pass' },
      ]),
    ).expect(201);
    // A run dated two hours ahead: a pipeline with a wrong clock. Stored,
    // and left out of the figures with a note.
    await postAs(
      server,
      'dataproduct:default/orders',
      results('r3', -2 * HOUR, [completeness('pass')]),
    ).expect(201);
    // Two days ahead is no skew: refused, so it never looks fresh.
    const future = await postAs(
      server,
      'dataproduct:default/orders',
      results('r4', -48 * HOUR, [completeness('pass')]),
    );
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(
      /^body: the run finishes at .*, more than a day after now .*; check the pipeline's clock and time zone: runs from the future are not stored$/,
    );

    const res = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asUser);
    expect(res.status).toBe(200);
    expect(res.body.hasResults).toBe(true);
    expect(res.body.latestRun).toMatchObject({
      source: 'orders-nightly',
      runId: 'r2',
      url: 'https://ci.acme.example/runs/r2',
      checks: 2,
      pass: 1,
      fail: 1,
    });
    expect(res.body.failing).toEqual([
      expect.objectContaining({
        checkId: 'orders-completeness',
        status: 'fail',
        message: '97.2% of orders have a customer',
        measured: 97.2,
        threshold: '>= 99',
        runId: 'r2',
      }),
    ]);
    const days = res.body.passRate.filter((d: any) => d.checks > 0);
    expect(days.reduce((n: number, d: any) => n + d.checks, 0)).toBe(3);
    expect(days.reduce((n: number, d: any) => n + d.passed, 0)).toBe(2);
    expect(res.body.slos).toEqual([
      expect.objectContaining({
        slo: 'freshness',
        status: 'met',
        message: 'The newest data arrived 1 hour ago; the objective is 6 hours',
      }),
      expect.objectContaining({
        slo: 'completeness',
        status: 'breached',
        message:
          '1 of 2 completeness check results failed in the last 30 days: 50% good, the target is 99%',
      }),
    ]);
    expect(res.body.notes).toEqual([
      "1 run finishes more than 5 minutes after now and is left out: check the pipeline's clock and time zone",
    ]);

    const breaches = await request(server)
      .get('/api/data-mesh/quality/breaches')
      .set(asUser);
    expect(breaches.status).toBe(200);
    expect(breaches.body).toMatchObject({
      products: 1,
      noData: 0,
      domains: [
        {
          domain: 'domain:default/sales',
          items: [
            {
              entityRef: 'dataproduct:default/orders',
              owner: 'group:default/sales-data',
              breached: [expect.objectContaining({ slo: 'completeness' })],
            },
          ],
        },
      ],
    });
  });

  it('checks the read permission', async () => {
    const server = await start({ permission: AuthorizeResult.DENY });
    const res = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asUser);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Not allowed: data-mesh.quality.read');
  });

  it('gives the governance engine checks passing and fresh within the SLO', async () => {
    const server = await start();
    await postAs(
      server,
      'dataproduct:default/orders',
      results('r1', 8 * HOUR, [
        { checkId: 'ids-unique', name: 'Order ids are unique', status: 'fail' },
        { checkId: 'ids-present', name: 'Order ids present', status: 'warn' },
      ]),
    ).expect(201);
    await postAs(
      server,
      'dataproduct:default/finance-orders',
      results('f1', HOUR, [
        { checkId: 'sums', name: 'Sums reconcile', status: 'pass' },
      ]),
    ).expect(201);
    const run = await request(server)
      .post('/api/data-mesh/evaluations')
      .set(asUser)
      .send({});
    expect(run.status).toBe(201);

    const statusOf = async (name: string) => {
      const card = await request(server)
        .get(`/api/data-mesh/scorecards/dataproduct/default/${name}`)
        .set(asUser);
      const byId = new Map<string, [string, string | undefined]>(
        card.body.results.map((r: any) => [r.policyId, [r.status, r.message]]),
      );
      return [
        byId.get('quanta.quality-checks-passing')!,
        byId.get('quanta.data-fresh')!,
      ];
    };
    const orders = await statusOf('orders');
    // A warn passes; the failing check is named.
    expect(orders[0]).toEqual([
      'fail',
      expect.stringContaining('Order ids are unique'),
    ]);
    expect(orders[0][1]).not.toContain('Order ids present');
    // Arrived 8 hours ago; the freshness SLO is PT6H.
    expect(orders[1]).toEqual(['fail', expect.stringContaining('PT6H')]);
    // Checks pass; no freshness SLO is declared.
    expect((await statusOf('finance-orders')).map(r => r[0])).toEqual([
      'pass',
      'not-applicable',
    ]);
    // No results at all.
    expect((await statusOf('customers')).map(r => r[0])).toEqual([
      'not-applicable',
      'not-applicable',
    ]);
  });
  it('dates dbt source freshness by the loads the file reports, not by when it arrived', async () => {
    const server = await start();
    const hourAgo = at(-HOUR);
    const eightHoursAgo = at(-8 * HOUR);
    const source = (
      name: string,
      loadedAt: string,
      loadedHoursAgo: number,
    ) => ({
      unique_id: `source.shop.raw.${name}`,
      max_loaded_at: loadedAt,
      snapshotted_at: at(-60_000),
      max_loaded_at_time_ago_in_s: loadedHoursAgo * 3600,
      // dbt's own rule is looser than the product's freshness SLO (PT6H).
      status: 'pass',
      criteria: { warn_after: { count: 1, period: 'day' }, error_after: null },
      adapter_response: {},
      timing: [],
      thread_id: 'Thread-1',
      execution_time: 0.2,
    });
    await request(server)
      .post(`${RESULTS}?format=dbt&entityRef=dataproduct:default/orders`)
      .set(asPipeline())
      .set('Content-Type', 'application/json')
      .send({
        metadata: {
          dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json',
          dbt_version: '1.8.0',
          generated_at: at(-60_000),
          invocation_id: 'freshness-1',
        },
        results: [
          source('orders', hourAgo, 1),
          source('customers', eightHoursAgo, 8),
        ],
        elapsed_time: 1.5,
      })
      .expect(201);

    const res = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asUser);
    expect(res.status).toBe(200);
    expect(res.body.latestRun).toMatchObject({
      runId: 'freshness-1',
      checks: 2,
      pass: 2,
      // The stalest source's newest load, not the time the file came in.
      lastUpdatedAt: eightHoursAgo,
    });
    expect(res.body.slos).toContainEqual(
      expect.objectContaining({
        slo: 'freshness',
        status: 'breached',
        message:
          'The newest data arrived 8 hours ago; the objective is 6 hours',
      }),
    );
  });
  it('dates a document without a time of its own by runAt, never by its arrival alone', async () => {
    const server = await start();
    // A JUnit suite without a timestamp, as many test runners write it.
    const suite = (id: string) =>
      `<testsuite name="orders checks" tests="1"><properties><property name="run_id" value="${id}"/></properties><testcase name="orders present"/></testsuite>`;
    const post = (id: string, query = '') =>
      request(server)
        .post(
          `${RESULTS}?format=junit&entityRef=dataproduct:default/orders${query}`,
        )
        .set(asPipeline())
        .set('Content-Type', 'application/xml')
        .send(suite(id));
    const slo = async () => {
      const res = await request(server)
        .get('/api/data-mesh/quality/dataproduct/default/orders')
        .set(asUser);
      return res.body.slos.find((s: any) => s.slo === 'freshness');
    };

    const undated = await post('u1');
    expect(undated.status).toBe(201);
    expect(undated.body.note).toMatch(
      /^The document carries no time of its own, so the run is dated when it was received .* Pass runAt=<ISO 8601 date-time> with the post to date it\.$/,
    );
    // Stored and counted, but no evidence of fresh data.
    expect(undated.body.stored).toBe(1);
    expect(await slo()).toMatchObject({
      status: 'breached',
      message:
        'No run delivered data: each had an erroring check, a failing freshness check or no time of its own',
    });

    const runAt = at(-HOUR);
    const dated = await post('u2', `&runAt=${encodeURIComponent(runAt)}`);
    expect(dated.status).toBe(201);
    expect(dated.body.note).toBeUndefined();
    expect(await slo()).toMatchObject({
      status: 'met',
      message: 'The newest data arrived 1 hour ago; the objective is 6 hours',
    });

    const ahead = await post(
      'u3',
      `&runAt=${encodeURIComponent(at(2 * HOUR))}`,
    );
    expect(ahead.status).toBe(400);
    expect(ahead.body.error.message).toMatch(
      /^query\.runAt: .* is after now .*; check the pipeline's clock and time zone$/,
    );
  });
});
