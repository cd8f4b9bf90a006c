import type { QualityCheckResult } from '@quanta/plugin-data-mesh-common';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { QualityStore, type QualityRunInput } from './QualityStore';

jest.setTimeout(60_000);

const { databases, createStore } = storeTestDatabases(options =>
  QualityStore.create(options),
);

const ORDERS = 'dataproduct:default/orders';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-06-15T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function check(
  checkId: string,
  status: QualityCheckResult['status'],
  extra: Partial<QualityCheckResult> = {},
): QualityCheckResult {
  return { checkId, name: checkId.replace(/_/g, ' '), status, ...extra };
}

function run(
  runId: string,
  finishedAt: number,
  checks: QualityCheckResult[],
  extra: Partial<QualityRunInput> = {},
): QualityRunInput {
  return {
    entityRef: ORDERS,
    source: 'dbt',
    runId,
    startedAt: iso(finishedAt - 60_000),
    finishedAt: iso(finishedAt),
    checks,
    ...extra,
  };
}

describe.each(databases.eachSupportedId())('QualityStore on %s', databaseId => {
  it('stores a run once, however often it is posted, and adds checks it lacked', async () => {
    const { store, knex } = await createStore(databaseId);
    const first = run('r1', now - HOUR, [
      check('not_null_id', 'pass', { dimension: 'completeness', measured: 0 }),
      check('unique_id', 'fail', {
        dimension: 'uniqueness',
        measured: 4,
        threshold: 'fail if != 0',
        message: 'Got 4 results',
      }),
    ]);
    expect(await store.ingest(first, new Date(now))).toEqual({
      stored: 2,
      duplicates: 0,
    });
    expect(await store.ingest(first, new Date(now))).toEqual({
      stored: 0,
      duplicates: 2,
    });
    // The same run posted again with one more check: only that one is new.
    const more = run('r1', now - HOUR, [
      ...first.checks,
      check('accepted_values_status', 'error', { message: 'no column' }),
    ]);
    expect(await store.ingest(more, new Date(now))).toEqual({
      stored: 1,
      duplicates: 2,
    });
    // Another product may have a run with the same id.
    expect(
      await store.ingest(
        { ...first, entityRef: 'dataproduct:default/customers' },
        new Date(now),
      ),
    ).toEqual({ stored: 2, duplicates: 0 });

    expect(Number((await knex('dm_quality_runs').count({ n: '*' }))[0].n)).toBe(
      2,
    );
    const runs = await store.latestRuns(ORDERS, now);
    expect(runs).toEqual([
      expect.objectContaining({
        source: 'dbt',
        runId: 'r1',
        checks: 3,
        pass: 1,
        warn: 0,
        fail: 1,
        error: 1,
      }),
    ]);
    const failing = await store.failingChecks([runs[0].pk], 10);
    expect(
      failing.map(c => [c.checkId, c.status, c.measured, c.threshold]),
    ).toEqual([
      ['accepted_values_status', 'error', undefined, undefined],
      ['unique_id', 'fail', 4, 'fail if != 0'],
    ]);
    expect(failing[1].message).toBe('Got 4 results');
  });

  it('stores nothing of a batch with one bad item', async () => {
    const { store, knex } = await createStore(databaseId);
    const checks = Array.from({ length: 1200 }, (_, i) =>
      check(`check_${i}`, 'pass'),
    );
    // A null status breaks a NOT NULL column (on SQLite, in the second chunk
    // of rows, after the first was written).
    (checks[900] as any).status = null;
    // The run row is written first, so this checks that it is rolled back.
    // The message is compared rather than the error: the SQLite driver's
    // error class may come from another test file's module registry.
    const failure = await store
      .ingest(run('r-bad', now - HOUR, checks), new Date(now))
      .then(
        () => 'stored',
        (error: unknown) => String(error),
      );
    expect(failure).toMatch(/status/);
    expect(Number((await knex('dm_quality_runs').count({ n: '*' }))[0].n)).toBe(
      0,
    );
    expect(
      Number((await knex('dm_quality_results').count({ n: '*' }))[0].n),
    ).toBe(0);

    // The same batch, once fixed, is stored whole.
    (checks[900] as any).status = 'warn';
    expect(
      await store.ingest(run('r-bad', now - HOUR, checks), new Date(now)),
    ).toEqual({ stored: 1200, duplicates: 0 });
  });

  it('deletes runs and results older than the retention period', async () => {
    const { store, knex } = await createStore(databaseId);
    await store.ingest(
      run('old', now - 401 * DAY, [check('a', 'pass')]),
      new Date(now),
    );
    await store.ingest(
      run('kept', now - 399 * DAY, [check('a', 'pass')]),
      new Date(now),
    );
    await store.ingest(
      run('new', now - HOUR, [check('a', 'fail')]),
      new Date(now),
    );
    expect(await store.enforceRetention(new Date(now), 400)).toEqual({
      runs: 1,
      results: 1,
    });
    const left = await knex('dm_quality_runs')
      .orderBy('run_id')
      .pluck('run_id');
    expect(left).toEqual(['kept', 'new']);
    expect(
      Number((await knex('dm_quality_results').count({ n: '*' }))[0].n),
    ).toBe(2);
  });

  it('gathers SLO inputs for all products in one pass', async () => {
    const { store } = await createStore(databaseId);
    const fresh = (status: QualityCheckResult['status']) =>
      check('freshness', status, { slo: 'freshness', dimension: 'timeliness' });
    const complete = (status: QualityCheckResult['status']) =>
      check('complete', status, { dimension: 'completeness' });
    await store.ingest(
      run('1', now - 40 * DAY, [fresh('pass'), complete('pass')]),
      new Date(now),
    );
    await store.ingest(
      run('2', now - 2 * DAY, [fresh('pass'), complete('fail')], {
        lastUpdatedAt: iso(now - 2 * DAY - 3 * HOUR),
      }),
      new Date(now),
    );
    await store.ingest(
      run('3', now - DAY, [fresh('fail'), complete('pass')]),
      new Date(now),
    );
    await store.ingest(
      run('4', now - HOUR, [
        check('readable', 'error', { slo: 'availability' }),
        complete('pass'),
      ]),
      new Date(now),
    );
    await store.ingest(
      run('future', now + 2 * DAY, [fresh('pass')]),
      new Date(now),
    );
    await store.ingest(
      run('c1', now - HOUR, [check('x', 'pass')], {
        entityRef: 'dataproduct:default/customers',
      }),
      new Date(now),
    );
    const inputs = await store.sloInputs({
      from: now - 30 * DAY,
      until: now,
      lookbackMs: 20 * DAY,
    });
    expect([...inputs.keys()].sort()).toEqual([
      'dataproduct:default/customers',
      ORDERS,
    ]);
    const orders = inputs.get(ORDERS)!;
    expect(orders).toEqual({
      runs: 3,
      goodRuns: 2,
      futureRuns: 1,
      firstRunAt: now - 40 * DAY,
      lastRunAt: now - HOUR,
      lastBadRunAt: now - HOUR,
      // Run 2: its data is three hours older than the run.
      lastArrivalAt: now - 2 * DAY - 3 * HOUR,
      lastChangeAt: now - 2 * DAY,
      // Run 1 is within the look-back; 3 failed freshness, 4 errored.
      deliveries: [
        { arrivedAt: now - 40 * DAY, finishedAt: now - 40 * DAY },
        { arrivedAt: now - 2 * DAY - 3 * HOUR, finishedAt: now - 2 * DAY },
      ],
      counted: {
        completeness: {
          total: 3,
          bad: 1,
          lastAt: now - HOUR,
          lastBadAt: now - 2 * DAY,
        },
        timeliness: {
          total: 0,
          bad: 0,
          lastAt: undefined,
          lastBadAt: undefined,
        },
        availability: {
          total: 1,
          bad: 1,
          lastAt: now - HOUR,
          lastBadAt: now - HOUR,
        },
      },
    });
    const one = await store.sloInputs({
      from: now - 30 * DAY,
      until: now,
      lookbackMs: 0,
      entityRefs: ['dataproduct:default/customers'],
    });
    expect([...one.keys()]).toEqual(['dataproduct:default/customers']);
    expect(one.get('dataproduct:default/customers')!.deliveries).toHaveLength(
      1,
    );
  });

  it('counts outcomes per day and offers facts to the engine', async () => {
    const { store } = await createStore(databaseId);
    const day = (n: number) => Date.parse('2026-06-10T00:00:00Z') + n * DAY;
    await store.ingest(
      run('a', day(0) + HOUR, [check('x', 'pass'), check('y', 'warn')]),
      new Date(now),
    );
    await store.ingest(
      run('b', day(0) + 5 * HOUR, [check('x', 'fail'), check('y', 'pass')]),
      new Date(now),
    );
    await store.ingest(
      run('c', day(2) + HOUR, [check('x', 'pass'), check('y', 'error')]),
      new Date(now),
    );
    await store.ingest(
      run('s1', day(2) + 2 * HOUR, [check('z', 'pass')], { source: 'soda' }),
      new Date(now),
    );
    await store.ingest(
      run('late', now + DAY, [check('x', 'fail')]),
      new Date(now),
    );
    const byDay = await store.outcomesByDay(ORDERS, day(0), now);
    expect(byDay.sort((a, b) => a.day - b.day)).toEqual([
      { day: day(0) / DAY, checks: 4, passed: 3 },
      { day: day(2) / DAY, checks: 3, passed: 2 },
    ]);

    const facts = await store.facts(now);
    const orders = facts.get(ORDERS)!;
    expect(orders.checks.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'x', passed: true, at: iso(day(2) + HOUR) },
      { name: 'y', passed: false, at: iso(day(2) + HOUR) },
      { name: 'z', passed: true, at: iso(day(2) + 2 * HOUR) },
    ]);
    // Run c errored, so data last arrived with the soda run.
    expect(orders.lastUpdatedAt).toBe(iso(day(2) + 2 * HOUR));
    // Only some products, as an evaluation of those asks.
    expect([...(await store.facts(now, [ORDERS])).keys()]).toEqual([ORDERS]);
    expect(
      (await store.facts(now, ['dataproduct:default/customers'])).size,
    ).toBe(0);
    expect((await store.facts(now, [])).size).toBe(0);
  });
  it('never counts a run dated on receipt as a delivery of data', async () => {
    const { store } = await createStore(databaseId);
    // A dated run two days ago, then an undated one received now: it passed,
    // but its time is only the time it came in.
    await store.ingest(
      run('dated', now - 2 * DAY, [check('x', 'pass')]),
      new Date(now),
    );
    await store.ingest(
      run('undated', now, [check('x', 'pass')], { undated: true }),
      new Date(now),
    );
    const facts = (await store.facts(now)).get(ORDERS)!;
    expect(facts.lastUpdatedAt).toBe(iso(now - 2 * DAY));
    // Its checks still count.
    expect(facts.checks).toEqual([{ name: 'x', passed: true, at: iso(now) }]);
    const inputs = (
      await store.sloInputs({
        from: now - 30 * DAY,
        until: now,
        lookbackMs: 400 * DAY,
      })
    ).get(ORDERS)!;
    expect(inputs.deliveries.map(d => d.finishedAt)).toEqual([now - 2 * DAY]);
  });
  it('stores text without NUL characters, which PostgreSQL cannot hold', async () => {
    const { store } = await createStore(databaseId);
    const outcome = await store.ingest(
      run('nul\u0000run', now - HOUR, [
        check('id\u0000x', 'fail', {
          name: 'orders\u0000 unique',
          message: 'dup\u0000licates',
          dataset: 'sales.\u0000orders',
          measured: '3\u0000 rows',
        }),
      ]),
      new Date(now),
    );
    expect(outcome).toEqual({ stored: 1, duplicates: 0 });
    const [latest] = await store.latestRuns(ORDERS, now);
    expect(latest.runId).toBe('nulrun');
    const [stored] = await store.failingChecks([latest.pk], 10);
    expect(stored).toMatchObject({
      checkId: 'idx',
      name: 'orders unique',
      message: 'duplicates',
      dataset: 'sales.orders',
      measured: '3 rows',
    });
  });
});
