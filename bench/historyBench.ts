/*
 * (c) of the governance benchmark: a year of daily history behind the
 * roll-up, adoption, list and scorecard endpoints, and what that year costs
 * in storage.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import type { Knex } from 'knex';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PolicyEngine } from '@quanta/plugin-data-mesh-node';
import { dayOf } from '../plugins/data-mesh-backend/src/governance/GovernanceHistory';
import { createGovernanceRouter } from '../plugins/data-mesh-backend/src/governance/router';
import type { ScorecardEvaluator } from '../plugins/data-mesh-backend/src/governance/ScorecardEvaluator';
import type { GovernanceStores } from '../plugins/data-mesh-backend/src/governance/stores';
import { percentile } from './common';

const DAYS = 365;
/** Results that change status on an average day: products fixing and breaking things. */
const CHANGES_PER_DAY = 300;

const HISTORY_TABLES = [
  'dm_daily_snapshots',
  'dm_rollups',
  'dm_policy_daily',
  'dm_result_changes',
  'dm_runs',
];

/** Bytes the history tables take, data and indexes. */
async function historyBytes(knex: Knex): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (knex.client.config.client === 'pg') {
    await knex.raw('VACUUM ANALYZE');
    for (const table of HISTORY_TABLES) {
      const result = await knex.raw('SELECT pg_total_relation_size(?) AS n', [
        table,
      ]);
      sizes.set(table, Number(result.rows[0].n));
    }
    return sizes;
  }
  // dbstat counts the pages of each table and of the indexes on it.
  const rows: Array<{ name: string; tbl: string; bytes: number }> =
    await knex.raw(
      `SELECT s.name AS name, m.tbl_name AS tbl, SUM(s.pgsize) AS bytes
       FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY s.name`,
    );
  for (const row of rows) {
    if (HISTORY_TABLES.includes(row.tbl)) {
      sizes.set(row.tbl, (sizes.get(row.tbl) ?? 0) + Number(row.bytes));
    }
  }
  return sizes;
}

/**
 * Writes a year of history as daily runs leave it: a snapshot of every
 * product, the roll-ups and per-policy counts of each day, a run record and
 * a few hundred status changes per day. Each day copies the current state
 * with the day replaced, in one statement per table, so a year takes
 * seconds instead of 365 evaluations.
 */
async function seedYear(knex: Knex, today: Date) {
  const refs: string[] = (await knex('dm_results').distinct('entity_ref')).map(
    r => r.entity_ref,
  );
  const policies: string[] = (
    await knex('dm_results').distinct('policy_id')
  ).map(r => r.policy_id);
  const todayKey = dayOf(today);
  for (let back = 1; back <= DAYS; back++) {
    const at = new Date(today.getTime() - back * 86_400_000);
    const day = dayOf(at);
    await knex.transaction(async tx => {
      await tx.raw(
        `INSERT INTO dm_daily_snapshots (day, entity_ref, level, score)
         SELECT ?, entity_ref, level, score FROM dm_daily_snapshots WHERE day = ?`,
        [day, todayKey],
      );
      await tx.raw(
        `INSERT INTO dm_rollups (day, kind, "key", products, score, levels, attributes, from_template)
         SELECT ?, kind, "key", products, score, levels, attributes, from_template FROM dm_rollups WHERE day = ?`,
        [day, todayKey],
      );
      await tx.raw(
        `INSERT INTO dm_policy_daily (day, policy_id, pass, fail, waived, not_applicable, error)
         SELECT ?, policy_id, pass, fail, waived, not_applicable, error FROM dm_policy_daily WHERE day = ?`,
        [day, todayKey],
      );
      const [run] = await tx('dm_runs')
        .insert({
          trigger: 'schedule',
          status: 'completed',
          started_at: at,
          finished_at: at,
          duration_ms: 3000,
          products: refs.length,
          policies: policies.length,
          statements: 60,
        })
        .returning('id');
      const runId = Number(typeof run === 'object' ? run.id : run);
      const changes = [];
      for (let i = 0; i < CHANGES_PER_DAY; i++) {
        const fixed = i % 2 === 0;
        changes.push({
          entity_ref: refs[(back * 7919 + i * 104_729) % refs.length],
          policy_id: policies[(back + i) % policies.length],
          from_status: fixed ? 'fail' : 'pass',
          to_status: fixed ? 'pass' : 'fail',
          run_id: runId,
          changed_at: at,
        });
      }
      for (let i = 0; i < changes.length; i += 100) {
        await tx('dm_result_changes').insert(changes.slice(i, i + 100));
      }
    });
  }
}

