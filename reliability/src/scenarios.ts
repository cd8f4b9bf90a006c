import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { Cluster, Replica, call, sleep, waitFor } from './cluster';

export type Scenario = {
  title: string;
  /** Why the scenario cannot run here; it runs when undefined. */
  unavailable?: () => string | undefined;
  run(cluster: Cluster): Promise<string[]>;
};

export class Failure extends Error {}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

const API = '/api/data-mesh';
const ORDERS = 'dataproduct:default/orders';
const running = (cluster: Cluster) => cluster.replicas.filter(r => r.child);

async function scorecard(base: string, ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return call(base, 'GET', `${API}/scorecards/${kind}/${namespace}/${name}`);
}

async function runs(base: string) {
  const answer = await call(base, 'GET', `${API}/runs?limit=100`);
  expect(answer.status === 200, `GET /runs answered ${answer.status}`);
  return answer.body.items as Array<{
    id: number;
    trigger: string;
    status: string;
    startedAt: string;
    finishedAt?: string;
    products?: number;
    error?: string;
  }>;
}

/** The scorecards of every product, the same whichever replica answers. */
async function allScorecards(base: string) {
  const answer = await call(base, 'GET', `${API}/scorecards?limit=100`);
  expect(
    answer.status === 200,
    `GET /scorecards answered ${answer.status}: ${JSON.stringify(
      answer.body,
    ).slice(0, 200)}`,
  );
  return answer.body;
}

/** Runs that overlap in time: two evaluations at once would be a lost lock. */
function overlaps(items: Awaited<ReturnType<typeof runs>>) {
  const done = items
    .filter(r => r.finishedAt)
    .map(r => ({
      id: r.id,
      from: Date.parse(r.startedAt),
      to: Date.parse(r.finishedAt!),
    }))
    .sort((a, b) => a.from - b.from);
  const found: string[] = [];
  for (let i = 1; i < done.length; i++) {
    if (done[i].from < done[i - 1].to) {
      found.push(`runs ${done[i - 1].id} and ${done[i].id}`);
    }
  }
  return found;
}

export function qualityDocument(runId: string, checks: number) {
  const finishedAt = new Date(Date.now() - 60_000);
  return {
    source: 'reliability',
    runId,
    startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    entityRef: ORDERS,
    outputPort: 'orders-table',
    checks: Array.from({ length: checks }, (_, i) => ({
      checkId: `check-${i}`,
      name: `check ${i} of run ${runId}`,
      status: i % 10 === 0 ? 'warn' : 'pass',
      dimension: 'validity',
    })),
  };
}

export function lineageEvents(
  namespace: string,
  count: number,
  shape = { inputs: 1, outputs: 1 },
) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    eventType: 'COMPLETE',
    eventTime: new Date(now - 60_000 + i).toISOString(),
    producer: 'https://github.com/acme/reliability',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: crypto.randomUUID() },
    job: { namespace, name: `job-${i}` },
    inputs: Array.from({ length: shape.inputs }, (_, n) => ({
      namespace,
      name: `in-${i}-${n}`,
    })),
    outputs: Array.from({ length: shape.outputs }, (_, n) => ({
      namespace,
      name: `out-${i}-${n}`,
    })),
  }));
}

async function storedQuality(cluster: Cluster, runId: string) {
  const db = cluster.db();
  const rows = await db('dm_quality_runs').where({
    source: 'reliability',
    run_id: runId,
  });
  const checks = rows.length
    ? Number(
        (
          await db('dm_quality_results')
            .whereIn(
              'run_pk',
              rows.map(r => r.id),
            )
            .count({ n: '*' })
        )[0].n,
      )
    : 0;
  return { runs: rows.length, checks };
}

async function storedEdges(cluster: Cluster, namespace: string) {
  const [{ n }] = await cluster
    .db()('dm_lineage_edges')
    .where({ input_namespace: namespace })
    .count({ n: '*' });
  return Number(n);
}

