import type { PolicyResult } from '@quanta/plugin-data-mesh-common';
import { DataMeshStore, type StoredScorecard } from './DataMeshStore';
import { storeTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const { databases, createStore } = storeTestDatabases(options =>
  DataMeshStore.create(options),
);

function card(
  name: string,
  results: PolicyResult[],
  extra: Partial<StoredScorecard> = {},
): StoredScorecard {
  const passed = results.filter(r => r.status === 'pass').length;
  return {
    entityRef: `dataproduct:default/${name}`,
    domain: 'domain:default/sales',
    owner: 'group:default/sales-data',
    level: passed === results.length ? 'Gold' : undefined,
    score: Math.round((passed / results.length) * 100),
    attributes: { trustworthy: passed === results.length ? 100 : 50 },
    results,
    ...extra,
  };
}

/** One completed run at `now` that leaves these scorecards. */
async function completedRun(
  store: DataMeshStore,
  now: Date,
  scorecards: StoredScorecard[],
) {
  const run = await store.tryStartRun('schedule', now, 600_000);
  await store.writeEvaluation({
    runId: run.runId,
    now,
    complete: true,
    scorecards,
  });
  await store.finishRun(run.runId, {
    status: 'completed',
    finishedAt: now,
    durationMs: 1,
  });
  return run.runId;
}

const day1 = new Date('2026-06-01T10:00:00Z');
const day2 = new Date('2026-06-02T10:00:00Z');

describe.each(databases.eachSupportedId())(
  'DataMeshStore on %s',
  databaseId => {
    it('lets only one evaluation run at a time, and takes over an abandoned one', async () => {
      const { store } = await createStore(databaseId);
      const [a, b] = await Promise.all([
        store.tryStartRun('schedule', day1, 600_000),
        store.tryStartRun('api', day1, 600_000),
      ]);
      const started = [a, b].filter(r => r.started);
      expect(started).toHaveLength(1);
      expect(a.runId).toBe(b.runId);

      // Still running one minute later: a second caller gets the same run.
      const again = await store.tryStartRun(
        'api',
        new Date(day1.getTime() + 60_000),
        600_000,
      );
      expect(again).toEqual({ started: false, runId: a.runId });

      // Eleven minutes later the lock is stale: a new run takes over.
      const later = new Date(day1.getTime() + 11 * 60_000);
      const takeover = await store.tryStartRun('schedule', later, 600_000);
      expect(takeover.started).toBe(true);
      expect(takeover.runId).not.toBe(a.runId);
      expect(await store.getRun(a.runId)).toMatchObject({
        status: 'failed',
        error: 'Abandoned: the run stopped without finishing',
      });

      await store.finishRun(takeover.runId, {
        status: 'completed',
        finishedAt: later,
        durationMs: 1234,
        products: 3,
        policies: 30,
        statements: 12,
      });
      expect(await store.getRun(takeover.runId)).toEqual({
        id: takeover.runId,
        trigger: 'schedule',
        status: 'completed',
        startedAt: later.toISOString(),
        finishedAt: later.toISOString(),
        durationMs: 1234,
        products: 3,
        policies: 30,
        statements: 12,
      });
      const next = await store.tryStartRun('api', later, 600_000);
      expect(next.started).toBe(true);
    });

    it('keeps current results, records only changes of status, and snapshots each day', async () => {
      const { store, knex } = await createStore(databaseId);
      const run1 = await store.tryStartRun('schedule', day1, 600_000);
      await store.writeEvaluation({
        runId: run1.runId,
        now: day1,
        complete: true,
        scorecards: [
          card('orders', [
            { policyId: 'p.slos', status: 'pass' },
            { policyId: 'p.owner', status: 'pass' },
          ]),
          card('leads', [
            { policyId: 'p.slos', status: 'fail', message: 'No SLOs' },
            { policyId: 'p.owner', status: 'pass' },
          ]),
        ],
      });
      await store.finishRun(run1.runId, {
        status: 'completed',
        finishedAt: day1,
        durationMs: 1,
      });

      const run2 = await store.tryStartRun('schedule', day2, 600_000);
      await store.writeEvaluation({
        runId: run2.runId,
        now: day2,
        complete: true,
        scorecards: [
          // leads fixed its SLOs; orders is unchanged; a new product appears.
          card('leads', [
            { policyId: 'p.slos', status: 'pass' },
            { policyId: 'p.owner', status: 'pass' },
          ]),
          card('orders', [
            { policyId: 'p.slos', status: 'pass' },
            { policyId: 'p.owner', status: 'pass' },
          ]),
          card('returns', [
            {
              policyId: 'p.slos',
              status: 'waived',
              message: 'Waived until 2026-07-01',
            },
            { policyId: 'p.owner', status: 'pass' },
          ]),
        ],
      });

      expect(await store.getResults('dataproduct:default/leads')).toEqual([
        { policyId: 'p.owner', status: 'pass', since: day1.toISOString() },
        { policyId: 'p.slos', status: 'pass', since: day2.toISOString() },
      ]);
      const changes = await knex('dm_result_changes')
        .where({ run_id: run2.runId })
        .orderBy(['entity_ref', 'policy_id'])
        .select('entity_ref', 'policy_id', 'from_status', 'to_status');
      // The new product's first results are its starting state, dated by
      // `since`, not changes.
      expect(changes).toEqual([
        {
          entity_ref: 'dataproduct:default/leads',
          policy_id: 'p.slos',
          from_status: 'fail',
          to_status: 'pass',
        },
      ]);
      expect(await store.getResults('dataproduct:default/returns')).toEqual([
        { policyId: 'p.owner', status: 'pass', since: day2.toISOString() },
        {
          policyId: 'p.slos',
          status: 'waived',
          message: 'Waived until 2026-07-01',
          since: day2.toISOString(),
        },
      ]);
      expect(
        await store.getHistory('dataproduct:default/leads', '2026-01-01'),
      ).toEqual([
        { day: '2026-06-01', level: undefined, score: 50 },
        { day: '2026-06-02', level: 'Gold', score: 100 },
      ]);
      expect(await store.getScorecard('dataproduct:default/leads')).toEqual({
        entityRef: 'dataproduct:default/leads',
        domain: 'domain:default/sales',
        owner: 'group:default/sales-data',
        level: 'Gold',
        score: 100,
        attributes: { trustworthy: 100 },
        evaluatedAt: day2.toISOString(),
        runId: run2.runId,
      });

      // A complete run without a product removes it.
      await store.writeEvaluation({
        runId: run2.runId,
        now: day2,
        complete: true,
        scorecards: [card('orders', [{ policyId: 'p.slos', status: 'pass' }])],
      });
      expect(
        await store.getScorecard('dataproduct:default/leads'),
      ).toBeUndefined();
      expect(await store.getResults('dataproduct:default/leads')).toEqual([]);
      expect(await store.getResults('dataproduct:default/orders')).toEqual([
        { policyId: 'p.slos', status: 'pass', since: day1.toISOString() },
      ]);
    });

    it('drops the results of a policy that is no longer evaluated', async () => {
      const { store } = await createStore(databaseId);
      const evaluate = async (now: Date, results: PolicyResult[]) => {
        const run = await store.tryStartRun('schedule', now, 600_000);
        await store.writeEvaluation({
          runId: run.runId,
          now,
          complete: true,
          scorecards: [card('orders', results)],
        });
        await store.finishRun(run.runId, {
          status: 'completed',
          finishedAt: now,
          durationMs: 1,
        });
      };
      await evaluate(day1, [
        { policyId: 'p.slos', status: 'pass' },
        { policyId: 'p.retired', status: 'fail', message: 'Old rule' },
      ]);
      await evaluate(day2, [{ policyId: 'p.slos', status: 'pass' }]);

      expect(await store.getResults('dataproduct:default/orders')).toEqual([
        { policyId: 'p.slos', status: 'pass', since: day1.toISOString() },
      ]);
    });

    it('rolls scores up per domain, owner group and the whole mesh', async () => {
      const { store } = await createStore(databaseId);
      await completedRun(store, day1, [
        card('orders', [{ policyId: 'p', status: 'pass' }]),
        card('leads', [{ policyId: 'p', status: 'fail', message: 'x' }], {
          domain: 'domain:default/marketing',
          owner: 'group:default/marketing-analytics',
        }),
        card('returns', [{ policyId: 'p', status: 'fail', message: 'x' }]),
      ]);
      expect(await store.getRollups('mesh', { fromDay: '2026-06-01' })).toEqual(
        [
          {
            day: '2026-06-01',
            kind: 'mesh',
            key: 'mesh',
            products: 3,
            score: 33.3,
            levels: { Gold: 1, none: 2 },
            attributes: { trustworthy: 66.7 },
          },
        ],
      );
      expect(
        (await store.getRollups('domain', { fromDay: '2026-06-01' })).map(r => [
          r.key,
          r.products,
          r.score,
        ]),
      ).toEqual([
        ['domain:default/marketing', 1, 0],
        ['domain:default/sales', 2, 50],
      ]);
      expect(
        await store.getRollups('owner', {
          fromDay: '2026-06-01',
          key: 'group:default/marketing-analytics',
        }),
      ).toHaveLength(1);
    });

    it('keeps API waivers until they expire or are revoked', async () => {
      const { store } = await createStore(databaseId);
      const waiver = await store.addWaiver(
        {
          entityRef: 'dataproduct:default/orders',
          policyId: 'p.slos',
          reason: 'Pipeline rebuild until July',
          expiresAt: '2026-07-01T00:00:00.000Z',
          grantedBy: 'user:default/maria.silva',
        },
        day1,
      );
      expect(waiver).toEqual({
        id: waiver.id,
        entityRef: 'dataproduct:default/orders',
        policyId: 'p.slos',
        reason: 'Pipeline rebuild until July',
        expiresAt: '2026-07-01T00:00:00.000Z',
        grantedBy: 'user:default/maria.silva',
        grantedAt: day1.toISOString(),
        source: 'api',
      });
      expect(await store.listActiveWaivers(day2)).toHaveLength(1);
      expect(
        await store.listActiveWaivers(new Date('2026-07-02T00:00:00Z')),
      ).toEqual([]);
      const revoked = await store.revokeWaiver(
        waiver.id,
        'user:default/ravi.patel',
        day2,
      );
      expect(revoked).toMatchObject({
        revokedBy: 'user:default/ravi.patel',
        revokedAt: day2.toISOString(),
      });
      expect(await store.listActiveWaivers(day2)).toEqual([]);
    });

    it('deletes history older than the retention period', async () => {
      const { store } = await createStore(databaseId);
      for (const now of [day1, day2]) {
        await completedRun(store, now, [
          card('orders', [
            {
              policyId: 'p',
              status: now === day1 ? 'fail' : 'pass',
              message: now === day1 ? 'x' : undefined,
            },
          ]),
        ]);
      }
      await store.enforceRetention(new Date('2026-06-03T12:00:00Z'), 1);
      expect(
        await store.getHistory('dataproduct:default/orders', '2000-01-01'),
      ).toEqual([{ day: '2026-06-02', level: 'Gold', score: 100 }]);
      expect(
        (await store.getRollups('mesh', { fromDay: '2000-01-01' })).map(
          r => r.day,
        ),
      ).toEqual(['2026-06-02']);
      expect(
        (await store.getAdoption('2000-01-01')).policies[0].days.map(
          d => d.day,
        ),
      ).toEqual(['2026-06-02']);
      expect((await store.listRuns(10)).map(r => r.startedAt)).toEqual([
        day2.toISOString(),
      ]);
    });

    it('charts adoption: products, template share, levels and pass rate per policy per day', async () => {
      const { store } = await createStore(databaseId);
      const write = (now: Date, scorecards: StoredScorecard[]) =>
        completedRun(store, now, scorecards);
      await write(day1, [
        card('orders', [
          { policyId: 'p.slos', status: 'fail', message: 'No SLOs' },
          { policyId: 'p.pii', status: 'not-applicable' },
        ]),
      ]);
      await write(day2, [
        card(
          'orders',
          [
            { policyId: 'p.slos', status: 'pass' },
            { policyId: 'p.pii', status: 'not-applicable' },
          ],
          { level: 'Gold', score: 100 },
        ),
        card(
          'leads',
          [
            { policyId: 'p.slos', status: 'fail', message: 'No SLOs' },
            { policyId: 'p.pii', status: 'waived', message: 'Waived' },
          ],
          { fromTemplate: true, domain: 'domain:default/marketing' },
        ),
        card(
          'returns',
          [
            { policyId: 'p.slos', status: 'error', message: 'Boom' },
            { policyId: 'p.pii', status: 'fail', message: 'No retention' },
          ],
          { fromTemplate: true },
        ),
      ]);

      const adoption = await store.getAdoption('2026-06-01');
      expect(adoption.days).toEqual([
        {
          day: '2026-06-01',
          products: 1,
          fromTemplate: 0,
          score: 0,
          levels: { none: 1 },
        },
        {
          day: '2026-06-02',
          products: 3,
          fromTemplate: 2,
          score: 33.3,
          levels: { Gold: 1, none: 2 },
        },
      ]);
      expect(adoption.policies).toEqual([
        {
          policyId: 'p.pii',
          days: [
            { day: '2026-06-01', pass: 0, fail: 0, waived: 0, passRate: 100 },
            { day: '2026-06-02', pass: 0, fail: 1, waived: 1, passRate: 50 },
          ],
        },
        {
          policyId: 'p.slos',
          days: [
            { day: '2026-06-01', pass: 0, fail: 1, waived: 0, passRate: 0 },
            { day: '2026-06-02', pass: 1, fail: 2, waived: 0, passRate: 33.3 },
          ],
        },
      ]);
      expect(adoption.topFailing).toEqual([
        { policyId: 'p.slos', failing: 2, applicable: 3 },
        { policyId: 'p.pii', failing: 1, applicable: 2 },
      ]);
      expect(adoption.domains.map(d => [d.key, d.products])).toEqual([
        ['domain:default/marketing', 1],
        ['domain:default/sales', 2],
      ]);
      // Only the days asked for.
      expect(
        (await store.getAdoption('2026-06-02')).days.map(d => d.day),
      ).toEqual(['2026-06-02']);
    });

    it('lists scorecards by owner, domain and level, with what fails', async () => {
      const { store } = await createStore(databaseId);
      await completedRun(store, day1, [
        card('orders', [{ policyId: 'p.slos', status: 'pass' }]),
        card('leads', [
          { policyId: 'p.slos', status: 'fail', message: 'x' },
          { policyId: 'p.owner', status: 'error', message: 'y' },
          { policyId: 'p.docs', status: 'pass' },
        ]),
        card('campaigns', [{ policyId: 'p.slos', status: 'pass' }], {
          owner: 'group:default/marketing-analytics',
        }),
      ]);
      const sales = await store.listScorecards({
        owner: 'group:default/sales-data',
        limit: 10,
        offset: 0,
      });
      expect(sales.totalItems).toBe(2);
      expect(sales.items.map(i => [i.entityRef, i.level, i.failing])).toEqual([
        ['dataproduct:default/leads', undefined, ['p.owner', 'p.slos']],
        ['dataproduct:default/orders', 'Gold', []],
      ]);
      const belowFirst = await store.listScorecards({
        level: 'none',
        limit: 10,
        offset: 0,
      });
      expect(belowFirst.items.map(i => i.entityRef)).toEqual([
        'dataproduct:default/leads',
      ]);
      const secondPage = await store.listScorecards({
        domain: 'domain:default/sales',
        limit: 2,
        offset: 2,
      });
      expect(secondPage).toMatchObject({ totalItems: 3 });
      expect(secondPage.items.map(i => i.entityRef)).toEqual([
        'dataproduct:default/orders',
      ]);
    });

    it('mirrors descriptor waivers: grant, change, removal and expiry are reported once', async () => {
      const { store } = await createStore(databaseId);
      const declared = (reason: string, expiresAt: string) => ({
        entityRef: 'dataproduct:default/orders',
        policyId: 'p.slos',
        reason,
        expiresAt,
        grantedBy: 'user:default/maria.silva',
        source: 'catalog' as const,
      });
      const first = await store.syncDeclaredWaivers(
        [
          declared('Migration to the new warehouse', '2026-06-30'),
          // Ran out before the backend ever saw it: never applied here.
          {
            ...declared('Old exemption', '2026-01-31'),
            policyId: 'p.owner',
          },
        ],
        day1,
      );
      expect(first.granted).toEqual([
        expect.objectContaining({
          policyId: 'p.slos',
          source: 'catalog',
          expiresAt: '2026-06-30T23:59:59.999Z',
          grantedBy: 'user:default/maria.silva',
        }),
      ]);
      expect(first.changed).toEqual([]);
      // The same declaration again changes nothing.
      expect(
        await store.syncDeclaredWaivers(
          [declared('Migration to the new warehouse', '2026-06-30')],
          day1,
        ),
      ).toEqual({ granted: [], changed: [], revoked: [] });

      const extended = await store.syncDeclaredWaivers(
        [declared('Migration to the new warehouse', '2026-07-31')],
        day2,
      );
      expect(extended.changed).toEqual([
        expect.objectContaining({ expiresAt: '2026-07-31T23:59:59.999Z' }),
      ]);
      expect(
        (await store.listActiveWaivers(day2)).map(w => [w.source, w.policyId]),
      ).toEqual([['catalog', 'p.slos']]);
      // Descriptor waivers are revoked by pull request, not through the API.
      await store.revokeWaiver(extended.changed[0].id, 'user:default/x', day2);
      expect(await store.listActiveWaivers(day2)).toHaveLength(1);

      const api = await store.addWaiver(
        {
          entityRef: 'dataproduct:default/leads',
          policyId: 'p.slos',
          reason: 'Source system replaced in June',
          expiresAt: '2026-06-15T00:00:00.000Z',
          grantedBy: 'user:default/ravi.patel',
        },
        day1,
      );
      expect(await store.expireWaivers(day2)).toEqual([]);
      const expiry = new Date('2026-06-20T00:00:00Z');
      expect(await store.expireWaivers(expiry)).toEqual([
        expect.objectContaining({
          id: api.id,
          expiredAt: expiry.toISOString(),
        }),
      ]);
      // Reported once.
      expect(
        await store.expireWaivers(new Date('2026-06-21T00:00:00Z')),
      ).toEqual([]);

      // Removing the declaration revokes the mirror.
      const removed = await store.syncDeclaredWaivers([], expiry);
      expect(removed.revoked).toEqual([
        expect.objectContaining({
          policyId: 'p.slos',
          revokedBy: 'catalog',
          revokedAt: expiry.toISOString(),
        }),
      ]);
      expect(await store.listActiveWaivers(expiry)).toEqual([]);
    });

    it('remembers etags and drops removed products in a partial run', async () => {
      const { store } = await createStore(databaseId);
      const run = await store.tryStartRun('catalog', day1, 600_000);
      await store.writeEvaluation({
        runId: run.runId,
        now: day1,
        complete: true,
        scorecards: [
          card('orders', [{ policyId: 'p', status: 'pass' }], { etag: 'e1' }),
          card('leads', [{ policyId: 'p', status: 'pass' }], { etag: 'e2' }),
        ],
      });
      expect(await store.getEtags()).toEqual(
        new Map([
          ['dataproduct:default/leads', 'e2'],
          ['dataproduct:default/orders', 'e1'],
        ]),
      );
      await store.writeEvaluation({
        runId: run.runId,
        now: day2,
        complete: false,
        scorecards: [
          card('orders', [{ policyId: 'p', status: 'pass' }], { etag: 'e3' }),
        ],
        removed: ['dataproduct:default/leads'],
      });
      expect(await store.getEtags()).toEqual(
        new Map([['dataproduct:default/orders', 'e3']]),
      );
      expect(await store.getResults('dataproduct:default/leads')).toEqual([]);
    });

    it('counts the SQL statements a piece of work issues', async () => {
      const { store } = await createStore(databaseId);
      const { statements } = await store.countStatements(async () => {
        await store.listRuns(5);
        await store.listActiveWaivers(day1);
      });
      expect(statements).toBe(2);
    });
  },
);
