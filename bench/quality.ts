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
 *       the engine reads for every product in one statement;
 *   (d) event-loop lag under maximum-size posts: bodies just under the
 *       5 MB limit in the Quanta, dbt, JUnit and Great Expectations formats,
 *       posted one at a time, again (every check a duplicate) and several at
 *       once, while the event-loop delay and the latency of a small GET
 *       served by the same process are measured.
 *
 * Each runs on a SQLite file, and on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set. The routes run
 * in an Express app with the plugin's router and stand-ins for
 * authentication, permissions and the catalog, so figures are the plugin's
 * own work.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs quality.ts
 *   node --require @backstage/cli/config/nodeTransform.cjs quality.ts --lag-only
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import express from 'express';
import type { Knex } from 'knex';
import type { QualityResultsDocument } from '../plugins/data-mesh-common/src';
import { QualityStore } from '../plugins/data-mesh-backend/src/quality/QualityStore';
import { ProductDirectory } from '../plugins/data-mesh-backend/src/quality/ProductDirectory';
import { QualityService } from '../plugins/data-mesh-backend/src/quality/QualityService';
import { createQualityRouter } from '../plugins/data-mesh-backend/src/quality/router';
import {
  argument,
  flag,
  machineLine,
  onEachDatabase,
  percentile,
} from './common';
import { generateMesh } from './generateMesh';

const PRODUCTS = 1000;
const DAY = 86_400_000;
/** The route's default body limit (dataMesh.quality.maxBodyBytes). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

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
  // The smallest request the process can answer: its latency is the time
  // the event loop takes to get to it.
  app.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
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
      maxBodyBytes: MAX_BODY_BYTES,
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

async function post(
  base: string,
  body: string | Buffer,
  query = '',
  contentType = 'application/json',
) {
  const res = await fetch(`${base}/quality/results${query}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  });
  if (res.status !== 201) {
    throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  }
  return res.json();
}

async function measure(label: string, knex: Knex) {
  const served = await serve(knex);
  try {
    if (!flag('lag-only')) await ingestionAndReads(label, served);
    await eventLoopLag(label, served.base);
  } finally {
    served.server.close();
  }
}

/** (a) to (c). */
async function ingestionAndReads(
  label: string,
  { base, store, quality }: Awaited<ReturnType<typeof serve>>,
) {
  const now = Date.now();
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
}

/** Just under the route's limit, as the largest post a pipeline may send. */
const LAG_BODY_BYTES = MAX_BODY_BYTES - 1024;

const iso = (ms: number) => new Date(ms).toISOString();
/** dbt's 10-hex-digit suffix of a test id. */
const hex10 = (i: number) =>
  ((i * 2654435761) >>> 0).toString(16).padStart(10, '0');

/** run_results.json v6 of `dbt build`: one model per ten nodes, the rest tests. */
function dbtRunResults(runId: string, count: number, at: number): string {
  const tests = ['not_null', 'unique', 'accepted_values', 'relationships'];
  const results = Array.from({ length: count }, (_, i) => {
    const model = `model_${i % 200}`;
    const column = `column_${i % 37}`;
    const start = at - 600_000 + i * 10;
    const timing = [
      { name: 'compile', started_at: iso(start), completed_at: iso(start + 3) },
      {
        name: 'execute',
        started_at: iso(start + 4),
        completed_at: iso(start + 9),
      },
    ];
    if (i % 10 === 0) {
      return {
        status: 'success',
        timing,
        thread_id: `Thread-${(i % 4) + 1} (worker)`,
        execution_time: 1.52,
        adapter_response: {
          _message: 'CREATE VIEW',
          code: 'CREATE VIEW',
          rows_affected: -1,
        },
        message: 'CREATE VIEW',
        failures: null,
        unique_id: `model.shop.${model}_${i}`,
        compiled: true,
        compiled_code: `select * from raw.${model}`,
        relation_name: `"analytics"."shop"."${model}_${i}"`,
        batch_results: null,
      };
    }
    const status = STATUSES[i % STATUSES.length];
    const failures = status === 'pass' ? 0 : (i % 17) + 1;
    return {
      status,
      timing,
      thread_id: `Thread-${(i % 4) + 1} (worker)`,
      execution_time: 0.05 + (i % 13) / 100,
      adapter_response: {},
      message:
        status === 'pass'
          ? null
          : `Got ${failures} results, configured to ${status} if != 0`,
      failures,
      unique_id: `test.shop.${tests[i % 4]}_${model}_${column}_${i}.${hex10(
        i,
      )}`,
      compiled: true,
      compiled_code: `select ${column} from "analytics"."shop"."${model}" where ${column} is null`,
      relation_name: null,
      batch_results: null,
    };
  });
  return JSON.stringify({
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: '1.8.7',
      generated_at: iso(at),
      invocation_id: runId,
      env: {},
    },
    results,
    elapsed_time: 600,
    args: { which: 'build' },
  });
}

