import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ACCESS_REQUEST_TRANSITIONS,
  type AccessRequest,
  type AccessRequestStatus,
} from '@quanta/plugin-data-mesh-common';
import {
  type AccessProvisioner,
  dataMeshProductPermissionRules,
} from '@quanta/plugin-data-mesh-node';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
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
import {
  type AccessDecision,
  type AccessRequestBody,
  AccessService,
} from './AccessService';
import { AccessStore } from './AccessStore';
import { ProductApprovers } from './approvers';
import { AccessNotifier } from './notifications';
import { GrantProvisioning, retryDelayMs } from './provisioning';

const { databases, createStore } = storeTestDatabases(
  async ({ database }) => new AccessStore(await openDatabase({ database })),
);

const START = new Date('2026-12-01T10:00:00.000Z');

const as = (user: string) => ({ credentials: mockCredentials.user(user) });

const ruleset = {
  getRuleByName(name: string) {
    const rule = Object.values(dataMeshProductPermissionRules).find(
      r => r.name === name,
    );
    if (!rule) throw new Error(`No rule ${name}`);
    return rule;
  },
};

async function setup(
  databaseId: TestDatabaseId,
  options: {
    autoApprovePublic?: boolean;
    provisioner?: AccessProvisioner;
    permissions?: PermissionsService;
    provisioningWaitMs?: number;
  } = {},
) {
  const { store } = await createStore(databaseId);
  const clock = { now: START };
  const now = () => clock.now;
  const logger = mockServices.logger.mock();
  const notifications = capturedNotifications();
  const { auditor, events } = capturedAuditor();
  const flaky = flakyProvisioner();
  const provisioning = new GrantProvisioning({
    store,
    provisioner: options.provisioner ?? flaky.provisioner,
    auditor,
    logger,
    now,
  });
  const service = new AccessService({
    store,
    catalog: catalogServiceMock({ entities: accessMesh() }),
    auth: mockServices.auth(),
    userInfo: teamUserInfo,
    approvers: new ProductApprovers({
      permissions: options.permissions ?? ownersDecidePermissions(),
      ruleset,
      logger,
    }),
    notifier: new AccessNotifier({
      notifications: notifications.service,
      logger,
    }),
    provisioning,
    auditor,
    logger,
    settings: {
      autoApprovePublic: options.autoApprovePublic ?? false,
      maxDuration: { days: 365 },
    },
    now,
    provisioningWaitMs: options.provisioningWaitMs,
  });
  const body = accessRequestBody;
  return {
    store,
    service,
    provisioning,
    clock,
    logger,
    notifications,
    audit: events,
    calls: flaky.calls,
    flaky,
    body,
  };
}

const TARGET: Record<AccessDecision, AccessRequestStatus> = {
  approve: 'approved',
  deny: 'denied',
  revoke: 'revoked',
};

describe('retryDelayMs', () => {
  it('waits a minute after the first failure, doubling up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelayMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000,
      3_600_000, 3_600_000,
    ]);
  });
});

