import {
  type BackstageCredentials,
  type SchedulerServiceTaskScheduleDefinition,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type AccessProvisioner,
  dataMeshAccessExtensionPoint,
} from '@quanta/plugin-data-mesh-node';
import type { JsonObject } from '@backstage/types';
import {
  asAnonymous,
  asPipeline,
  dataMeshApi,
  expectBadRequest,
  startDataMeshBackend,
} from '../__testUtils__/backend';
import {
  AHMED,
  CHURN_MODEL,
  CUSTOMER_360,
  HOLIDAYS,
  INES,
  MARIA,
  OMAR,
  ORDERS,
  accessMesh,
  accessRequestBody,
  capturedAuditor,
  capturedNotifications,
  flakyProvisioner,
  ownersDecidePermissions,
  teamUserInfo,
} from './__testUtils__/mesh';
import { fakeDateOnly } from '@quanta/test-utils/clock';

jest.setTimeout(60_000);

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

afterEach(() => {
  jest.useRealTimers();
});

/**
 * A catalog that hides some products from some users, as catalog permissions
 * would; `*` hides a product from everyone, the plugin itself included, as
 * if it had been removed from the catalog.
 */
function catalogHiding(hidden: Record<string, string[]>) {
  const userOf = (credentials: BackstageCredentials) =>
    (credentials.principal as { userEntityRef?: string }).userEntityRef;
  const sees = (ref: string, credentials: BackstageCredentials) => {
    const from = hidden[ref.toLowerCase()] ?? [];
    return !from.includes('*') && !from.includes(userOf(credentials) ?? '');
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => {
      const inner = catalogServiceMock({ entities: accessMesh() });
      const overrides: Record<string, unknown> = {
        getEntityByRef: async (ref: string, options: any) =>
          sees(ref, options.credentials)
            ? inner.getEntityByRef(ref, options)
            : undefined,
        getEntitiesByRefs: async (request: any, options: any) => {
          const { items } = await inner.getEntitiesByRefs(request, options);
          return {
            items: items.map((entity, i) =>
              entity && sees(request.entityRefs[i], options.credentials)
                ? entity
                : undefined,
            ),
          };
        },
      };
      return new Proxy(inner, {
        get: (target, prop) =>
          overrides[prop as string] ??
          (target as any)[prop]?.bind?.(target) ??
          (target as any)[prop],
      });
    },
  });
}

async function start(
  options: {
    config?: JsonObject;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    /** A portal policy under which only product owners decide. */
    ownersDecide?: boolean;
    /** Under that policy, users who decide on every product. */
    admins?: string[];
    provisioner?: AccessProvisioner;
    hidden?: Record<string, string[]>;
  } = {},
) {
  const tasks = new Map<string, SchedulerServiceTaskScheduleDefinition>();
  const runners = new Map<string, () => Promise<void>>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.set(task.id, task);
      runners.set(task.id, task.fn as () => Promise<void>);
    },
  });
  const notifications = capturedNotifications();
  const { auditor, events } = capturedAuditor();
  const features = [
    scheduler.factory,
    createServiceFactory({
      service: coreServices.auditor,
      deps: {},
      factory: () => auditor,
    }),
    createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => notifications.service,
    }),
    createServiceFactory({
      service: coreServices.userInfo,
      deps: {},
      factory: () => teamUserInfo,
    }),
    ...(options.ownersDecide
      ? [
          createServiceFactory({
            service: coreServices.permissions,
            deps: {},
            factory: () =>
              ownersDecidePermissions(teamUserInfo, options.admins),
          }),
        ]
      : []),
    ...(options.provisioner
      ? [
          createBackendModule({
            pluginId: 'data-mesh',
            moduleId: 'test-access-provisioner',
            register(env) {
              env.registerInit({
                deps: { access: dataMeshAccessExtensionPoint },
                async init({ access }) {
                  access.setProvisioner(options.provisioner!);
                },
              });
            },
          }),
        ]
      : []),
  ];
  const { server } = await startDataMeshBackend({
    entities: accessMesh(),
    catalog: options.hidden ? catalogHiding(options.hidden) : undefined,
    config: options.config,
    permission: options.permission,
    features,
  });
  const run = async (id: string) => {
    const fn = runners.get(id);
    if (!fn) throw new Error(`No task ${id} was scheduled`);
    await fn();
  };
  return {
    server,
    api: (user: string) => dataMeshApi(server, as(user)),
    anonymous: dataMeshApi(server, asAnonymous),
    service: dataMeshApi(server, asPipeline()),
    tasks,
    run,
    sent: notifications.sent,
    audit: events,
  };
}