/** Whether a replica is inside a transaction that writes `table`. */
async function writing(cluster: Cluster, table: string): Promise<boolean> {
  const { rows } = await cluster.db().raw(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND state IN ('active', 'idle in transaction') AND query ILIKE ?`,
    [`%${table}%`],
  );
  return Number(rows[0].n) > 0;
}

/** Kills `replica` once `started` says the work is under way, or after `atMs` at the latest. */
async function killDuring(
  cluster: Cluster,
  replica: Replica,
  request: Promise<unknown>,
  started: () => Promise<boolean>,
  atMs: number,
): Promise<'killed during' | 'finished before kill'> {
  let finished = false;
  request.then(
    () => (finished = true),
    () => (finished = true),
  );
  const deadline = Date.now() + atMs;
  while (!finished && Date.now() < deadline) {
    if (await started()) break;
    await sleep(5);
  }
  const outcome = finished ? 'finished before kill' : 'killed during';
  await cluster.kill(replica);
  await request.catch(() => undefined);
  return outcome;
}

/**
 * Starts an API evaluation on `a` and waits until it is running (seen through
 * `b`). A scheduled run may hold the lock at that moment: then `a` answers
 * 409 at once and it tries again once that run finished.
 */
async function startApiRun(a: Replica, b: Replica) {
  for (let attempt = 1; ; attempt++) {
    await waitFor(
      'no evaluation running',
      async () => !(await runs(b.url)).some(r => r.status === 'running'),
      120_000,
    );
    const before = new Set((await runs(b.url)).map(r => r.id));
    let answered: { status: number } | undefined;
    const request = call(
      a.url,
      'POST',
      `${API}/evaluations`,
      {},
      {
        timeoutMs: 300_000,
      },
    );
    request.then(
      r => (answered = r),
      () => (answered = { status: 0 }),
    );
    // Only `a` was asked for an API run, so a new running one is `a`'s.
    let run: Awaited<ReturnType<typeof runs>>[number] | undefined;
    while (!answered && !run) {
      run = (await runs(b.url)).find(
        r => !before.has(r.id) && r.trigger === 'api' && r.status === 'running',
      );
      if (!run) await sleep(20);
    }
    if (run) return { request, run, answered: () => answered?.status };
    expect(
      answered!.status === 409 && attempt < 5,
      `the API evaluation on ${a.name} answered ${
        answered!.status
      } without being seen running`,
    );
  }
}

/**
 * Takes the database away while the replicas serve: every data mesh route
 * must answer 503 (not 500, not a hang), and once it is back the replicas
 * answer again and a scheduled evaluation completes, by themselves.
 */
async function outage(
  cluster: Cluster,
  label: string,
  takeAway: () => Promise<void>,
  bringBack: () => Promise<void>,
): Promise<string[]> {
  await takeAway();
  const statuses: string[] = [];
  try {
    for (const replica of running(cluster)) {
      for (const [method, route, body] of [
        ['GET', `${API}/scorecards/dataproduct/default/orders`],
        ['GET', `${API}/quality/dataproduct/default/orders`],
        ['GET', `${API}/lineage/dataproduct/default/orders`],
        // A pipeline's post is refused with 503, so that it retries.
        [
          'POST',
          `${API}/quality/results?format=quanta`,
          qualityDocument(`while-down-${Date.now()}`, 5),
        ],
      ] as const) {
        const answer = await call(replica.url, method, route, body, {
          timeoutMs: 60_000,
        }).catch(error => ({ status: 0, body: String(error), ms: 0 }));
        statuses.push(
          `${replica.name} ${method} ${route.split('/')[3]} ${
            answer.status
          } in ${answer.ms} ms`,
        );
        expect(
          answer.status === 503,
          `${replica.name} ${route} answered ${
            answer.status
          } while the database was ${label}, not 503: ${JSON.stringify(
            answer.body,
          ).slice(0, 200)}`,
        );
      }
    }
  } finally {
    await bringBack();
  }
  for (const replica of running(cluster)) {
    await waitFor(
      `${replica.name} answering again`,
      async () => (await scorecard(replica.url, ORDERS)).status === 200,
      120_000,
      1000,
    );
  }
  // The scheduled evaluation goes on: a new scheduled run completes.
  const upAt = Date.now();
  const [a] = running(cluster);
  const next = await waitFor(
    'a scheduled run after the database came back',
    async () =>
      (
        await runs(a.url)
      ).find(
        r =>
          r.trigger === 'schedule' &&
          r.status === 'completed' &&
          Date.parse(r.startedAt) >= upAt,
      ),
    (cluster.options.evaluation.frequencySeconds +
      cluster.options.evaluation.timeoutSeconds) *
      1000 +
      120_000,
    2000,
  );
  return [
    `while ${label}: ${statuses.join(', ')}`,
    `scheduled run ${next.id} completed after recovery`,
  ];
}

/** How to stop and start the PostgreSQL server itself, when the suite may. */
const POSTGRES_CTL = process.env.QUANTA_RELIABILITY_POSTGRES_CTL;

function postgresCtl(action: 'stop' | 'start') {
  const [command, ...args] = POSTGRES_CTL!.split(/\s+/).filter(Boolean);
  // fast: the server ends every open session (57P01), as a restart does.
  execFileSync(
    command,
    [...args, action, ...(action === 'stop' ? ['-m', 'fast'] : [])],
    {
      stdio: 'pipe',
      timeout: 120_000,
    },
  );
}

export const scenarios: Scenario[] = [
  {
    title:
      'replicas started together on an empty database migrate it once and all become ready',
    async run(cluster) {
      // Both were started at the same moment by the runner; this checks what they left.
      const db = cluster.db();
      const migrations = await db('knex_migrations').select('name');
      const names = migrations.map(m => m.name);
      const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
      expect(
        duplicated.length === 0,
        `migrations applied twice: ${duplicated.join(', ')}`,
      );
      expect(
        running(cluster).length === cluster.replicas.length,
        'not every replica is running',
      );
      // Quanta's plugins wait for another replica's migrations; a start that
      // failed must be another plugin's (Backstage's catalog, which does not).
      const restarts = cluster.replicas.flatMap(r =>
        r.failedStarts.map(why => `${r.name}: ${why}`),
      );
      // Each failed plugin is named with its cause, one per ' | ' part.
      // Backstage's scheduler and core services (auth's public keys) keep
      // tables in every plugin's database, so a failure there names
      // data-mesh but is not Quanta's.
      const ours = restarts
        .flatMap(why => why.split(' | '))
        .filter(
          part =>
            /Plugin 'data-mesh' startup failed/.test(part) &&
            !/backstage_backend_tasks__/.test(part) &&
            !/Failed to instantiate service 'core\./.test(part),
        );
      expect(
        ours.length === 0,
        `Quanta's plugin failed to start: ${ours.join('; ')}`,
      );
      // The demo backend starts one instance at a time (a PostgreSQL
      // advisory lock, packages/backend/src/index.ts); the log says who waited.
      const waited = cluster.replicas
        .filter(r =>
          fs
            .readFileSync(r.logFile, 'utf8')
            .includes('Waiting for another instance to finish starting'),
        )
        .map(r => r.name);
      return [
        `${names.length} data-mesh migrations applied once, ${cluster.replicas.length} replicas ready`,
        waited.length
          ? `${waited.join(
              ', ',
            )} waited for the start lock while another replica started`
          : 'no replica waited for the start lock',
        restarts.length
          ? `started again after a failed start, as an orchestrator would: ${restarts.join(
              '; ',
            )}`
          : 'no replica needed a second start',
      ];
    },
  },
  {
    title:
      'the demo mesh is evaluated and every replica serves the same scorecards',
    async run(cluster) {
      const [first, ...others] = running(cluster);
      // The catalog reads the generated mesh first; then a full run scores it all.
      const products = await waitFor(
        'every data product in the catalog',
        async () => {
          const answer = await call(
            cluster.proxy.url,
            'GET',
            '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=1&fields=metadata.name',
          );
          const total = answer.body?.totalItems ?? 0;
          // One in a thousand may be missing: with two replicas ingesting,
          // Backstage's catalog once stitched a product without the search
          // rows its filters read (bench/README.md, "Replicas").
          const expected = cluster.options.expectedProducts;
          return total >= expected - Math.ceil(expected / 1000) && total;
        },
        600_000,
        3000,
      );
      const run = await waitFor(
        `a completed full run over ${products} products`,
        async () =>
          (
            await runs(first.url)
          ).find(
            r =>
              r.status === 'completed' &&
              r.trigger !== 'change' &&
              (r.products ?? 0) >= products,
          ),
        600_000,
        3000,
      );
      const card = (await scorecard(cluster.proxy.url, ORDERS)).body;
      const reference = await allScorecards(first.url);
      for (const replica of others) {
        const seen = await allScorecards(replica.url);
        expect(
          JSON.stringify(seen) === JSON.stringify(reference),
          `${replica.name} serves other scorecards than ${first.name}`,
        );
      }
      return [
        `run ${run.id} (${run.trigger}) scored ${
          run.products
        } products; orders at level ${card.level ?? '?'}; ${
          reference.totalItems
        } scorecards equal on ${running(cluster).length} replicas`,
      ];
    },
  },
  {
    title:
      'an on-demand evaluation on one replica answers 409 on the other while it runs',
    async run(cluster) {
      const [a, b] = running(cluster);
      const { request: first, run: started } = await startApiRun(a, b);
      const second = await call(b.url, 'POST', `${API}/evaluations`, {});
      const done = await first;
      expect(
        done.status === 201,
        `the first replica answered ${done.status}: ${JSON.stringify(
          done.body,
        ).slice(0, 300)}`,
      );
      expect(
        second.status === 409,
        `the second replica answered ${second.status} while run ${started.id} ran, not 409`,
      );
      expect(
        second.body?.run?.id === started.id,
        `the 409 names run ${second.body?.run?.id}, not the running ${started.id}`,
      );
      const reference = JSON.stringify(await allScorecards(a.url));
      expect(
        JSON.stringify(await allScorecards(b.url)) === reference,
        'the replicas serve different scorecards after the run',
      );
      return [
        `run ${started.id} (${done.body.run.products} products, ${done.ms} ms) on ${a.name}; ${b.name} answered 409 naming it`,
      ];
    },
  },
  {
    title:
      'quality results and OpenLineage events posted through the proxy are stored once and every replica reads the same',
    async run(cluster) {
      const namespace = `reliability://spread-${Date.now()}`;
      const events = lineageEvents(namespace, 40);
      const documents = Array.from({ length: 10 }, (_, i) =>
        qualityDocument(`spread-${Date.now()}-${i}`, 20),
      );
      // Each posted twice, as a pipeline's retry would; round robin spreads them.
      for (let round = 0; round < 2; round++) {
        for (const event of events) {
          const answer = await call(
            cluster.proxy.url,
            'POST',
            `${API}/openlineage`,
            event,
          );
          expect(
            answer.status === 201,
            `OpenLineage post answered ${answer.status}`,
          );
        }
        for (const doc of documents) {
          const answer = await call(
            cluster.proxy.url,
            'POST',
            `${API}/quality/results?format=quanta`,
            doc,
          );
          expect(
            answer.status === 201,
            `quality post answered ${answer.status}: ${JSON.stringify(
              answer.body,
            ).slice(0, 200)}`,
          );
          expect(
            round === 0
              ? answer.body.stored === 20
              : answer.body.duplicates === 20 && answer.body.stored === 0,
            `round ${round + 1}: stored ${answer.body.stored}, duplicates ${
              answer.body.duplicates
            }`,
          );
        }
      }
      expect(
        (await storedEdges(cluster, namespace)) === 40,
        `${await storedEdges(cluster, namespace)} lineage edges stored, not 40`,
      );
      for (const doc of documents) {
        const stored = await storedQuality(cluster, doc.runId);
        expect(
          stored.runs === 1 && stored.checks === 20,
          `quality run ${doc.runId}: ${stored.runs} runs, ${stored.checks} checks stored, not 1 and 20`,
        );
      }
      // An observed edge posted to one replica is in the other's next
      // answer: orders feeding exchange-rates, which declares no such input.
      const [a, b] = running(cluster);
      const lineageOf = async (r: Replica) =>
        (
          await call(
            r.url,
            'GET',
            `${API}/lineage/dataproduct/default/exchange-rates`,
          )
        ).body;
      const fromOrders = (lineage: any) =>
        (lineage?.edges ?? []).find(
          (e: any) =>
            e.from === ORDERS && e.to === 'dataproduct:default/exchange-rates',
        );
      const before = await lineageOf(b);
      expect(
        before?.entityRef === 'dataproduct:default/exchange-rates' &&
          !fromOrders(before),
        `exchange-rates' lineage already has an edge from orders, or is not there: ${JSON.stringify(
          before,
        ).slice(0, 300)}`,
      );
      const event = {
        ...lineageEvents('dbt://acme', 1)[0],
        job: { namespace: 'dbt://acme', name: 'reliability.fx_from_orders' },
        inputs: [{ namespace: 'iceberg://lake', name: 'sales/orders' }],
        outputs: [{ namespace: 'iceberg://lake', name: 'finance/fx_rates' }],
      };
      const posted = await call(a.url, 'POST', `${API}/openlineage`, event);
      expect(posted.status === 201, `posting to ${a.name}: ${posted.status}`);
      const seenOnB = await lineageOf(b);
      const edge = fromOrders(seenOnB);
      expect(
        edge?.observed && edge.undeclared,
        `${b.name} does not show the edge posted to ${
          a.name
        } at its next query: ${JSON.stringify(edge)}`,
      );
      // The observations agree at once; the catalog part of each replica's
      // graph (titles, ports, products) may be up to dataMesh.lineage.refresh
      // old, and the replica that ran the last evaluation has the newer one.
      const bound = cluster.options.lineageRefreshSeconds * 1000;
      const since = Date.now();
      let seenOnA: unknown;
      let seenOnBAgain: unknown;
      const agreed = await waitFor(
        `equal lineage of exchange-rates on ${a.name} and ${b.name}`,
        async () => {
          [seenOnA, seenOnBAgain] = await Promise.all([
            lineageOf(a),
            lineageOf(b),
          ]);
          // indexedAt says when each replica built its graph: its own.
          const content = (lineage: any) =>
            JSON.stringify(lineage, (key, value) =>
              key === 'indexedAt' ? undefined : value,
            );
          return content(seenOnA) === content(seenOnBAgain);
        },
        2 * bound + 30_000,
        1000,
      ).catch(error => {
        for (const [r, body] of [
          [a, seenOnA],
          [b, seenOnBAgain],
        ] as const) {
          fs.writeFileSync(
            path.join(cluster.options.workDir, `lineage-${r.name}.json`),
            JSON.stringify(body, null, 2),
          );
        }
        throw new Failure(
          `${(error as Error).message}; both answers in ${
            cluster.options.workDir
          }`,
        );
      });
      void agreed;
      const agreedAfter = Date.now() - since;
      // What the stored results say; ages, budgets and evaluatedAt are
      // computed at each request's own moment.
      const qualityOf = async (r: Replica) => {
        const body = (
          await call(r.url, 'GET', `${API}/quality/dataproduct/default/orders`)
        ).body;
        return JSON.stringify({
          latestRun: body.latestRun,
          latestRuns: body.latestRuns,
          passRate: body.passRate,
          slos: (body.slos ?? []).map((slo: any) => [
            slo.slo,
            slo.objective,
            slo.status,
          ]),
        });
      };
      expect(
        (await qualityOf(a)) === (await qualityOf(b)),
        `${a.name} and ${b.name} answer different quality for orders`,
      );
      return [
        `80 OpenLineage and 20 quality posts through the proxy: 40 edges and 10 runs of 20 checks stored once`,
        `an edge posted to ${a.name} (orders to exchange-rates) is in ${
          b.name
        }'s next lineage answer; the whole answers agreed after ${Math.round(
          agreedAfter / 1000,
        )} s (bound: dataMesh.lineage.refresh, ${bound / 1000} s here)`,
      ];
    },
  },
  {
    title:
      'a newly registered product is visible with its scorecard through every replica',
    async run(cluster) {
      const name = `reliability-${Date.now().toString(36)}`;
      fs.writeFileSync(
        path.join(cluster.options.newProductsDir, `${name}.yaml`),
        stringify({
          apiVersion: 'quanta.io/v1alpha1',
          kind: 'DataProduct',
          metadata: {
            name,
            title: 'Reliability Probe',
            description: 'Written by the reliability suite while replicas run.',
          },
          spec: {
            type: 'source-aligned',
            lifecycle: 'experimental',
            owner: 'group:default/sales-data',
            productOwner: 'user:default/maria.garcia',
            domain: 'sales',
            inputPorts: [
              { name: 'orders-db', source: 'resource:default/orders-db' },
            ],
            outputPorts: [
              {
                name: 'probe',
                type: 'table',
                format: 'iceberg',
                address: `iceberg://lake/sales/${name}`,
              },
            ],
          },
        }),
      );
      const ref = `dataproduct:default/${name}`;
      for (const replica of running(cluster)) {
        await waitFor(
          `${ref} with a scorecard through ${replica.name}`,
          async () => {
            const entity = await call(
              replica.url,
              'GET',
              `/api/catalog/entities/by-name/dataproduct/default/${name}`,
            );
            if (entity.status !== 200) return false;
            const card = await scorecard(replica.url, ref);
            return card.status === 200;
          },
          180_000,
          1000,
        );
      }
      return [`${ref} and its scorecard answered by every replica`];
    },
  },
  {
    title:
      'kill -9 in the middle of a full evaluation: no partial run is visible, the lock is taken over after its timeout, the next run completes',
    async run(cluster) {
      const [a, b] = running(cluster);
      const state = await startApiRun(a, b);
      const { request, run } = state;
      const killedRun = run.id;
      // At once: a full run takes well under a second on a quiet machine.
      const answeredBeforeKill = state.answered();
      await cluster.kill(a);
      await request.catch(() => undefined);
      expect(
        answeredBeforeKill === undefined,
        `run ${killedRun} finished (${answeredBeforeKill}) before the kill; the mesh is too small to kill it mid-run`,
      );
      // Nothing of the killed run is visible: no scorecard names it.
      const [{ n: written }] = await cluster
        .db()('dm_scorecards')
        .where({ run_id: killedRun })
        .count({ n: '*' });
      expect(
        Number(written) === 0,
        `${written} scorecards were written by run ${killedRun}, which never finished`,
      );
      const cardsAfterKill = JSON.stringify(await allScorecards(b.url));
      // The dead replica's run holds the lock: the survivor refuses to start another.
      const refused = await call(b.url, 'POST', `${API}/evaluations`, {});
      expect(
        refused.status === 409 && refused.body?.run?.id === killedRun,
        `right after the kill ${b.name} answered ${refused.status} (run ${refused.body?.run?.id}), not 409 naming run ${killedRun}`,
      );
      // While that lock holds, no run writes: the scorecards stay as they were.
      expect(
        JSON.stringify(await allScorecards(b.url)) === cardsAfterKill,
        'scorecards changed while the dead run held the lock',
      );
      const timeoutMs = cluster.options.evaluation.timeoutSeconds * 1000;
      const takenOver = await waitFor(
        'a run on the survivor after the lock timed out',
        async () => {
          const answer = await call(
            b.url,
            'POST',
            `${API}/evaluations`,
            {},
            { timeoutMs: 300_000 },
          );
          return answer.status === 201 && answer.body.run;
        },
        timeoutMs + 120_000,
        2000,
      );
      const after = await runs(b.url);
      const abandoned = after.find(r => r.id === killedRun);
      expect(
        abandoned?.status === 'failed' &&
          /Abandoned/.test(abandoned.error ?? ''),
        `the killed run is ${abandoned?.status} (${abandoned?.error}), not failed as abandoned`,
      );
      expect(
        takenOver.status === 'completed',
        `the run after the takeover is ${takenOver.status}`,
      );
      const overlapping = overlaps(after);
      expect(
        overlapping.length === 0,
        `runs overlap: ${overlapping.join(', ')}`,
      );
      // History: every product has today's row after the run that took over
      // (the key, day and product, rules out duplicates).
      const db = cluster.db();
      const day = takenOver.startedAt.slice(0, 10);
      const [{ n: products }] = await db('dm_scorecards').count({ n: '*' });
      const [{ n: snapshots }] = await db('dm_daily_snapshots')
        .where({ day })
        .count({ n: '*' });
      expect(
        Number(snapshots) === Number(products),
        `history of ${day} holds ${snapshots} products of ${products} scored`,
      );
      await cluster.start(a);
      return [
        `run ${killedRun} killed mid-run on ${a.name}; ${b.name} answered 409 until the ${cluster.options.evaluation.timeoutSeconds} s lock timeout, then run ${takenOver.id} completed and marked ${killedRun} abandoned`,
      ];
    },
  },
  {
    title:
      'kill -9 during a large quality post: stored fully or not at all, and the retry stores it exactly once',
    async run(cluster) {
      const [a] = running(cluster);
      const doc = qualityDocument(`large-${Date.now()}`, 20_000);
      const outcome = await killDuring(
        cluster,
        a,
        call(a.url, 'POST', `${API}/quality/results?format=quanta`, doc, {
          timeoutMs: 120_000,
        }),
        () => writing(cluster, 'dm_quality_results'),
        60_000,
      );
      expect(
        outcome === 'killed during',
        'the post was stored before its transaction could be caught; nothing was tested',
      );
      const afterKill = await storedQuality(cluster, doc.runId);
      expect(
        (afterKill.runs === 0 && afterKill.checks === 0) ||
          (afterKill.runs === 1 && afterKill.checks === 20_000),
        `after the kill: ${afterKill.runs} runs with ${afterKill.checks} checks (half-stored)`,
      );
      const retry = await call(
        cluster.proxy.url,
        'POST',
        `${API}/quality/results?format=quanta`,
        doc,
        { timeoutMs: 120_000 },
      );
      expect(retry.status === 201, `the retry answered ${retry.status}`);
      const final = await storedQuality(cluster, doc.runId);
      expect(
        final.runs === 1 && final.checks === 20_000,
        `after the retry: ${final.runs} runs with ${final.checks} checks, not 1 with 20,000`,
      );
      await cluster.start(a);
      return [
        `20,000 checks: ${outcome}, then ${afterKill.checks} stored; the retry left 1 run of 20,000`,
      ];
    },
  },
  {
    title:
      'kill -9 during an OpenLineage batch: stored fully or not at all, and the retry stores it exactly once',
    async run(cluster) {
      const [a] = running(cluster);
      const namespace = `reliability://batch-${Date.now()}`;
      // The most one request may carry, each event feeding 8 edges.
      const batch = lineageEvents(namespace, 1000, { inputs: 4, outputs: 2 });
      const edges = 8000;
      const outcome = await killDuring(
        cluster,
        a,
        call(a.url, 'POST', `${API}/openlineage`, batch, {
          timeoutMs: 120_000,
        }),
        () => writing(cluster, 'dm_lineage_'),
        60_000,
      );
      expect(
        outcome === 'killed during',
        'the batch was stored before its transaction could be caught; nothing was tested',
      );
      const afterKill = await storedEdges(cluster, namespace);
      expect(
        afterKill === 0 || afterKill === edges,
        `after the kill: ${afterKill} of ${edges} edges stored (half-stored)`,
      );
      const retry = await call(
        cluster.proxy.url,
        'POST',
        `${API}/openlineage`,
        batch,
        { timeoutMs: 120_000 },
      );
      expect(
        retry.status === 201,
        `the retry answered ${retry.status}: ${JSON.stringify(retry.body).slice(
          0,
          300,
        )}`,
      );
      const final = await storedEdges(cluster, namespace);
      expect(final === edges, `after the retry: ${final} edges, not ${edges}`);
      await cluster.start(a);
      return [
        `1,000 events (${edges} edges): ${outcome}, then ${afterKill} edges stored; the retry left ${final}`,
      ];
    },
  },
  {
    title:
      'PostgreSQL unreachable while replicas serve: 503 rather than 500 or a hang, recovery by itself, schedules not stuck',
    run: cluster =>
      outage(
        cluster,
        'unreachable',
        () => cluster.gate.down(),
        () => cluster.gate.up(),
      ),
  },
  {
    title:
      'PostgreSQL itself stopped and started while replicas serve: open sessions ended by the server, 503 while it is down, recovery by itself',
    unavailable: () =>
      POSTGRES_CTL
        ? undefined
        : 'QUANTA_RELIABILITY_POSTGRES_CTL is not set (e.g. "pg_ctlcluster --skip-systemctl-redirect 15 main"; CI sets it), and the suite does not stop a server it was not given',
    async run(cluster) {
      let stopped = false;
      const lines = await outage(
        cluster,
        'stopped',
        async () => {
          postgresCtl('stop');
          stopped = true;
        },
        async () => {
          postgresCtl('start');
          stopped = false;
        },
      ).finally(() => {
        // Whatever failed, the server others use comes back.
        if (stopped) postgresCtl('start');
      });
      return [
        `server stopped (fast) and started with ${POSTGRES_CTL}`,
        ...lines,
      ];
    },
  },
  {
    title: 'the scheduled evaluation ran once per period across replicas',
    async run(cluster) {
      const [a] = running(cluster);
      const scheduled = (await runs(a.url))
        .filter(r => r.trigger === 'schedule')
        .sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
      const period = cluster.options.evaluation.frequencySeconds * 1000;
      expect(
        scheduled.length >= 2,
        `${scheduled.length} scheduled runs over the suite`,
      );
      // Backstage's scheduler keeps a fixed rate: a run that started late
      // (no replica was up when it was due) is followed by the next one
      // sooner than a period. So the check is the one two replicas running
      // the same period would break: never two scheduled runs at once (the
      // killed run of scenario 6 aside: it never finished), and no more
      // runs than periods the suite lasted.
      const overlapping: string[] = [];
      for (let i = 1; i < scheduled.length; i++) {
        const before = scheduled[i - 1];
        if (
          before.finishedAt &&
          Date.parse(scheduled[i].startedAt) < Date.parse(before.finishedAt)
        ) {
          overlapping.push(
            `run ${scheduled[i].id} started before run ${before.id} finished`,
          );
        }
      }
      const span =
        Date.parse(scheduled.at(-1)!.startedAt) -
        Date.parse(scheduled[0].startedAt);
      const periods = Math.ceil(span / period) + 1;
      expect(
        overlapping.length === 0,
        `scheduled runs at the same time: ${overlapping.join(', ')}`,
      );
      expect(
        scheduled.length <= periods,
        `${scheduled.length} scheduled runs within ${Math.round(
          span / 1000,
        )} s, more than the ${periods} periods of ${period / 1000} s it spans`,
      );
      return [
        `${scheduled.length} scheduled runs over ${Math.round(
          span / 1000,
        )} s (at most ${periods} periods of ${
          period / 1000
        } s), none while another ran`,
      ];
    },
  },
];
