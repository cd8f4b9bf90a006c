/*
 * Quality results benchmark: ingestion through the real route and store,
 * and the reads built on what was stored.
 *
 *   (a) sustained ingestion: Quanta documents of 500 checks posted over
 *       HTTP to POST /quality/results (body read, validation, product
 *       lookup, one transaction each), one client and four at once;
 *   (b) a 1 MB batch (one run of about 4,000 checks with messages): round
 *       trip of 40 posts, p50 and p95;
 *   (c) reads over 30 days of history (100 products, two runs a day of 20
 *       checks): one product's status, the mesh's breaches, and the facts
 *       the engine reads for every product in one statement.
 *
 * Each runs on a SQLite file, and on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set. The routes run
 * in an Express app with the plugin's router and stand-ins for
 * authentication, permissions and the catalog, so figures are the plugin's
 * own work.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs quality.ts
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import type { Knex } from 'knex';
import type { QualityResultsDocument } from '../plugins/data-mesh-common/src';
import { QualityStore } from '../plugins/data-mesh-backend/src/quality/QualityStore';
import { ProductDirectory } from '../plugins/data-mesh-backend/src/quality/ProductDirectory';
import { QualityService } from '../plugins/data-mesh-backend/src/quality/QualityService';
import { createQualityRouter } from '../plugins/data-mesh-backend/src/quality/router';
import { machineLine, onEachDatabase, percentile } from './common';
import { generateMesh } from './generateMesh';

const PRODUCTS = 1000;
const DAY = 86_400_000;

const STATUSES = ['pass', 'pass', 'pass', 'pass', 'warn', 'fail'] as const;
const DIMENSIONS = ['completeness', 'uniqueness', 'validity', 'timeliness'];

function documentOf(
  runId: string,
  product: number,
  checks: number,
  finishedAt: number,
  messages = false,
): QualityResultsDocument {
  return {
    source: 'bench',
    runId,
    finishedAt: new Date(finishedAt).toISOString(),
    entityRef: `dataproduct:default/product-${product}`,
    checks: Array.from({ length: checks }, (_, i) => ({
      checkId: `model_${i % 50}.check_${i}`,
      name: `Check ${i} of column_${i % 50}`,
      status: STATUSES[i % STATUSES.length],
      dimension: DIMENSIONS[i % DIMENSIONS.length] as any,
      measured: i % 7,
      threshold: 'fail if != 0',
      ...(messages
        ? {
            message: `Got ${
              i % 7
            } results, configured to fail if != 0; rows violating the rule were written to audit.check_${i} for review`,
            dataset: `analytics.model_${i % 50}`,
          }
        : {}),
    })),
  };
}

async function serve(knex: Knex) {
  const store = await QualityStore.create({
    database: { getClient: async () => knex },
  });
  const entities = generateMesh(PRODUCTS);
  const catalog = {
    queryEntities: async () => ({
      items: entities.filter(e => e.kind === 'DataProduct'),
      totalItems: PRODUCTS,
      pageInfo: {},
    }),
  };
  const directory = new ProductDirectory({
    catalog: catalog as any,
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
  });
  const quality = new QualityService({
    store,
    directory,
    durationSloTarget: 99,
  });
  const app = express();
  app.use(
    '/api/data-mesh',
    createQualityRouter({
      quality,
      httpAuth: {
        credentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'service', subject: 'bench' },
        }),
      } as any,
      permissions: {
        authorize: async () => [{ result: 'ALLOW' }],
      } as any,
      maxBodyBytes: 5 * 1024 * 1024,
      rateLimit: { requests: 1_000_000, perSeconds: 1 },
    }),
  );
  app.use(
    (
      error: any,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res.status(error.statusCode ?? 500).json({ error: String(error) });
    },
  );
  const server = app.listen(0);
  // The history is written between requests; keep the client's connection.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/data-mesh`;
  return { server, base, store, quality };
}

async function post(base: string, body: string) {
  const res = await fetch(`${base}/quality/results`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  if (res.status !== 201) {
    throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  }
  return res.json();
}

async function measure(label: string, knex: Knex) {
  const { server, base, store, quality } = await serve(knex);
  const now = Date.now();
  try {
    // Warm up the JIT, the product directory and the database.
    for (let i = 0; i < 5; i++) {
      await post(base, JSON.stringify(documentOf(`warm-${i}`, i, 500, now)));
    }

    // (a) Sustained ingestion.
    const posts = 200;
    const size = 500;
    let started = performance.now();
    for (let i = 0; i < posts; i++) {
      await post(
        base,
        JSON.stringify(
          documentOf(`seq-${i}`, i % PRODUCTS, size, now - i * 1000),
        ),
      );
    }
    let seconds = (performance.now() - started) / 1000;
    console.log(
      `  ${label} (a) one client: ${posts} posts of ${size} checks in ${seconds.toFixed(
        2,
      )} s, ${Math.round((posts * size) / seconds)} results/s`,
    );
    const clients = 4;
    started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = client; i < posts; i += clients) {
          await post(
            base,
            JSON.stringify(
              documentOf(`par-${i}`, (i * 7) % PRODUCTS, size, now - i * 1000),
            ),
          );
        }
      }),
    );
    seconds = (performance.now() - started) / 1000;
    console.log(
      `  ${label} (a) ${clients} clients: ${posts} posts of ${size} checks in ${seconds.toFixed(
        2,
      )} s, ${Math.round((posts * size) / seconds)} results/s`,
    );

    // (b) 1 MB batches.
    let checks = 3000;
    let body = JSON.stringify(documentOf('size', 0, checks, now, true));
    checks = Math.floor((checks * 1024 * 1024) / Buffer.byteLength(body));
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 40; i++) {
      body = JSON.stringify(documentOf(`mb-${i}`, 500 + i, checks, now, true));
      bytes = Buffer.byteLength(body);
      const t0 = performance.now();
      const outcome = await post(base, body);
      times.push(performance.now() - t0);
      if (outcome.stored !== checks) throw new Error('not all stored');
    }
    console.log(
      `  ${label} (b) ${(bytes / 1024 / 1024).toFixed(
        2,
      )} MB, ${checks} checks, 40 posts: p50 ${percentile(times, 50).toFixed(
        0,
      )} ms, p95 ${percentile(times, 95).toFixed(0)} ms`,
    );

    // (c) Reads over 30 days of history.
    const history = 100;
    started = performance.now();
    for (let p = 0; p < history; p++) {
      for (let r = 0; r < 60; r++) {
        const doc = documentOf(`h-${p}-${r}`, 900 + p, 20, now - r * (DAY / 2));
        await store.ingest(
          {
            ...doc,
            startedAt: doc.finishedAt,
            entityRef: doc.entityRef!,
          } as any,
          new Date(now),
        );
      }
    }
    console.log(
      `  ${label} (c) history: ${history} products x 60 runs x 20 checks written in ${(
        (performance.now() - started) /
        1000
      ).toFixed(1)} s`,
    );
    const statusTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      const res = await fetch(
        `${base}/quality/dataproduct/default/product-${900 + (i % history)}`,
      );
      await res.json();
      statusTimes.push(performance.now() - t0);
    }
    const breachTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await (await fetch(`${base}/quality/breaches`)).json();
      breachTimes.push(performance.now() - t0);
    }
    const factTimes: number[] = [];
    let factProducts = 0;
    let factChecks = 0;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const facts = await quality.facts(new Date());
      factTimes.push(performance.now() - t0);
      factProducts = facts.size;
      factChecks = [...facts.values()].reduce((n, f) => n + f.checks.length, 0);
    }
    const someTimes: number[] = [];
    const some = Array.from(
      { length: 20 },
      (_, i) => `dataproduct:default/product-${900 + i}`,
    );
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await quality.facts(new Date(), some);
      someTimes.push(performance.now() - t0);
    }
    console.log(
      `  ${label} (c) status of one product p50 ${percentile(
        statusTimes,
        50,
      ).toFixed(1)} ms, p95 ${percentile(statusTimes, 95).toFixed(
        1,
      )} ms; breaches of ${PRODUCTS} products p95 ${percentile(
        breachTimes,
        95,
      ).toFixed(0)} ms`,
    );
    console.log(
      `  ${label} (c) engine facts: all ${factProducts} products with results (${factChecks} check results of their newest runs) p95 ${percentile(
        factTimes,
        95,
      ).toFixed(0)} ms; 20 products p95 ${percentile(someTimes, 95).toFixed(
        1,
      )} ms`,
    );
  } finally {
    server.close();
  }
}

async function main() {
  console.log('Quanta quality results benchmark');
  console.log(machineLine());
  await onEachDatabase('quality', measure);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
