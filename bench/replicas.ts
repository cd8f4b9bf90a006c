/*
 * Reads under load through a load-balancing proxy (round robin, or
 * `--balance least-requests`), on one replica, then on two,
 * and so on up to `--replicas`, while pipelines post quality results and
 * evaluations of the whole mesh run back to back. The replicas are the reliability suite's: demo backends
 * in production mode on one PostgreSQL server (reliability/src/cluster.ts).
 *
 *   yarn workspace @quanta/bench replicas [--products 10000] [--seconds 60] [--users 50] [--replicas 2] [--think-seconds 0] [--policy-texts] [--cold-lineage] [--new-products 0] [--keep] [--profile] [--replica-cpus 0.5] [--balance least-requests]
 *
 * Prints, per phase, p50/p95/p99 and errors per endpoint (by status), the
 * reads per second, each replica's event-loop delay measured inside it
 * (eventLoopDelay.cjs), the delay of its liveness answer as seen from
 * outside, and the evaluations that completed.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  Balance,
  Cluster,
  Replica,
  call,
  waitFor,
} from '../reliability/src/cluster';
import { qualityDocument } from '../reliability/src/scenarios';
import { argument, flag, machineLine, percentile } from './common';
import { CpuLimit } from './cpuLimit';
import { generateMesh } from './generateMesh';

const API = '/api/data-mesh';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A failed request's status, or the error's code when none came back. */
type Sample = { ms: number; failure?: string; bytes?: number };

const EVENT_LOOP_PRELOAD = path.join(__dirname, 'eventLoopDelay.cjs');

