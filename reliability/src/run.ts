/**
 * The reliability suite: demo backends in production mode as replicas on one
 * PostgreSQL server behind a round-robin proxy, then faults. Each scenario
 * fails if anything is lost, half-stored or answered wrongly.
 *
 *   yarn reliability            (npm test runs it where PostgreSQL answers)
 *
 * QUANTA_RELIABILITY_POSTGRES  server to use (default postgresql://postgres@127.0.0.1:5432)
 * QUANTA_RELIABILITY_REPORT    where the JSON report goes (default reliability/artifacts/report.json)
 * QUANTA_REQUIRE_POSTGRES=1    fail instead of skipping when the server does not answer,
 *                              or when a scenario cannot run
 * QUANTA_RELIABILITY_POSTGRES_CTL  command that stops and starts that server when
 *                              given stop|start (e.g. "pg_ctlcluster --skip-systemctl-redirect
 *                              15 main"); without it the restart scenario does not run
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { generateMesh } from '../../bench/generateMesh';
import { Cluster, ROOT } from './cluster';
import { Failure, scenarios } from './scenarios';

const ARTIFACTS = path.join(ROOT, 'reliability', 'artifacts');
const REPORT =
  process.env.QUANTA_RELIABILITY_REPORT || path.join(ARTIFACTS, 'report.json');
/** Products next to the demo mesh, so that a full evaluation lasts long enough to be killed in. */
const GENERATED_PRODUCTS = 1000;
/** examples/all.yaml: the demo mesh's valid products. */
const DEMO_PRODUCTS = 40;

type Outcome = {
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  seconds: number;
  details: string[];
  error?: string;
};

function reachable(url: URL): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(Number(url.port || 5432), url.hostname);
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function writeReport(report: object) {
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify(report, null, 2));
}

async function main() {
  const postgres = new URL(
    process.env.QUANTA_RELIABILITY_POSTGRES ||
      'postgresql://postgres@127.0.0.1:5432',
  );
  if (!(await reachable(postgres))) {
    const why = `PostgreSQL does not answer at ${postgres.host}; start it (sudo bash scripts/system-packages.sh installs it) or set QUANTA_RELIABILITY_POSTGRES`;
    writeReport({ status: 'skipped', skippedBecause: why });
    if (process.env.QUANTA_REQUIRE_POSTGRES === '1') {
      console.error(`reliability: ${why}`);
      process.exit(1);
    }
    console.log(`reliability: skipped: ${why}`);
    return;
  }

  const started = Date.now();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-reliability-'));
  const newProductsDir = path.join(workDir, 'new-products');
  fs.mkdirSync(newProductsDir);
  const meshFile = path.join(workDir, 'generated-mesh.yaml');
  fs.writeFileSync(
    meshFile,
    generateMesh(GENERATED_PRODUCTS)
      .map(entity => stringify(entity))
      .join('---\n'),
  );
  const cluster = new Cluster({
    workDir: ARTIFACTS,
    postgres,
    replicas: 2,
    locations: [path.join(ROOT, 'examples', 'all.yaml'), meshFile],
    newProductsDir,
    evaluation: { frequencySeconds: 30, timeoutSeconds: 30 },
    expectedProducts: GENERATED_PRODUCTS + DEMO_PRODUCTS,
    lineageRefreshSeconds: 15,
    catalogProcessingSeconds: 5,
  });
  const outcomes: Outcome[] = [];
  let setupError: string | undefined;
  try {
    await cluster.init();
    console.log(
      `reliability: ${cluster.replicas.length} replicas behind ${cluster.proxy.url}, PostgreSQL through ${cluster.gate.port}, databases ${cluster.prefix}*, ${GENERATED_PRODUCTS} generated products and the demo mesh`,
    );
    // Together, on an empty database: the first scenario checks what they left.
    await Promise.all(cluster.replicas.map(r => cluster.start(r)));
    console.log(
      `reliability: replicas ready after ${Math.round(
        (Date.now() - started) / 1000,
      )} s`,
    );
    for (const scenario of scenarios) {
      const t0 = Date.now();
      const why = scenario.unavailable?.();
      if (why) {
        // CI requires every scenario; elsewhere the summary names what did not run.
        const required = process.env.QUANTA_REQUIRE_POSTGRES === '1';
        outcomes.push({
          title: scenario.title,
          status: required ? 'failed' : 'skipped',
          seconds: 0,
          details: [],
          error: `not run: ${why}`,
        });
        console.log(
          `  ${required ? 'FAILED' : 'skip  '} ${
            scenario.title
          }\n           not run: ${why}`,
        );
        continue;
      }
      try {
        const details = await scenario.run(cluster);
        outcomes.push({
          title: scenario.title,
          status: 'passed',
          seconds: Math.round((Date.now() - t0) / 100) / 10,
          details,
        });
        console.log(
          `  ok     ${scenario.title} (${outcomes.at(-1)!.seconds} s)`,
        );
        for (const line of details) console.log(`           ${line}`);
      } catch (error) {
        const message =
          error instanceof Failure
            ? error.message
            : String((error as Error)?.stack ?? error);
        outcomes.push({
          title: scenario.title,
          status: 'failed',
          seconds: Math.round((Date.now() - t0) / 100) / 10,
          details: [],
          error: message,
        });
        console.log(`  FAILED ${scenario.title}\n           ${message}`);
        // A later scenario needs every replica up; bring back any that died.
        for (const replica of cluster.replicas.filter(r => !r.child)) {
          await cluster.start(replica).catch(e => {
            console.log(`           could not restart ${replica.name}: ${e}`);
          });
        }
      }
    }
  } catch (error) {
    setupError = String((error as Error)?.stack ?? error);
    console.error(`reliability: setup failed: ${setupError}`);
  } finally {
    await cluster
      .close()
      .catch(e => console.error(`reliability: cleanup: ${e}`));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const failed =
    outcomes.filter(o => o.status === 'failed').length + (setupError ? 1 : 0);
  const skipped = outcomes.filter(o => o.status === 'skipped');
  writeReport({
    status: failed ? 'failed' : 'passed',
    passed: outcomes.filter(o => o.status === 'passed').length,
    failed,
    skippedScenarios: skipped.map(o => `${o.title}: ${o.error}`),
    total: scenarios.length,
    durationMs: Date.now() - started,
    setupError,
    scenarios: outcomes,
  });
  console.log(
    `reliability: ${outcomes.filter(o => o.status === 'passed').length} of ${
      scenarios.length
    } scenarios passed${
      skipped.length ? `, ${skipped.length} not run` : ''
    } in ${Math.round((Date.now() - started) / 1000)} s${
      failed ? `; replica logs in ${ARTIFACTS}` : ''
    }`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
