import type { PolicyResult } from '@quanta/plugin-data-mesh-common';
import {
  card,
  completedRun,
  day1,
  day2,
  governanceTestDatabases,
} from './__testUtils__/stores';

jest.setTimeout(60_000);

const { databases, createStores } = governanceTestDatabases();

describe.each(databases.eachSupportedId())(
  'GovernanceStore on %s',
  databaseId => {
    it('lets only one evaluation run at a time, and takes over an abandoned one', async () => {
      const { store } = await createStores(databaseId);
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
      const { store, knex, history } = await createStores(databaseId);
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
        await history.getHistory('dataproduct:default/leads', '2026-01-01'),
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
      const { store } = await createStores(databaseId);
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

    it('stores policy messages without NUL characters, which PostgreSQL cannot hold', async () => {
      const { store } = await createStores(databaseId);
      const run = await store.tryStartRun('schedule', day1, 600_000);
      // A message echoing a descriptor field that holds a NUL.
      await store.writeEvaluation({
        runId: run.runId,
        now: day1,
        complete: true,
        scorecards: [
          card('orders', [
            { policyId: 'p.slos', status: 'fail', message: 'slos\u0000 "x"' },
          ]),
        ],
      });
      expect(await store.getResults('dataproduct:default/orders')).toEqual([
        {
          policyId: 'p.slos',
          status: 'fail',
          message: 'slos "x"',
          since: day1.toISOString(),
        },
      ]);
    });

    it('lists scorecards by owner, domain and level, with what fails', async () => {
      const { store } = await createStores(databaseId);
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

    it('remembers etags and drops removed products in a partial run', async () => {
      const { store } = await createStores(databaseId);
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

    it('tells what each evaluation changed: new, re-read, rescored and removed products', async () => {
      const { store } = await createStores(databaseId);
      const pass = { policyId: 'p', status: 'pass' as const };
      const fail = { policyId: 'p', status: 'fail' as const };
      const run = await store.tryStartRun('catalog', day1, 600_000);
      const write = (
        now: Date,
        scorecards: ReturnType<typeof card>[],
        partial?: { removed: string[] },
      ) =>
        store.writeEvaluation({
          runId: run.runId,
          now,
          complete: !partial,
          scorecards,
          removed: partial?.removed,
        });
      const orders = 'dataproduct:default/orders';
      const leads = 'dataproduct:default/leads';

      // Everything is new.
      expect(
        await write(day1, [
          card('orders', [pass], { etag: 'o1' }),
          card('leads', [fail], { etag: 'l1' }),
        ]),
      ).toEqual({
        changed: [
          { entityRef: orders, catalogChanged: true, scorecardChanged: true },
          { entityRef: leads, catalogChanged: true, scorecardChanged: true },
        ],
        removed: [],
      });

      // The same entries with the same outcome: nothing changed.
      expect(
        await write(day1, [
          card('orders', [pass], { etag: 'o1' }),
          card('leads', [fail], { etag: 'l1' }),
        ]),
      ).toEqual({ changed: [], removed: [] });

      // A score stored as a float that comes back a little off is the same
      // score; another etag with the same outcome is a catalog change only.
      expect(
        await write(day1, [
          card('orders', [pass], { etag: 'o1', score: 100.004 }),
          card('leads', [fail], { etag: 'l2' }),
        ]),
      ).toEqual({
        changed: [
          { entityRef: leads, catalogChanged: true, scorecardChanged: false },
        ],
        removed: [],
      });

      // A new level from the same catalog entry, in a partial run that also
      // drops a product gone from the catalog.
      expect(
        await write(day2, [card('leads', [pass], { etag: 'l2' })], {
          removed: [orders],
        }),
      ).toEqual({
        changed: [
          { entityRef: leads, catalogChanged: false, scorecardChanged: true },
        ],
        removed: [orders],
      });

      // A complete run without a product removes it.
      expect(await write(day2, [])).toEqual({ changed: [], removed: [leads] });
    });

    it('counts the SQL statements a piece of work issues', async () => {
      const { store, waivers } = await createStores(databaseId);
      const { statements } = await store.countStatements(async () => {
        await store.listRuns(5);
        await waivers.listActiveWaivers(day1);
      });
      expect(statements).toBe(2);
    });
  },
);
