import {
  type DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  AdoptionResponse,
  AttributeScores,
  PolicyResult,
  PolicyStatus,
  ProductScorecard,
  Rollup,
  RunRecord,
  ScorecardHistoryPoint,
  ScorecardResponse,
  StoredWaiver,
  Waiver,
} from '@quanta/plugin-data-mesh-common';
import { waiverEnd } from '@quanta/plugin-data-mesh-node';

const migrationsDir = resolvePackagePath(
  '@quanta/plugin-data-mesh-backend',
  'migrations',
);

const LOCK = 'evaluation';

/** Another process took the evaluation lock between our read and our write. */
class LockTaken extends Error {}

export type RunTrigger = 'schedule' | 'api' | 'catalog';

export type { RunRecord, Rollup, StoredWaiver };

/** A scorecard with what roll-ups group it by. */
export type StoredScorecard = ProductScorecard & {
  domain?: string;
  owner?: string;
  /** The descriptor names the template that created the product. */
  fromTemplate?: boolean;
  /** Catalog etag of the entity evaluated, to notice when it changes. */
  etag?: string;
};

/** A product's stored scorecard, without its results, waivers and history. */
export type ScorecardRow = Omit<
  ScorecardResponse,
  'results' | 'nextLevel' | 'waivers' | 'history'
>;

/** Every day, or one day a week, of a series over time. */
export type Resolution = 'day' | 'week';

/** What happened to waivers declared in descriptors since the last run. */
export type WaiverSync = {
  granted: StoredWaiver[];
  changed: StoredWaiver[];
  revoked: StoredWaiver[];
};

/** Day of a timestamp, UTC, as stored in the history tables. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function toIso(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value).toISOString();
}

/** Rows a single SQL statement writes at most; keeps SQLite under its variable limit. */
const CHUNK = 500;
/** Rows PostgreSQL takes in one statement, as one array per column. */
const PG_CHUNK = 50_000;

/**
 * The governance tables: runs, current results and scorecards, the history
 * (daily snapshots and result changes), roll-ups and API-granted waivers.
 */
