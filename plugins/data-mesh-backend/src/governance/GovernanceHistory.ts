import type { Knex } from 'knex';
import type {
  AdoptionResponse,
  AttributeScores,
  ProductScorecard,
  Rollup,
  ScorecardHistoryPoint,
} from '@quanta/plugin-data-mesh-common';
import { BulkInsert } from '../shared/sql';
import { pause } from '../shared/slices';

export type { Rollup };

/** Every day, or one day a week, of a series over time. */
export type Resolution = 'day' | 'week';

/** Day of a timestamp, UTC, as stored in the history tables. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The governance history: each product's daily level and score, roll-ups
 * per domain, owner group and the whole mesh, outcome counts per policy and
 * day (what adoption charts), and the retention that cuts them, result
 * changes and runs alike.
 */
export class GovernanceHistory {
  private readonly bulk: BulkInsert;

  constructor(private readonly knex: Knex) {
    this.bulk = new BulkInsert(knex);
  }

  /**
   * Records an evaluation's day, inside its transaction: each product's
   * level and score (upserted, so the day's last run wins), then the day's
   * roll-ups and outcome counts per policy from the current scorecards.
   */
  async recordDay(
    tx: Knex.Transaction,
    day: string,
    scorecards: Array<Pick<ProductScorecard, 'entityRef' | 'level' | 'score'>>,
  ): Promise<void> {
    const snapshots = scorecards.map(card => ({
      day,
      entity_ref: card.entityRef,
      level: card.level ?? null,
      score: card.score,
    }));
    await this.bulk.insert(tx, 'dm_daily_snapshots', snapshots, {
      conflict: ['entity_ref', 'day'],
      merge: ['level', 'score'],
    });
    await this.writeRollups(tx, day);
    await this.writePolicyDay(tx, day);
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
      // Parsed once, not once per group the row is in; in slices, as a
      // whole mesh is 10,000 rows.
      await pause();
      row.attributes = JSON.parse(row.attributes);
      add('mesh', 'mesh', row);
      add('domain', row.domain, row);
      add('owner', row.owner, row);
    }
    const rollups = [...groups.values()].map(group =>
      summarize(day, group.kind, group.key, group.rows),
    );
    await tx('dm_rollups').where({ day }).delete();
    await this.bulk.insert(
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
      row.attributes as Record<string, number>,
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
