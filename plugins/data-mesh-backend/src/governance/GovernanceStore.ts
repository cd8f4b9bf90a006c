import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import type {
  PolicyResult,
  PolicyStatus,
  ProductScorecard,
  RunRecord,
  ScorecardResponse,
} from '@quanta/plugin-data-mesh-common';
import {
  BulkInsert,
  CHUNK,
  chunks,
  countStatements,
  toIso,
  withoutNul,
} from '../shared/sql';
import { type GovernanceHistory, dayOf } from './GovernanceHistory';
import { pause } from '../shared/slices';

const LOCK = 'evaluation';

/** Another process took the evaluation lock between our read and our write. */
class LockTaken extends Error {}

export type RunTrigger = 'schedule' | 'api' | 'catalog';

export type { RunRecord };

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

/** What an evaluation changed, as the products-changed event tells it. */
export type EvaluationChanges = {
  /** Evaluated products whose catalog entry or scorecard changed. */
  changed: Array<{
    entityRef: string;
    /** New to the store, or evaluated from another catalog etag. */
    catalogChanged: boolean;
    /** New to the store, or another level or score. */
    scorecardChanged: boolean;
  }>;
  /** Products whose scorecards were dropped: they left the catalog. */
  removed: string[];
};

type KnownScorecard = {
  entity_ref: string;
  results_digest: string | null;
  level: string | null;
  score: number | string;
  etag: string | null;
};

/**
 * Scores are kept to a tenth and stored as floats, which some databases
 * hand back with a rounding error: a smaller difference is no change.
 */
const SCORE_TOLERANCE = 0.01;

function changesOf(
  known: KnownScorecard[],
  scorecards: StoredScorecard[],
  removed: string[],
): EvaluationChanges {
  const before = new Map(known.map(row => [row.entity_ref, row]));
  const changed: EvaluationChanges['changed'] = [];
  for (const card of scorecards) {
    const row = before.get(card.entityRef);
    const catalogChanged = !row || row.etag !== (card.etag ?? null);
    const scorecardChanged =
      !row ||
      row.level !== (card.level ?? null) ||
      Math.abs(Number(row.score) - card.score) > SCORE_TOLERANCE;
    if (catalogChanged || scorecardChanged) {
      changed.push({
        entityRef: card.entityRef,
        catalogChanged,
        scorecardChanged,
      });
    }
  }
  return { changed, removed };
}

/**
 * Evaluation runs and their lock, and what the latest evaluation left: each
 * product's scorecard and current results. Writing an evaluation records
 * its day in the history too, in the same transaction.
 */
export class GovernanceStore {
  private readonly bulk: BulkInsert;

  constructor(
    private readonly knex: Knex,
    private readonly history: GovernanceHistory,
  ) {
    this.bulk = new BulkInsert(knex);
  }

  /** Counts the SQL statements issued while `work` runs. */
  countStatements<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; statements: number }> {
    return countStatements(this.knex, work);
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
  }): Promise<EvaluationChanges> {
    const { runId, now, complete } = options;
    // Results echo descriptors, which are anyone's text.
    // Cleaning and hashing 10,000 products' results takes a while: in
    // slices, so that the backend answers other requests meanwhile.
    const scorecards: StoredScorecard[] = [];
    const digests = new Map<string, string>();
    for (const card of options.scorecards) {
      await pause();
      const clean = withoutNul(card);
      scorecards.push(clean);
      digests.set(clean.entityRef, digestOf(clean.results));
    }
    const day = dayOf(now);
    const refs = scorecards.map(s => s.entityRef);

    return this.knex.transaction(async tx => {
      // Only products whose results differ from the stored digest need their
      // stored results read and compared; in a steady mesh that is few.
      // Level, score and etag tell what changed for the products-changed event.
      const columns = [
        'entity_ref',
        'results_digest',
        'level',
        'score',
        'etag',
      ] as const;
      let known: KnownScorecard[] = [];
      if (complete) {
        known = await tx('dm_scorecards').select(...columns);
      } else {
        for (const part of chunks(refs, CHUNK)) {
          known = known.concat(
            await tx('dm_scorecards')
              .whereIn('entity_ref', part)
              .select(...columns),
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
      await this.bulk.insert(tx, 'dm_results', upserts, {
        conflict: ['entity_ref', 'policy_id'],
        merge: ['status', 'message', 'since'],
      });
      await this.bulk.insert(tx, 'dm_result_changes', changes);

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
      await this.bulk.insert(tx, 'dm_scorecards', cardRows, {
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
      await this.history.recordDay(tx, day, scorecards);
      return changesOf(known, scorecards, gone);
    });
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
}

/** Identifies a product's results, to skip comparing ones that did not change. */
function digestOf(results: PolicyResult[]): string {
  const hash = createHash('sha1');
  for (const r of results) {
    hash.update(`${r.policyId}\u0000${r.status}\u0000${r.message ?? ''}\u0001`);
  }
  return hash.digest('base64');
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
