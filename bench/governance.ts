/*
 * Benchmark of the governance scorecard.
 *
 *   npm run bench:governance                      # 10,000 data products
 *   npm run bench:governance -- --products 2000   # another size
 *   npm run bench:governance -- --memory-only     # (a) only
 *   npm run bench:governance -- --memory-only --rounds 200   # a steadier p95
 *
 * (a) In-memory evaluation of every product against every built-in policy,
 *     repeated, with p50 and p95 of one whole-mesh evaluation.
 * (b) Full scheduled runs (read the catalog in pages, evaluate, persist,
 *     roll up) on a SQLite file, and on PostgreSQL when
 *     BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set: a first run
 *     into empty tables and a second run with nothing changed, each with its
 *     SQL statement count.
 * (c) After those runs, a year of daily history is added and the roll-up,
 *     adoption, list and scorecard endpoints are timed over HTTP; the
 *     storage the year of history takes is printed (`--runs-only` skips it).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Knex } from 'knex';
import type { Entity } from '@backstage/catalog-model';
import { isDataProductEntity } from '@quanta/plugin-data-mesh-common';
import {
  PolicyEngine,
  builtInPolicies,
  createMeshIndex,
  registerPolicies,
} from '@quanta/plugin-data-mesh-node';
import { ScorecardEvaluator } from '../plugins/data-mesh-backend/src/governance/ScorecardEvaluator';
import { governanceStores } from '../plugins/data-mesh-backend/src/governance/stores';
import { openDatabase } from '../plugins/data-mesh-backend/src/shared/database';
import {
  argument,
  flag,
  machineLine,
  onEachDatabase,
  percentile,
} from './common';
import { generateMesh } from './generateMesh';
import { measureHistory } from './historyBench';

const engine = new PolicyEngine({
  policies: registerPolicies(builtInPolicies, 'built-in'),
  levels: [
    {
      name: 'Bronze',
      policies: ['quanta.owner-exists', 'quanta.domain-exists'],
    },
    {
      name: 'Silver',
      policies: ['quanta.slos-declared', 'quanta.output-port-contract'],
    },
    { name: 'Gold', policies: ['quanta.documentation-linked'] },
  ],
});

v8.setFlagsFromString('--expose-gc');
const collectGarbage: (options: { type: 'minor' }) => void =
  vm.runInNewContext('gc');

function measureInMemory(json: string, repeats: number) {
  const now = new Date();
  const times = {
    total: [] as number[],
    index: [] as number[],
    rest: [] as number[],
  };
  for (let i = 0; i < repeats + 2; i++) {
    // Every scheduled run reads new entity objects from the catalog, so no
    // round may profit from what an earlier one cached per entity.
    const round: Entity[] = JSON.parse(json);
    const products = round.filter(isDataProductEntity);
    // Two minor collections move the fresh copy out of the young generation,
    // where entities read before a run have long been: otherwise a round
    // pays for moving up to 16 MB of copy, not for its own garbage.
    collectGarbage({ type: 'minor' });
    collectGarbage({ type: 'minor' });
    const start = performance.now();
    const mesh = createMeshIndex(round);
    const indexed = performance.now();
    for (const product of products) {
      engine.evaluate(product, { mesh, now, facts: {} });
    }
    const end = performance.now();
    if (i < 2) continue; // two warm-up rounds
    times.total.push(end - start);
    times.index.push(indexed - start);
    times.rest.push(end - indexed);
  }
  const figures = (list: number[]) =>
    `p50 ${percentile(list, 50).toFixed(1)} ms, p95 ${percentile(
      list,
      95,
    ).toFixed(1)} ms`;
  return {
    total: figures(times.total),
    index: figures(times.index),
    rest: figures(times.rest),
  };
}

/** A catalog that serves the generated entities in pages, as the real one does. */
function catalogOf(entities: Entity[]) {
  return {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const limit = request?.limit ?? 500;
      const items = entities.slice(offset, offset + limit);
      const next =
        offset + limit < entities.length ? String(offset + limit) : undefined;
      return {
        items,
        totalItems: entities.length,
        pageInfo: { nextCursor: next },
      };
    },
  } as any;
}

async function measureRuns(label: string, knex: Knex, entities: Entity[]) {
  const stores = governanceStores(
    await openDatabase({ database: { getClient: async () => knex } }),
  );
  const evaluator = new ScorecardEvaluator({
    engine,
    ...stores,
    catalog: catalogOf(entities),
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
    logger: {
      info() {},
      error() {},
      warn() {},
      debug() {},
      child() {
        return this;
      },
    } as any,
    timeoutMs: 600_000,
    retentionDays: 400,
  });
  for (const which of [
    'first run, empty tables',
    'second run, nothing changed',
  ]) {
    // How long the run keeps the event loop from serving anything else
    // (the longest stretch of synchronous work): requests to the same
    // backend wait that long.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const start = performance.now();
    const outcome = await evaluator.evaluate({ trigger: 'schedule' });
    const elapsed = performance.now() - start;
    delay.disable();
    if (!outcome.started || outcome.run?.status !== 'completed') {
      throw new Error(
        `${label}: the run did not complete: ${JSON.stringify(outcome)}`,
      );
    }
    console.log(
      `  ${label}, ${which}: ${(elapsed / 1000).toFixed(2)} s, ${
        outcome.run.statements
      } SQL statements, event-loop delay p99 ${(
        delay.percentile(99) / 1e6
      ).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`,
    );
  }
  return { stores, evaluator };
}

async function main() {
  const count = argument('products', 10_000);
  if (!Number.isInteger(count) || count < 100 || count % 100) {
    throw new Error(
      '--products must be a whole number of hundreds, at least 100',
    );
  }
  // The mesh as the catalog returns it, as JSON. (a) parses a copy for each
  // round, so only the round's own entities are in the heap while it runs.
  const generated = generateMesh(count);
  const others = generated.length - count;
  const json = JSON.stringify(generated);
  generated.length = 0;
  console.log('Quanta governance benchmark');
  console.log(machineLine());
  console.log(
    `  data: ${count} data products, ${others} groups and domains, ${engine.policies.length} built-in policies`,
  );

  const rounds = argument('rounds', 20);
  const memory = measureInMemory(json, rounds);
  console.log(
    `(a) In-memory evaluation of the whole mesh (index + every product x every policy), ${rounds} rounds`,
  );
  console.log(`  ${memory.total}`);
  // The parts of each round, for telling where a slow round lost its time.
  console.log(`    of which the index: ${memory.index}`);
  console.log(`    of which the policies: ${memory.rest}`);

  if (flag('memory-only')) return;
  const entities: Entity[] = JSON.parse(json);

  console.log(
    '(b) Full runs: read the catalog in pages, evaluate, persist, roll up',
  );
  await onEachDatabase('governance', async (label, knex) => {
    const runs = await measureRuns(label, knex, entities);
    if (!flag('runs-only')) {
      await measureHistory(label, knex, runs.stores, engine, runs.evaluator);
    }
  });
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