const request = (extra: object = {}) =>
  accessRequestBody({ endDate: '2026-12-31', ...extra });

const ANY_ID = '0b7a3c5e-0000-4000-8000-000000000001';

const ROUTES: Array<[string, 'get' | 'post', string, object?]> = [
  ['ports', 'get', '/access/ports/default/orders'],
  ['create', 'post', '/access/requests', request()],
  ['list', 'get', '/access/requests'],
  ['get', 'get', `/access/requests/${ANY_ID}`],
  ['inbox', 'get', '/access/inbox'],
  ['grants', 'get', `/access/grants?entityRef=${ORDERS}`],
  ['adoption', 'get', '/access/adoption'],
  ['approve', 'post', `/access/requests/${ANY_ID}/approve`, {}],
  ['deny', 'post', `/access/requests/${ANY_ID}/deny`, { reason: 'no' }],
  ['revoke', 'post', `/access/requests/${ANY_ID}/revoke`, { reason: 'no' }],
];

describe('access API', () => {
  beforeEach(() => {
    // A fixed clock: end dates and expiry depend on the day.
    fakeDateOnly(new Date('2026-12-01T10:00:00.000Z'));
  });

  it.each(
    ROUTES.map(([name, method, path, body]) => ({ name, method, path, body })),
  )(
    '$name answers 401 without credentials and 403 when the policy denies',
    async ({ method, path, body }) => {
      const call = (api: ReturnType<typeof dataMeshApi>) =>
        method === 'get' ? api.get(path) : api.post(path, body);
      const open = await start();
      expect((await call(open.anonymous)).status).toBe(401);

      const denied = await start({ permission: AuthorizeResult.DENY });
      const res = await call(denied.api(MARIA));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /^Not allowed: data-mesh\.access\./,
      );
    },
  );

  it('lets only users ask for access and decide on it, not services', async () => {
    const t = await start();
    const created = await t.api(MARIA).post('/access/requests', request());
    expect(created.status).toBe(201);
    expect((await t.service.post('/access/requests', request())).status).toBe(
      403,
    );
    expect(
      (await t.service.post(`/access/requests/${created.body.id}/approve`, {}))
        .status,
    ).toBe(403);
    // Services read.
    expect(
      (await t.service.get(`/access/requests/${created.body.id}`)).status,
    ).toBe(200);
  });

  it('lists the ports of a product with their sensitivity', async () => {
    const t = await start({
      config: { dataMesh: { access: { autoApprovePublic: true } } },
    });
    const res = await t.api(MARIA).get('/access/ports/default/holidays');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: HOLIDAYS,
      ports: [
        {
          port: 'calendar',
          address: 's3://lake/holidays/',
          classification: 'public',
          containsPii: false,
          autoApproved: true,
        },
        {
          port: 'calendar-notes',
          address: 's3://lake/holidays-notes/',
          classification: 'confidential',
          containsPii: false,
          autoApproved: false,
        },
      ],
    });
    expect((await t.api(MARIA).get('/access/ports/default/ghost')).status).toBe(
      404,
    );
  });

  it('takes a request, asks the owners, and shows it with its history', async () => {
    const t = await start({ ownersDecide: true });
    const created = await t.api(MARIA).post('/access/requests', request());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      entityRef: ORDERS,
      port: 'orders-table',
      address: 's3://lake/orders/',
      requester: MARIA,
      consumer: CUSTOMER_360,
      status: 'pending',
      endDate: '2026-12-31',
      createdAt: '2026-12-01T10:00:00.000Z',
      sensitivity: {
        classification: 'restricted',
        containsPii: true,
        autoApproved: false,
      },
      provisioning: { status: 'none', attempts: 0 },
    });
    const { id } = created.body;
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/sales-data', INES],
      excludeEntityRef: MARIA,
    });
    expect(t.sent[0].payload.link).toBe('/data-mesh/access');
    expect(t.audit).toEqual([
      {
        eventId: 'access-request',
        outcome: 'success',
        meta: {
          id,
          product: ORDERS,
          port: 'orders-table',
          consumer: CUSTOMER_360,
          to: 'pending',
        },
      },
    ]);

    const got = await t.api(OMAR).get(`/access/requests/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.history).toEqual([
      { to: 'pending', at: '2026-12-01T10:00:00.000Z', actor: MARIA },
    ]);
    const mine = await t.api(MARIA).get('/access/requests?requester=me');
    expect(mine.body).toMatchObject({ totalItems: 1, items: [{ id }] });
    expect(
      (await t.api(OMAR).get('/access/requests?requester=me')).body.totalItems,
    ).toBe(0);
    expect(
      (
        await t
          .api(OMAR)
          .get(`/access/requests?entityRef=${ORDERS}&status=pending,approved`)
      ).body.totalItems,
    ).toBe(1);
    expect(
      (await t.api(OMAR).get(`/access/requests?consumer=${CHURN_MODEL}`)).body
        .totalItems,
    ).toBe(0);
    expect((await t.api(OMAR).get('/access/inbox')).body).toMatchObject({
      totalItems: 1,
      items: [{ id }],
    });
    expect((await t.api(MARIA).get('/access/inbox')).body).toEqual({
      items: [],
      totalItems: 0,
    });
  });

  it('answers bad requests with 400 naming the field and the fix', async () => {
    const t = await start();
    const post = (body: object) => t.api(MARIA).post('/access/requests', body);
    expectBadRequest(
      await post(request({ purpose: 'data' })),
      'body.purpose: expected why the data is needed, in at least 10 characters, such as "churn model features for the retention team"',
    );
    expectBadRequest(
      await post(request({ endDate: '31/12/2026' })),
      'body.endDate: expected the last day of access as YYYY-MM-DD, such as 2027-03-31',
    );
    expectBadRequest(
      await post(request({ endDate: '2026-12-01' })),
      'body.endDate: found 2026-12-01, expected a day after today (2026-12-01, UTC)',
    );
    expectBadRequest(
      await post(request({ endDate: '2027-12-02' })),
      'body.endDate: found 2027-12-02, expected 2027-12-01 or earlier: access lasts at most 365 days (dataMesh.access.maxDuration); ask again when it ends',
    );
    expectBadRequest(
      await post(request({ consumer: CHURN_MODEL })),
      /^body\.consumer: component:default\/churn-model is owned by group:default\/ml-team, .*request for a product or component one of your teams owns$/,
    );
    expectBadRequest(
      await post(request({ consumer: 'churn-model' })),
      'body.consumer: expected an entity reference such as dataproduct:default/orders',
    );
    expectBadRequest(
      await post(request({ port: 'orders-csv' })),
      'body.port: found "orders-csv", expected one of the output ports of dataproduct:default/orders: orders-table, orders-daily',
    );
    expectBadRequest(
      await post({ ...request(), urgent: true }),
      /^body: Unrecognized key: "urgent"/,
    );
    expect(
      (await post(request({ entityRef: 'dataproduct:default/ghost' }))).status,
    ).toBe(404);
    expectBadRequest(
      await t.api(MARIA).get('/access/requests/42'),
      'path.id: expected an access request id, a UUID',
    );
    expectBadRequest(
      await t.api(MARIA).get('/access/requests?status=open'),
      'query.status: found open, expected one or more of pending, approved, denied, revoked, expired, separated by commas',
    );
    expectBadRequest(
      await t.api(MARIA).get('/access/grants'),
      'query.entityRef: expected the product whose grants to list, such as dataproduct:default/orders',
    );
    expectBadRequest(
      await t.service.get('/access/requests?requester=me'),
      /^query\.requester: me names the signed-in user/,
    );
    expect((await t.api(MARIA).get(`/access/requests/${ANY_ID}`)).status).toBe(
      404,
    );

    const created = await post(request());
    const again = await post(request({ purpose: 'the same data once more' }));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(
      `is already pending: ${created.body.id}`,
    );
    expectBadRequest(
      await t.api(OMAR).post(`/access/requests/${created.body.id}/deny`, {}),
      /^body\.reason: expected why the request is denied/,
    );
  });

  it('lets a product owner approve under a conditional policy, and refuses everyone else with 403', async () => {
    const t = await start({ ownersDecide: true });
    const { id } = (await t.api(MARIA).post('/access/requests', request()))
      .body;
    const refused = await t.api(AHMED).post(`/access/requests/${id}/approve`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'Not allowed: data-mesh.access.approve on dataproduct:default/orders; its owners decide on access to it (group:default/sales-data, user:default/ines.costa)',
    );
    const approved = await t
      .api(INES)
      .post(`/access/requests/${id}/approve`, { reason: 'ok for CLV' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: INES,
      reason: 'ok for CLV',
      provisioning: {
        status: 'granted',
        provisioner: 'record-only',
        action: 'grant',
        attempts: 1,
      },
    });
    expect(t.sent.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: MARIA },
      payload: {
        title: `Access approved: ${ORDERS} port orders-table for ${CUSTOMER_360}`,
        link: '/catalog/default/dataproduct/orders/access',
      },
    });

    const grants = await t.api(AHMED).get(`/access/grants?entityRef=${ORDERS}`);
    expect(grants.body).toMatchObject({
      totalItems: 1,
      items: [
        {
          id,
          consumer: CUSTOMER_360,
          purpose: 'customer lifetime value features',
          endDate: '2026-12-31',
        },
      ],
    });

    expect(
      (
        await t
          .api(MARIA)
          .post(`/access/requests/${id}/revoke`, { reason: 'done' })
      ).status,
    ).toBe(403);
    const revoked = await t
      .api(OMAR)
      .post(`/access/requests/${id}/revoke`, { reason: 'project stopped' });
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      decidedBy: OMAR,
      provisioning: { status: 'revoked', action: 'revoke' },
    });
    expect(
      (await t.api(AHMED).get(`/access/grants?entityRef=${ORDERS}`)).body
        .totalItems,
    ).toBe(0);
    expect(
      t.audit
        .filter(e => e.eventId === 'access-decision')
        .map(e => [e.outcome, e.meta?.from ?? null, e.meta?.to ?? null]),
    ).toEqual([
      ['fail', null, null],
      ['success', 'pending', 'approved'],
      ['fail', null, null],
      ['success', 'approved', 'revoked'],
    ]);
  });

  it('lets one of two simultaneous approvals win and answers the other with 409', async () => {
    const t = await start();
    const { id } = (await t.api(MARIA).post('/access/requests', request()))
      .body;
    const results = await Promise.all([
      t.api(INES).post(`/access/requests/${id}/approve`),
      t.api(OMAR).post(`/access/requests/${id}/deny`, { reason: 'no' }),
    ]);
    expect(results.map(r => r.status).sort()).toEqual([200, 409]);
    const winner = results.find(r => r.status === 200)!;
    const loser = results.find(r => r.status === 409)!;
    expect(loser.body.error.message).toMatch(
      new RegExp(
        `^Access request ${id} is ${winner.body.status}: it cannot be`,
      ),
    );

    const second = (
      await t
        .api(MARIA)
        .post('/access/requests', request({ port: 'orders-daily' }))
    ).body;
    const approvals = await Promise.all([
      t.api(INES).post(`/access/requests/${second.id}/approve`),
      t.api(OMAR).post(`/access/requests/${second.id}/approve`),
    ]);
    expect(approvals.map(r => r.status).sort()).toEqual([200, 409]);
    expect(approvals.find(r => r.status === 409)!.body.error.message).toBe(
      `Access request ${second.id} is approved: it cannot be approved (an approved request can only become revoked or expired)`,
    );
    const history = (await t.api(MARIA).get(`/access/requests/${second.id}`))
      .body.history;
    expect(history.map((e: any) => e.to)).toEqual(['pending', 'approved']);
  });

  it('lets another approver approve a request, not the one who asked for it, unless configured', async () => {
    // Omar's team owns Orders and Holidays: he asks for Orders data for
    // Holidays, and is one of Orders' approvers.
    const own = request({ consumer: HOLIDAYS });
    const t = await start({ ownersDecide: true });
    const { id } = (await t.api(OMAR).post('/access/requests', own)).body;
    const refused = await t.api(OMAR).post(`/access/requests/${id}/approve`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `Not allowed: you asked for access request ${id} yourself, so another approver of ${ORDERS} decides on it (dataMesh.access.allowSelfApproval is off)`,
    );
    expect((await t.api(OMAR).get(`/access/requests/${id}`)).body.status).toBe(
      'pending',
    );
    // Withdrawing one's own request is no risk.
    const other = (
      await t
        .api(OMAR)
        .post('/access/requests', { ...own, port: 'orders-daily' })
    ).body;
    expect(
      (
        await t
          .api(OMAR)
          .post(`/access/requests/${other.id}/deny`, { reason: 'not needed' })
      ).body.status,
    ).toBe('denied');
    const approved = await t.api(INES).post(`/access/requests/${id}/approve`);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: INES,
    });

    const allowed = await start({
      ownersDecide: true,
      config: { dataMesh: { access: { allowSelfApproval: true } } },
    });
    const mine = (await allowed.api(OMAR).post('/access/requests', own)).body;
    expect(
      (await allowed.api(OMAR).post(`/access/requests/${mine.id}/approve`))
        .body,
    ).toMatchObject({ status: 'approved', decidedBy: OMAR });
  });

  it('lets an approver of every product revoke a grant whose product left the catalog', async () => {
    const hidden: Record<string, string[]> = {};
    const t = await start({ ownersDecide: true, admins: [AHMED], hidden });
    const { id } = (await t.api(MARIA).post('/access/requests', request()))
      .body;
    await t.api(INES).post(`/access/requests/${id}/approve`);
    const pending = (
      await t
        .api(MARIA)
        .post('/access/requests', request({ port: 'orders-daily' }))
    ).body;
    hidden[ORDERS] = ['*'];

    // The owners can no longer be read from the product.
    const owner = await t
      .api(INES)
      .post(`/access/requests/${id}/revoke`, { reason: 'product retired' });
    expect(owner.status).toBe(403);
    expect(owner.body.error.message).toBe(
      `Not allowed: ${ORDERS} is no longer in the catalog, so its owners cannot be known from it; an approver of every product (data-mesh.access.approve allowed without conditions) may deny or revoke access request ${id}, or it ends on its end date 2026-12-31`,
    );
    const approve = await t
      .api(AHMED)
      .post(`/access/requests/${pending.id}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toBe(
      `Access request ${pending.id} cannot be approved: ${ORDERS} is no longer in the catalog`,
    );
    const revoked = await t
      .api(AHMED)
      .post(`/access/requests/${id}/revoke`, { reason: 'product retired' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      decidedBy: AHMED,
      provisioning: { status: 'revoked', action: 'revoke' },
    });
    expect(
      (
        await t
          .api(AHMED)
          .post(`/access/requests/${pending.id}/deny`, { reason: 'retired' })
      ).body.status,
    ).toBe('denied');

    // A product hidden from the caller, not gone, stays a 404.
    hidden[ORDERS] = [MARIA];
    expect(
      (
        await t
          .api(MARIA)
          .post(`/access/requests/${id}/revoke`, { reason: 'x' })
      ).status,
    ).toBe(404);
  });

  it('lists only requests of products the caller sees in the catalog', async () => {
    const t = await start({ hidden: { [HOLIDAYS]: [MARIA] } });
    const orders = (await t.api(MARIA).post('/access/requests', request()))
      .body;
    const holidays = (
      await t.api(AHMED).post(
        '/access/requests',
        request({
          entityRef: HOLIDAYS,
          port: 'calendar',
          consumer: CHURN_MODEL,
        }),
      )
    ).body;
    expect(
      (await t.api(MARIA).get('/access/requests')).body.items.map(
        (r: any) => r.id,
      ),
    ).toEqual([orders.id]);
    expect((await t.api(AHMED).get('/access/requests')).body.totalItems).toBe(
      2,
    );
    expect(
      (await t.api(MARIA).get(`/access/requests/${holidays.id}`)).status,
    ).toBe(404);
    expect(
      (await t.api(MARIA).get(`/access/grants?entityRef=${HOLIDAYS}`)).status,
    ).toBe(404);
    expect(
      (await t.api(MARIA).get('/access/inbox')).body.items.map(
        (r: any) => r.id,
      ),
    ).toEqual([orders.id]);
  });

  it('approves public ports without personal data at once when configured, and not otherwise', async () => {
    const on = await start({
      config: { dataMesh: { access: { autoApprovePublic: true } } },
    });
    const body = request({ entityRef: HOLIDAYS, port: 'calendar' });
    const auto = await on.api(MARIA).post('/access/requests', body);
    expect(auto.status).toBe(201);
    expect(auto.body).toMatchObject({
      status: 'approved',
      decidedBy: 'system',
      provisioning: { status: 'granted' },
    });
    expect(
      (await on.api(MARIA).post('/access/requests', request())).body.status,
    ).toBe('pending');

    const off = await start();
    expect(
      (await off.api(MARIA).post('/access/requests', body)).body.status,
    ).toBe('pending');
  });

  it('counts grants and consumers per product and domain, pending requests and the time to approve', async () => {
    const t = await start({
      config: { dataMesh: { access: { autoApprovePublic: true } } },
    });
    const empty = await t.api(MARIA).get('/access/adoption');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      days: 90,
      grants: 0,
      consumers: 0,
      pending: 0,
      products: [],
      domains: [],
      timeToApprove: { approved: 0, autoApproved: 0 },
    });

    // Approved by a person after 3 hours, and after 9 hours.
    const first = (await t.api(MARIA).post('/access/requests', request())).body;
    const second = (
      await t.api(AHMED).post(
        '/access/requests',
        request({
          consumer: CHURN_MODEL,
          purpose: 'churn model training data',
        }),
      )
    ).body;
    jest.setSystemTime(new Date('2026-12-01T13:00:00.000Z'));
    await t.api(INES).post(`/access/requests/${first.id}/approve`);
    jest.setSystemTime(new Date('2026-12-01T19:00:00.000Z'));
    await t.api(INES).post(`/access/requests/${second.id}/approve`);
    // Approved at once by configuration, and one still waiting.
    await t
      .api(MARIA)
      .post(
        '/access/requests',
        request({ entityRef: HOLIDAYS, port: 'calendar' }),
      );
    await t
      .api(MARIA)
      .post(
        '/access/requests',
        request({ entityRef: HOLIDAYS, port: 'calendar-notes' }),
      );

    const res = await t.api(MARIA).get('/access/adoption?days=30');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      days: 30,
      grants: 3,
      consumers: 2,
      pending: 1,
      products: [
        {
          entityRef: ORDERS,
          domain: 'domain:default/sales',
          grants: 2,
          consumers: 2,
        },
        {
          entityRef: HOLIDAYS,
          domain: 'domain:default/sales',
          grants: 1,
          consumers: 1,
        },
      ],
      domains: [
        {
          domain: 'domain:default/sales',
          products: 2,
          grants: 3,
          consumers: 2,
        },
      ],
      timeToApprove: {
        approved: 2,
        autoApproved: 1,
        medianHours: 6,
        p90Hours: 8.4,
      },
    });
    expectBadRequest(
      await t.api(MARIA).get('/access/adoption?days=0'),
      'query.days: expected at least 1 day',
    );
  });

  it('retries a grant the provisioner of a module failed, on the provisioning schedule, until it holds', async () => {
    const flaky = flakyProvisioner(1);
    const t = await start({ provisioner: flaky.provisioner });
    expect(t.tasks.get('data-mesh-access-provisioning')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 1 },
    });
    const { id } = (await t.api(MARIA).post('/access/requests', request()))
      .body;
    const approved = await t.api(INES).post(`/access/requests/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      provisioning: {
        status: 'failed',
        provisioner: 'warehouse-roles',
        attempts: 1,
        lastError: 'warehouse unreachable: connection refused',
        nextAttemptAt: '2026-12-01T10:01:00.000Z',
      },
    });

    await t.run('data-mesh-access-provisioning');
    expect(flaky.calls).toHaveLength(1);
    jest.setSystemTime(new Date('2026-12-01T10:01:00.000Z'));
    await t.run('data-mesh-access-provisioning');
    const after = (await t.api(MARIA).get(`/access/requests/${id}`)).body;
    expect(after).toMatchObject({
      status: 'approved',
      provisioning: {
        status: 'granted',
        attempts: 2,
        doneAt: '2026-12-01T10:01:00.000Z',
      },
    });
    expect(after.provisioning.lastError).toBeUndefined();
    expect(flaky.calls.map(c => [c.action, c.grant.requestId])).toEqual([
      ['grant', id],
      ['grant', id],
    ]);
    expect(
      t.audit
        .filter(e => e.eventId === 'access-provisioning')
        .map(e => e.outcome),
    ).toEqual(['fail', 'success']);
  });

  it('expires grants past their end date on the expiry schedule, revoking them and telling the requester', async () => {
    const flaky = flakyProvisioner();
    const t = await start({
      provisioner: flaky.provisioner,
      config: { dataMesh: { access: { expiryInterval: '5m' } } },
    });
    expect(t.tasks.get('data-mesh-access-expiry')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 5 },
    });
    const { id } = (
      await t
        .api(MARIA)
        .post('/access/requests', request({ endDate: '2026-12-02' }))
    ).body;
    await t.api(INES).post(`/access/requests/${id}/approve`);

    jest.setSystemTime(new Date('2026-12-02T23:59:00.000Z'));
    await t.run('data-mesh-access-expiry');
    expect((await t.api(MARIA).get(`/access/requests/${id}`)).body.status).toBe(
      'approved',
    );

    jest.setSystemTime(new Date('2026-12-03T00:00:00.000Z'));
    await t.run('data-mesh-access-expiry');
    const expired = (await t.api(MARIA).get(`/access/requests/${id}`)).body;
    expect(expired).toMatchObject({
      status: 'expired',
      provisioning: { status: 'revoked', action: 'revoke' },
    });
    expect(expired.history.at(-1)).toMatchObject({
      from: 'approved',
      to: 'expired',
      actor: 'system',
    });
    expect(flaky.calls.map(c => c.action)).toEqual(['grant', 'revoke']);
    expect(t.sent.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: MARIA },
      payload: {
        title: `Access expired: ${ORDERS} port orders-table for ${CUSTOMER_360}`,
        link: '/catalog/default/dataproduct/orders/access',
      },
    });
    expect(t.audit.filter(e => e.eventId === 'access-expiry')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        meta: expect.objectContaining({ id, from: 'approved', to: 'expired' }),
      }),
    ]);
  });

  it('refuses a second access provisioner', async () => {
    const module = (name: string) =>
      createBackendModule({
        pluginId: 'data-mesh',
        moduleId: `provisioner-${name}`,
        register(env) {
          env.registerInit({
            deps: { access: dataMeshAccessExtensionPoint },
            async init({ access }) {
              access.setProvisioner({
                ...flakyProvisioner().provisioner,
                name,
              });
            },
          });
        },
      });
    await expect(
      startDataMeshBackend({
        entities: accessMesh(),
        features: [module('one'), module('two')],
      }),
    ).rejects.toThrow(
      /An access provisioner is set already \((one|two)\); a portal has one, so (one|two) cannot be set too/,
    );
  });
});