const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** JUnit XML: suites of 500 cases, a failure with a traceback in six. */
function junitReport(runId: string, count: number, at: number): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bench" tests="${count}">`,
    `  <properties><property name="run_id" value="${runId}"/></properties>`,
  ];
  for (let first = 0; first < count; first += 500) {
    const suite = `suite_${first / 500}`;
    out.push(
      `  <testsuite name="${suite}" tests="${Math.min(
        500,
        count - first,
      )}" time="12.5" timestamp="${iso(at - 600_000).slice(0, 19)}">`,
    );
    for (let i = first; i < Math.min(count, first + 500); i++) {
      const open = `    <testcase classname="${suite}.model_${
        i % 50
      }" name="column_${i % 37} is valid (check ${i})" time="0.012"`;
      const properties =
        i % 5 === 0
          ? `<properties><property name="dimension" value="${
              DIMENSIONS[i % DIMENSIONS.length]
            }"/><property name="measured" value="${i % 7}"/></properties>`
          : '';
      if (i % 6 === 5) {
        out.push(
          `${open}>${properties}<failure message="${xmlText(
            `Got ${i % 7} rows where column_${i % 37} < 0`,
          )}" type="AssertionError">Traceback (most recent call last):
  File "checks/model_${i % 50}.py", line 41, in check
AssertionError: ${i % 7} rows violate the rule</failure></testcase>`,
        );
      } else {
        out.push(properties ? `${open}>${properties}</testcase>` : `${open}/>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}

/** A Great Expectations (0.18) validation result of one suite. */
function greatExpectationsResult(
  runId: string,
  count: number,
  at: number,
): string {
  const types = [
    'expect_column_values_to_not_be_null',
    'expect_column_values_to_be_unique',
    'expect_column_values_to_be_in_set',
    'expect_column_values_to_be_between',
  ];
  const results = Array.from({ length: count }, (_, i) => {
    const success = i % 6 < 4;
    const unexpected = success ? 0 : (i % 17) + 1;
    return {
      success,
      expectation_config: {
        expectation_type: types[i % types.length],
        kwargs: {
          column: `column_${i}`,
          ...(i % 4 === 2 ? { value_set: ['a', 'b', 'c'] } : {}),
          ...(i % 4 === 3 ? { min_value: 0, max_value: 1000 } : {}),
          mostly: 0.99,
          batch_id: '2b5fa2f7c1b0d5c6e0a9f3f1a7e8d4c2',
        },
        meta: {},
      },
      result: {
        element_count: 10342,
        unexpected_count: unexpected,
        unexpected_percent: (unexpected / 10342) * 100,
        partial_unexpected_list: success ? [] : ['x', 'y'],
      },
      meta: {},
      exception_info: {
        raised_exception: false,
        exception_traceback: null,
        exception_message: null,
      },
    };
  });
  return JSON.stringify({
    success: false,
    results,
    evaluation_parameters: {},
    statistics: { evaluated_expectations: count },
    meta: {
      great_expectations_version: '0.18.12',
      expectation_suite_name: 'bench.critical',
      run_id: { run_name: runId, run_time: iso(at - 600_000) },
      active_batch_definition: {
        datasource_name: 'warehouse',
        data_asset_name: 'analytics.bench',
      },
      validation_time: iso(at),
    },
  });
}

type LagFormat = {
  name: string;
  /** What the document lists, which become checks. */
  items: string;
  query: string;
  contentType: string;
  /** The body of run `runId` with `count` items. */
  make: (runId: string, count: number) => string;
};

/** The most items whose body still fits `limit` bytes. */
function fit(make: (count: number) => string, limit: number): number {
  let count = Math.floor((1000 * limit) / Buffer.byteLength(make(1000)));
  while (Buffer.byteLength(make(count)) > limit) {
    count = Math.floor(count * 0.998);
  }
  return count;
}

/**
 * A client in another process that GETs `url` again 10 ms after each
 * answer, so that its latency is the server's alone: one request is always
 * either in flight or about to be, and one sent just before the server's
 * event loop blocks waits for all of the block.
 */
function startProber(url: string) {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let times = [];
    let running = false;
    function probe() {
      if (!running) return;
      const t0 = performance.now();
      http.get(${JSON.stringify(url)}, { agent }, res => {
        res.resume();
        res.on('end', () => {
          times.push(performance.now() - t0);
          setTimeout(probe, 10);
        });
      }).on('error', error => {
        // The server closes its connections once the benchmark is done.
        if (!running) return;
        console.error(error);
        process.exit(1);
      });
    }
    process.on('message', message => {
      if (message === 'start') { times = []; running = true; probe(); }
      else if (message === 'stop') { running = false; process.send(times); }
      else process.exit(0);
    });
  `;
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    start: () => child.send('start'),
    /** Latencies of the GETs answered since start, in ms. */
    stop: () =>
      new Promise<number[]>(resolve => {
        child.once('message', times => resolve(times as number[]));
        child.send('stop');
      }),
    close: () => child.send('exit'),
  };
}

/**
 * Posts `bodies` through `clients` connections while the event loop's delay
 * is sampled every millisecond and the prober GETs /ping.
 */
async function underLoad(
  base: string,
  prober: ReturnType<typeof startProber>,
  format: LagFormat,
  bodies: Buffer[],
  clients: number,
) {
  prober.start();
  // Let the prober's first GET in, as a reference for an idle server.
  await new Promise(resolve => setTimeout(resolve, 50));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const posts: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t0 = performance.now();
        await post(base, body, format.query, format.contentType);
        posts.push(performance.now() - t0);
      }
    }),
  );
  delay.disable();
  const gets = await prober.stop();
  const ms = (ns: number) => ns / 1e6;
  return {
    posts,
    loop: {
      max: ms(delay.max),
      p99: ms(delay.percentile(99)),
      p50: ms(delay.percentile(50)),
    },
    gets,
  };
}