async function timeRequests(
  base: string,
  paths: string[],
  rounds: number,
): Promise<{ p50: number; p95: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let round = 0; round < rounds + 3; round++) {
    for (const path of paths) {
      const start = performance.now();
      const response = await fetch(`${base}${path}`);
      const body = await response.text();
      const elapsed = performance.now() - start;
      if (response.status !== 200) {
        throw new Error(`${path}: ${response.status} ${body}`);
      }
      if (round >= 3) times.push(elapsed); // three warm-up rounds
      bytes = Math.max(bytes, body.length);
    }
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
}

/** Seeds a year of history after a full run, then times the read endpoints over HTTP. */
export async function measureHistory(
  label: string,
  knex: Knex,
  stores: GovernanceStores,
  engine: PolicyEngine,
  evaluator: ScorecardEvaluator,
) {
  const before = await historyBytes(knex);
  const seedStart = performance.now();
  await seedYear(knex, new Date());
  const seeded = (performance.now() - seedStart) / 1000;
  const after = await historyBytes(knex);

  const app = express();
  app.use(
    '/api/data-mesh',
    createGovernanceRouter({
      engine,
      ...stores,
      evaluator,
      httpAuth: {
        credentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/bench' },
        }),
      } as any,
      permissions: {
        authorize: async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      } as any,
      auditor: {} as any,
      // The bench reads history; it grants no waiver.
      catalog: {} as any,
      maxWaiverDuration: { years: 1 },
    }),
  );
  const server = app.listen(0);
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const [domain] = await knex('dm_scorecards').distinct('domain').limit(1);
    const [owner] = await knex('dm_scorecards').distinct('owner').limit(1);
    const [product] = await knex('dm_scorecards').select('entity_ref').limit(1);
    const [kind, rest] = String(product.entity_ref).split(':');
    const cases: Array<[string, string[]]> = [
      [
        'roll-ups, a year per domain and per owner',
        [
          '/api/data-mesh/rollups/domain?days=365',
          '/api/data-mesh/rollups/owner?days=365',
          '/api/data-mesh/rollups/mesh?days=365',
        ],
      ],
      [
        'roll-ups, today',
        ['/api/data-mesh/rollups/domain', '/api/data-mesh/rollups/owner'],
      ],
      ['adoption, a year', ['/api/data-mesh/adoption?days=365']],
      ['adoption, 90 days', ['/api/data-mesh/adoption?days=90']],
      [
        'a product scorecard with a year of history',
        [`/api/data-mesh/scorecards/${kind}/${rest}?days=365`],
      ],
      [
        'a team or domain list of scorecards',
        [
          `/api/data-mesh/scorecards?owner=${encodeURIComponent(owner.owner)}`,
          `/api/data-mesh/scorecards?domain=${encodeURIComponent(
            domain.domain,
          )}`,
        ],
      ],
    ];
    console.log(
      `(c) ${label}: a year of daily history (${DAYS} days, ${CHANGES_PER_DAY} status changes a day) seeded in ${seeded.toFixed(
        1,
      )} s; endpoints over HTTP, 20 rounds after 3 warm-up rounds`,
    );
    for (const [what, paths] of cases) {
      const t = await timeRequests(base, paths, 20);
      console.log(
        `  ${what}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(
          1,
        )} ms (largest answer ${(t.bytes / 1024).toFixed(0)} KiB)`,
      );
    }
    let total = 0;
    const parts = HISTORY_TABLES.map(table => {
      const grown = (after.get(table) ?? 0) - (before.get(table) ?? 0);
      total += grown;
      return `${table} ${(grown / 2 ** 20).toFixed(1)} MiB`;
    });
    console.log(
      `  storage growth per year of history: ${(total / 2 ** 20).toFixed(
        1,
      )} MiB (${parts.join(', ')})`,
    );
  } finally {
    server.close();
  }
}
