/*
 * Lineage benchmark: query, layout and OpenLineage ingestion.
 *
 *   (a) lineage queries on a generated mesh: the adjacency index built from
 *       the catalog plus observed edges, then neighbourhoods of random
 *       products, 2 hops up and down, at most 500 nodes, answered and
 *       serialised as the route does;
 *   (b) the layered layout the frontend draws with, at 50, 200 and 1,000 nodes;
 *   (c) OpenLineage ingestion through validation and the store, in batches
 *       of 100 events, on a SQLite file and on PostgreSQL when
 *       BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs lineage.ts [--products 10000] [--events 20000]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { LineageStore } from '../plugins/data-mesh-backend/src/lineage/LineageStore';
import {
  LineageGraph,
  type ObservedDatasetEdge,
} from '../plugins/data-mesh-backend/src/lineage/LineageGraph';
import { DEFAULT_MAPPINGS } from '../plugins/data-mesh-backend/src/lineage/mapping';
import { parseOpenLineageEvents } from '../plugins/data-mesh-backend/src/lineage/openLineage';
import { layoutLineage } from '../plugins/data-mesh/src/lib/lineage/layout';
import { argument, machineLine, onEachDatabase, percentile } from './common';
import { generateMesh } from './generateMesh';

/** A small deterministic generator, so runs compare. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const dataset = (i: number, domains = 20) => ({
  namespace: 's3://bench-lake',
  name: `domain-${i % domains}/product-${i}`,
});

function measureQueries(count: number) {
  const entities = generateMesh(count);
  const now = new Date();
  // Runs read what is declared, plus one undeclared upstream in ten.
  const observed: ObservedDatasetEdge[] = [];
  const next = random(7);
  const edge = (
    from: number,
    to: number,
    seen: { firstSeen: number; lastSeen: number; runs: number },
  ) => {
    const input = dataset(from);
    const output = dataset(to);
    observed.push({
      inputNamespace: input.namespace,
      inputName: input.name,
      outputNamespace: output.namespace,
      outputName: output.name,
      ...seen,
    });
  };
  for (let i = 50; i < count; i++) {
    for (const step of [1, 7, 31]) {
      const upstream = i - step * (1 + (i % 5));
      if (upstream < 0) continue;
      edge(upstream, i, {
        firstSeen: now.getTime() - 20 * 86_400_000,
        lastSeen: now.getTime() - Math.floor(next() * 40) * 86_400_000,
        runs: 20,
      });
    }
    if (i % 10 === 0) {
      edge(Math.floor(next() * i), i, {
        firstSeen: now.getTime(),
        lastSeen: now.getTime(),
        runs: 1,
      });
    }
  }
  const datasets = Array.from({ length: count }, (_, i) => ({
    ...dataset(i),
    firstSeen: now.getTime(),
    lastSeen: now.getTime(),
    lastWritten: now.getTime(),
  }));
  const builds: number[] = [];
  let graph: LineageGraph | undefined;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    graph = new LineageGraph(entities, DEFAULT_MAPPINGS, now).observe(
      observed,
      datasets,
    );
    builds.push(performance.now() - started);
  }
  const pick = random(42);
  const times: number[] = [];
  let nodes = 0;
  let truncated = 0;
  for (let round = 0; round < 520; round++) {
    const ref = `dataproduct:default/product-${Math.floor(pick() * count)}`;
    const started = performance.now();
    const response = graph!.query(ref, {
      upstream: 2,
      downstream: 2,
      limit: 500,
      now,
      staleAfterDays: 30,
    })!;
    JSON.stringify(response);
    const elapsed = performance.now() - started;
    // The first rounds warm the JIT up.
    if (round >= 20) {
      times.push(elapsed);
      nodes += response.nodes.length;
      if (response.truncated) truncated++;
    }
  }
  return {
    size: graph!.size,
    observed: observed.length,
    buildP50: percentile(builds, 50),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    meanNodes: nodes / times.length,
    truncated,
    rounds: times.length,
  };
}

function measureLayout(size: number) {
  const next = random(size);
  const nodes = Array.from({ length: size }, (_, i) => ({ id: `n${i}` }));
  const edges: Array<{ from: string; to: string }> = [];
  for (let i = 1; i < size; i++) {
    for (let k = 0; k < 2; k++) {
      edges.push({ from: `n${Math.floor(next() * i)}`, to: `n${i}` });
    }
  }
  const times: number[] = [];
  for (let round = 0; round < 23; round++) {
    const started = performance.now();
    layoutLineage({ nodes, edges });
    if (round >= 3) times.push(performance.now() - started);
  }
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    edges: edges.length,
  };
}

async function measureIngestion(label: string, knex: Knex, total: number) {
  const store = await LineageStore.create({
    database: { getClient: async () => knex },
  });
  const products = 2000;
  const batch = 100;
  const next = random(3);
  const event = (i: number) => ({
    eventType: 'COMPLETE',
    eventTime: new Date(Date.now() - (total - i) * 1000).toISOString(),
    producer: 'https://example.com/bench',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: randomUUID() },
    job: { namespace: 'bench', name: `job-${i % products}` },
    inputs: [0, 1, 2].map(() => dataset(Math.floor(next() * products))),
    outputs: [dataset(i % products)],
  });
  const started = performance.now();
  for (let i = 0; i < total; i += batch) {
    const body = {
      events: Array.from({ length: batch }, (_, k) => event(i + k)),
    };
    await store.ingest(
      parseOpenLineageEvents(JSON.parse(JSON.stringify(body))),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${label}: ${total} events (3 inputs, 1 output each) in batches of ${batch}: ${seconds.toFixed(
      2,
    )} s, ${Math.round(total / seconds)} events/s`,
  );
}

async function main() {
  const count = argument('products', 10_000);
  const events = argument('events', 20_000);
  console.log('Quanta lineage benchmark');
  console.log(machineLine());

  const query = measureQueries(count);
  console.log(
    `(a) Lineage query, ${count} products (${query.size.nodes} nodes, ${query.size.edges} edges, ${query.observed} observed dataset edges), 2 up and 2 down, limit 500, ${query.rounds} random products`,
  );
  console.log(
    `  index build p50 ${query.buildP50.toFixed(
      0,
    )} ms; query p50 ${query.p50.toFixed(2)} ms, p95 ${query.p95.toFixed(
      2,
    )} ms; ${query.meanNodes.toFixed(0)} nodes on average, ${
      query.truncated
    } truncated`,
  );

  console.log('(b) Layered layout, 20 rounds each');
  for (const size of [50, 200, 1000]) {
    const layout = measureLayout(size);
    console.log(
      `  ${size} nodes, ${layout.edges} edges: p50 ${layout.p50.toFixed(
        2,
      )} ms, p95 ${layout.p95.toFixed(2)} ms`,
    );
  }

  console.log('(c) OpenLineage ingestion: validation and store');
  await onEachDatabase('lineage', (label, knex) =>
    measureIngestion(label, knex, events),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