/** (d) */
async function eventLoopLag(label: string, base: string) {
  const prober = startProber(`${base.slice(0, base.indexOf('/api/'))}/ping`);
  try {
    await lagOfEachFormat(label, base, prober);
  } finally {
    prober.close();
  }
}

async function lagOfEachFormat(
  label: string,
  base: string,
  prober: ReturnType<typeof startProber>,
) {
  const count = argument('posts', 5);
  const clients = argument('clients', 3);
  const now = Date.now();
  const formats: LagFormat[] = [
    {
      name: 'Quanta JSON',
      items: 'checks',
      query: '',
      contentType: 'application/json',
      make: (runId, n) =>
        JSON.stringify(documentOf(runId, 600, n, now - 60_000, true)),
    },
    {
      name: 'dbt run_results.json',
      items: 'nodes',
      query: '?format=dbt&entityRef=dataproduct:default/product-601',
      contentType: 'application/json',
      make: (runId, n) => dbtRunResults(runId, n, now - 60_000),
    },
    {
      name: 'JUnit XML',
      items: 'test cases',
      query: '?format=junit&entityRef=dataproduct:default/product-602',
      contentType: 'application/xml',
      make: (runId, n) => junitReport(runId, n, now - 60_000),
    },
    {
      name: 'Great Expectations',
      items: 'expectation results',
      query:
        '?format=great-expectations&entityRef=dataproduct:default/product-603',
      contentType: 'application/json',
      make: (runId, n) => greatExpectationsResult(runId, n, now - 60_000),
    },
  ];
  const round = (value: number) =>
    value >= 10 ? value.toFixed(0) : value.toFixed(1);
  for (const format of formats) {
    // Run ids of one length, so that every body has the size measured.
    const runId = (phase: string, i: number) =>
      `lag-${phase}-${String(i).padStart(4, '0')}`;
    const checks = fit(n => format.make(runId('seq', 0), n), LAG_BODY_BYTES);
    const bodies = (phase: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        Buffer.from(format.make(runId(phase, i), checks)),
      );
    // One post to warm up, outside the figures.
    const warm = await post(
      base,
      bodies('warm', 1)[0],
      format.query,
      format.contentType,
    );
    const sequential = bodies('seq', count);
    const bytes = Math.max(...sequential.map(b => b.length));
    const stored = warm.stored + warm.duplicates;
    const size = `${(bytes / 1024 / 1024).toFixed(2)} MB, ${checks} ${
      format.items
    }${stored === checks ? '' : ` (${stored} checks)`}`;
    const phases = [
      ['one at a time', sequential, 1],
      ['again (all duplicates)', sequential, 1],
      [`${clients} at once`, bodies('par', count), clients],
    ] as const;
    for (const [phase, list, concurrency] of phases) {
      const result = await underLoad(
        base,
        prober,
        format,
        [...list],
        concurrency,
      );
      console.log(
        `  ${label} (d) ${format.name}, ${size}; ${
          list.length
        } posts ${phase}: post p50 ${round(
          percentile(result.posts, 50),
        )} ms, max ${round(
          Math.max(...result.posts),
        )} ms; event loop max ${round(result.loop.max)} ms, p99 ${round(
          result.loop.p99,
        )} ms, p50 ${round(result.loop.p50)} ms; GET /ping p50 ${round(
          percentile(result.gets, 50),
        )} ms, p99 ${round(percentile(result.gets, 99))} ms, max ${round(
          Math.max(...result.gets),
        )} ms (${result.gets.length} GETs)`,
      );
    }
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
