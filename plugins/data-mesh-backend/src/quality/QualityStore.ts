import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  QualityCheckResult,
  QualityRun,
  QualityStatus,
} from '@quanta/plugin-data-mesh-common';
import type { Knex } from 'knex';
import { openDatabase } from '../shared/database';
import { chunks, isPostgres, withoutNul } from '../shared/sql';
import { SLICE, pause } from '../shared/slices';
import {
  COUNTED_SLOS,
  type SloInputs,
  countedSloOf,
  isFreshnessCheck,
} from './slo';

/** Rows per insert: 11 columns x 500 stays far below SQLite's variable limit. */
const SQLITE_CHUNK = 500;
/**
 * Rows per insert on PostgreSQL, sent as one array per column: a few
 * milliseconds of the event loop to send, and as fast in all as larger ones.
 */
const PG_CHUNK = 2000;

type ResultRow = {
  run_pk: number;
  check_id: string;
  name: string;
  status: string;
  dimension: string | null;
  slo: string | null;
  measured: string | null;
  threshold: string | null;
  message: string | null;
  dataset: string | null;
  finished_at: number;
};

/** Columns that differ from row to row, with their types on PostgreSQL. */
const PG_ARRAYS: Array<[keyof ResultRow, string]> = [
  ['check_id', 'text'],
  ['name', 'text'],
  ['status', 'text'],
  ['dimension', 'text'],
  ['slo', 'text'],
  ['measured', 'text'],
  ['threshold', 'text'],
  ['message', 'text'],
  ['dataset', 'text'],
];

/**
 * One chunk of a run's results on PostgreSQL: the run and its time bound
 * once, the rest as column arrays, which the server reads several times
 * faster than rows of bound values. Results already stored are left alone.
 */
const PG_INSERT = `INSERT INTO dm_quality_results (run_pk, finished_at, ${PG_ARRAYS.map(
  ([column]) => column,
).join(', ')})
  SELECT ?::integer, ?::bigint, u.* FROM unnest(${PG_ARRAYS.map(
    ([, type]) => `?::${type}[]`,
  ).join(', ')}) AS u
  ON CONFLICT (run_pk, check_id) DO NOTHING`;

const isBad = (status: QualityStatus) =>
  status === 'fail' || status === 'error';

/** A run to store, with the product it is about. */
export type QualityRunInput = QualityRun & {
  entityRef: string;
  outputPort?: string;
  /**
   * Dated when it was received, for want of a time of its own: stored and
   * counted, but never a delivery of data for freshness.
   */
  undated?: boolean;
};

/** A run as stored, with its outcome counts. */
export type StoredQualityRun = {
  pk: number;
  entityRef: string;
  source: string;
  runId: string;
  outputPort?: string;
  startedAt: number;
  finishedAt: number;
  arrivedAt: number;
  receivedAt: number;
  url?: string;
  checks: number;
  pass: number;
  warn: number;
  fail: number;
  error: number;
};

/** A stored check result, with its run. */
export type StoredCheckResult = QualityCheckResult & {
  runPk: number;
  finishedAt: number;
};

/** Facts for the governance engine, shaped as `ProductFacts['quality']`. */
export type QualityFacts = {
  checks: Array<{ name: string; passed: boolean; at: string }>;
  lastUpdatedAt?: string;
};

type Counts = {
  check_count: number;
  pass_count: number;
  warn_count: number;
  fail_count: number;
  error_count: number;
  fresh_bad_count: number;
  completeness_count: number;
  completeness_bad: number;
  timeliness_count: number;
  timeliness_bad: number;
  availability_count: number;
  availability_bad: number;
};

