import {
  type DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  AttributeScores,
  PolicyResult,
  PolicyStatus,
  ProductScorecard,
  Waiver,
} from '@quanta/plugin-data-mesh-common';

const migrationsDir = resolvePackagePath(
  '@quanta/plugin-data-mesh-backend',
  'migrations',
);

const LOCK = 'evaluation';

/** Another process took the evaluation lock between our read and our write. */
class LockTaken extends Error {}

export type RunTrigger = 'schedule' | 'api' | 'catalog';

export type RunRecord = {
  id: number;
  trigger: RunTrigger;
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  products?: number;
  policies?: number;
  statements?: number;
  error?: string;
};

/** A scorecard with what roll-ups group it by. */
export type StoredScorecard = ProductScorecard & {
  domain?: string;
  owner?: string;
};

export type ScorecardRow = {
  entityRef: string;
  domain?: string;
  owner?: string;
  level?: string;
  score: number;
  attributes: AttributeScores;
  evaluatedAt: string;
  runId: number;
};

export type Rollup = {
  day: string;
  kind: 'domain' | 'owner' | 'mesh';
  key: string;
  products: number;
  score: number;
  levels: Record<string, number>;
  attributes: AttributeScores;
};

export type StoredWaiver = Waiver & {
  id: number;
  grantedAt: string;
  revokedAt?: string;
  revokedBy?: string;
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
  }): Promise<void> {
    const { runId, now, scorecards, complete } = options;
    const day = dayOf(now);
    const refs = scorecards.map(s => s.entityRef);

    await this.knex.transaction(async tx => {
      const previous = await this.readResults(tx, complete ? undefined : refs);
      const upserts: Record<string, unknown>[] = [];
      const changes: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      for (const card of scorecards) {
        for (const result of card.results) {
          const key = `${card.entityRef}\u0000${result.policyId}`;
          seen.add(key);
          const before = previous.get(key);
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
          if (statusChanged) {
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
      for (const part of chunks(upserts, CHUNK)) {
        await tx('dm_results')
          .insert(part)
          .onConflict(['entity_ref', 'policy_id'])
          .merge(['status', 'message', 'since']);
      }
      for (const part of chunks(changes, CHUNK)) {
        await tx('dm_result_changes').insert(part);
      }

      const cardRows = scorecards.map(card => ({
        entity_ref: card.entityRef,
        domain: card.domain ?? null,
        owner: card.owner ?? null,
        level: card.level ?? null,
        score: card.score,
        attributes: JSON.stringify(card.attributes),
        run_id: runId,
        evaluated_at: now,
      }));
      if (complete) {
        const keep = new Set(refs);
        const gone = (await tx('dm_scorecards').select('entity_ref'))
          .map(r => r.entity_ref as string)
          .filter(ref => !keep.has(ref));
        for (const part of chunks(gone, CHUNK)) {
          await tx('dm_scorecards').whereIn('entity_ref', part).delete();
        }
      }
      for (const part of chunks(cardRows, CHUNK)) {
        await tx('dm_scorecards')
          .insert(part)
          .onConflict('entity_ref')
          .merge([
            'domain',
            'owner',
            'level',
            'score',
            'attributes',
            'run_id',
            'evaluated_at',
          ]);
      }
      const snapshots = scorecards.map(card => ({
        day,
        entity_ref: card.entityRef,
        level: card.level ?? null,
        score: card.score,
      }));
      for (const part of chunks(snapshots, CHUNK)) {
        await tx('dm_daily_snapshots')
          .insert(part)
          .onConflict(['day', 'entity_ref'])
          .merge(['level', 'score']);
      }
      await this.writeRollups(tx, day);
    });
  }

  private async readResults(
    tx: Knex.Transaction,
    refs: string[] | undefined,
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
    if (refs === undefined) {
      rows = await tx('dm_results').select();
    } else {
      for (const part of chunks(refs, CHUNK)) {
        rows = rows.concat(
          await tx('dm_results').whereIn('entity_ref', part).select(),
        );
      }
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
    for (const part of chunks(rollups, CHUNK)) {
      await tx('dm_rollups').insert(
        part.map(r => ({
          day: r.day,
          kind: r.kind,
          key: r.key,
          products: r.products,
          score: r.score,
          levels: JSON.stringify(r.levels),
          attributes: JSON.stringify(r.attributes),
        })),
      );
    }
  }

  async getScorecard(entityRef: string): Promise<ScorecardRow | undefined> {
    const row = await this.knex('dm_scorecards')
      .where({ entity_ref: entityRef })
      .first();
    if (!row) return undefined;
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
  async getHistory(entityRef: string, fromDay: string) {
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

  async getRollups(
    kind: Rollup['kind'],
    options: { fromDay: string; key?: string },
  ): Promise<Rollup[]> {
    const query = this.knex('dm_rollups')
      .where({ kind })
      .andWhere('day', '>=', options.fromDay);
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
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    return (await this.getWaiver(id))!;
  }

  async getWaiver(id: number): Promise<StoredWaiver | undefined> {
    const row = await this.knex('dm_waivers').where({ id }).first();
    return row ? toWaiver(row) : undefined;
  }

  async revokeWaiver(
    id: number,
    revokedBy: string,
    at: Date,
  ): Promise<StoredWaiver | undefined> {
    await this.knex('dm_waivers')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_by: revokedBy, revoked_at: at });
    return this.getWaiver(id);
  }

  /** Waivers granted through the API that are neither revoked nor expired at `now`. */
  async listActiveWaivers(
    now: Date,
    entityRef?: string,
  ): Promise<StoredWaiver[]> {
    const query = this.knex('dm_waivers')
      .whereNull('revoked_at')
      .andWhere('expires_at', '>=', now);
    if (entityRef) query.andWhere({ entity_ref: entityRef });
    const rows = await query.orderBy('id');
    return rows.map(toWaiver);
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
    await this.knex('dm_result_changes')
      .where('changed_at', '<', cutoff)
      .delete();
    await this.knex('dm_runs')
      .where('started_at', '<', cutoff)
      .whereNot({ status: 'running' })
      .delete();
  }
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
): Rollup {
  const levels: Record<string, number> = {};
  const attributeSums = new Map<string, { sum: number; n: number }>();
  let score = 0;
  for (const row of rows) {
    score += Number(row.score);
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

function toWaiver(row: any): StoredWaiver {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    policyId: row.policy_id,
    reason: row.reason,
    expiresAt: toIso(row.expires_at)!,
    grantedBy: row.granted_by,
    grantedAt: toIso(row.granted_at)!,
    source: 'api',
    ...(row.revoked_at
      ? { revokedAt: toIso(row.revoked_at), revokedBy: row.revoked_by }
      : {}),
  };
}