export class DataMeshStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DataMeshStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DataMeshStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /** Counts the SQL statements issued while `work` runs. */
  async countStatements<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; statements: number }> {
    let statements = 0;
    const listener = () => {
      statements++;
    };
    this.knex.on('query', listener);
    try {
      const result = await work();
      return { result, statements };
    } finally {
      this.knex.removeListener('query', listener);
    }
  }

  /**
   * Starts a run unless another one holds the evaluation lock. A lock older
   * than `staleAfterMs` belongs to a run that died and is taken over.
   */
  async tryStartRun(
    trigger: RunTrigger,
    now: Date,
    staleAfterMs: number,
  ): Promise<
    { started: true; runId: number } | { started: false; runId: number }
  > {
    try {
      return await this.knex.transaction(async tx => {
        const lock = await tx('dm_locks').where({ name: LOCK }).first();
        if (
          lock &&
          new Date(lock.acquired_at).getTime() > now.getTime() - staleAfterMs
        ) {
          return { started: false as const, runId: Number(lock.run_id) };
        }
        const [row] = await tx('dm_runs')
          .insert({ trigger, status: 'running', started_at: now })
          .returning('id');
        const runId = Number(typeof row === 'object' ? row.id : row);
        if (lock) {
          const taken = await tx('dm_locks')
            .where({ name: LOCK, run_id: lock.run_id })
            .update({ run_id: runId, acquired_at: now });
          if (taken !== 1) throw new LockTaken();
          await tx('dm_runs')
            .where({ id: lock.run_id, status: 'running' })
            .update({
              status: 'failed',
              error: 'Abandoned: the run stopped without finishing',
            });
        } else {
          await tx('dm_locks').insert({
            name: LOCK,
            run_id: runId,
            acquired_at: now,
          });
        }
        return { started: true as const, runId };
      });
    } catch (error) {
      // Another process took the lock between our read and our write.
      const lock = await this.knex('dm_locks').where({ name: LOCK }).first();
      if (lock) return { started: false, runId: Number(lock.run_id) };
      throw error;
    }
  }

  async finishRun(
    runId: number,
    outcome: {
      status: 'completed' | 'failed';
      finishedAt: Date;
      durationMs: number;
      products?: number;
      policies?: number;
      statements?: number;
      error?: string;
    },
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx('dm_runs')
        .where({ id: runId })
        .update({
          status: outcome.status,
          finished_at: outcome.finishedAt,
          duration_ms: outcome.durationMs,
          products: outcome.products ?? null,
          policies: outcome.policies ?? null,
          statements: outcome.statements ?? null,
          error: outcome.error ?? null,
        });
      await tx('dm_locks').where({ name: LOCK, run_id: runId }).delete();
    });
  }

  async getRun(runId: number): Promise<RunRecord | undefined> {
    const row = await this.knex('dm_runs').where({ id: runId }).first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(limit: number): Promise<RunRecord[]> {
    const rows = await this.knex('dm_runs').orderBy('id', 'desc').limit(limit);
    return rows.map(toRun);
  }

  /**
   * Writes one run's scorecards in a single transaction: only results whose
   * status or message changed are written, each change of status is kept as
   * history, today's snapshot of every evaluated product is upserted and the
   * roll-ups are recomputed. `complete` means the scorecards cover the whole
   * mesh, so products missing from them are gone and are removed.
   */
  async writeEvaluation(options: {
    runId: number;
    now: Date;
    scorecards: StoredScorecard[];
    complete: boolean;
    /** Products gone from the catalog, for runs that are not complete. */
    removed?: string[];
  }): Promise<void> {
    const { runId, now, scorecards, complete } = options;
    const day = dayOf(now);
    const refs = scorecards.map(s => s.entityRef);

    const digests = new Map(
      scorecards.map(card => [card.entityRef, digestOf(card.results)]),
    );
    await this.knex.transaction(async tx => {
      // Only products whose results differ from the stored digest need their
      // stored results read and compared; in a steady mesh that is few.
      let known: Array<{ entity_ref: string; results_digest: string | null }> =
        [];
      if (complete) {
        known = await tx('dm_scorecards').select(
          'entity_ref',
          'results_digest',
        );
      } else {
        for (const part of chunks(refs, CHUNK)) {
          known = known.concat(
            await tx('dm_scorecards')
              .whereIn('entity_ref', part)
              .select('entity_ref', 'results_digest'),
          );
        }
      }
      const storedDigest = new Map(
        known.map(r => [r.entity_ref, r.results_digest]),
      );
      const differing = scorecards.filter(
        card =>
          storedDigest.get(card.entityRef) !== digests.get(card.entityRef),
      );
      const previous = await this.readResults(
        tx,
        differing
          .filter(card => storedDigest.has(card.entityRef))
          .map(card => card.entityRef),
      );
      const upserts: Record<string, unknown>[] = [];
      const changes: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      for (const card of differing) {
        // A product new to the store has no results to compare with or to
        // leave behind: a first run skips a key per result.
        const stored = storedDigest.has(card.entityRef);
        for (const result of card.results) {
          let before: ReturnType<typeof previous.get>;
          if (stored) {
            const key = `${card.entityRef}\u0000${result.policyId}`;
            seen.add(key);
            before = previous.get(key);
          }
          const message = result.message ?? null;
          if (
            before &&
            before.status === result.status &&
            before.message === message
          ) {
            continue;
          }
          const statusChanged = !before || before.status !== result.status;
          upserts.push({
            entity_ref: card.entityRef,
            policy_id: result.policyId,
            status: result.status,
            message,
            since: statusChanged ? now : before!.since,
          });
          // A product's first results are its starting state, not a change:
          // `since` already records when they began.
          if (before && statusChanged) {
            changes.push({
              entity_ref: card.entityRef,
              policy_id: result.policyId,
              from_status: before?.status ?? null,
              to_status: result.status,
              run_id: runId,
              changed_at: now,
            });
          }
        }
      }
      // Results of products (or policies) that no longer exist.
      const stale = [...previous.entries()].filter(([key]) => !seen.has(key));
      for (const part of chunks(stale, CHUNK)) {
        await tx('dm_results')
          .whereIn(
            ['entity_ref', 'policy_id'],
            part.map(([, row]) => [row.entity_ref, row.policy_id]),
          )
          .delete();
      }
      await this.insertRows(tx, 'dm_results', upserts, {
        conflict: ['entity_ref', 'policy_id'],
        merge: ['status', 'message', 'since'],
      });
      await this.insertRows(tx, 'dm_result_changes', changes);

      const cardRows = scorecards.map(card => ({
        entity_ref: card.entityRef,
        domain: card.domain ?? null,
        owner: card.owner ?? null,
        level: card.level ?? null,
        score: card.score,
        attributes: JSON.stringify(card.attributes),
        run_id: runId,
        evaluated_at: now,
        from_template: card.fromTemplate ?? false,
        etag: card.etag ?? null,
        results_digest: digests.get(card.entityRef),
      }));
      const keep = new Set(refs);
      const gone = complete
        ? known.map(r => r.entity_ref).filter(ref => !keep.has(ref))
        : options.removed ?? [];
      for (const part of chunks(gone, CHUNK)) {
        await tx('dm_scorecards').whereIn('entity_ref', part).delete();
        await tx('dm_results').whereIn('entity_ref', part).delete();
      }
      await this.insertRows(tx, 'dm_scorecards', cardRows, {
        conflict: ['entity_ref'],
        merge: [
          'domain',
          'owner',
          'level',
          'score',
          'attributes',
          'run_id',
          'evaluated_at',
          'from_template',
          'etag',
          'results_digest',
        ],
      });
      const snapshots = scorecards.map(card => ({
        day,
        entity_ref: card.entityRef,
        level: card.level ?? null,
        score: card.score,
      }));
      await this.insertRows(tx, 'dm_daily_snapshots', snapshots, {
        conflict: ['entity_ref', 'day'],
        merge: ['level', 'score'],
      });
      await this.writeRollups(tx, day);
      await this.writePolicyDay(tx, day);
    });
  }

  /**
   * Inserts (or upserts) rows in as few statements as the engine allows:
   * PostgreSQL takes tens of thousands of rows as one array per column;
   * SQLite takes them in chunks of 500, its limit of terms in one compound
   * select.
   */
  private async insertRows(
    tx: Knex.Transaction,
    table: string,
    rows: Record<string, unknown>[],
    upsert?: { conflict: string[]; merge: string[] },
  ): Promise<void> {
    if (rows.length === 0) return;
    if (!this.isPostgres()) {
      for (const part of chunks(rows, CHUNK)) {
        const insert = tx(table).insert(part);
        if (upsert)
          await insert.onConflict(upsert.conflict).merge(upsert.merge);
        else await insert;
      }
      return;
    }
    const columns = Object.keys(rows[0]);
    const types = await this.columnTypes(tx, table);
    const typeOf = (column: string) => {
      const type = types.get(column);
      if (!type) throw new Error(`${table} has no column ${column}`);
      return type;
    };
    const list = columns.map(c => `"${c}"`).join(', ');
    const conflict = upsert
      ? ` ON CONFLICT (${upsert.conflict
          .map(c => `"${c}"`)
          .join(', ')}) DO UPDATE SET ${upsert.merge
          .map(c => `"${c}" = excluded."${c}"`)
          .join(', ')}`
      : '';
    for (const part of chunks(rows, PG_CHUNK)) {
      // A column with one value in every row (the run's time, a day, a run
      // id) goes as that one value: both ends would otherwise handle it once
      // per row. The first column stays an array, so that the statement
      // inserts as many rows as it is given.
      const scalars: unknown[] = [];
      const arrays: unknown[][] = [];
      const selected: string[] = [];
      const unnested: string[] = [];
      const arrayColumns: string[] = [];
      columns.forEach((column, i) => {
        const values = part.map(row => row[column] ?? null);
        if (i > 0 && sameValue(values)) {
          scalars.push(values[0]);
          selected.push(`?::${typeOf(column)}`);
        } else {
          arrays.push(values);
          unnested.push(`?::${typeOf(column)}[]`);
          arrayColumns.push(`"${column}"`);
          selected.push(`u."${column}"`);
        }
      });
      await tx.raw(
        `INSERT INTO "${table}" (${list}) SELECT ${selected.join(
          ', ',
        )} FROM unnest(${unnested.join(', ')}) AS u(${arrayColumns.join(
          ', ',
        )})${conflict}`,
        // The scalars come first in the text; knex's types do not cover
        // array bindings.
        [...scalars, ...arrays] as any,
      );
    }
  }

  private readonly types = new Map<string, Map<string, string>>();

  /** SQL types of a table's columns, read once, to type the arrays of a bulk insert. */
  private async columnTypes(
    tx: Knex.Transaction,
    table: string,
  ): Promise<Map<string, string>> {
    let types = this.types.get(table);
    if (!types) {
      const result = await tx.raw(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()',
        [table],
      );
      types = new Map(
        result.rows.map((r: any) => [r.column_name, r.data_type as string]),
      );
      this.types.set(table, types);
    }
    return types;
  }

  private isPostgres(): boolean {
    return this.knex.client.config.client === 'pg';
  }

  /** Today's outcome counts per policy, from the current results, in one statement. */
  private async writePolicyDay(tx: Knex.Transaction, day: string) {
    await tx('dm_policy_daily').where({ day }).delete();
    const count = (status: string) =>
      `SUM(CASE WHEN status = '${status}' THEN 1 ELSE 0 END)`;
    await tx.raw(
      `INSERT INTO dm_policy_daily (day, policy_id, pass, fail, waived, not_applicable, error)
       SELECT ?, policy_id, ${count('pass')}, ${count('fail')}, ${count(
        'waived',
      )}, ${count('not-applicable')}, ${count('error')}
       FROM dm_results GROUP BY policy_id`,
      [day],
    );
  }

  private async readResults(
    tx: Knex.Transaction,
    refs: string[],
  ): Promise<
    Map<
      string,
      {
        entity_ref: string;
        policy_id: string;
        status: string;
        message: string | null;
        since: unknown;
      }
    >
  > {
    // Concatenated, not spread into push(): a mesh has hundreds of
    // thousands of results, more arguments than one call can take.
    let rows: any[] = [];
    for (const part of chunks(refs, CHUNK)) {
      rows = rows.concat(
        await tx('dm_results').whereIn('entity_ref', part).select(),
      );
    }
    return new Map(rows.map(r => [`${r.entity_ref}\u0000${r.policy_id}`, r]));
  }

  /** Recomputes today's roll-ups per domain, owner group and the whole mesh from the current scorecards. */
  private async writeRollups(tx: Knex.Transaction, day: string) {
    const cards = await tx('dm_scorecards').select(
      'domain',
      'owner',
      'level',
      'score',
      'attributes',
      'from_template',
    );
    const groups = new Map<
      string,
      { kind: Rollup['kind']; key: string; rows: any[] }
    >();
    const add = (kind: Rollup['kind'], key: string | null, row: any) => {
      if (!key) return;
      const id = `${kind}\u0000${key}`;
      const group = groups.get(id) ?? { kind, key, rows: [] };
      group.rows.push(row);
      groups.set(id, group);
    };
    for (const row of cards) {
      add('mesh', 'mesh', row);
      add('domain', row.domain, row);
      add('owner', row.owner, row);
    }
    const rollups = [...groups.values()].map(group =>
      summarize(day, group.kind, group.key, group.rows),
    );
    await tx('dm_rollups').where({ day }).delete();
    await this.insertRows(
      tx,
      'dm_rollups',
      rollups.map(r => ({
        day: r.day,
        kind: r.kind,
        key: r.key,
        products: r.products,
        score: r.score,
        levels: JSON.stringify(r.levels),
        attributes: JSON.stringify(r.attributes),
        from_template: r.fromTemplate,
      })),
    );
  }

  async getScorecard(entityRef: string): Promise<ScorecardRow | undefined> {
    const row = await this.knex('dm_scorecards')
      .where({ entity_ref: entityRef })
      .first();
    return row ? toScorecard(row) : undefined;
  }

  async getResults(
    entityRef: string,
  ): Promise<Array<PolicyResult & { since: string }>> {
    const rows = await this.knex('dm_results')
      .where({ entity_ref: entityRef })
      .orderBy('policy_id');
    return rows.map(r => ({
      policyId: r.policy_id,
      status: r.status as PolicyStatus,
      ...(r.message ? { message: r.message } : {}),
      since: toIso(r.since)!,
    }));
  }

  /** Daily level and score of a product since a day (inclusive), oldest first. */
  async getHistory(
    entityRef: string,
    fromDay: string,
  ): Promise<ScorecardHistoryPoint[]> {
    const rows = await this.knex('dm_daily_snapshots')
      .where({ entity_ref: entityRef })
      .andWhere('day', '>=', fromDay)
      .orderBy('day');
    return rows.map(r => ({
      day: r.day as string,
      level: r.level ?? undefined,
      score: Number(r.score),
    }));
  }

  /**
   * The days to read from `fromDay` on: every day, or every seventh day back
   * from the latest one with a roll-up, so that a year stays a small answer.
   */
  private async daysOf(
    fromDay: string,
    resolution: Resolution,
  ): Promise<string[] | undefined> {
    if (resolution === 'day') return undefined;
    const [{ latest }] = await this.knex('dm_rollups').max({ latest: 'day' });
    if (!latest) return [];
    const days: string[] = [];
    const end = new Date(`${latest}T00:00:00.000Z`).getTime();
    for (let back = 0; ; back += 7) {
      const day = dayOf(new Date(end - back * 86_400_000));
      if (day < fromDay) break;
      days.push(day);
    }
    return days;
  }

  async getRollups(
    kind: Rollup['kind'],
    options: { fromDay: string; key?: string; resolution?: Resolution },
  ): Promise<Rollup[]> {
    const days = await this.daysOf(
      options.fromDay,
      options.resolution ?? 'day',
    );
    const query = this.knex('dm_rollups')
      .where({ kind })
      .andWhere('day', '>=', options.fromDay);
    if (days) query.whereIn('day', days);
    if (options.key) query.andWhere({ key: options.key });
    const rows = await query.orderBy(['day', 'key']);
    return rows.map(r => ({
      day: r.day,
      kind: r.kind,
      key: r.key,
      products: Number(r.products),
      score: Number(r.score),
      levels: JSON.parse(r.levels),
      attributes: JSON.parse(r.attributes),
    }));
  }

  async addWaiver(
    waiver: Omit<Waiver, 'source'>,
    grantedAt: Date,
  ): Promise<StoredWaiver> {
    const [row] = await this.knex('dm_waivers')
      .insert({
        entity_ref: waiver.entityRef,
        policy_id: waiver.policyId,
        reason: waiver.reason,
        expires_at: new Date(waiver.expiresAt),
        granted_by: waiver.grantedBy,
        granted_at: grantedAt,
        source: 'api',
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    return (await this.getWaiver(id))!;
  }

  async getWaiver(id: number): Promise<StoredWaiver | undefined> {
    const row = await this.knex('dm_waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  /** Revokes a waiver granted through the API; descriptor waivers go by pull request. */
  async revokeWaiver(
    id: number,
    revokedBy: string,
    at: Date,
  ): Promise<StoredWaiver | undefined> {
    await this.knex('dm_waivers')
      .where({ id, source: 'api' })
      .whereNull('revoked_at')
      .update({ revoked_by: revokedBy, revoked_at: at });
    return this.getWaiver(id);
  }

  /** Waivers, from the API and from descriptors, neither revoked nor expired at `now`. */
  async listActiveWaivers(
    now: Date,
    options: { entityRef?: string; source?: Waiver['source'] } = {},
  ): Promise<StoredWaiver[]> {
    const query = this.knex('dm_waivers')
      .whereNull('revoked_at')
      .andWhere('expires_at', '>=', now);
    if (options.entityRef) query.andWhere({ entity_ref: options.entityRef });
    if (options.source) query.andWhere({ source: options.source });
    const rows = await query.orderBy('id');
    return rows.map(toWaiver);
  }

  /**
   * Mirrors the waivers declared in descriptors, so that their grant, change
   * and removal can be audited and listed with the others. `scope` limits
   * the sync to some products (a run for one product); otherwise `declared`
   * is every declared waiver of the mesh.
   */
  async syncDeclaredWaivers(
    declared: Waiver[],
    now: Date,
    scope?: string[],
  ): Promise<WaiverSync> {
    return this.knex.transaction(async tx => {
      let rows: any[] = [];
      if (scope) {
        for (const part of chunks(scope, CHUNK)) {
          rows = rows.concat(
            await tx('dm_waivers')
              .where({ source: 'catalog' })
              .whereNull('revoked_at')
              .whereIn('entity_ref', part),
          );
        }
      } else {
        rows = await tx('dm_waivers')
          .where({ source: 'catalog' })
          .whereNull('revoked_at');
      }
      const key = (ref: string, policy: string) => `${ref}\u0000${policy}`;
      const stored = new Map(
        rows.map(r => [key(r.entity_ref, r.policy_id), r]),
      );
      const wanted = new Map(
        declared.map(w => [key(w.entityRef, w.policyId), w]),
      );
      const grantedIds: number[] = [];
      const changedIds: number[] = [];
      const revokedIds: number[] = [];
      for (const [k, waiver] of wanted) {
        const expiresAt = new Date(waiverEnd(waiver.expiresAt));
        if (!Number.isFinite(expiresAt.getTime())) continue;
        const row = stored.get(k);
        if (!row) {
          // A waiver that ran out before it was first seen never applied here.
          if (expiresAt < now) continue;
          const [inserted] = await tx('dm_waivers')
            .insert({
              entity_ref: waiver.entityRef,
              policy_id: waiver.policyId,
              reason: waiver.reason ?? '',
              expires_at: expiresAt,
              granted_by: waiver.grantedBy,
              granted_at: now,
              source: 'catalog',
            })
            .returning('id');
          grantedIds.push(
            Number(typeof inserted === 'object' ? inserted.id : inserted),
          );
        } else if (
          row.reason !== (waiver.reason ?? '') ||
          new Date(row.expires_at).getTime() !== expiresAt.getTime() ||
          row.granted_by !== waiver.grantedBy
        ) {
          // A later expiry re-opens a waiver whose expiry was recorded.
          await tx('dm_waivers')
            .where({ id: row.id })
            .update({
              reason: waiver.reason ?? '',
              expires_at: expiresAt,
              granted_by: waiver.grantedBy,
              expired_at: expiresAt > now ? null : row.expired_at,
            });
          changedIds.push(Number(row.id));
        }
      }
      for (const [k, row] of stored) {
        if (!wanted.has(k)) {
          await tx('dm_waivers')
            .where({ id: row.id })
            .update({ revoked_at: now, revoked_by: 'catalog' });
          revokedIds.push(Number(row.id));
        }
      }
      const read = async (ids: number[]) => {
        let out: any[] = [];
        for (const part of chunks(ids, CHUNK)) {
          out = out.concat(await tx('dm_waivers').whereIn('id', part));
        }
        return out.map(toWaiver);
      };
      return {
        granted: await read(grantedIds),
        changed: await read(changedIds),
        revoked: await read(revokedIds),
      };
    });
  }

  /** Marks waivers that ran out since the last look, and returns them once. */
  async expireWaivers(now: Date): Promise<StoredWaiver[]> {
    return this.knex.transaction(async tx => {
      const rows = await tx('dm_waivers')
        .whereNull('revoked_at')
        .whereNull('expired_at')
        .andWhere('expires_at', '<', now);
      for (const part of chunks(
        rows.map(r => r.id),
        CHUNK,
      )) {
        await tx('dm_waivers').whereIn('id', part).update({ expired_at: now });
      }
      return rows.map(r => toWaiver({ ...r, expired_at: now }));
    });
  }

  /** Catalog etags of the products as last evaluated. */
  async getEtags(): Promise<Map<string, string | undefined>> {
    const rows = await this.knex('dm_scorecards').select('entity_ref', 'etag');
    return new Map(rows.map(r => [r.entity_ref, r.etag ?? undefined]));
  }

  /** Scorecards filtered by owner, domain or level, with what fails now. */
  async listScorecards(options: {
    owner?: string;
    domain?: string;
    /** A level name, or `none` for products below the first level. */
    level?: string;
    limit: number;
    offset: number;
  }): Promise<{
    items: Array<ScorecardRow & { failing: string[] }>;
    totalItems: number;
  }> {
    const query = this.knex('dm_scorecards');
    if (options.owner) query.where({ owner: options.owner });
    if (options.domain) query.where({ domain: options.domain });
    if (options.level === 'none') query.whereNull('level');
    else if (options.level) query.where({ level: options.level });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderBy('entity_ref')
      .limit(options.limit)
      .offset(options.offset);
    const refs = rows.map(r => r.entity_ref as string);
    const failing = new Map<string, string[]>();
    if (refs.length) {
      const results = await this.knex('dm_results')
        .whereIn('entity_ref', refs)
        .whereIn('status', ['fail', 'error'])
        .select('entity_ref', 'policy_id')
        .orderBy('policy_id');
      for (const r of results) {
        const list = failing.get(r.entity_ref) ?? [];
        list.push(r.policy_id);
        failing.set(r.entity_ref, list);
      }
    }
    return {
      items: rows.map(row => ({
        ...toScorecard(row),
        failing: failing.get(row.entity_ref) ?? [],
      })),
      totalItems: Number(count),
    };
  }

  /** Adoption of the mesh since a day: what platform owners chart. */
  async getAdoption(
    fromDay: string,
    resolution: Resolution = 'day',
  ): Promise<
    Omit<AdoptionResponse, 'policies' | 'topFailing'> & {
      policies: Array<{
        policyId: string;
        days: AdoptionResponse['policies'][number]['days'];
      }>;
      topFailing: Array<{
        policyId: string;
        failing: number;
        applicable: number;
      }>;
    }
  > {
    const only = await this.daysOf(fromDay, resolution);
    const meshQuery = this.knex('dm_rollups')
      .where({ kind: 'mesh' })
      .andWhere('day', '>=', fromDay);
    if (only) meshQuery.whereIn('day', only);
    const meshRows = await meshQuery.orderBy('day');
    const days = meshRows.map(r => ({
      day: r.day as string,
      products: Number(r.products),
      fromTemplate: Number(r.from_template),
      score: Number(r.score),
      levels: JSON.parse(r.levels),
    }));
    const latest = days.length ? days[days.length - 1].day : undefined;
    const domains = latest
      ? await this.getRollups('domain', { fromDay: latest })
      : [];
    const policyQuery = this.knex('dm_policy_daily').where(
      'day',
      '>=',
      fromDay,
    );
    if (only) policyQuery.whereIn('day', only);
    const policyRows = await policyQuery.orderBy(['policy_id', 'day']);
    const policies = new Map<
      string,
      AdoptionResponse['policies'][number]['days']
    >();
    const topFailing: Array<{
      policyId: string;
      failing: number;
      applicable: number;
    }> = [];
    for (const r of policyRows) {
      const pass = Number(r.pass);
      const fail = Number(r.fail);
      const waived = Number(r.waived);
      const error = Number(r.error);
      const applicable = pass + fail + waived + error;
      const list = policies.get(r.policy_id) ?? [];
      list.push({
        day: r.day,
        pass,
        fail: fail + error,
        waived,
        passRate: applicable
          ? round1(((pass + waived) / applicable) * 100)
          : 100,
      });
      policies.set(r.policy_id, list);
      if (r.day === latest && fail + error > 0) {
        topFailing.push({
          policyId: r.policy_id,
          failing: fail + error,
          applicable,
        });
      }
    }
    topFailing.sort(
      (a, b) => b.failing - a.failing || a.policyId.localeCompare(b.policyId),
    );
    return {
      days,
      policies: [...policies].map(([policyId, list]) => ({
        policyId,
        days: list,
      })),
      domains,
      topFailing: topFailing.slice(0, 10),
    };
  }

  /** Deletes history older than the retention period. */
  async enforceRetention(now: Date, retentionDays: number): Promise<void> {
    // Every history table is cut at the same day boundary (UTC).
    const cutoffDay = dayOf(
      new Date(now.getTime() - retentionDays * 86_400_000),
    );
    const cutoff = new Date(`${cutoffDay}T00:00:00.000Z`);
    await this.knex('dm_daily_snapshots').where('day', '<', cutoffDay).delete();
    await this.knex('dm_rollups').where('day', '<', cutoffDay).delete();
    await this.knex('dm_policy_daily').where('day', '<', cutoffDay).delete();
    await this.knex('dm_result_changes')
      .where('changed_at', '<', cutoff)
      .delete();
    await this.knex('dm_runs')
      .where('started_at', '<', cutoff)
      .whereNot({ status: 'running' })
      .delete();
  }
}

/** Identifies a product's results, to skip comparing ones that did not change. */
function digestOf(results: PolicyResult[]): string {
  const hash = createHash('sha1');
  for (const r of results) {
    hash.update(`${r.policyId}\u0000${r.status}\u0000${r.message ?? ''}\u0001`);
  }
  return hash.digest('base64');
}

/** Whether every value is the same (dates by their time). */
function sameValue(values: unknown[]): boolean {
  const first = values[0];
  if (first instanceof Date) {
    const time = first.getTime();
    return values.every(v => v instanceof Date && v.getTime() === time);
  }
  if (first !== null && typeof first === 'object') return false;
  return values.every(v => v === first);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

function summarize(
  day: string,
  kind: Rollup['kind'],
  key: string,
  rows: any[],
): Rollup & { fromTemplate: number } {
  const levels: Record<string, number> = {};
  const attributeSums = new Map<string, { sum: number; n: number }>();
  let score = 0;
  let fromTemplate = 0;
  for (const row of rows) {
    score += Number(row.score);
    if (row.from_template === true || Number(row.from_template) === 1) {
      fromTemplate++;
    }
    const level = row.level ?? 'none';
    levels[level] = (levels[level] ?? 0) + 1;
    for (const [attribute, value] of Object.entries(
      JSON.parse(row.attributes) as Record<string, number>,
    )) {
      const s = attributeSums.get(attribute) ?? { sum: 0, n: 0 };
      s.sum += value;
      s.n++;
      attributeSums.set(attribute, s);
    }
  }
  const attributes: AttributeScores = {};
  for (const [attribute, s] of attributeSums) {
    attributes[attribute as keyof AttributeScores] = round1(s.sum / s.n);
  }
  return {
    day,
    kind,
    key,
    products: rows.length,
    score: round1(score / rows.length),
    levels,
    attributes,
    fromTemplate,
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function toRun(row: any): RunRecord {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    status: row.status,
    startedAt: toIso(row.started_at)!,
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
    ...(row.duration_ms !== null
      ? { durationMs: Number(row.duration_ms) }
      : {}),
    ...(row.products !== null ? { products: Number(row.products) } : {}),
    ...(row.policies !== null ? { policies: Number(row.policies) } : {}),
    ...(row.statements !== null ? { statements: Number(row.statements) } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

function toScorecard(row: any): ScorecardRow {
  return {
    entityRef: row.entity_ref,
    domain: row.domain ?? undefined,
    owner: row.owner ?? undefined,
    level: row.level ?? undefined,
    score: Number(row.score),
    attributes: JSON.parse(row.attributes),
    evaluatedAt: toIso(row.evaluated_at)!,
    runId: Number(row.run_id),
  };
}

function toWaiver(row: any): StoredWaiver {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    policyId: row.policy_id,
    reason: row.reason,
    expiresAt: toIso(row.expires_at)!,
    grantedBy: row.granted_by,
    grantedAt: toIso(row.granted_at)!,
    source: row.source === 'catalog' ? 'catalog' : 'api',
    ...(row.expired_at ? { expiredAt: toIso(row.expired_at) } : {}),
    ...(row.revoked_at
      ? { revokedAt: toIso(row.revoked_at), revokedBy: row.revoked_by }
      : {}),
  };
}