function countsOf(
  checks: Array<Pick<QualityCheckResult, 'status' | 'slo' | 'dimension'>>,
): Counts {
  const counts: Counts = {
    check_count: 0,
    pass_count: 0,
    warn_count: 0,
    fail_count: 0,
    error_count: 0,
    fresh_bad_count: 0,
    completeness_count: 0,
    completeness_bad: 0,
    timeliness_count: 0,
    timeliness_bad: 0,
    availability_count: 0,
    availability_bad: 0,
  };
  for (const check of checks) {
    counts.check_count++;
    const key = `${check.status}_count` as const;
    // Validated before; a bad status is left to the database to refuse.
    if (key in counts) counts[key]++;
    const bad = isBad(check.status);
    if (bad && isFreshnessCheck(check)) counts.fresh_bad_count++;
    const slo = countedSloOf(check);
    if (slo) {
      counts[`${slo}_count`]++;
      if (bad) counts[`${slo}_bad`]++;
    }
  }
  return counts;
}

const num = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

const json = (value: unknown) =>
  value === undefined ? null : JSON.stringify(value);

function parsed(value: string | null): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function toRun(row: any): StoredQualityRun {
  return {
    pk: Number(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    runId: row.run_id,
    ...(row.output_port ? { outputPort: row.output_port } : {}),
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    arrivedAt: Number(row.arrived_at),
    receivedAt: Number(row.received_at),
    ...(row.url ? { url: row.url } : {}),
    checks: Number(row.check_count),
    pass: Number(row.pass_count),
    warn: Number(row.warn_count),
    fail: Number(row.fail_count),
    error: Number(row.error_count),
  };
}

function toCheck(row: any): StoredCheckResult {
  const check: StoredCheckResult = {
    runPk: Number(row.run_pk),
    finishedAt: Number(row.finished_at),
    checkId: row.check_id,
    name: row.name,
    status: row.status,
  };
  if (row.dimension) check.dimension = row.dimension;
  if (row.slo) check.slo = row.slo;
  const measured = parsed(row.measured);
  if (measured !== undefined) check.measured = measured;
  const threshold = parsed(row.threshold);
  if (threshold !== undefined) check.threshold = threshold;
  if (row.message) check.message = row.message;
  if (row.dataset) check.dataset = row.dataset;
  return check;
}

/** Runs whose data counts as delivered: nothing errored, freshness held. */
// A run delivers data when nothing errored, no freshness check failed, and
// its time is its own (a run dated on receipt would make old data look new).
const DELIVERED = 'error_count = 0 AND fresh_bad_count = 0 AND undated = 0';

/**
 * Quality runs and check results, as pipelines post them. Each post is one
 * transaction; a run is identified by product, source and run id, and a
 * check result by its run and check id, so posting again stores nothing
 * twice.
 */
export class QualityStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<QualityStore> {
    return new QualityStore(await openDatabase(options));
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Stores one run and its check results in one transaction: either all of
   * it is stored or, when any row is refused, none of it. Check results of
   * the run stored before are left as they are and counted as duplicates.
   *
   * Tens of thousands of checks are handled a slice at a time, pausing for
   * other requests between slices and between chunks of rows written.
   */
  async ingest(
    input: QualityRunInput,
    receivedAt: Date,
  ): Promise<{ stored: number; duplicates: number }> {
    const { checks: posted, ...fields } = input;
    const run = { ...withoutNul(fields), checks: [] as QualityCheckResult[] };
    for (const check of posted) {
      run.checks.push(withoutNul(check));
      if (run.checks.length % SLICE === 0) await pause();
    }
    const finishedAt = Date.parse(run.finishedAt);
    const reported = run.lastUpdatedAt
      ? Date.parse(run.lastUpdatedAt)
      : finishedAt;
    return this.knex.transaction(async tx => {
      // Data cannot be newer than the run that reports it.
      const arrivedAt = Math.min(reported, finishedAt);
      const inserted = await tx('dm_quality_runs')
        .insert({
          entity_ref: run.entityRef,
          source: run.source,
          run_id: run.runId,
          output_port: run.outputPort ?? null,
          started_at: Date.parse(run.startedAt),
          finished_at: finishedAt,
          arrived_at: arrivedAt,
          received_at: receivedAt.getTime(),
          undated: run.undated ? 1 : 0,
          url: run.url ?? null,
          ...countsOf(run.checks),
        })
        .onConflict(['entity_ref', 'source', 'run_id'])
        .ignore()
        .returning('id');
      let runPk: number;
      let known = new Set<string>();
      if (inserted.length) {
        const row = inserted[0];
        runPk = Number(typeof row === 'object' ? row.id : row);
      } else {
        // Posted before: keep what was stored, add the checks it lacked.
        const existing = await tx('dm_quality_runs')
          .where({
            entity_ref: run.entityRef,
            source: run.source,
            run_id: run.runId,
          })
          .first('id', 'finished_at');
        runPk = Number(existing.id);
        const rows = await tx('dm_quality_results')
          .where({ run_pk: runPk })
          .select('check_id');
        known = new Set(rows.map(r => r.check_id));
      }
      const rows: ResultRow[] = [];
      for (const [index, check] of run.checks.entries()) {
        if (index % SLICE === SLICE - 1) await pause();
        if (known.has(check.checkId)) continue;
        rows.push({
          run_pk: runPk,
          check_id: check.checkId,
          name: check.name,
          status: check.status,
          dimension: check.dimension ?? null,
          slo: check.slo ?? null,
          measured: json(check.measured),
          threshold: json(check.threshold),
          message: check.message ?? null,
          dataset: check.dataset ?? null,
          finished_at: finishedAt,
        });
      }
      if (isPostgres(this.knex)) {
        for (const part of chunks(rows, PG_CHUNK)) {
          await tx.raw(PG_INSERT, [
            runPk,
            finishedAt,
            // knex's types do not cover array bindings.
            ...(PG_ARRAYS.map(([column]) =>
              part.map(row => row[column]),
            ) as any),
          ]);
          await pause();
        }
      } else {
        for (const part of chunks(rows, SQLITE_CHUNK)) {
          await tx('dm_quality_results')
            .insert(part)
            .onConflict(['run_pk', 'check_id'])
            .ignore();
          // SQLite writes on this thread: each chunk holds the event loop.
          await pause();
        }
      }
      if (!inserted.length && rows.length) {
        const all = await tx('dm_quality_results')
          .where({ run_pk: runPk })
          .select('status', 'slo', 'dimension');
        await tx('dm_quality_runs').where({ id: runPk }).update(countsOf(all));
      }
      return {
        stored: rows.length,
        duplicates: run.checks.length - rows.length,
      };
    });
  }

  /** Deletes runs and results that finished before the retention period. */
  async enforceRetention(
    now: Date,
    retentionDays: number,
  ): Promise<{ runs: number; results: number }> {
    const cutoff = now.getTime() - retentionDays * 86_400_000;
    return this.knex.transaction(async tx => {
      const results = await tx('dm_quality_results')
        .where('finished_at', '<', cutoff)
        .delete();
      const runs = await tx('dm_quality_runs')
        .where('finished_at', '<', cutoff)
        .delete();
      return { runs, results };
    });
  }

  /**
   * Everything SLOs are worked out from, for some products or all of them,
   * in two statements whatever their number. The window is `(from, until]`;
   * deliveries reach back `lookbackMs` before it, so that the gap crossing
   * its start can be measured.
   */
  async sloInputs(options: {
    from: number;
    until: number;
    lookbackMs: number;
    entityRefs?: string[];
  }): Promise<Map<string, SloInputs>> {
    const { from, until } = options;
    const k = this.knex;
    const inWindow = 'finished_at > ? AND finished_at <= ?';
    const sum = (condition: string, value: string, alias: string) =>
      k.raw(
        `SUM(CASE WHEN ${inWindow} AND ${condition} THEN ${value} ELSE 0 END) AS ${alias}`,
        [from, until],
      );
    const latest = (condition: string, column: string, alias: string) =>
      k.raw(
        `MAX(CASE WHEN finished_at <= ? AND ${condition} THEN ${column} END) AS ${alias}`,
        [until],
      );
    const windowLatest = (condition: string, alias: string) =>
      k.raw(
        `MAX(CASE WHEN ${inWindow} AND ${condition} THEN finished_at END) AS ${alias}`,
        [from, until],
      );
    let query = k('dm_quality_runs')
      .select('entity_ref')
      .select(sum('1 = 1', '1', 'runs'))
      .select(sum('error_count = 0', '1', 'good_runs'))
      .select(
        k.raw(
          'SUM(CASE WHEN finished_at > ? THEN 1 ELSE 0 END) AS future_runs',
          [until],
        ),
      )
      .select(k.raw('MIN(finished_at) AS first_run'))
      .select(latest('1 = 1', 'finished_at', 'last_run'))
      .select(latest('error_count > 0', 'finished_at', 'last_bad_run'))
      .select(latest(DELIVERED, 'arrived_at', 'last_arrival'))
      .select(latest(DELIVERED, 'finished_at', 'last_change'));
    for (const slo of COUNTED_SLOS) {
      query = query
        .select(sum('1 = 1', `${slo}_count`, `${slo}_total`))
        .select(sum('1 = 1', `${slo}_bad`, `${slo}_bad`))
        .select(windowLatest(`${slo}_count > 0`, `${slo}_last`))
        .select(windowLatest(`${slo}_bad > 0`, `${slo}_last_bad`));
    }
    if (options.entityRefs)
      query = query.whereIn('entity_ref', options.entityRefs);
    const rows = await query.groupBy('entity_ref');

    let deliveryQuery = k('dm_quality_runs')
      .select('entity_ref', 'arrived_at', 'finished_at')
      .whereRaw(DELIVERED)
      .where('finished_at', '>', from - options.lookbackMs)
      .where('finished_at', '<=', until);
    if (options.entityRefs) {
      deliveryQuery = deliveryQuery.whereIn('entity_ref', options.entityRefs);
    }
    const deliveries = new Map<
      string,
      Array<{ arrivedAt: number; finishedAt: number }>
    >();
    for (const row of await deliveryQuery) {
      const list = deliveries.get(row.entity_ref) ?? [];
      list.push({
        arrivedAt: Number(row.arrived_at),
        finishedAt: Number(row.finished_at),
      });
      deliveries.set(row.entity_ref, list);
    }

    const out = new Map<string, SloInputs>();
    for (const row of rows) {
      const counted = {} as SloInputs['counted'];
      for (const slo of COUNTED_SLOS) {
        counted[slo] = {
          total: Number(row[`${slo}_total`] ?? 0),
          bad: Number(row[`${slo}_bad`] ?? 0),
          lastAt: num(row[`${slo}_last`]),
          lastBadAt: num(row[`${slo}_last_bad`]),
        };
      }
      out.set(row.entity_ref, {
        runs: Number(row.runs ?? 0),
        goodRuns: Number(row.good_runs ?? 0),
        futureRuns: Number(row.future_runs ?? 0),
        firstRunAt: num(row.first_run),
        lastRunAt: num(row.last_run),
        lastBadRunAt: num(row.last_bad_run),
        lastArrivalAt: num(row.last_arrival),
        lastChangeAt: num(row.last_change),
        deliveries: (deliveries.get(row.entity_ref) ?? []).sort(
          (a, b) => a.finishedAt - b.finishedAt,
        ),
        counted,
      });
    }
    return out;
  }

  /** The newest run of each source of a product up to `until`, newest first. */
  async latestRuns(
    entityRef: string,
    until: number,
  ): Promise<StoredQualityRun[]> {
    const rows = await this.knex
      .select('*')
      .from(
        this.knex('dm_quality_runs')
          .select(
            '*',
            this.knex.raw(
              'ROW_NUMBER() OVER (PARTITION BY source ORDER BY finished_at DESC, id DESC) AS rn',
            ),
          )
          .where({ entity_ref: entityRef })
          .where('finished_at', '<=', until)
          .as('ranked'),
      )
      .where('rn', 1)
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toRun);
  }

  /** Failing and erroring check results of some runs, at most `limit`. */
  async failingChecks(
    runPks: number[],
    limit: number,
  ): Promise<StoredCheckResult[]> {
    if (!runPks.length) return [];
    const rows = await this.knex('dm_quality_results')
      .whereIn('run_pk', runPks)
      .whereIn('status', ['fail', 'error'])
      .orderBy(['run_pk', 'check_id'])
      .limit(limit);
    return rows.map(toCheck);
  }

  /** Check results and passing ones (pass or warn) per UTC day since `from`. */
  async outcomesByDay(
    entityRef: string,
    from: number,
    until: number,
  ): Promise<Array<{ day: number; checks: number; passed: number }>> {
    const rows = await this.knex('dm_quality_runs')
      .select(this.knex.raw('(finished_at / 86400000) AS day'))
      .sum({
        checks: 'check_count',
        passed: 'pass_count',
        warned: 'warn_count',
      })
      .where({ entity_ref: entityRef })
      .where('finished_at', '>=', from)
      .where('finished_at', '<=', until)
      .groupByRaw('(finished_at / 86400000)');
    return rows.map((row: any) => ({
      day: Math.floor(Number(row.day)),
      checks: Number(row.checks ?? 0),
      passed: Number(row.passed ?? 0) + Number(row.warned ?? 0),
    }));
  }

  /**
   * The facts the governance engine reads, for every product with results,
   * in one statement: the check results of the newest run of each source
   * (a `warn` passes) and when data last arrived (the newest run without
   * errors and with freshness held).
   */
  async facts(
    until: number,
    /** Only these products, as an evaluation of some products asks. */
    entityRefs?: string[],
  ): Promise<Map<string, QualityFacts>> {
    if (entityRefs && !entityRefs.length) return new Map();
    // A long list costs more to bind than reading every product does.
    const only = entityRefs && entityRefs.length <= 500 ? entityRefs : [];
    const filter = only.length
      ? ` AND entity_ref IN (${only.map(() => '?').join(', ')})`
      : '';
    const result = await this.knex.raw(
      `WITH latest AS (
         SELECT id, entity_ref, finished_at,
           ROW_NUMBER() OVER (PARTITION BY entity_ref, source ORDER BY finished_at DESC, id DESC) AS rn
         FROM dm_quality_runs WHERE finished_at <= ?${filter}
       )
       SELECT l.entity_ref AS entity_ref, c.name AS name, c.status AS status,
         l.finished_at AS at, NULL AS arrived_at
       FROM latest l JOIN dm_quality_results c ON c.run_pk = l.id
       WHERE l.rn = 1
       UNION ALL
       SELECT entity_ref, NULL, NULL, NULL,
         MAX(CASE WHEN ${DELIVERED} THEN arrived_at END)
       FROM dm_quality_runs WHERE finished_at <= ?${filter}
       GROUP BY entity_ref`,
      [until, ...only, until, ...only],
    );
    const rows: any[] = Array.isArray(result) ? result : result.rows;
    const out = new Map<string, QualityFacts>();
    for (const row of rows) {
      let facts = out.get(row.entity_ref);
      if (!facts) {
        facts = { checks: [] };
        out.set(row.entity_ref, facts);
      }
      if (row.name !== null && row.name !== undefined) {
        facts.checks.push({
          name: row.name,
          passed: !isBad(row.status),
          at: new Date(Number(row.at)).toISOString(),
        });
      } else if (row.arrived_at !== null && row.arrived_at !== undefined) {
        facts.lastUpdatedAt = new Date(Number(row.arrived_at)).toISOString();
      }
    }
    return out;
  }
}
