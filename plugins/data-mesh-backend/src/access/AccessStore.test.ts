import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
import { AccessStore, type NewAccessRequest } from './AccessStore';

const { databases, createStore } = storeTestDatabases(
  async ({ database }) => new AccessStore(await openDatabase({ database })),
);

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));

let sequence = 0;
/** A request for orders' table port; each call has its own id. */
function newRequest(extra: Partial<NewAccessRequest> = {}): NewAccessRequest {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    entityRef: 'dataproduct:default/orders',
    port: 'orders-table',
    address: 's3://lake/orders/',
    portType: 'table',
    portFormat: 'parquet',
    requester: 'user:default/maria.silva',
    consumer: 'dataproduct:default/customer-360',
    purpose: 'customer lifetime value features',
    endDate: '2027-03-31',
    sensitivity: {
      classification: 'confidential',
      containsPii: true,
      autoApproved: false,
    },
    ...extra,
  };
}

const lease = { provisioner: 'record-only', leaseUntil: at(5) };

describe.each(databases.eachSupportedId())('AccessStore on %s', databaseId => {
  it('stores a request with its first event, and reads it back as the API shows it', async () => {
    const { store } = await createStore(databaseId);
    const input = newRequest();
    const outcome = await store.create(input, { at: at(0) });
    expect(outcome).toEqual({
      created: {
        ...input,
        status: 'pending',
        createdAt: at(0).toISOString(),
        updatedAt: at(0).toISOString(),
        provisioning: { status: 'none', attempts: 0 },
        history: [
          {
            to: 'pending',
            at: at(0).toISOString(),
            actor: 'user:default/maria.silva',
          },
        ],
      },
    });
    expect(await store.get(input.id)).toEqual(
      expect.not.objectContaining({ history: expect.anything() }),
    );
  });

  it('keeps one open request per port and consumer, even when two are stored at once', async () => {
    const { store } = await createStore(databaseId);
    const [first, second] = await Promise.all([
      store.create(newRequest(), { at: at(0) }),
      store.create(newRequest(), { at: at(0) }),
    ]);
    const outcomes = [first, second];
    const created = outcomes.filter(o => 'created' in o);
    const existing = outcomes.filter(o => 'existing' in o);
    expect(created).toHaveLength(1);
    expect(existing).toHaveLength(1);
    expect((existing[0] as any).existing.id).toBe(
      (created[0] as any).created.id,
    );

    // Another consumer or another port is another request.
    expect(
      await store.create(
        newRequest({ consumer: 'component:default/churn-model' }),
        { at: at(1) },
      ),
    ).toHaveProperty('created');
    expect(
      await store.create(newRequest({ port: 'orders-topic' }), { at: at(1) }),
    ).toHaveProperty('created');
  });

  it('takes a new request once the open one is closed', async () => {
    const { store } = await createStore(databaseId);
    const first = newRequest();
    await store.create(first, { at: at(0) });
    await store.transition({
      id: first.id,
      from: 'pending',
      to: 'denied',
      actor: 'user:default/ines.costa',
      reason: 'no need for emails',
      at: at(1),
    });
    const again = await store.create(newRequest(), { at: at(2) });
    expect(again).toHaveProperty('created.status', 'pending');
  });

  it('changes a status only from the status it was read in, with one event per change', async () => {
    const { store } = await createStore(databaseId);
    const input = newRequest();
    await store.create(input, { at: at(0) });
    const approve = (actor: string) =>
      store.transition({
        id: input.id,
        from: 'pending',
        to: 'approved',
        actor,
        at: at(1),
        provisioning: { action: 'grant', ...lease },
      });
    const results = await Promise.all([
      approve('user:default/ines.costa'),
      approve('user:default/omar.haddad'),
    ]);
    const winners = results.filter(r => r.changed);
    expect(winners).toHaveLength(1);
    const loser = results.find(r => !r.changed)!;
    expect(loser.current?.status).toBe('approved');

    const request = (await store.get(input.id, { history: true }))!;
    expect(request).toMatchObject({
      status: 'approved',
      decidedBy: winners[0].changed!.decidedBy,
      decidedAt: at(1).toISOString(),
      provisioning: {
        status: 'pending',
        action: 'grant',
        provisioner: 'record-only',
        attempts: 0,
        nextAttemptAt: at(5).toISOString(),
      },
    });
    expect(request.history!.map(e => [e.from, e.to])).toEqual([
      [undefined, 'pending'],
      ['pending', 'approved'],
    ]);

    // Expiry keeps who decided; the event says who expired it.
    const expired = await store.transition({
      id: input.id,
      from: 'approved',
      to: 'expired',
      actor: 'system',
      reason: 'its end date 2027-03-31 passed',
      at: at(2),
      provisioning: { action: 'revoke', ...lease },
    });
    expect(expired.changed).toMatchObject({
      status: 'expired',
      decidedBy: request.decidedBy,
      updatedAt: at(2).toISOString(),
      provisioning: { status: 'pending', action: 'revoke', attempts: 0 },
    });
    expect(expired.changed!.history!.at(-1)).toEqual({
      from: 'approved',
      to: 'expired',
      at: at(2).toISOString(),
      actor: 'system',
      reason: 'its end date 2027-03-31 passed',
    });
  });

  it('lists approvals since a time with when each was asked for, and counts pending requests per product', async () => {
    const { store } = await createStore(databaseId);
    const early = newRequest();
    const late = newRequest({ consumer: 'component:default/churn-model' });
    const waiting = newRequest({ entityRef: 'dataproduct:default/holidays' });
    for (const request of [early, late, waiting]) {
      await store.create(request, { at: at(0) });
    }
    for (const [request, minute, actor] of [
      [early, 5, 'user:default/ines.costa'],
      [late, 50, 'user:default/omar.haddad'],
    ] as const) {
      await store.transition({
        id: request.id,
        from: 'pending',
        to: 'approved',
        actor,
        at: at(minute),
        provisioning: { action: 'grant', ...lease },
      });
    }
    expect(await store.approvals(at(10))).toEqual([
      {
        entityRef: 'dataproduct:default/orders',
        requestedAt: at(0).getTime(),
        approvedAt: at(50).getTime(),
        actor: 'user:default/omar.haddad',
      },
    ]);
    expect(await store.approvals(at(0))).toHaveLength(2);
    expect(await store.pendingByProduct()).toEqual(
      new Map([['dataproduct:default/holidays', 1]]),
    );
  });

  it('stores an automatic approval as two events, with the grant to provision', async () => {
    const { store } = await createStore(databaseId);
    const outcome = await store.create(newRequest(), {
      at: at(0),
      autoApproval: {
        reason: 'public port',
        provisioning: { action: 'grant', ...lease },
      },
    });
    expect(outcome).toHaveProperty('created');
    const created = (outcome as any).created;
    expect(created).toMatchObject({
      status: 'approved',
      decidedBy: 'system',
      reason: 'public port',
      provisioning: { status: 'pending', action: 'grant' },
    });
    expect(created.history.map((e: any) => `${e.actor}:${e.to}`)).toEqual([
      'user:default/maria.silva:pending',
      'system:approved',
    ]);
  });

  it('records provisioning outcomes of the current action only', async () => {
    const { store } = await createStore(databaseId);
    const input = newRequest();
    await store.create(input, { at: at(0) });
    await store.transition({
      id: input.id,
      from: 'pending',
      to: 'approved',
      actor: 'user:default/ines.costa',
      at: at(1),
      provisioning: { action: 'grant', ...lease },
    });
    const failed = await store.recordProvisioning(input.id, 'grant', 0, {
      ok: false,
      at: at(2),
      error: 'warehouse unreachable',
      nextAttemptAt: at(3),
    });
    expect(failed?.provisioning).toEqual({
      status: 'failed',
      action: 'grant',
      provisioner: 'record-only',
      attempts: 1,
      lastError: 'warehouse unreachable',
      nextAttemptAt: at(3).toISOString(),
    });
    // A late answer of the same attempt changes nothing.
    expect(
      await store.recordProvisioning(input.id, 'grant', 0, {
        ok: true,
        at: at(2),
      }),
    ).toBeUndefined();

    // Due only from its next attempt, and taken by one claimant.
    expect(await store.dueProvisioning(at(2), 10)).toEqual([]);
    expect((await store.dueProvisioning(at(3), 10)).map(r => r.id)).toEqual([
      input.id,
    ]);
    const claims = await Promise.all([
      store.claimProvisioning(input.id, 'grant', at(3), at(8)),
      store.claimProvisioning(input.id, 'grant', at(3), at(8)),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.dueProvisioning(at(4), 10)).toEqual([]);

    // Revoked before the grant went through: the grant's outcome is superseded.
    await store.transition({
      id: input.id,
      from: 'approved',
      to: 'revoked',
      actor: 'user:default/ines.costa',
      reason: 'project stopped',
      at: at(4),
      provisioning: { action: 'revoke', ...lease, leaseUntil: at(4) },
    });
    expect(
      await store.recordProvisioning(input.id, 'grant', 1, {
        ok: true,
        at: at(5),
      }),
    ).toBeUndefined();
    const revoked = await store.recordProvisioning(input.id, 'revoke', 0, {
      ok: true,
      at: at(5),
    });
    expect(revoked?.provisioning).toEqual({
      status: 'revoked',
      action: 'revoke',
      provisioner: 'record-only',
      attempts: 1,
      doneAt: at(5).toISOString(),
    });
    expect(await store.dueProvisioning(at(59), 10)).toEqual([]);
  });

  it('lists with filters and pages, newest first, and finds what expires and what is granted', async () => {
    const { store } = await createStore(databaseId);
    const a = newRequest({ endDate: '2026-12-01' });
    const b = newRequest({
      consumer: 'component:default/churn-model',
      endDate: '2026-12-02',
    });
    const c = newRequest({
      entityRef: 'dataproduct:default/payments',
      requester: 'user:default/omar.haddad',
      endDate: '2026-12-05',
    });
    await store.create(a, { at: at(0) });
    await store.create(b, { at: at(1) });
    await store.create(c, { at: at(2) });
    for (const r of [b, c]) {
      await store.transition({
        id: r.id,
        from: 'pending',
        to: 'approved',
        actor: 'user:default/ines.costa',
        at: at(3),
      });
    }

    const all = await store.list({}, { limit: 2, offset: 0 });
    expect(all.totalItems).toBe(3);
    expect(all.items.map(r => r.id)).toEqual([c.id, b.id]);
    expect(
      (await store.list({}, { limit: 2, offset: 2 })).items.map(r => r.id),
    ).toEqual([a.id]);
    expect(
      (
        await store.list(
          { entityRef: 'dataproduct:default/orders', statuses: ['approved'] },
          { limit: 10, offset: 0 },
        )
      ).items.map(r => r.id),
    ).toEqual([b.id]);
    expect(
      (
        await store.list(
          { requester: 'user:default/omar.haddad' },
          { limit: 10, offset: 0 },
        )
      ).items.map(r => r.id),
    ).toEqual([c.id]);
    expect(
      (
        await store.list(
          { excludeEntityRefs: ['dataproduct:default/orders'] },
          { limit: 10, offset: 0 },
        )
      ).totalItems,
    ).toBe(1);
    expect(
      await store.list({ entityRefs: [] }, { limit: 10, offset: 0 }),
    ).toEqual({ items: [], totalItems: 0 });
    expect(await store.products({ statuses: ['approved'] })).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/payments',
    ]);

    // On 2026-12-03, the requests ending on the 1st and 2nd are over.
    expect(
      (await store.expiring('2026-12-03', 10)).map(r => [r.id, r.status]),
    ).toEqual([
      [a.id, 'pending'],
      [b.id, 'approved'],
    ]);
    expect((await store.activeGrants('2026-12-02')).map(r => r.id)).toEqual([
      b.id,
      c.id,
    ]);
    expect((await store.activeGrants('2026-12-03')).map(r => r.id)).toEqual([
      c.id,
    ]);
  });
});