type Delay = {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

/**
 * Ends the replica's event-loop histogram (bench/eventLoopDelay.cjs): what
 * it measured since the previous call.
 */
async function eventLoopDelay(replica: Replica): Promise<Delay | undefined> {
  const file = `${replica.logFile}.eventloop.jsonl`;
  const lines = () =>
    fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
      : [];
  const before = lines().length;
  if (!replica.child?.kill('SIGUSR2')) return undefined;
  for (let i = 0; i < 100 && lines().length === before; i++) await sleep(100);
  const last = lines().at(-1);
  return lines().length > before && last ? JSON.parse(last) : undefined;
}

/** The machine's CPU time so far, busy and in all (/proc/stat, in ticks). */
function machineCpu(): { busy: number; total: number } {
  const [, ...fields] = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait
  return { busy: total - ticks[3] - ticks[4], total };
}

async function phase(
  cluster: Cluster,
  replicas: Replica[],
  options: {
    products: number;
    seconds: number;
    users: number;
    policyTexts: boolean;
    /** How long a user reads a page before the next; 0: back to back. */
    thinkMs: number;
    /** Each replica's CPU share, with `--replica-cpus`. */
    limits: Map<string, CpuLimit>;
  },
) {
  cluster.routeTo = replicas;
  const samples = new Map<string, Sample[]>();
  const lag = new Map<string, number[]>(replicas.map(r => [r.name, []]));
  const record = (endpoint: string, sample: Sample) => {
    const list = samples.get(endpoint) ?? [];
    list.push(sample);
    samples.set(endpoint, list);
  };
  // Each replica's event-loop histogram starts with the phase.
  await Promise.all(replicas.map(eventLoopDelay));
  cluster.proxy.upstreamErrors.clear();
  const until = Date.now() + options.seconds * 1000;
  const timed = async (endpoint: string, route: string, body?: unknown) => {
    const started = performance.now();
    try {
      const answer = await call(
        cluster.proxy.url,
        body === undefined ? 'GET' : 'POST',
        route,
        body,
      );
      record(endpoint, {
        ms: performance.now() - started,
        failure: answer.status < 400 ? undefined : String(answer.status),
        bytes: answer.bytes,
      });
    } catch (error: any) {
      record(endpoint, {
        ms: performance.now() - started,
        failure:
          error?.name === 'TimeoutError'
            ? 'timeout'
            : error?.cause?.code ?? error?.name ?? 'error',
      });
    }
  };
  // A user opens product pages: the scorecard, quality and lineage calls,
  // as the frontend makes them (it reads the policy texts once, at first).
  const user = async () => {
    if (!options.policyTexts) await timed('policies', `${API}/policies`);
    // Users with time to read start at random points of their first page,
    // not all in the same millisecond.
    if (options.thinkMs) await sleep(Math.random() * options.thinkMs);
    while (Date.now() < until) {
      const name = `product-${Math.floor(Math.random() * options.products)}`;
      await Promise.all([
        timed(
          'scorecard',
          `${API}/scorecards/dataproduct/default/${name}${
            options.policyTexts ? '' : '?policies=ids'
          }`,
        ),
        timed('quality', `${API}/quality/dataproduct/default/${name}`),
        timed('lineage', `${API}/lineage/dataproduct/default/${name}`),
      ]);
      // Reading the page before opening the next: from 0.5 to 1.5 times the
      // think time, so that users do not fall into step.
      if (options.thinkMs) await sleep((0.5 + Math.random()) * options.thinkMs);
    }
  };
  // Pipelines: 10 quality posts a second, whatever the answers take.
  const pipelines = async () => {
    const posts: Promise<void>[] = [];
    for (let i = 0; Date.now() < until; i++) {
      const doc = {
        ...qualityDocument(`bench-${Date.now()}-${i}`, 20),
        entityRef: `dataproduct:default/product-${i % options.products}`,
        outputPort: 'main',
      };
      posts.push(
        timed('quality post', `${API}/quality/results?format=quanta`, doc),
      );
      await sleep(100);
    }
    await Promise.all(posts);
  };
  // Evaluations of the whole mesh, one after another, on any replica.
  let evaluations = 0;
  const evaluate = async () => {
    while (Date.now() < until) {
      const answer = await call(
        cluster.proxy.url,
        'POST',
        `${API}/evaluations`,
        {},
        { timeoutMs: 600_000 },
      ).catch(() => undefined);
      if (answer?.status === 201) evaluations++;
      else await sleep(500);
    }
  };
  const probe = async () => {
    while (Date.now() < until) {
      await Promise.all(
        replicas.map(async r => {
          const started = performance.now();
          await fetch(`${r.url}/.backstage/health/v1/liveness`).catch(
            () => undefined,
          );
          lag.get(r.name)!.push(performance.now() - started);
        }),
      );
      await sleep(200);
    }
  };
  const started = Date.now();
  const usageBefore = new Map(
    [...options.limits].map(([name, limit]) => [name, limit.usage()]),
  );
  const machineBefore = machineCpu();
  const selfBefore = process.cpuUsage();
  await Promise.all([
    ...Array.from({ length: options.users }, user),
    pipelines(),
    evaluate(),
    probe(),
  ]);
  const seconds = (Date.now() - started) / 1000;
  const machineAfter = machineCpu();
  const self = process.cpuUsage(selfBefore);
  const delays = await Promise.all(replicas.map(eventLoopDelay));
  const reads = ['scorecard', 'quality', 'lineage']
    .map(e => samples.get(e)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  console.log(
    `\n${replicas.length} replica(s), ${options.users} users${
      options.thinkMs
        ? ` reading each page for ${options.thinkMs / 1000} s on average`
        : ' opening pages back to back'
    }, ${seconds.toFixed(0)} s: ${(reads / seconds).toFixed(
      0,
    )} reads/s, ${evaluations} evaluations of the whole mesh completed`,
  );
  console.log(
    '| endpoint      | requests | p50 ms | p95 ms | p99 ms | errors | KiB/answer |',
  );
  console.log(
    '| ------------- | -------- | ------ | ------ | ------ | ------ | ---------- |',
  );
  for (const [endpoint, list] of samples) {
    const ms = list.map(s => s.ms);
    const sized = list.filter(s => !s.failure && s.bytes !== undefined);
    const kib = sized.length
      ? sized.reduce((sum, s) => sum + s.bytes!, 0) / sized.length / 1024
      : 0;
    console.log(
      `| ${endpoint.padEnd(13)} | ${String(list.length).padStart(
        8,
      )} | ${percentile(ms, 50).toFixed(0).padStart(6)} | ${percentile(ms, 95)
        .toFixed(0)
        .padStart(6)} | ${percentile(ms, 99).toFixed(0).padStart(6)} | ${String(
        list.filter(s => s.failure).length,
      ).padStart(6)} | ${kib.toFixed(1).padStart(10)} |`,
    );
  }
  const failures = [...samples].flatMap(([endpoint, list]) => {
    const counts = new Map<string, number>();
    for (const s of list)
      if (s.failure) counts.set(s.failure, (counts.get(s.failure) ?? 0) + 1);
    return [...counts].map(([why, n]) => `${endpoint} ${why} x${n}`);
  });
  console.log(`  errors: ${failures.length ? failures.join(', ') : 'none'}`);
  const upstream = [...cluster.proxy.upstreamErrors].map(
    ([why, n]) => `${why} x${n}`,
  );
  console.log(
    `  proxy to replicas: ${
      upstream.length ? upstream.join(', ') : 'no errors'
    }`,
  );
  replicas.forEach((r, i) => {
    const d = delays[i];
    console.log(
      d
        ? `  ${r.name} event-loop delay (in the replica, ${d.samples} samples): p50 ${d.p50} ms, p95 ${d.p95} ms, p99 ${d.p99} ms, max ${d.max} ms`
        : `  ${r.name} event-loop delay: not measured (the replica did not answer the signal)`,
    );
  });
  // Whether the machine itself was the limit: its cores busy, and how
  // much of that was this process (the load generator and the proxy).
  console.log(
    `  machine: ${(
      (machineAfter.busy - machineBefore.busy) /
      ((machineAfter.total - machineBefore.total) / os.cpus().length)
    ).toFixed(2)} of ${
      os.cpus().length
    } cores busy; load generator and proxy (this process) ${(
      (self.user + self.system) /
      1e6 /
      seconds
    ).toFixed(2)} cores`,
  );
  for (const r of replicas) {
    const limit = options.limits.get(r.name);
    const before = usageBefore.get(r.name);
    if (!limit || !before) continue;
    const after = limit.usage();
    console.log(
      `  ${r.name} CPU: ${(
        (after.cpuSeconds - before.cpuSeconds) /
        seconds
      ).toFixed(2)} of its ${limit.cpus} cores, throttled ${(
        ((after.throttledSeconds - before.throttledSeconds) / seconds) *
        100
      ).toFixed(0)}% of the phase`,
    );
  }
  for (const [name, values] of lag) {
    console.log(
      `  ${name} liveness answer: p50 ${percentile(values, 50).toFixed(
        0,
      )} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${Math.max(
        ...values,
      ).toFixed(0)} ms`,
    );
  }
  return reads / seconds;
}

async function main() {
  const products = argument('products', 10_000);
  const seconds = argument('seconds', 60);
  const users = argument('users', 50);
  const replicas = argument('replicas', 2);
  // Scorecards with each policy's text in every answer, as the frontend
  // read them before it kept the texts of GET /policies.
  const policyTexts = flag('policy-texts');
  // Seconds a user spends on a page before opening the next (0: none, each
  // user asks again as soon as a page has loaded, which measures capacity).
  const thinkMs = argument('think-seconds', 0, { min: 0, whole: false }) * 1000;
  // A CPU profile of each replica per phase (eventLoopDelay.cjs), kept
  // with the logs: `profileStretches.ts` reads them.
  if (flag('profile')) process.env.QUANTA_REPLICA_PROFILE = '1';
  // Each replica held to this many cores during the phases (a cgroup, as a
  // container's CPU limit): replicas on machines of their own, emulated on
  // cores they share with the database and the load generator. 0: no limit.
  const replicaCpus = argument('replica-cpus', 0, { min: 0, whole: false });
  // Made now, named as the cluster names its replicas, so that a machine
  // without the cgroup controller says so before minutes of setup.
  const limits = new Map<string, CpuLimit>(
    replicaCpus
      ? Array.from({ length: replicas }, (_, i) => {
          const name = `replica-${i + 1}`;
          return [name, new CpuLimit(`quanta-bench-${name}`, replicaCpus)];
        })
      : [],
  );
  // How the proxy spreads requests over replicas.
  const balanceIndex = process.argv.indexOf('--balance');
  const balance = (
    balanceIndex < 0 ? 'round-robin' : process.argv[balanceIndex + 1]
  ) as Balance;
  if (balance !== 'round-robin' && balance !== 'least-requests')
    throw new Error(
      `--balance takes round-robin or least-requests; got ${
        balance ?? 'nothing'
      }`,
    );
  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'quanta-bench-replicas-'),
  );
  const meshFile = path.join(workDir, 'mesh.yaml');
  fs.writeFileSync(
    meshFile,
    generateMesh(products)
      .map(entity => stringify(entity))
      .join('---\n'),
  );
  fs.mkdirSync(path.join(workDir, 'new'));
  const cluster = new Cluster({
    workDir,
    postgres: new URL(
      process.env.QUANTA_RELIABILITY_POSTGRES ||
        'postgresql://postgres@127.0.0.1:5432',
    ),
    replicas,
    locations: [meshFile],
    newProductsDir: path.join(workDir, 'new'),
    // Scheduled runs out of the way: the benchmark starts its own.
    evaluation: { frequencySeconds: 3600, timeoutSeconds: 600 },
    expectedProducts: products,
    lineageRefreshSeconds: 300,
    // Ten pipelines posting once a second each, as one caller here.
    dataMesh: { quality: { rateLimit: { requests: 100, perSeconds: 1 } } },
    preload: [EVENT_LOOP_PRELOAD],
    balance,
  });
  console.log(machineLine());
  const postgresVersion =
    execSync('psql --version')
      .toString()
      .match(/\d+\.\d+/)?.[0] ?? '?';
  console.log(
    `${products} generated data products (100 teams, 20 domains), scorecards read ${
      policyTexts ? 'with policy texts' : 'with policy ids (texts read once)'
    }, ${replicas} demo backends in production mode on PostgreSQL ${postgresVersion}, proxy ${balance}; replicas, database and load generator all on this machine`,
  );
  try {
    await cluster.init();
    // One at a time: two on an empty database race on Backstage's migrations.
    for (const replica of cluster.replicas) await cluster.start(replica);
    const t0 = Date.now();
    await waitFor(
      `${products} products in the catalog`,
      async () => {
        const answer = await call(
          cluster.proxy.url,
          'GET',
          '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=1&fields=metadata.name',
        );
        // All but one in a thousand: with two replicas ingesting, the
        // catalog once left a product without the rows its filters search.
        return (answer.body?.totalItems ?? 0) >= products - products / 1000;
      },
      3_600_000,
      5000,
    );
    console.log(
      `catalog read the mesh in ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    // A full run before the load, so that every product has a scorecard;
    // runs the catalog's changes started may hold the lock first.
    const first = await waitFor(
      'a full evaluation before the load',
      async () => {
        const answer = await call(
          cluster.proxy.url,
          'POST',
          `${API}/evaluations`,
          {},
          { timeoutMs: 1_800_000 },
        );
        return answer.status === 201 && answer.body.run;
      },
      1_800_000,
      5000,
    );
    console.log(
      `first full evaluation: ${first.products} products in ${first.durationMs} ms`,
    );
    // An instance keeps the mesh in memory for lineage: read at its first
    // lineage query or handed over by an evaluation it ran, then refreshed in
    // the background every dataMesh.lineage.refresh. A replica whose graph
    // dates from the middle of the import lacks the products imported after
    // it; a query for one looks it up and adds it, and the replica reads the
    // whole mesh again in the background. Asked here for the last product,
    // so that the phases measure replicas in service rather than catching up
    // with the import; `--cold-lineage` leaves that to the phases.
    for (const replica of flag('cold-lineage') ? [] : cluster.replicas) {
      const answer = await call(
        replica.url,
        'GET',
        `${API}/lineage/dataproduct/default/product-${products - 1}`,
        undefined,
        { timeoutMs: 600_000 },
      );
      console.log(
        `${replica.name}: lineage of the last product imported ${answer.status} in ${answer.ms} ms`,
      );
    }
    if (replicaCpus) {
      for (const replica of cluster.replicas)
        limits.get(replica.name)!.add(replica.child!.pid!);
      console.log(
        `each replica limited to ${replicaCpus} cores (cgroup) for the phases`,
      );
    }
    // One phase per number of replicas the proxy sends to: 1, 2, ...
    const rates: number[] = [];
    for (let n = 1; n <= cluster.replicas.length; n++) {
      rates.push(
        await phase(cluster, cluster.replicas.slice(0, n), {
          products,
          seconds,
          users,
          policyTexts,
          thinkMs,
          limits,
        }),
      );
    }
    console.log(
      `\nreads/s: ${rates
        .map(
          (rate, i) =>
            `${rate.toFixed(0)} on ${i + 1} replica${i ? 's' : ''}${
              i ? ` (x${(rate / rates[0]).toFixed(2)})` : ''
            }`,
        )
        .join(', ')}`,
    );
    const added = argument('new-products', 0, { min: 0 });
    if (added) await newProducts(cluster, workDir, products, added);
  } finally {
    await cluster.close();
    for (const limit of limits.values()) limit.close();
    if (flag('keep') || flag('profile'))
      console.log(`replica logs kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Products registered while replicas serve (a bulk import, or many teams
 * creating from templates): `count` more are written where the catalog
 * reads new products; once the catalog lists them all, the lineage of every
 * one is asked of each replica at once, as users opening them would. Each
 * replica's lineage index predates them.
 */
async function newProducts(
  cluster: Cluster,
  workDir: string,
  products: number,
  count: number,
) {
  const added = generateMesh(products + count)
    .filter(e => e.kind === 'DataProduct')
    .slice(products);
  fs.writeFileSync(
    path.join(workDir, 'new', 'bulk.yaml'),
    added.map(entity => stringify(entity)).join('---\n'),
  );
  const t0 = Date.now();
  const waiting = new Set(added.map(e => e.metadata.name));
  await waitFor(
    `${count} new products in the catalog`,
    async () => {
      for (const name of [...waiting]) {
        const answer = await call(
          cluster.proxy.url,
          'GET',
          `/api/catalog/entities/by-name/dataproduct/default/${name}`,
        );
        if (answer.status === 200) waiting.delete(name);
      }
      return waiting.size === 0;
    },
    1_800_000,
    2000,
  );
  console.log(
    `\n${count} new products registered; the catalog listed them all after ${Math.round(
      (Date.now() - t0) / 1000,
    )} s`,
  );
  await Promise.all(
    cluster.replicas.map(async replica => {
      const answers = await Promise.all(
        added.map(product =>
          call(
            replica.url,
            'GET',
            `${API}/lineage/dataproduct/default/${product.metadata.name}`,
            undefined,
            { timeoutMs: 600_000 },
          ),
        ),
      );
      const ms = answers.map(a => a.ms);
      // Complete: the product and every product it declares it reads.
      const complete = answers.filter((a, i) => {
        const nodes = new Set<string>(
          (a.body?.nodes ?? []).map((n: { entityRef: string }) => n.entityRef),
        );
        const reads: Array<{ dataProduct?: string; source?: string }> = (
          added[i].spec as any
        ).inputPorts;
        return (
          a.status === 200 &&
          nodes.has(`dataproduct:default/${added[i].metadata.name}`) &&
          reads.every(input => nodes.has(input.dataProduct ?? input.source!))
        );
      }).length;
      console.log(
        `${replica.name}: first lineage of each, all at once: p50 ${percentile(
          ms,
          50,
        )} ms, p95 ${percentile(ms, 95)} ms, max ${Math.max(
          ...ms,
        )} ms; ${complete} of ${count} with the product and all it reads`,
      );
    }),
  );
}

main().then(
  // Ended here: once its replicas were gone, the process stayed busy on
  // something of its own and skewed whatever ran next on the machine.
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
