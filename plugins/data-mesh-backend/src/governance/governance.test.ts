import { performance } from 'node:perf_hooks';
import { mockServices } from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  DATA_MESH_PRODUCTS_CHANGED_TOPIC,
  type DataMeshProductsChangedEvent,
  dataMeshPoliciesExtensionPoint,
} from '@quanta/plugin-data-mesh-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import {
  asAnonymous,
  expectBadRequest,
  startDataMeshBackend,
} from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';
import { mutableCatalog } from '../__testUtils__/catalog';
import { fakeDateOnly } from '@quanta/test-utils/clock';

jest.setTimeout(60_000);

/** An ISO date-time `days` from now: waivers last at most a year. */
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString();

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sales-data' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'sales' },
    spec: { owner: 'group:default/sales-data' },
  },
  dataProduct('orders', { slos: { freshness: 'PT1H' } }, { tags: ['sales'] }),
  dataProduct('leads'),
];

const policyConfig = {
  dataMesh: {
    policies: [
      {
        id: 'mesh.slos',
        title: 'SLOs declared',
        attribute: 'trustworthy',
        severity: 'error',
        rationale: 'Consumers rely on promises.',
        howToFix: 'Declare spec.slos.',
        rule: { 'spec.slos': { $exists: true } },
        failMessage: 'No SLOs are declared',
      },
      {
        id: 'sales.tags',
        title: 'Sales products are tagged',
        attribute: 'discoverable',
        severity: 'warning',
        scope: 'domain:default/sales',
        rationale: 'Sales searches by tag.',
        howToFix: 'Add metadata.tags.',
        rule: { 'metadata.tags': { $exists: true } },
      },
    ],
    levels: [
      { name: 'Bronze', policies: ['mesh.slos'] },
      { name: 'Silver', policies: ['sales.tags'] },
    ],
  },
};

/** A catalog whose reads wait until the test opens the gate, to make runs overlap. */
function gatedCatalog() {
  let open: () => void = () => {};
  const gate = new Promise<void>(resolve => {
    open = resolve;
  });
  const catalog = catalogServiceMock({ entities });
  const factory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => ({
      ...catalog,
      queryEntities: async (
        ...args: Parameters<typeof catalog.queryEntities>
      ) => {
        await gate;
        return catalog.queryEntities(...args);
      },
    }),
  });
  return { factory, open };
}

