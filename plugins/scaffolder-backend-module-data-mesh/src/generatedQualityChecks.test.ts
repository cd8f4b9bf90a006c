import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  compareContracts,
  qualityResultsSchema,
  requiredVersionBump,
} from '@quanta/plugin-data-mesh-common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, stringify } from 'yaml';
import {
  type DryRunResult,
  cases,
  repoRoot,
  startTemplateScaffolder,
} from './__testUtils__/templates';
import { ODCS_DIR } from './__testUtils__/odcs';
import {
  type JobRun,
  STAND_INS,
  runProcess,
  runWorkflow,
} from './__testUtils__/runWorkflow';

/*
 * Runs the quality/run_checks.py of generated repositories for real: python3
 * with DuckDB (installed into .tools/python by `npm test`), pushing to a
 * stand-in portal. dbt itself is not available here: the models are built on
 * DuckDB by __testUtils__/build_models.py, which renders them with Jinja as
 * dbt does for source() and ref(); the tests of the checks' verdicts create
 * tables shaped like the models' output, with the data each case needs.
 */

jest.setTimeout(120_000);

const PYTHONPATH = [
  path.join(repoRoot, '.tools/python'),
  process.env.PYTHONPATH,
]
  .filter(Boolean)
  .join(path.delimiter);

/** Why the generated runner cannot run here, if it cannot. */
function pythonProblem(): string | undefined {
  const probe = spawnSync(
    'python3',
    ['-c', 'import duckdb, jinja2, jsonschema, pytz, ruamel.yaml, yaml'],
    {
      env: { ...process.env, PYTHONPATH },
      encoding: 'utf8',
    },
  );
  if (probe.error) return 'python3 is not on the PATH';
  if (probe.status !== 0) {
    const lastLine = probe.stderr.trim().split('\n').pop();
    return `python3 cannot import duckdb, jinja2, jsonschema, pytz, ruamel.yaml and yaml${
      lastLine ? ` (${lastLine})` : ''
    }`;
  }
  return undefined;
}

const problem = pythonProblem();
if (problem && process.env.QUANTA_REQUIRE_PYTHON) {
  throw new Error(
    `QUANTA_REQUIRE_PYTHON is set but ${problem}. Run npm test once, which installs them into .tools/python, or from the repository's root: python3 -m pip install --target .tools/python duckdb jinja2 jsonschema pytz pyyaml ruamel.yaml`,
  );
}
if (problem) {
  console.warn(`Skipping the generated quality checks: ${problem}`);
}
const describeWithPython = problem ? describe.skip : describe;

// The official ODCS schemas the generated contract check downloads, served
// by the check-jsonschema stand-in from ../shared/standards/odcs.
const ODCS_SCHEMA_URL =
  'https://raw.githubusercontent.com/bitol-io/open-data-contract-standard/main/schema';
const hasOdcs = fs.existsSync(ODCS_DIR);
const describeWithOdcs = hasOdcs ? describe : describe.skip;
const odcsTitle = (title: string) =>
  hasOdcs ? title : `${title} (skipped: ${ODCS_DIR} is missing)`;

const TOKEN = `qt-${randomBytes(16).toString('hex')}`;
const RESULTS_PATH = '/api/data-mesh/quality/results';

const IMPACT_PATH = '/api/data-mesh/contracts/impact';

type Posted = {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
};

/** Records every request and answers like the portal's results API. */
async function startPortal() {
  const state = {
    requests: [] as Posted[],
    status: 201,
    /** How the contract impact API answers; by default it knows no product. */
    impact: (_body: any): { status: number; body: unknown } => ({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'No such product' } },
    }),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      state.requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body,
      });
      if (req.url === IMPACT_PATH) {
        const answer = state.impact(JSON.parse(body));
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      res.writeHead(state.status, { 'Content-Type': 'application/json' });
      res.end(
        state.status === 201
          ? '{"stored":true}'
          : '{"error":{"name":"AuthenticationError"}}',
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(resolve => server.close(resolve)),
  });
}

