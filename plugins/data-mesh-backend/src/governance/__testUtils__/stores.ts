import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { PolicyResult } from '@quanta/plugin-data-mesh-common';
import { storeTestDatabases } from '../../shared/__testUtils__/testDatabases';
import { openDatabase } from '../../shared/database';
import type { GovernanceStore, StoredScorecard } from '../GovernanceStore';
import { governanceStores } from '../stores';

/**
 * The governance stores on every test database, over one connection each.
 * Call it once at the top level of a test file.
 */
export function governanceTestDatabases() {
  const { databases, createStore } = storeTestDatabases(async options =>
    governanceStores(await openDatabase(options)),
  );
  return {
    databases,
    /** A fresh database with the migrations applied, and the stores over it. */
    async createStores(databaseId: TestDatabaseId) {
      const { knex, store } = await createStore(databaseId);
      return { knex, ...store };
    },
  };
}

export function card(
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
export async function completedRun(
  store: GovernanceStore,
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

export const day1 = new Date('2026-06-01T10:00:00Z');
export const day2 = new Date('2026-06-02T10:00:00Z');