async function start(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    catalog?: ReturnType<typeof gatedCatalog>['factory'];
    modules?: ReturnType<typeof createBackendModule>[];
  } = {},
) {
  // What the plugin publishes on the events service, by topic.
  const published: Array<{ topic: string; eventPayload: unknown }> = [];
  const events = mockServices.events.mock({
    publish: async ({ topic, eventPayload }) => {
      published.push({ topic, eventPayload });
    },
  });
  // Scheduled tasks are run by the test, not by timers.
  const tasks = new Map<string, () => Promise<void>>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.set(task.id, task.fn as () => Promise<void>);
    },
  });
  const auditEvents: Array<{ eventId: string; outcome: string }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId }) => ({
      success: async () => {
        auditEvents.push({ eventId, outcome: 'success' });
      },
      fail: async () => {
        auditEvents.push({ eventId, outcome: 'fail' });
      },
    }),
  });
  const { api } = await startDataMeshBackend({
    entities,
    catalog: options.catalog,
    config: policyConfig,
    permission: options.permission,
    features: [
      ...(options.modules ?? []),
      auditor.factory,
      scheduler.factory,
      events.factory,
    ],
  });
  const runTask = async (id: string) => {
    const fn = tasks.get(id);
    if (!fn) throw new Error(`No task ${id} was scheduled`);
    await fn();
  };
  /** The products-changed events published since the last call. */
  const productsChanged = () =>
    published
      .splice(0)
      .filter(e => e.topic === DATA_MESH_PRODUCTS_CHANGED_TOPIC)
      .map(e => e.eventPayload as DataMeshProductsChangedEvent);
  return { api, auditEvents, runTask, productsChanged };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('data-mesh backend', () => {
  it('evaluates the mesh on request and serves each product scorecard', async () => {
    const { api } = await start();
    const run = await api.post('/evaluations', {});
    expect(run.status).toBe(201);
    expect(run.body.run).toMatchObject({
      status: 'completed',
      trigger: 'api',
      products: 2,
    });

    const orders = await api.get('/scorecards/dataproduct/default/orders');
    expect(orders.status).toBe(200);
    expect(orders.body.level).toBe('Silver');
    const ordersConfigResults = orders.body.results
      .filter((r: any) => r.policy.source === 'config')
      .map((r: any) => [r.policyId, r.status]);
    expect(ordersConfigResults).toEqual([
      ['mesh.slos', 'pass'],
      ['sales.tags', 'pass'],
    ]);

    const leads = await api.get('/scorecards/dataproduct/default/leads');
    expect(leads.body.level).toBeUndefined();
    expect(leads.body.nextLevel).toEqual({
      name: 'Bronze',
      blocking: ['mesh.slos'],
    });
    const slos = leads.body.results.find(
      (r: any) => r.policyId === 'mesh.slos',
    );
    expect(slos).toMatchObject({
      status: 'fail',
      message: 'No SLOs are declared',
      policy: {
        title: 'SLOs declared',
        howToFix: 'Declare spec.slos.',
        severity: 'error',
      },
    });
    expect(leads.body.history).toHaveLength(1);

    // A client holding GET /policies asks for the results alone.
    const lean = await api.get(
      '/scorecards/dataproduct/default/leads?policies=ids',
    );
    expect(lean.status).toBe(200);
    expect(lean.body.results).toEqual(
      leads.body.results.map(({ policy: _policy, ...result }: any) => result),
    );
    expect(lean.body.results.some((r: any) => 'policy' in r)).toBe(false);
    expect({ ...lean.body, results: [] }).toEqual({
      ...leads.body,
      results: [],
    });
    const full = await api.get(
      '/scorecards/dataproduct/default/leads?policies=full',
    );
    expect(full.body).toEqual(leads.body);

    const mesh = await api.get('/rollups/mesh');
    expect(mesh.body.items).toHaveLength(1);
    expect(mesh.body.items[0]).toMatchObject({ key: 'mesh', products: 2 });
  });

  it('starts one run when two evaluations are requested at once', async () => {
    const catalog = gatedCatalog();
    const { api } = await start({ catalog: catalog.factory });
    const first = api.post('/evaluations', {});
    const second = api.post('/evaluations', {});
    const both = Promise.all([first, second]);
    // While the run one request started waits on the catalog, the other is
    // answered: a run is going on.
    const answered = await Promise.race([first, second]);
    expect(answered.status).toBe(409);
    catalog.open();
    const [a, b] = await both;
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.body).toMatchObject({
      started: false,
      run: { status: 'running', trigger: 'api' },
    });
    const runs = await api.get('/runs');
    expect(runs.body.items).toHaveLength(1);
  });

  it('grants a waiver that the next evaluation honours, and audits grant and revocation', async () => {
    const { api, auditEvents } = await start();
    const granted = await api.post('/waivers', {
      entityRef: 'dataproduct:default/leads',
      policyId: 'mesh.slos',
      reason: 'SLOs follow after the pipeline rebuild',
      expiresAt: inDays(30),
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      entityRef: 'dataproduct:default/leads',
      grantedBy: 'user:default/maria.silva',
    });
    await api.post('/evaluations', {});
    const leads = await api.get('/scorecards/dataproduct/default/leads');
    expect(
      leads.body.results.find((r: any) => r.policyId === 'mesh.slos').status,
    ).toBe('waived');
    expect(leads.body.level).toBe('Bronze');
    expect(leads.body.waivers).toHaveLength(1);

    const revoked = await api.delete(`/waivers/${granted.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedBy).toBe('user:default/maria.silva');
    expect(auditEvents).toEqual([
      { eventId: 'waiver-grant', outcome: 'success' },
      { eventId: 'waiver-revoke', outcome: 'success' },
    ]);
  });

  it("lists a team's products with what blocks their next level, and charts adoption", async () => {
    const { api } = await start();
    await api.post('/evaluations', {});

    const team = await api.get('/scorecards?owner=group:default/sales-data');
    expect(team.status).toBe(200);
    expect(team.body.totalItems).toBe(2);
    expect(
      team.body.items.map((i: any) => [i.entityRef, i.level, i.nextLevel]),
    ).toEqual([
      [
        'dataproduct:default/leads',
        undefined,
        { name: 'Bronze', blocking: ['mesh.slos'] },
      ],
      ['dataproduct:default/orders', 'Silver', undefined],
    ]);
    const belowBronze = await api.get('/scorecards?level=none');
    expect(belowBronze.body.items.map((i: any) => i.entityRef)).toEqual([
      'dataproduct:default/leads',
    ]);
    const badLevel = await api.get('/scorecards?level=Platinum');
    expectBadRequest(
      badLevel,
      'query.level: found "Platinum", expected one of Bronze, Silver, none',
    );

    const adoption = await api.get('/adoption?days=30');
    expect(adoption.status).toBe(200);
    expect(adoption.body.days).toEqual([
      expect.objectContaining({
        products: 2,
        fromTemplate: 0,
        levels: { Silver: 1, none: 1 },
      }),
    ]);
    // Most failing first; built-in policies fail for both demo products.
    const failing = adoption.body.topFailing.map((p: any) => p.failing);
    expect(failing[0]).toBe(2);
    expect([...failing].sort((a, b) => b - a)).toEqual(failing);
    expect(adoption.body.topFailing[0].title).toEqual(expect.any(String));
    expect(
      adoption.body.policies.find((p: any) => p.policyId === 'mesh.slos')
        .days[0].passRate,
    ).toBe(50);
    expect(adoption.body.domains.map((d: any) => d.key)).toEqual([
      'domain:default/sales',
    ]);
  });

  it('re-evaluates a product changed in the catalog, and what reads from it, without a full run', async () => {
    const withEtag = (entity: Entity, etag: string): Entity => ({
      ...entity,
      metadata: { ...entity.metadata, etag },
    });
    const consumer = dataProduct(
      'sales-summary',
      {
        type: 'aggregate',
        inputPorts: [
          {
            name: 'leads',
            dataProduct: 'dataproduct:default/leads',
            port: 'table',
          },
        ],
        outputPorts: [
          {
            name: 'table',
            type: 'table',
            format: 'parquet',
            address: 's3://lake/summary/',
          },
        ],
        slos: { freshness: 'P1D' },
      },
      { tags: ['sales'] },
    );
    const [group, domain, orders, leads] = entities;
    const catalog = mutableCatalog([
      group,
      domain,
      withEtag(orders, 'o1'),
      withEtag(leads, 'l1'),
      withEtag(consumer, 'c1'),
    ]);
    const { api, runTask } = await start({ catalog: catalog.factory });

    // Nothing evaluated yet: the whole mesh is new, so a full run.
    await runTask('data-mesh-change-detection');
    let runs = await api.get('/runs');
    expect(runs.body.items[0]).toMatchObject({
      trigger: 'catalog',
      products: 3,
    });

    // Nothing changed: no run.
    await runTask('data-mesh-change-detection');
    runs = await api.get('/runs');
    expect(runs.body.items).toHaveLength(1);

    // leads gains SLOs: leads and its consumer are re-evaluated, orders is not.
    const meshReads = () =>
      catalog.queries.filter(
        q => Array.isArray(q?.filter?.kind) && q.filter.kind.includes('Group'),
      ).length;
    const readsBefore = meshReads();
    catalog.set([
      group,
      domain,
      withEtag(orders, 'o1'),
      withEtag(
        { ...leads, spec: { ...leads.spec, slos: { freshness: 'PT6H' } } },
        'l2',
      ),
      withEtag(consumer, 'c1'),
    ]);
    await runTask('data-mesh-change-detection');
    runs = await api.get('/runs');
    expect(runs.body.items[0]).toMatchObject({
      trigger: 'catalog',
      status: 'completed',
      products: 2,
    });
    // The mesh read to find the consumers is the one evaluated: read once.
    expect(meshReads() - readsBefore).toBe(1);
    const card = await api.get('/scorecards/dataproduct/default/leads');
    expect(card.body.level).toBe('Bronze');

    // orders leaves the catalog: its scorecard goes with it.
    catalog.set([
      group,
      domain,
      withEtag(
        { ...leads, spec: { ...leads.spec, slos: { freshness: 'PT6H' } } },
        'l2',
      ),
      withEtag(consumer, 'c1'),
    ]);
    await runTask('data-mesh-change-detection');
    const gone = await api.get('/scorecards/dataproduct/default/orders');
    expect(gone.status).toBe(404);
  });

  it('announces on the events service the products each evaluation changed', async () => {
    const withEtag = (entity: Entity, etag: string): Entity => ({
      ...entity,
      metadata: { ...entity.metadata, etag },
    });
    const [group, domain, orders, leads] = entities;
    const leadsWithSlos = {
      ...leads,
      spec: { ...leads.spec, slos: { freshness: 'PT6H' } },
    };
    const catalog = mutableCatalog([
      group,
      domain,
      withEtag(orders, 'o1'),
      withEtag(leads, 'l1'),
    ]);
    const { api, runTask, productsChanged } = await start({
      catalog: catalog.factory,
    });
    const products = (event: DataMeshProductsChangedEvent) =>
      [...event.products].sort((a, b) =>
        a.entityRef.localeCompare(b.entityRef),
      );

    // First evaluation: every product is new, in the catalog and in score.
    await runTask('data-mesh-change-detection');
    let [event, ...more] = productsChanged();
    expect(more).toEqual([]);
    const runs = await api.get('/runs');
    expect(event).toEqual({
      trigger: 'catalog',
      runId: runs.body.items[0].id,
      products: expect.any(Array),
    });
    expect(products(event)).toEqual([
      {
        entityRef: 'dataproduct:default/leads',
        catalog: 'updated',
        scorecardChanged: true,
      },
      {
        entityRef: 'dataproduct:default/orders',
        catalog: 'updated',
        scorecardChanged: true,
      },
    ]);

    // Nothing changed: no run by change detection, and a full run says nothing.
    await runTask('data-mesh-change-detection');
    await api.post('/evaluations', {});
    expect(productsChanged()).toEqual([]);

    // Re-read by the catalog (a new etag) with the same outcome: only the
    // catalog entry changed.
    catalog.set([
      group,
      domain,
      withEtag(orders, 'o1'),
      withEtag(
        { ...leads, metadata: { ...leads.metadata, labels: { tier: '2' } } },
        'l2',
      ),
    ]);
    await runTask('data-mesh-change-detection');
    [event, ...more] = productsChanged();
    expect(more).toEqual([]);
    expect(event.products).toEqual([
      {
        entityRef: 'dataproduct:default/leads',
        catalog: 'updated',
        scorecardChanged: false,
      },
    ]);

    // leads gains SLOs and with them a level; orders leaves the catalog.
    catalog.set([group, domain, withEtag(leadsWithSlos, 'l3')]);
    await runTask('data-mesh-change-detection');
    [event, ...more] = productsChanged();
    expect(more).toEqual([]);
    expect(products(event)).toEqual([
      {
        entityRef: 'dataproduct:default/leads',
        catalog: 'updated',
        scorecardChanged: true,
      },
      {
        entityRef: 'dataproduct:default/orders',
        catalog: 'removed',
        scorecardChanged: false,
      },
    ]);
    expect(
      (await api.get('/scorecards/dataproduct/default/leads')).body.level,
    ).toBe('Bronze');

    // A scorecard that changes without the catalog: an evaluation asked
    // through the API honours a waiver.
    const granted = await api.post('/waivers', {
      entityRef: 'dataproduct:default/leads',
      policyId: 'sales.tags',
      reason: 'Tags arrive with the next catalog import',
      expiresAt: inDays(30),
    });
    expect(granted.status).toBe(201);
    await api.post('/evaluations', {});
    expect(productsChanged()).toEqual([
      {
        trigger: 'api',
        runId: expect.any(Number),
        products: [
          {
            entityRef: 'dataproduct:default/leads',
            catalog: 'unchanged',
            scorecardChanged: true,
          },
        ],
      },
    ]);
  });

  it('announces a large change in events of at most 500 products', async () => {
    const many = Array.from({ length: 1001 }, (_, i) =>
      dataProduct(`product-${String(i).padStart(4, '0')}`),
    );
    const { api, productsChanged } = await start({
      catalog: catalogServiceMock.factory({
        entities: [...entities.slice(0, 2), ...many],
      }),
    });
    await api.post('/evaluations', {});
    const events = productsChanged();
    expect(events.map(e => e.products.length)).toEqual([500, 500, 1]);
    expect(new Set(events.map(e => e.runId)).size).toBe(1);
    expect(
      events.flatMap(e => e.products.map(p => p.entityRef)).sort(),
    ).toEqual(many.map(p => `dataproduct:default/${p.metadata.name}`).sort());
  });

  it('audits waivers declared in descriptors and waivers that expire', async () => {
    // Only Date is faked: the test moves the clock past the waiver's end.
    fakeDateOnly(Date.now());
    const declaring: Entity = {
      ...entities[3],
      spec: {
        ...entities[3].spec,
        waivers: [
          {
            policy: 'mesh.slos',
            reason: 'SLOs are agreed with consumers in Q3',
            expires: '2099-09-30',
            approvedBy: 'user:default/maria.silva',
          },
        ],
      },
    };
    const catalog = mutableCatalog([...entities.slice(0, 3), declaring]);
    const { api, auditEvents } = await start({ catalog: catalog.factory });
    const soon = await api.post('/waivers', {
      entityRef: 'dataproduct:default/orders',
      policyId: 'sales.tags',
      reason: 'Tags arrive with the next catalog import',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(soon.status).toBe(201);
    await api.post('/evaluations', {});
    const waivers = await api.get(
      '/waivers?entityRef=dataproduct:default/leads',
    );
    expect(waivers.body.items).toEqual([
      expect.objectContaining({
        source: 'catalog',
        policyId: 'mesh.slos',
        grantedBy: 'user:default/maria.silva',
      }),
    ]);
    // Declared waivers are changed by pull request, not through the API.
    const revoke = await api.delete(`/waivers/${waivers.body.items[0].id}`);
    expectBadRequest(revoke, /remove it from spec.waivers/);

    jest.setSystemTime(Date.now() + 2 * 3_600_000);
    catalog.set(entities);
    await api.post('/evaluations', {});
    expect(auditEvents).toEqual([
      { eventId: 'waiver-grant', outcome: 'success' },
      { eventId: 'waiver-grant', outcome: 'success' },
      { eventId: 'waiver-revoke', outcome: 'fail' },
      { eventId: 'waiver-revoke', outcome: 'success' },
      { eventId: 'waiver-expire', outcome: 'success' },
    ]);
  });

  it('answers bad input with 400 naming the field, and unknown products with 404', async () => {
    const { api } = await start();
    const bad = await api.post('/waivers', {
      entityRef: 'orders',
      policyId: 'mesh.slos',
      reason: 'short',
      expiresAt: 'next week',
    });
    expectBadRequest(
      bad,
      'body.entityRef: expected an entity reference such as dataproduct:default/orders; ' +
        'body.reason: expected why the product is exempt, in at least 10 characters; ' +
        'body.expiresAt: expected an ISO-8601 date-time in the future, such as 2027-03-31T00:00:00Z',
    );
    const unknownPolicy = await api.post('/waivers', {
      entityRef: 'dataproduct:default/leads',
      policyId: 'mesh.nope',
      reason: 'Not a real policy at all',
      expiresAt: inDays(30),
    });
    expectBadRequest(
      unknownPolicy,
      'body.policyId: found "mesh.nope", expected a policy id from GET /policies',
    );
    const tooLong = await api.post('/waivers', {
      entityRef: 'dataproduct:default/leads',
      policyId: 'mesh.slos',
      reason: 'SLOs wait for the new platform',
      expiresAt: inDays(400),
    });
    expectBadRequest(
      tooLong,
      /^body\.expiresAt: found .*, expected no later than .*: a waiver lasts at most 1 year \(dataMesh\.waivers\.maxDuration\); grant a new one when it ends$/,
    );
    const noProduct = await api.post('/waivers', {
      entityRef: 'dataproduct:default/ghost',
      policyId: 'mesh.slos',
      reason: 'A product that does not exist',
      expiresAt: inDays(30),
    });
    expectBadRequest(
      noProduct,
      'body.entityRef: dataproduct:default/ghost is not a data product in the catalog; waive policies for an existing DataProduct',
    );
    const notAProduct = await api.post('/waivers', {
      entityRef: 'group:default/sales-data',
      policyId: 'mesh.slos',
      reason: 'Groups are not data products',
      expiresAt: inDays(30),
    });
    expectBadRequest(
      notAProduct,
      /^body\.entityRef: group:default\/sales-data is not a data product/,
    );
    const days = await api.get('/rollups/mesh?days=0');
    expectBadRequest(
      days,
      'query.days: expected a whole number of days from 1 to 730',
    );
    expectBadRequest(
      await api.get('/scorecards/dataproduct/default/orders?policies=some'),
      'query.policies: expected full (each result with its policy) or ids (policy ids only; the texts are at GET /policies)',
    );
    const missing = await api.get('/scorecards/dataproduct/default/nope');
    expect(missing.status).toBe(404);
  });

  it('requires authentication and the data mesh permissions on every route', async () => {
    const { api } = await start({ permission: AuthorizeResult.DENY });
    for (const [method, path] of [
      ['get', '/policies'],
      ['get', '/scorecards/dataproduct/default/orders'],
      ['get', '/rollups/mesh'],
      ['get', '/scorecards'],
      ['get', '/adoption'],
      ['get', '/runs'],
      ['get', '/waivers'],
      ['post', '/evaluations'],
      ['post', '/waivers'],
      ['delete', '/waivers/1'],
    ] as const) {
      const anonymous = await api.as(asAnonymous)[method](path);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      const denied = await api[method](path);
      expect({ path, status: denied.status }).toEqual({ path, status: 403 });
    }
  });

  it('lists the policy catalog with sources and levels', async () => {
    const { api } = await start();
    const res = await api.get('/policies');
    expect(res.status).toBe(200);
    const sources = new Set(res.body.policies.map((p: any) => p.source));
    expect(sources).toEqual(new Set(['built-in', 'config']));
    expect(
      res.body.policies.filter((p: any) => p.source === 'built-in').length,
    ).toBeGreaterThanOrEqual(25);
    expect(res.body.levels.map((l: any) => l.name)).toEqual([
      'Bronze',
      'Silver',
    ]);
  });

  it('answers other requests while it evaluates a large mesh', async () => {
    // A policy that costs 2 ms per product: 200 products hold the backend
    // for 400 ms if evaluated in one go. A request sent when the first
    // product is evaluated must be answered before the last one is.
    const many = Array.from({ length: 200 }, (_, i) =>
      dataProduct(`product-${String(i).padStart(3, '0')}`),
    );
    let evaluated = 0;
    let answered: Promise<number> | undefined;
    let sendRequest: () => Promise<number> = async () => -1;
    const module = createBackendModule({
      pluginId: 'data-mesh',
      moduleId: 'slow-policies',
      register(env) {
        env.registerInit({
          deps: { policies: dataMeshPoliciesExtensionPoint },
          async init({ policies }) {
            policies.addPolicies({
              id: 'acme.slow',
              title: 'A policy that takes its time',
              attribute: 'ownership',
              severity: 'warning',
              rationale: 'Stands for an expensive check.',
              howToFix: 'Nothing.',
              check: () => {
                answered ??= sendRequest();
                const until = performance.now() + 2;
                while (performance.now() < until) {
                  // busy, as an expensive check is
                }
                evaluated++;
                return { status: 'pass' };
              },
            });
          },
        });
      },
    });
    const { api } = await start({
      modules: [module],
      catalog: catalogServiceMock.factory({
        entities: [...entities.slice(0, 2), ...many],
      }),
    });
    sendRequest = async () => {
      const policies = await api.get('/policies');
      expect(policies.status).toBe(200);
      return evaluated;
    };
    const run = await api.post('/evaluations', {});
    expect(run.status).toBeLessThan(300);
    expect(evaluated).toBe(many.length);
    expect(answered).toBeDefined();
    // Products evaluated when the answer came: some, not all.
    expect(await answered).toBeLessThan(many.length);
  });

  it('evaluates policies that a backend module adds through the extension point', async () => {
    const module = createBackendModule({
      pluginId: 'data-mesh',
      moduleId: 'acme-policies',
      register(env) {
        env.registerInit({
          deps: { policies: dataMeshPoliciesExtensionPoint },
          async init({ policies }) {
            policies.addPolicies({
              id: 'acme.cost-center',
              title: 'Products name their cost center',
              attribute: 'ownership',
              severity: 'warning',
              rationale: 'Finance charges storage to a cost center.',
              howToFix: 'Add the acme.com/cost-center annotation.',
              check: product =>
                product.metadata.annotations?.['acme.com/cost-center']
                  ? { status: 'pass' }
                  : {
                      status: 'fail',
                      message: `${product.metadata.name} has no cost center`,
                    },
            });
          },
        });
      },
    });
    const { api } = await start({ modules: [module] });
    const policies = await api.get('/policies');
    expect(
      policies.body.policies.find((p: any) => p.id === 'acme.cost-center'),
    ).toMatchObject({
      source: 'module',
      scope: 'global',
    });
    await api.post('/evaluations', {});
    const orders = await api.get('/scorecards/dataproduct/default/orders');
    expect(
      orders.body.results.find((r: any) => r.policyId === 'acme.cost-center'),
    ).toMatchObject({
      status: 'fail',
      message: 'orders has no cost center',
    });
  });
});
