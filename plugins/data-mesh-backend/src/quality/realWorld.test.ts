import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { mockServices } from '@backstage/backend-test-utils';
import { asPipeline, startDataMeshBackend } from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';
import { jsonFiles, sharedSuite } from '../__testUtils__/shared';

jest.setTimeout(120_000);

/** The commands that compile tests without running them, as dbt names them in `args.which`. */
const COMPILE_ONLY = new Map([
  ['compile', 'dbt compile'],
  ['generate', 'dbt docs generate'],
]);

const RESULTS =
  '/api/data-mesh/quality/results?format=dbt&entityRef=dataproduct:default/orders';

/** What a run_results.json says of itself, read without the parser. */
function described(doc: any) {
  const version = Number(
    /\/v(\d+)\.json$/.exec(doc.metadata.dbt_schema_version)![1],
  );
  const tests = doc.results.filter((r: any) =>
    /^(test|unit_test)\./.test(r.unique_id),
  );
  const ran = tests.filter((r: any) =>
    ['pass', 'warn', 'fail', 'error', 'runtime error'].includes(r.status),
  );
  const count = (status: string) =>
    ran.filter((r: any) => r.status === status).length;
  return {
    version,
    which: doc.args?.which as string | undefined,
    dbtVersion: doc.metadata.dbt_version as string,
    tests: tests.length,
    ran: ran.length,
    passed: count('pass'),
    warned: count('warn'),
    failed: count('fail'),
    errored: count('error') + count('runtime error'),
    // Models, seeds and snapshots that failed to build.
    brokenBuilds: doc.results.filter(
      (r: any) =>
        !/^(test|unit_test|source)\./.test(r.unique_id) && r.status === 'error',
    ).length,
  };
}

async function start() {
  const { server } = await startDataMeshBackend({
    entities: [dataProduct('orders')],
    // Scheduled tasks are run by the test, not by timers.
    features: [
      mockServices.scheduler.mock({ scheduleTask: async () => {} }).factory,
    ],
  });
  return server;
}

const dbtDir = sharedSuite(
  'real-world/dbt',
  'dbt run_results.json written by real runs',
);
dbtDir.describe(dbtDir.title, () => {
  const dir = dbtDir.dir;
  const files = jsonFiles(dir).filter(file => file.startsWith('run_results'));

  // Each file read once: its body, and what it says of itself.
  const contents = new Map(
    files.map(file => {
      const body = fs.readFileSync(path.join(dir, file), 'utf8');
      return [file, { body, says: described(JSON.parse(body)) }];
    }),
  );
  const read = (file: string) => contents.get(file)!;

  it('has files of every schema version from v1 to v6', () => {
    const versions = files.map(file => read(file).says.version);
    expect([...new Set(versions)].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  const post = (server: any, body: string) =>
    request(server)
      .post(RESULTS)
      .set(asPipeline())
      .set('Content-Type', 'application/json')
      .send(body);
  // Sorted by what each file says of itself, before anything parses it.
  const old = files.filter(file => read(file).says.version < 4);
  const compiled = files.filter(file => {
    const { says } = read(file);
    return says.version >= 4 && COMPILE_ONLY.has(says.which ?? '');
  });
  const ran = files.filter(
    file => !old.includes(file) && !compiled.includes(file),
  );

  it('has files that ran tests, files that only compiled them, and files of dbt before 1.0', () => {
    expect([old.length > 0, compiled.length > 0, ran.length > 0]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it.each(old)('%s (dbt before 1.0) is refused, saying why', async file => {
    const { body, says } = read(file);
    const first = await post(await start(), body);
    expect(first.status).toBe(400);
    expect(first.body.error.message).toContain(
      `run_results.json v${says.version} (dbt ${says.dbtVersion}) is not read: versions before v4 come from dbt before 1.0`,
    );
  });

  it.each(compiled)(
    '%s lists tests that were compiled, not run: refused, naming the command',
    async file => {
      const { body, says } = read(file);
      // Every test is listed as `success` though none ran.
      expect([says.tests > 0, says.ran]).toEqual([true, 0]);
      const first = await post(await start(), body);
      expect(first.status).toBe(400);
      expect(first.body.error.message).toContain(
        `written by \`${COMPILE_ONLY.get(
          says.which!,
        )}\`, which compiles tests without running them`,
      );
    },
  );

  it.each(ran)('%s is stored as it says, once', async file => {
    // A portal of its own per file: the newest run it shows is this one.
    const server = await start();
    const { body, says } = read(file);
    const first = await post(server, body);
    expect(first.status).toBe(201);
    // One check per test that ran, and one per model that failed to build.
    expect(first.body.stored).toBe(says.ran + says.brokenBuilds);
    const status = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asPipeline());
    expect(status.status).toBe(200);
    expect(status.body.latestRun).toMatchObject({
      runId: first.body.runId,
      pass: says.passed,
      warn: says.warned,
      fail: says.failed,
      error: says.errored + says.brokenBuilds,
    });

    const again = await post(server, body);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      stored: 0,
      duplicates: first.body.stored,
      runId: first.body.runId,
    });
  });
});

/** What a Great Expectations result says of itself: its validations' counts. */
function expectations(doc: any) {
  const validations = doc.run_results
    ? Object.values(doc.run_results).map((r: any) => r.validation_result ?? r)
    : [doc];
  const results = validations.flatMap((v: any) => v.results);
  const raised = (r: any) => r.exception_info?.raised_exception === true;
  return {
    evaluated: validations.reduce(
      (n: number, v: any) => n + v.statistics.evaluated_expectations,
      0,
    ),
    results: results.length,
    passed: results.filter((r: any) => r.success === true).length,
    failed: results.filter((r: any) => r.success === false && !raised(r))
      .length,
    errored: results.filter(raised).length,
  };
}

const geDir = sharedSuite(
  'real-world/great-expectations',
  'Great Expectations results written by real runs',
);
geDir.describe(geDir.title, () => {
  const dir = geDir.dir;
  it.each(jsonFiles(dir))('%s is read as it says', async file => {
    const server = await start();
    const body = fs.readFileSync(path.join(dir, file), 'utf8');
    const says = expectations(JSON.parse(body));
    // Each file counts what it evaluated, and lists each result.
    expect(says.results).toBe(says.evaluated);
    const post = () =>
      request(server)
        .post(
          '/api/data-mesh/quality/results?format=great-expectations&entityRef=dataproduct:default/orders',
        )
        .set(asPipeline())
        .set('Content-Type', 'application/json')
        .send(body);
    const first = await post();
    expect(first.body).toMatchObject({ stored: says.results });
    expect(first.status).toBe(201);
    const status = await request(server)
      .get('/api/data-mesh/quality/dataproduct/default/orders')
      .set(asPipeline());
    expect(status.body.latestRun).toMatchObject({
      runId: first.body.runId,
      pass: says.passed,
      fail: says.failed,
      error: says.errored,
    });
    const again = await post();
    expect(again.body).toMatchObject({
      stored: 0,
      duplicates: says.results,
      runId: first.body.runId,
    });
  });
});