/** Runs python3 without blocking, so the stand-in portal can answer it. */
const runPython = (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  runProcess('python3', args, cwd, env);

type Port = { name: string; table: string };
type Repo = {
  dir: string;
  entityRef: string;
  slos: string[];
  ports: Port[];
  files: Map<string, string>;
};

/** How long ago, in seconds, the data was loaded and its events happened. */
type Rows = {
  loadedAgo: number;
  happenedAgo: number;
  complete: number;
  missingEmail?: number;
};

const ON_TIME: Rows = { loadedAgo: 30 * 60, happenedAgo: 40 * 60, complete: 3 };
const STALE: Rows = {
  loadedAgo: 3 * 3600,
  happenedAgo: 5 * 3600,
  complete: 3,
  missingEmail: 1,
};

/** Runs SQL statements on a DuckDB file, in UTC. */
function runSql(file: string, sql: string[]) {
  // visited_at is a plain timestamp, which the runner reads as UTC.
  const script = [
    'import duckdb, sys',
    'connection = duckdb.connect(sys.argv[1])',
    'connection.execute("set TimeZone = \'UTC\'")',
    'connection.execute(sys.stdin.read())',
    'connection.close()',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, file], {
    input: sql.join('\n'),
    env: { ...process.env, PYTHONPATH },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
}

/**
 * A DuckDB file with a table per port, shaped like the generated models:
 * the port's fields plus `_loaded_at` (current_timestamp in the model, so a
 * timestamp with time zone).
 */
function createDatabase(file: string, tables: Array<[string, Rows]>) {
  const sql = tables.flatMap(([table, rows]) => {
    const row = (id: number, email: string) =>
      `('v${id}', ${email}, current_timestamp::timestamp - interval ${rows.happenedAgo} second, current_timestamp - interval ${rows.loadedAgo} second)`;
    const values = [
      ...Array.from({ length: rows.complete }, (_, i) =>
        row(i, `'visitor${i}@example.com'`),
      ),
      ...Array.from({ length: rows.missingEmail ?? 0 }, (_, i) =>
        row(rows.complete + i, 'null'),
      ),
    ];
    return [
      `create table ${table} (visit_id varchar, visitor_email varchar, visited_at timestamp, _loaded_at timestamptz);`,
      `insert into ${table} values ${values.join(', ')};`,
    ];
  });
  runSql(file, sql);
}

const BUILD_MODELS = path.join(__dirname, '__testUtils__/build_models.py');

/** Builds a repository's dbt models on DuckDB; the models built, in order, with their columns. */
function buildModels(
  repoDir: string,
  database: string,
): Array<{ model: string; columns: string[] }> {
  const result = spawnSync('python3', [BUILD_MODELS, repoDir, database], {
    env: { ...process.env, PYTHONPATH },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`The models did not build:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

const validateResults = new Ajv({ allErrors: true, strict: false });
addFormats(validateResults);
const checkResults = validateResults.compile(qualityResultsSchema);

describeWithPython(
  `generated quality/run_checks.py on DuckDB, pushing to a stand-in portal${
    problem ? ` (skipped: ${problem})` : ''
  }`,
  () => {
    let workDir: string;
    let dryRun: (file: string, values: object) => Promise<DryRunResult>;
    let portal: Awaited<ReturnType<typeof startPortal>>;
    const repos = new Map<string, Promise<Repo>>();

    beforeAll(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-quality-'));
      dryRun = await startTemplateScaffolder(path.join(workDir, 'published'));
      portal = await startPortal();
    });

    afterAll(async () => {
      await portal?.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    beforeEach(() => {
      portal.requests = [];
      portal.status = 201;
    });

    /** The repository a template creates, on disk, made once per template. */
    function generate(testCase: (typeof cases)[number]): Promise<Repo> {
      if (!repos.has(testCase.file)) {
        repos.set(
          testCase.file,
          (async () => {
            const { status, body, files } = await dryRun(
              testCase.file,
              testCase.values,
            );
            if (status !== 200) throw new Error(JSON.stringify(body, null, 2));
            const dir = path.join(workDir, testCase.values.name);
            for (const [file, content] of files) {
              fs.mkdirSync(path.dirname(path.join(dir, file)), {
                recursive: true,
              });
              fs.writeFileSync(path.join(dir, file), content);
            }
            const entity = parse(files.get('catalog-info.yaml')!);
            const checks = parse(files.get('quality/checks.yaml')!);
            const ports = (entity.spec.outputPorts as any[]).map(port => {
              const queried = new Set(
                (checks.checks as any[])
                  .filter(check => check.port === port.name)
                  .map(check => /\bfrom (\w+)$/.exec(check.query)?.[1]),
              );
              // Every check of a port reads the model dbt builds for it.
              expect(queried.size).toBe(1);
              const [table] = [...queried] as string[];
              expect(files.has(`models/${table}.sql`)).toBe(true);
              return { name: port.name as string, table };
            });
            return {
              dir,
              entityRef: checks.product,
              slos: Object.keys(entity.spec.slos),
              ports,
              files,
            };
          })(),
        );
      }
      return repos.get(testCase.file)!;
    }

    /**
     * The tables the input ports read, in the schema models/sources.yml
     * names: the fields the output ports promise and one they do not, which
     * the models must leave out; three rows loaded minutes ago.
     */
    function createInputTables(repo: Repo, database: string) {
      const sources = parse(repo.files.get('models/sources.yml')!).sources;
      expect(sources).toHaveLength(1);
      const [{ schema, tables }] = sources as Array<{
        schema: string;
        tables: Array<{ name: string }>;
      }>;
      const inputPorts = parse(repo.files.get('catalog-info.yaml')!).spec
        .inputPorts;
      expect(tables).toHaveLength(inputPorts.length);
      runSql(database, [
        `create schema ${schema};`,
        ...tables.flatMap(({ name }) => [
          `create table ${schema}.${name} (door varchar, visit_id varchar, visitor_email varchar, visited_at timestamp);`,
          `insert into ${schema}.${name} values ${[1, 2, 3]
            .map(
              i =>
                `('north', 'v${i}', 'visitor${i}@example.com', current_timestamp::timestamp - interval ${i} minute)`,
            )
            .join(', ')};`,
        ]),
      ]);
    }

    /** The environment of the generated scripts, without this machine's GITHUB_* variables. */
    function scriptEnv(extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
      const env: NodeJS.ProcessEnv = { ...process.env };
      // The run id comes from GitHub's variables when they are set.
      for (const key of Object.keys(env)) {
        if (key.startsWith('GITHUB_')) delete env[key];
      }
      return {
        ...env,
        PYTHONPATH,
        QUANTA_DOWNLOAD_MIRROR: `${ODCS_SCHEMA_URL}=${ODCS_DIR}`,
        // The stand-in portal is local; a proxy from the environment must not carry the request.
        NO_PROXY: '127.0.0.1,localhost',
        no_proxy: '127.0.0.1,localhost',
        ...extraEnv,
      };
    }

    async function runChecks(
      repo: Repo,
      database: string,
      extraEnv: NodeJS.ProcessEnv = {},
    ) {
      const run = await runPython(
        ['quality/run_checks.py', '--database', database],
        repo.dir,
        scriptEnv({
          QUANTA_PORTAL_URL: portal.url,
          QUANTA_QUALITY_TOKEN: TOKEN,
          ...extraEnv,
        }),
      );
      expect(run.stdout).not.toContain(TOKEN);
      expect(run.stderr).not.toContain(TOKEN);
      return run;
    }

    /** The one results document the runner pushed, checked as the portal would. */
    function posted(repo: Repo) {
      expect(portal.requests).toHaveLength(1);
      const [request] = portal.requests;
      expect(request.method).toBe('POST');
      expect(request.url).toBe(RESULTS_PATH);
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json');
      const body = JSON.parse(request.body);
      checkResults(body);
      expect(checkResults.errors ?? []).toEqual([]);
      expect(body).toMatchObject({
        source: 'quanta-checks',
        entityRef: repo.entityRef,
      });
      // One check per declared SLO and output port.
      expect(body.checks.map((c: any) => c.checkId).sort()).toEqual(
        repo.ports
          .flatMap(port => repo.slos.map(s => `${port.name}.${s}`))
          .sort(),
      );
      return body;
    }

    const statusOf = (body: any, checkId: string) =>
      body.checks.find((c: any) => c.checkId === checkId);

    const near = (actual: number, expected: number) => {
      // The checks run seconds after the data was written.
      expect(actual).toBeGreaterThanOrEqual(expected);
      expect(actual).toBeLessThan(expected + 60);
    };

    it.each(cases)(
      '$file: data on time passes, the missed update interval only warns (exit 0)',
      async testCase => {
        const repo = await generate(testCase);
        expect(repo.entityRef).toBe(
          `dataproduct:default/${testCase.values.name}`,
        );
        // The repository's CI installs what the runner needs here.
        expect(repo.files.get('quality/requirements.txt')).toMatch(
          /^duckdb\b[\s\S]*^pytz\b[\s\S]*^pyyaml\b/m,
        );
        const database = path.join(repo.dir, 'on-time.duckdb');
        createDatabase(
          database,
          repo.ports.map(port => [port.table, ON_TIME]),
        );

        const run = await runChecks(repo, database, {
          GITHUB_RUN_ID: '4242',
          GITHUB_RUN_ATTEMPT: '2',
          GITHUB_REPOSITORY: `acme/${testCase.values.name}`,
          GITHUB_SERVER_URL: 'https://github.com',
        });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const body = posted(repo);
        // A re-run of the same job is a new run, a retried push the same one.
        expect(body.runId).toBe('github-4242-2');
        expect(body.url).toBe(
          `https://github.com/acme/${testCase.values.name}/actions/runs/4242`,
        );
        near(
          (Date.now() - Date.parse(body.lastUpdatedAt)) / 1000,
          ON_TIME.loadedAgo,
        );
        for (const port of repo.ports) {
          const check = (slo: string) => statusOf(body, `${port.name}.${slo}`);
          expect(check('freshness')).toMatchObject({
            status: 'pass',
            slo: 'freshness',
            dimension: 'timeliness',
            threshold: 'PT1H',
            dataset: port.name,
          });
          near(check('freshness').measured, ON_TIME.loadedAgo);
          // Last load 30 minutes ago against an interval of 15 minutes.
          expect(check('intervalOfChange')).toMatchObject({
            status: 'warn',
            threshold: 'PT15M',
          });
          expect(check('completeness')).toMatchObject({
            status: 'pass',
            dimension: 'completeness',
            measured: 100,
            threshold: 99,
          });
          expect(check('availability')).toMatchObject({
            status: 'pass',
            measured: ON_TIME.complete,
            threshold: 99.5,
          });
          expect(check('timeliness')).toMatchObject({ status: 'pass' });
          near(
            check('timeliness').measured,
            ON_TIME.happenedAgo - ON_TIME.loadedAgo,
          );
          expect(run.stdout).toContain(`PASS  ${port.name}.freshness: `);
          expect(run.stdout).toContain(`WARN  ${port.name}.intervalOfChange: `);
        }
        expect(run.stdout).toContain(
          `Pushed ${body.checks.length} results to ${portal.url}${RESULTS_PATH} (201)`,
        );
      },
    );

    it.each(cases)(
      '$file: the dbt models build on DuckDB from the input tables, and every check passes on what they built',
      async testCase => {
        const repo = await generate(testCase);
        const database = path.join(repo.dir, 'built.duckdb');
        createInputTables(repo, database);

        const built = buildModels(repo.dir, database);
        expect(built.map(table => table.model).sort()).toEqual(
          testCase.models.map(model => path.basename(model, '.sql')).sort(),
        );
        for (const port of repo.ports) {
          // The contract's fields in its order, and the load time the
          // freshness checks read.
          expect(built.find(table => table.model === port.table)).toEqual({
            model: port.table,
            columns: ['visit_id', 'visitor_email', 'visited_at', '_loaded_at'],
          });
        }

        const run = await runChecks(repo, database);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const body = posted(repo);
        expect(
          body.checks.filter((check: any) => check.status !== 'pass'),
        ).toEqual([]);
        for (const port of repo.ports) {
          expect(statusOf(body, `${port.name}.availability`).measured).toBe(3);
          expect(statusOf(body, `${port.name}.completeness`).measured).toBe(
            100,
          );
        }
      },
    );

    /** The generated files in a folder of their own, as a CI job checks them out. */
    function checkout(
      repo: Repo,
      name: string,
      changes: Record<string, string> = {},
    ) {
      const dir = path.join(workDir, 'checkouts', name);
      for (const [file, content] of [
        ...repo.files,
        ...Object.entries(changes),
      ]) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
      }
      return dir;
    }

    function runRepoWorkflow(
      repo: Repo,
      dir: string,
      event: string,
      values: Record<string, string> = {},
    ) {
      return runWorkflow({
        workflow: repo.files.get('.github/workflows/data-product.yml')!,
        cwd: dir,
        event,
        values: {
          'vars.QUANTA_PORTAL_URL': portal.url,
          'secrets.QUANTA_QUALITY_TOKEN': TOKEN,
          // Unset in a repository until the platform team gives them.
          'secrets.QUANTA_CONTRACTS_TOKEN': '',
          'vars.QUANTA_IMPACT_FAIL_ON': '',
          ...values,
        },
        env: scriptEnv({
          QUANTA_PIP_LOG: path.join(dir, 'pip.log'),
          GITHUB_RUN_ID: '77',
          GITHUB_RUN_ATTEMPT: '1',
          GITHUB_REPOSITORY: `acme/${path.basename(dir)}`,
          GITHUB_SERVER_URL: 'https://github.com',
        }),
      });
    }

    const outputOf = (job: JobRun) =>
      job.steps
        .map(step => `$ ${step.name} (exit ${step.code})\n${step.output}`)
        .join('\n');

    describeWithOdcs(
      odcsTitle('the generated CI workflow, with the official ODCS schemas'),
      () => {
        it.each(cases)(
          '$file: on a push, the CI workflow validates the descriptor and contracts, builds the models and pushes their checks',
          async testCase => {
            const repo = await generate(testCase);
            const dir = checkout(repo, `${testCase.values.name}-push`);
            // Where profiles.yml's dev target builds, with the inputs in place.
            fs.mkdirSync(path.join(dir, 'target'));
            createInputTables(repo, path.join(dir, 'target/dev.duckdb'));

            const jobs = await runRepoWorkflow(repo, dir, 'push');
            expect(Object.keys(jobs)).toEqual([
              'validate',
              'contract-impact',
              'quality',
            ]);
            expect(jobs['contract-impact'].ran).toBe(false);
            for (const job of Object.values(jobs).filter(j => j.ran)) {
              if (!job.succeeded) throw new Error(outputOf(job));
            }
            expect(jobs.validate.steps.map(step => step.name)).toEqual([
              "pip install 'check-jsonschema>=0.29'",
              'The descriptor matches the DataProduct schema',
              'Every contract matches the official ODCS schema of its version',
            ]);
            for (const port of repo.ports) {
              expect(jobs.validate.steps[2].output).toContain(
                `contracts/${port.name}.odcs.yaml: valid ODCS v3.1.0 (schema v3.1.0)`,
              );
            }
            expect(jobs.quality.steps.map(step => step.name)).toEqual([
              'pip install -r quality/requirements.txt',
              'Build the output ports',
              'Run the quality checks and push the results',
            ]);
            expect(fs.readFileSync(path.join(dir, 'pip.log'), 'utf8')).toBe(
              'pip install check-jsonschema>=0.29\npip install -r quality/requirements.txt\n',
            );
            for (const job of Object.values(jobs)) {
              expect(outputOf(job)).not.toContain(TOKEN);
            }

            const body = posted(repo);
            expect(body.runId).toBe('github-77-1');
            expect(
              body.checks.filter((check: any) => check.status !== 'pass'),
            ).toEqual([]);
          },
        );

        it('on a push, a contract that breaks the ODCS schema fails validation, and nothing is built or pushed', async () => {
          const repo = await generate(cases[1]);
          const file = [...repo.files.keys()].find(f =>
            f.startsWith('contracts/'),
          )!;
          const contract = parse(repo.files.get(file)!);
          delete contract.status;
          const dir = checkout(repo, 'broken-contract', {
            [file]: stringify(contract),
          });

          const jobs = await runRepoWorkflow(repo, dir, 'push');
          expect(jobs.validate.succeeded).toBe(false);
          const failed = jobs.validate.steps[jobs.validate.steps.length - 1];
          expect(failed.name).toBe(
            'Every contract matches the official ODCS schema of its version',
          );
          expect(failed.code).toBe(1);
          expect(failed.output).toContain(
            `${file}: fails the check against the official ODCS v3.1.0 schema, ${ODCS_SCHEMA_URL}/odcs-json-schema-v3.1.0.json:`,
          );
          expect(failed.output).toContain(
            `${file}::$: 'status' is a required property`,
          );
          expect(jobs.quality.ran).toBe(false);
          expect(portal.requests).toEqual([]);
        });

        it('on a pull request, the CI workflow validates and, without the portal token, says the contract impact was not checked', async () => {
          const repo = await generate(cases[2]);
          const dir = checkout(repo, 'pull-request');

          const jobs = await runRepoWorkflow(repo, dir, 'pull_request');
          if (!jobs.validate.succeeded)
            throw new Error(outputOf(jobs.validate));
          expect(jobs['contract-impact'].succeeded).toBe(true);
          expect(outputOf(jobs['contract-impact'])).toContain(
            '::warning::Contract impact not checked: set the repository variable QUANTA_PORTAL_URL and the secret QUANTA_CONTRACTS_TOKEN',
          );
          expect(jobs.quality.ran).toBe(false);
          expect(portal.requests).toEqual([]);
        });

        /**
         * The portal's impact API as the data-mesh backend answers it: the
         * changes by the real rules of @quanta/plugin-data-mesh-common
         * between the contract the portal holds and the proposed one, and
         * one consumer that reads `reads`.
         */
        function impactOf(held: any, reads: string[]) {
          return (body: any) => {
            const proposed = parse(body.contract);
            const changes = compareContracts(held, proposed);
            const breaking = changes.filter(c => c.level === 'breaking');
            const affectedBy = breaking
              .filter(c => !c.field || reads.includes(c.field))
              .map(c => c.message);
            return {
              status: 200,
              body: {
                entityRef: body.entityRef,
                port: body.port,
                current: { version: held.version, digest: 'd1' },
                proposed: { version: proposed.version, problems: [] },
                changes,
                requiredVersionBump: requiredVersionBump(changes),
                consumers: [
                  {
                    entityRef: 'dataproduct:default/visit-funnel',
                    title: 'Visit Funnel',
                    owner: { ref: 'group:default/web', title: 'Web Analytics' },
                    via: ['declared'],
                    fields: reads,
                    affectedBy,
                  },
                ],
                summary: {
                  breaking: breaking.length,
                  warning: changes.filter(c => c.level === 'warning').length,
                  compatible: changes.filter(c => c.level === 'compatible')
                    .length,
                  consumers: 1,
                  affectedConsumers: affectedBy.length ? 1 : 0,
                },
              },
            };
          };
        }

        /** A pull request that removes the first port's visitor_email. */
        async function pullRequestRemovingAField(name: string) {
          const repo = await generate(cases[0]);
          const descriptor = parse(repo.files.get('catalog-info.yaml')!);
          const [port] = descriptor.spec.outputPorts;
          const file = path.normalize(port.contract.location);
          const held = parse(repo.files.get(file)!);
          const proposed = structuredClone(held);
          for (const object of proposed.schema) {
            object.properties = object.properties.filter(
              (p: any) => p.name !== 'visitor_email',
            );
          }
          const dir = checkout(repo, name, { [file]: stringify(proposed) });
          return { repo, dir, port: port.name as string, file, held };
        }

        it('on a pull request that removes a field a consumer reads, the impact job names the consumer and fails', async () => {
          const { repo, dir, port, file, held } =
            await pullRequestRemovingAField('impact-breaking');
          portal.impact = impactOf(held, ['visit_id', 'visitor_email']);

          const jobs = await runRepoWorkflow(repo, dir, 'pull_request', {
            'secrets.QUANTA_CONTRACTS_TOKEN': TOKEN,
          });
          const impact = jobs['contract-impact'];
          expect(impact.succeeded).toBe(false);
          const output = outputOf(impact);
          expect(output).not.toContain(TOKEN);
          expect(output).toContain(
            `::error::Contract changes of ${port} break consumers or need another version`,
          );

          const asked = portal.requests.filter(r => r.url === IMPACT_PATH);
          expect(asked.length).toBeGreaterThan(0);
          const first = JSON.parse(asked[0].body);
          expect(first).toEqual({
            entityRef: repo.entityRef,
            port,
            contract: fs.readFileSync(path.join(dir, file), 'utf8'),
          });
          expect(asked[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
          expect(output).toContain('which need a **major** version');
          expect(output).toContain(
            `| breaking | \`field-removed\` | Removed field visitor_email from ${held.schema[0].name} |`,
          );
          expect(output).toContain(
            `- Visit Funnel (owner Web Analytics; declared; reads visit_id, visitor_email) — **affected**: Removed field visitor_email from ${held.schema[0].name}`,
          );
          expect(jobs.quality.ran).toBe(false);
        });

        it('with QUANTA_IMPACT_FAIL_ON=never the impact job only warns, and writes the job summary', async () => {
          const { repo, dir, port, held } = await pullRequestRemovingAField(
            'impact-warn',
          );
          portal.impact = impactOf(held, ['visitor_email']);
          const summary = path.join(dir, 'summary.md');
          const jobs = await runWorkflow({
            workflow: repo.files.get('.github/workflows/data-product.yml')!,
            cwd: dir,
            event: 'pull_request',
            values: {
              'vars.QUANTA_PORTAL_URL': portal.url,
              'secrets.QUANTA_QUALITY_TOKEN': TOKEN,
              'secrets.QUANTA_CONTRACTS_TOKEN': TOKEN,
              'vars.QUANTA_IMPACT_FAIL_ON': 'never',
            },
            env: scriptEnv({ GITHUB_STEP_SUMMARY: summary }),
          });
          const impact = jobs['contract-impact'];
          if (!impact.succeeded) throw new Error(outputOf(impact));
          expect(outputOf(impact)).toContain(
            `::warning::Contract changes of ${port} break consumers or need another version`,
          );
          const written = fs.readFileSync(summary, 'utf8');
          expect(written).toContain(
            `## Contract impact of this change on ${repo.entityRef}`,
          );
          expect(written).toContain(
            '1 consumer(s), 1 affected by a breaking change',
          );
        });

        it('a removed field no consumer reads, and an unchanged contract, pass the impact job', async () => {
          const { repo, dir, held } = await pullRequestRemovingAField(
            'impact-unread',
          );
          portal.impact = impactOf(held, ['visit_id']);
          const jobs = await runRepoWorkflow(repo, dir, 'pull_request', {
            'secrets.QUANTA_CONTRACTS_TOKEN': TOKEN,
          });
          const impact = jobs['contract-impact'];
          if (!impact.succeeded) throw new Error(outputOf(impact));
          expect(outputOf(impact)).toContain(
            '1 consumer(s), 0 affected by a breaking change',
          );
          expect(outputOf(impact)).toContain('— not affected');

          const same = checkout(repo, 'impact-unchanged');
          const unchanged = await runRepoWorkflow(repo, same, 'pull_request', {
            'secrets.QUANTA_CONTRACTS_TOKEN': TOKEN,
          });
          if (!unchanged['contract-impact'].succeeded)
            throw new Error(outputOf(unchanged['contract-impact']));
          expect(outputOf(unchanged['contract-impact'])).toContain(
            `No change from the version the portal has (${held.version}).`,
          );
        });

        /** The generated repository's contract check, as its CI runs it. */
        async function checkContracts(dir: string, files: string[]) {
          const env = scriptEnv();
          const run = await runProcess(
            'python3',
            ['.quanta/check_contracts.py', ...files],
            dir,
            { ...env, PATH: [STAND_INS, env.PATH].join(path.delimiter) },
          );
          return { code: run.code, output: run.stdout + run.stderr };
        }

        it("the generated contract check passes every official ODCS example, each under its apiVersion's schema", async () => {
          const repo = await generate(cases[0]);
          const dir = checkout(repo, 'official-examples');
          const examplesDir = path.join(ODCS_DIR, 'examples');
          const examples = fs.readdirSync(examplesDir).sort();
          expect(examples).toHaveLength(18);
          const run = await checkContracts(
            dir,
            examples.map(file => path.join(examplesDir, file)),
          );
          expect(run.code).toBe(0);
          const verdicts = examples.map(file => {
            const line = run.output
              .split('\n')
              .find(
                l =>
                  l.includes(`${file}: valid`) ||
                  l.includes(`${file} declares`),
              );
            return [file, line?.replace(/^.*?(valid ODCS|declares)/, '$1')];
          });
          for (const [file, verdict] of verdicts) {
            const { apiVersion } = parse(
              fs.readFileSync(path.join(examplesDir, file!), 'utf8'),
            );
            // Each is named with the version it declares; the v3.0 line is
            // checked with that line's latest patch, v3.0.2.
            const schema = apiVersion.startsWith('v3.0.')
              ? 'v3.0.2'
              : apiVersion;
            expect([file, verdict]).toEqual([
              file,
              expect.stringMatching(
                new RegExp(
                  `^(valid ODCS ${apiVersion} \\(schema ${schema}\\)|declares apiVersion ${apiVersion} but uses fields of ODCS v3\\.1\\.0)`,
                ),
              ),
            ]);
          }
          // Three official v3.0.2 examples use fields only v3.1.0 defines: they
          // pass with a warning that says which, and how to clear it.
          const warned = verdicts
            .filter(([, verdict]) => verdict?.startsWith('declares'))
            .map(([file]) => file);
          expect(warned).toEqual([
            'data-types--all-data-types.odcs.yaml',
            'quality--column-completeness.odcs.yaml',
            'stakeholders--basic-four-dpo.odcs.yaml',
          ]);
          expect(run.output).toContain(
            "logicalType: 'timestamp' is not one of",
          );
          expect(run.output).toContain(
            'Raise apiVersion to v3.1.0 to clear this warning.',
          );
        });

        it('the generated contract check fails contracts it cannot check, each with the reason and the fix', async () => {
          const repo = await generate(cases[0]);
          const contract = parse(
            repo.files.get(`contracts/${repo.ports[0].name}.odcs.yaml`)!,
          );
          const variant = (changes: object) =>
            stringify({ ...contract, ...changes });
          const broken = {
            // A demo contract (v3.0.0) without its required status.
            'contracts/v300-broken.odcs.yaml': stringify({
              ...parse(
                fs.readFileSync(
                  path.join(repoRoot, 'examples/contracts/orders.odcs.yaml'),
                  'utf8',
                ),
              ),
              status: undefined,
            }),
            'contracts/no-version.odcs.yaml': variant({
              apiVersion: undefined,
            }),
            'contracts/odd-version.odcs.yaml': variant({ apiVersion: '3.1' }),
            'contracts/v2.odcs.yaml': variant({ apiVersion: 'v2.2.2' }),
            'contracts/unpublished.odcs.yaml': variant({
              apiVersion: 'v3.9.0',
            }),
            'contracts/list.odcs.yaml': '- not\n- a contract\n',
            'contracts/syntax.odcs.yaml': 'apiVersion: [v3.1.0\n',
          };
          const dir = checkout(repo, 'broken-contracts', broken);
          const run = await checkContracts(dir, Object.keys(broken));
          expect(run.code).toBe(1);
          const said = (file: string) =>
            run.output.split('\n').filter(line => line.startsWith(file));
          expect(said('contracts/v300-broken.odcs.yaml')).toEqual([
            `contracts/v300-broken.odcs.yaml: fails the check against the official ODCS v3.0.2 schema, ${ODCS_SCHEMA_URL}/odcs-json-schema-v3.0.2.json:`,
            "contracts/v300-broken.odcs.yaml::$: 'status' is a required property",
          ]);
          expect(said('contracts/no-version.odcs.yaml')).toEqual([
            'contracts/no-version.odcs.yaml: has no apiVersion; set it to the ODCS version the contract follows, such as v3.1.0',
          ]);
          expect(said('contracts/odd-version.odcs.yaml')).toEqual([
            "contracts/odd-version.odcs.yaml: has apiVersion '3.1'; write the ODCS version as v<major>.<minor>.<patch>, such as v3.1.0",
          ]);
          expect(said('contracts/v2.odcs.yaml')).toEqual([
            'contracts/v2.odcs.yaml: follows ODCS v2.2.2; ODCS publishes JSON schemas from v3 on, so move the contract to v3 (such as v3.1.0)',
          ]);
          expect(said('contracts/unpublished.odcs.yaml')).toEqual([
            `contracts/unpublished.odcs.yaml: fails the check against the official ODCS v3.9.0 schema, ${ODCS_SCHEMA_URL}/odcs-json-schema-v3.9.0.json:`,
          ]);
          expect(run.output).toContain(
            `Failed to download schema from ${ODCS_SCHEMA_URL}/odcs-json-schema-v3.9.0.json`,
          );
          expect(said('contracts/list.odcs.yaml')).toEqual([
            'contracts/list.odcs.yaml: is not a YAML mapping; an ODCS contract is one document of fields',
          ]);
          expect(said('contracts/syntax.odcs.yaml')).toEqual([
            expect.stringMatching(
              /^contracts\/syntax\.odcs\.yaml: is not valid YAML: /,
            ),
          ]);
        });
      },
    );

    it('source-aligned: stale, late and incomplete data fails the error-severity checks (exit 1)', async () => {
      const repo = await generate(cases[0]);
      const database = path.join(repo.dir, 'stale.duckdb');
      createDatabase(database, [[repo.ports[0].table, STALE]]);

      const run = await runChecks(repo, database);
      expect(run.code).toBe(1);
      const body = posted(repo);
      expect(body.runId).toMatch(/^local-[0-9a-f-]{36}$/);
      expect(body.url).toBeUndefined();
      const port = repo.ports[0].name;
      const check = (slo: string) => statusOf(body, `${port}.${slo}`);
      expect(check('freshness').status).toBe('fail');
      near(check('freshness').measured, STALE.loadedAgo);
      expect(check('intervalOfChange').status).toBe('warn');
      expect(check('completeness')).toMatchObject({
        status: 'fail',
        measured: 75,
        message: '75 (at least 99)',
      });
      expect(check('availability')).toMatchObject({
        status: 'pass',
        measured: 4,
      });
      expect(check('timeliness').status).toBe('fail');
      near(check('timeliness').measured, STALE.happenedAgo - STALE.loadedAgo);
      expect(run.stdout).toContain(`FAIL  ${port}.freshness: newest data `);
      expect(run.stdout).toContain(
        `FAIL  ${port}.completeness: 75 (at least 99)`,
      );
    });

    it('aggregate: a port whose table is missing reports its checks as errors (exit 1)', async () => {
      const repo = await generate(cases[1]);
      const [built, missing] = repo.ports;
      const database = path.join(repo.dir, 'one-port.duckdb');
      createDatabase(database, [[built.table, ON_TIME]]);

      const run = await runChecks(repo, database);
      expect(run.code).toBe(1);
      const body = posted(repo);
      for (const slo of repo.slos) {
        expect(statusOf(body, `${built.name}.${slo}`).status).toMatch(
          /^(pass|warn)$/,
        );
        const check = statusOf(body, `${missing.name}.${slo}`);
        expect(check.status).toBe('error');
        expect(check.message).toMatch(/^query failed: .*conversion_stream/);
      }
    });

    it('a refused push fails the run, without printing the token', async () => {
      const repo = await generate(cases[0]);
      const database = path.join(repo.dir, 'refused.duckdb');
      createDatabase(database, [[repo.ports[0].table, ON_TIME]]);
      portal.status = 401;

      const run = await runChecks(repo, database);
      expect(portal.requests).toHaveLength(1);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('HTTP Error 401');
    });
  },
);