describe.each(databases.eachSupportedId())(
  'AccessService on %s',
  databaseId => {
    describe('state machine', () => {
      // Three requests that may be open at once: another port, another consumer.
      const requests: Array<[string, Partial<AccessRequestBody>]> = [
        [MARIA, {}],
        [MARIA, { port: 'orders-daily' }],
        [AHMED, { consumer: CHURN_MODEL }],
      ];

      it.each<AccessRequestStatus>([
        'pending',
        'approved',
        'denied',
        'revoked',
        'expired',
      ])(
        'from %s, allows exactly the decisions ACCESS_REQUEST_TRANSITIONS lists and refuses the others with 409',
        async status => {
          const t = await setup(databaseId);
          const ids: string[] = [];
          for (const [user, extra] of requests) {
            const created = await t.service.create(
              t.body({ endDate: '2026-12-05', ...extra }),
              as(user),
            );
            ids.push(created.id);
            if (status === 'approved' || status === 'revoked') {
              await t.service.decide(created.id, 'approve', {}, as(INES));
            }
            if (status === 'revoked') {
              await t.service.decide(
                created.id,
                'revoke',
                { reason: 'project stopped' },
                as(INES),
              );
            }
            if (status === 'denied') {
              await t.service.decide(
                created.id,
                'deny',
                { reason: 'email addresses are not needed' },
                as(INES),
              );
            }
          }
          // Past their end date, all three expire; before it, none does.
          if (status === 'expired') {
            t.clock.now = new Date('2026-12-06T00:00:00.000Z');
          }
          expect(await t.service.expire()).toBe(status === 'expired' ? 3 : 0);

          const decisions: AccessDecision[] = ['approve', 'deny', 'revoke'];
          const outcomes: Record<string, unknown> = {};
          const expected: Record<string, unknown> = {};
          for (const [i, decision] of decisions.entries()) {
            const id = ids[i];
            const before = await t.service.get(id, as(OMAR).credentials);
            const error = await t.service
              .decide(
                id,
                decision,
                { reason: 'a reason for the record' },
                as(OMAR),
              )
              .then(
                () => undefined,
                // The message up to what may happen next, told apart below.
                (e: Error) => `${e.name}: ${e.message.split(' (')[0]}`,
              );
            const after = await t.service.get(id, as(OMAR).credentials);
            const { from, to, actor, reason } = after.history!.at(-1)!;
            outcomes[decision] = {
              error,
              status: after.status,
              last: { from, to, actor, reason },
            };
            const lastBefore = before.history!.at(-1)!;
            expected[decision] = ACCESS_REQUEST_TRANSITIONS[status].includes(
              TARGET[decision],
            )
              ? {
                  error: undefined,
                  status: TARGET[decision],
                  last: {
                    from: status,
                    to: TARGET[decision],
                    actor: OMAR,
                    reason: 'a reason for the record',
                  },
                }
              : {
                  error: `ConflictError: Access request ${id} is ${status}: it cannot be ${TARGET[decision]}`,
                  status,
                  last: {
                    from: lastBefore.from,
                    to: lastBefore.to,
                    actor: lastBefore.actor,
                    reason: lastBefore.reason,
                  },
                };
          }
          expect(outcomes).toEqual(expected);
        },
      );

      it('refuses to approve a request whose end date has passed, before the expiry pass gets to it', async () => {
        const t = await setup(databaseId);
        const created = await t.service.create(
          t.body({ endDate: '2026-12-02' }),
          as(MARIA),
        );
        t.clock.now = new Date('2026-12-03T08:00:00.000Z');
        await expect(
          t.service.decide(created.id, 'approve', {}, as(INES)),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: `Access request ${created.id} ended on 2026-12-02: it can no longer be approved and expires on the next expiry pass`,
        });
      });

      it('requires a reason to deny or revoke, and takes none to approve', async () => {
        const t = await setup(databaseId);
        const created = await t.service.create(t.body(), as(MARIA));
        await expect(
          t.service.decide(created.id, 'deny', { reason: '   ' }, as(INES)),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(
            /^body\.reason: expected why the request is denied, such as/,
          ),
        });
        await expect(
          t.service.decide(created.id, 'approve', undefined, as(INES)),
        ).resolves.toMatchObject({ status: 'approved' });
        await expect(
          t.service.decide(created.id, 'revoke', {}, as(INES)),
        ).rejects.toMatchObject({
          message: expect.stringMatching(
            /^body\.reason: expected why the request is revoked/,
          ),
        });
      });
    });

    describe('who decides', () => {
      it('lets the owner team and the product owner decide, and refuses anyone else naming the owners', async () => {
        const t = await setup(databaseId);
        const created = await t.service.create(t.body(), as(MARIA));
        await expect(
          t.service.decide(created.id, 'approve', {}, as(MARIA)),
        ).rejects.toMatchObject({
          name: 'NotAllowedError',
          message:
            'Not allowed: data-mesh.access.approve on dataproduct:default/orders; its owners decide on access to it (group:default/sales-data, user:default/ines.costa)',
        });
        await expect(
          t.service.decide(created.id, 'approve', {}, as(AHMED)),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        await expect(
          t.service.decide(created.id, 'approve', {}, as(INES)),
        ).resolves.toMatchObject({ status: 'approved', decidedBy: INES });
        await expect(
          t.service.decide(
            created.id,
            'revoke',
            { reason: 'moved to the aggregate' },
            as(OMAR),
          ),
        ).resolves.toMatchObject({ status: 'revoked', decidedBy: OMAR });
      });

      it('shows each approver the pending requests of the products they own, in the inbox', async () => {
        const t = await setup(databaseId);
        const orders = await t.service.create(t.body(), as(MARIA));
        // A minute later: the inbox shows the newest first.
        t.clock.now = new Date(START.getTime() + 60_000);
        const holidays = await t.service.create(
          t.body({ entityRef: HOLIDAYS, port: 'calendar' }),
          as(MARIA),
        );
        const decided = await t.service.create(
          t.body({ consumer: CHURN_MODEL }),
          as(AHMED),
        );
        await t.service.decide(
          decided.id,
          'deny',
          { reason: 'no churn use' },
          as(OMAR),
        );
        const inbox = async (user: string) =>
          (
            await t.service.inbox(
              { limit: 10, offset: 0 },
              as(user).credentials,
            )
          ).items.map(r => r.id);
        expect(await inbox(OMAR)).toEqual([holidays.id, orders.id]);
        expect(await inbox(INES)).toEqual([orders.id]);
        expect(await inbox(MARIA)).toEqual([]);
      });
    });

    describe('validation', () => {
      it('names the field and the fix for each bad request', async () => {
        const t = await setup(databaseId);
        const refused = (body: AccessRequestBody, user = MARIA) =>
          t.service.create(body, as(user)).then(
            () => {
              throw new Error('accepted');
            },
            (error: Error) => `${error.name}: ${error.message}`,
          );
        expect(
          await refused(t.body({ entityRef: 'dataproduct:default/ghost' })),
        ).toBe(
          'NotFoundError: No data product dataproduct:default/ghost in the catalog',
        );
        expect(await refused(t.body({ port: 'orders-csv' }))).toBe(
          'InputError: body.port: found "orders-csv", expected one of the output ports of dataproduct:default/orders: orders-table, orders-daily',
        );
        expect(await refused(t.body({ consumer: CHURN_MODEL }))).toBe(
          'InputError: body.consumer: component:default/churn-model is owned by group:default/ml-team, which is neither you nor one of your teams (user:default/maria.silva, group:default/customer-data); request for a product or component one of your teams owns',
        );
        expect(
          await refused(t.body({ consumer: 'component:default/ghost' })),
        ).toBe(
          'InputError: body.consumer: no component:default/ghost in the catalog; name an existing DataProduct or Component one of your teams owns',
        );
        expect(
          await refused(t.body({ consumer: 'group:default/ml-team' }), AHMED),
        ).toBe(
          'InputError: body.consumer: found group:default/ml-team, expected a DataProduct or Component the data is for, such as dataproduct:default/customer-360 or component:default/churn-model',
        );
        expect(await refused(t.body({ consumer: ORDERS }), OMAR)).toBe(
          'InputError: body.consumer: found dataproduct:default/orders, the product asked for itself; name the product or component that will read the data',
        );
        expect(await refused(t.body({ endDate: '2026-12-01' }))).toBe(
          'InputError: body.endDate: found 2026-12-01, expected a day after today (2026-12-01, UTC)',
        );
        expect(await refused(t.body({ endDate: '2027-12-02' }))).toBe(
          'InputError: body.endDate: found 2027-12-02, expected 2027-12-01 or earlier: access lasts at most 365 days (dataMesh.access.maxDuration); ask again when it ends',
        );
        expect(await refused(t.body({ endDate: '2027-02-30' }))).toBe(
          'InputError: body.endDate: found 2027-02-30, which is not a day of the calendar; expected the last day of access as YYYY-MM-DD',
        );
        // Nothing was stored by the refused requests.
        expect(
          (
            await t.service.list(
              {},
              { limit: 10, offset: 0 },
              as(MARIA).credentials,
            )
          ).totalItems,
        ).toBe(0);

        // The first and the last day allowed.
        await expect(
          t.service.create(t.body({ endDate: '2026-12-02' }), as(MARIA)),
        ).resolves.toMatchObject({ status: 'pending' });
        await expect(
          t.service.create(
            t.body({ port: 'orders-daily', endDate: '2027-12-01' }),
            as(MARIA),
          ),
        ).resolves.toMatchObject({ status: 'pending' });
      });

      it('answers a second open request for the same port and consumer with 409 naming the first', async () => {
        const t = await setup(databaseId);
        const first = await t.service.create(t.body(), as(MARIA));
        await expect(
          t.service.create(
            t.body({ purpose: 'another reason for the same data' }),
            as(MARIA),
          ),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: `An access request for dataproduct:default/orders port orders-table for dataproduct:default/customer-360 is already pending: ${first.id} (GET /access/requests/${first.id})`,
        });
        await t.service.decide(first.id, 'approve', {}, as(INES));
        await expect(
          t.service.create(t.body(), as(MARIA)),
        ).rejects.toMatchObject({
          message: expect.stringContaining(`is already approved: ${first.id}`),
        });
      });
    });

    describe('auto-approval', () => {
      it('approves a public port without personal data at once when the portal allows it, and grants it', async () => {
        const t = await setup(databaseId, { autoApprovePublic: true });
        const request = await t.service.create(
          t.body({ entityRef: HOLIDAYS, port: 'calendar' }),
          as(MARIA),
        );
        expect(request).toMatchObject({
          status: 'approved',
          decidedBy: 'system',
          reason:
            'public port without personal data, approved automatically (dataMesh.access.autoApprovePublic)',
          sensitivity: {
            classification: 'public',
            containsPii: false,
            autoApproved: true,
          },
          provisioning: { status: 'granted', action: 'grant', attempts: 1 },
        });
        expect(request.history!.map(e => `${e.actor} ${e.to}`)).toEqual([
          `${MARIA} pending`,
          'system approved',
        ]);
        expect(t.calls.map(c => [c.action, c.grant.port])).toEqual([
          ['grant', 'calendar'],
        ]);
        // The requester hears of it; nobody is asked to approve.
        expect(t.notifications.sent.map(n => n.payload.title)).toEqual([
          `Access approved: ${HOLIDAYS} port calendar for ${CUSTOMER_360}`,
        ]);
      });

      it('leaves confidential, restricted, personal and internal ports to an approver', async () => {
        const t = await setup(databaseId, { autoApprovePublic: true });
        for (const body of [
          t.body({ entityRef: HOLIDAYS, port: 'calendar-notes' }),
          t.body({ port: 'orders-table' }),
          t.body({ port: 'orders-daily' }),
        ]) {
          expect((await t.service.create(body, as(MARIA))).status).toBe(
            'pending',
          );
        }
        expect(t.calls).toEqual([]);
      });

      it('approves nothing by itself when the portal does not allow it (the default)', async () => {
        const t = await setup(databaseId);
        const request = await t.service.create(
          t.body({ entityRef: HOLIDAYS, port: 'calendar' }),
          as(MARIA),
        );
        expect(request.status).toBe('pending');
        expect(request.sensitivity).toEqual({
          classification: 'public',
          containsPii: false,
          autoApproved: false,
        });
      });
    });

    describe('notifications and audit', () => {
      it('asks the owners on a new request and tells the requester each decision', async () => {
        const t = await setup(databaseId);
        const created = await t.service.create(t.body(), as(MARIA));
        expect(t.notifications.sent).toEqual([
          {
            recipients: {
              type: 'entity',
              entityRef: ['group:default/sales-data', INES],
              excludeEntityRef: MARIA,
            },
            payload: {
              title: `Access request: ${CUSTOMER_360} asks for ${ORDERS} port orders-table`,
              description: [
                `${MARIA} asks for access until 2027-03-31 for ${CUSTOMER_360}.`,
                'Purpose: customer lifetime value features',
                'Port sensitivity: restricted, holds personal data.',
              ].join('\n'),
              link: '/data-mesh/access',
              severity: 'high',
              topic: 'data-mesh-access',
              scope: `access-request:${created.id}`,
            },
          },
        ]);
        await t.service.decide(
          created.id,
          'deny',
          { reason: 'email addresses are not needed' },
          as(INES),
        );
        expect(t.notifications.sent[1]).toEqual({
          recipients: { type: 'entity', entityRef: MARIA },
          payload: {
            title: `Access denied: ${ORDERS} port orders-table for ${CUSTOMER_360}`,
            description: `Denied by ${INES}.\nReason: email addresses are not needed`,
            link: '/catalog/default/dataproduct/orders/access',
            severity: 'high',
            topic: 'data-mesh-access',
            scope: `access-decision:${created.id}:denied`,
          },
        });
        expect(
          t.audit.map(e => ({
            eventId: e.eventId,
            outcome: e.outcome,
            from: e.meta?.from,
            to: e.meta?.to,
          })),
        ).toEqual([
          {
            eventId: 'access-request',
            outcome: 'success',
            from: undefined,
            to: 'pending',
          },
          {
            eventId: 'access-decision',
            outcome: 'success',
            from: 'pending',
            to: 'denied',
          },
        ]);
        expect(t.audit[1].meta).toEqual({
          id: created.id,
          decision: 'deny',
          product: ORDERS,
          port: 'orders-table',
          consumer: CUSTOMER_360,
          from: 'pending',
          to: 'denied',
        });
      });

      it('audits refused decisions as failures, and never fails a decision for a notification', async () => {
        const t = await setup(databaseId);
        const created = await t.service.create(t.body(), as(MARIA));
        await expect(
          t.service.decide(created.id, 'approve', {}, as(MARIA)),
        ).rejects.toMatchObject({ name: 'NotAllowedError' });
        t.notifications.state.fail = true;
        await expect(
          t.service.decide(created.id, 'approve', {}, as(INES)),
        ).resolves.toMatchObject({ status: 'approved' });
        expect(t.logger.warn).toHaveBeenCalledWith(
          expect.stringContaining(
            `Could not notify ${MARIA} of access request ${created.id} (approved): notifications backend is down`,
          ),
        );
        expect(
          t.audit
            .filter(e => e.eventId === 'access-decision')
            .map(e => [e.outcome, e.error]),
        ).toEqual([
          [
            'fail',
            expect.stringContaining('Not allowed: data-mesh.access.approve'),
          ],
          ['success', undefined],
        ]);
      });
    });

    describe('provisioning', () => {
      it('records a failed grant without undoing the approval, and retries it with backoff until it succeeds', async () => {
        const flaky = flakyProvisioner(2);
        const t = await setup(databaseId, { provisioner: flaky.provisioner });
        const created = await t.service.create(t.body(), as(MARIA));
        const approved = await t.service.decide(
          created.id,
          'approve',
          {},
          as(INES),
        );
        expect(approved).toMatchObject({
          status: 'approved',
          provisioning: {
            status: 'failed',
            provisioner: 'warehouse-roles',
            action: 'grant',
            attempts: 1,
            lastError: 'warehouse unreachable: connection refused',
            nextAttemptAt: '2026-12-01T10:01:00.000Z',
          },
        });

        const at = (iso: string) => {
          t.clock.now = new Date(iso);
        };
        at('2026-12-01T10:00:59.999Z');
        expect(await t.provisioning.retryDue()).toBe(0);
        at('2026-12-01T10:01:00.000Z');
        expect(await t.provisioning.retryDue()).toBe(1);
        expect(
          (await t.service.get(created.id, as(MARIA).credentials)).provisioning,
        ).toMatchObject({
          status: 'failed',
          attempts: 2,
          nextAttemptAt: '2026-12-01T10:03:00.000Z',
        });
        at('2026-12-01T10:03:00.000Z');
        expect(await t.provisioning.retryDue()).toBe(1);
        const granted = await t.service.get(created.id, as(MARIA).credentials);
        expect(granted).toMatchObject({
          status: 'approved',
          provisioning: {
            status: 'granted',
            action: 'grant',
            attempts: 3,
            doneAt: '2026-12-01T10:03:00.000Z',
          },
        });
        expect(granted.provisioning.lastError).toBeUndefined();
        expect(flaky.calls.map(c => c.action)).toEqual([
          'grant',
          'grant',
          'grant',
        ]);
        expect(flaky.calls[0].grant).toEqual({
          requestId: created.id,
          entityRef: ORDERS,
          port: 'orders-table',
          address: 's3://lake/orders/',
          type: 'table',
          format: 'parquet',
          consumer: CUSTOMER_360,
          requester: MARIA,
          purpose: 'customer lifetime value features',
          endDate: '2027-03-31',
          sensitivity: {
            classification: 'restricted',
            containsPii: true,
            autoApproved: false,
          },
          status: 'approved',
        });
        expect(
          t.audit
            .filter(e => e.eventId === 'access-provisioning')
            .map(e => `${e.meta?.action} ${e.meta?.attempt} ${e.outcome}`),
        ).toEqual(['grant 1 fail', 'grant 2 fail', 'grant 3 success']);
        expect(await t.provisioning.retryDue()).toBe(0);

        // Revoking takes the grant back through the provisioner.
        const revoked = await t.service.decide(
          created.id,
          'revoke',
          { reason: 'project stopped' },
          as(OMAR),
        );
        expect(revoked.provisioning).toMatchObject({
          status: 'revoked',
          action: 'revoke',
          attempts: 1,
        });
        expect(flaky.calls.at(-1)).toMatchObject({
          action: 'revoke',
          grant: { requestId: created.id, status: 'revoked' },
        });
      });

      it('answers without waiting for a slow provisioner, which records its outcome when it ends', async () => {
        let release: () => void = () => {};
        const slow: AccessProvisioner = {
          name: 'ticketing',
          grant: () =>
            new Promise<void>(resolve => {
              release = resolve;
            }),
          revoke: async () => {},
        };
        const t = await setup(databaseId, {
          provisioner: slow,
          provisioningWaitMs: 10,
        });
        const recorded = new Promise<AccessRequest | undefined>(resolve => {
          const record = t.store.recordProvisioning.bind(t.store);
          jest
            .spyOn(t.store, 'recordProvisioning')
            .mockImplementation(async (...args) => {
              const result = await record(...args);
              resolve(result);
              return result;
            });
        });
        const created = await t.service.create(t.body(), as(MARIA));
        const approved = await t.service.decide(
          created.id,
          'approve',
          {},
          as(INES),
        );
        expect(approved.status).toBe('approved');
        expect(approved.provisioning).toMatchObject({
          status: 'pending',
          provisioner: 'ticketing',
          action: 'grant',
        });
        release();
        expect((await recorded)?.provisioning.status).toBe('granted');
      });
    });

    describe('expiry', () => {
      it('expires approved and pending requests once their end date is over (UTC), revoking grants and telling requesters', async () => {
        const flaky = flakyProvisioner();
        const t = await setup(databaseId, { provisioner: flaky.provisioner });
        const approved = await t.service.create(
          t.body({ endDate: '2026-12-10' }),
          as(MARIA),
        );
        await t.service.decide(approved.id, 'approve', {}, as(INES));
        const pending = await t.service.create(
          t.body({ port: 'orders-daily', endDate: '2026-12-10' }),
          as(MARIA),
        );
        const denied = await t.service.create(
          t.body({ consumer: CHURN_MODEL, endDate: '2026-12-05' }),
          as(AHMED),
        );
        await t.service.decide(
          denied.id,
          'deny',
          { reason: 'no churn use' },
          as(INES),
        );
        const later = await t.service.create(
          t.body({
            entityRef: HOLIDAYS,
            port: 'calendar',
            endDate: '2026-12-11',
          }),
          as(MARIA),
        );
        await t.service.decide(later.id, 'approve', {}, as(OMAR));
        t.notifications.sent.length = 0;
        t.audit.length = 0;

        t.clock.now = new Date('2026-12-10T23:59:59.999Z');
        expect(await t.service.expire()).toBe(0);
        expect((await t.service.activeGrants()).map(r => r.id).sort()).toEqual(
          [approved.id, later.id].sort(),
        );

        t.clock.now = new Date('2026-12-11T00:00:00.000Z');
        expect(await t.service.expire()).toBe(2);
        const status = async (id: string) =>
          t.service.get(id, as(MARIA).credentials);
        expect(await status(approved.id)).toMatchObject({
          status: 'expired',
          decidedBy: INES,
          updatedAt: '2026-12-11T00:00:00.000Z',
          provisioning: { status: 'revoked', action: 'revoke', attempts: 1 },
        });
        expect((await status(approved.id)).history!.at(-1)).toEqual({
          from: 'approved',
          to: 'expired',
          at: '2026-12-11T00:00:00.000Z',
          actor: 'system',
          reason: 'its end date 2026-12-10 passed',
        });
        expect(await status(pending.id)).toMatchObject({
          status: 'expired',
          provisioning: { status: 'none', attempts: 0 },
        });
        expect((await status(denied.id)).status).toBe('denied');
        expect((await status(later.id)).status).toBe('approved');
        expect(
          flaky.calls
            .filter(c => c.action === 'revoke')
            .map(c => [c.grant.requestId, c.grant.status]),
        ).toEqual([[approved.id, 'expired']]);
        expect(t.notifications.sent.map(n => n.payload.title).sort()).toEqual([
          `Access expired: ${ORDERS} port orders-daily for ${CUSTOMER_360}`,
          `Access expired: ${ORDERS} port orders-table for ${CUSTOMER_360}`,
        ]);
        expect(
          t.audit
            .filter(e => e.eventId === 'access-expiry')
            .map(e => [e.meta?.id, e.meta?.from, e.meta?.to, e.outcome])
            .sort(),
        ).toEqual(
          [
            [approved.id, 'approved', 'expired', 'success'],
            [pending.id, 'pending', 'expired', 'success'],
          ].sort(),
        );
        expect((await t.service.activeGrants()).map(r => r.id)).toEqual([
          later.id,
        ]);
        expect(await t.service.expire()).toBe(0);
      });
    });
  },
);
