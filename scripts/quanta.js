#!/usr/bin/env node
/*
 * Entry point behind `npm start`, `npm test`, `npm run e2e` and the
 * `npm run bench` scripts.
 *
 * Backstage needs Node 22 or 24. Machines with an older Node (and only npm)
 * get Node 22 from the npm registry into .tools/ (git-ignored), and every
 * later step runs on it with the yarn release committed under .yarn/releases.
 * `npm test` also puts DuckDB, pytz and ruamel.yaml (and Jinja2, jsonschema
 * and PyYAML) for python3 into .tools/python, for the tests that run what the
 * templates generate.
 * Plain CommonJS with no dependencies so that it runs on the old Node too.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NODE_VERSION = '22.23.3';
const MIN_NODE_MAJOR = 22;

function fail(message) {
  console.error(`quanta: ${message}`);
  process.exit(1);
}

function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  return result.status === null ? 1 : result.status;
}

/** Returns the folder of a Node >= 22 installation (bin/node, include/node). */
function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) {
    return path.resolve(path.dirname(process.execPath), '..');
  }
  const pkg = `node-${process.platform}-${process.arch}`;
  const prefix = path.join(ROOT, '.tools', 'node');
  const home = path.join(prefix, 'node_modules', pkg);
  const bin = path.join(home, 'bin', 'node');
  if (!fs.existsSync(bin)) {
    console.log(
      `quanta: Node ${process.versions.node} is too old for Backstage; installing Node ${NODE_VERSION} into .tools/node`,
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const status = run(npm, [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `${pkg}@${NODE_VERSION}`,
    ]);
    if (status !== 0 || !fs.existsSync(bin)) {
      fail(
        `installing ${pkg}@${NODE_VERSION} failed; install Node 22 or 24 yourself and run again`,
      );
    }
  }
  return home;
}

/** Where ensurePython() installs; the tests put it on PYTHONPATH. */
const PYTHON_TARGET = path.join(ROOT, '.tools', 'python');

/**
 * Installs what the tests of the generated repositories run with into
 * .tools/python, once: duckdb and pytz (quality/run_checks.py, with PyYAML),
 * jinja2 (their dbt models) and jsonschema with ruamel.yaml (their CI's
 * schema checks), from the package index pip is configured with.
 * Returns why those tests will skip, or undefined when they can run. Where
 * they are required (QUANTA_REQUIRE_PYTHON=1, as in CI) a failed install
 * stops the run at once, with pip's own output above the reason.
 */
function ensurePython() {
  const required = process.env.QUANTA_REQUIRE_PYTHON === '1';
  const skip = reason => {
    if (required) {
      fail(
        `${reason}; QUANTA_REQUIRE_PYTHON=1 requires the test of the generated quality checks`,
      );
    }
    console.log(
      `quanta: ${reason}, so the test of the generated quality checks will skip`,
    );
    return reason;
  };
  const python = 'python3';
  const env = {
    ...process.env,
    PYTHONPATH: [PYTHON_TARGET, process.env.PYTHONPATH]
      .filter(Boolean)
      .join(path.delimiter),
  };
  const imports = modules =>
    spawnSync(python, ['-c', `import ${modules}`], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
  const needed = 'duckdb, jinja2, jsonschema, pytz, ruamel.yaml, yaml';
  const present = imports(needed);
  if (present.error) return skip('no python3');
  if (present.status === 0) return undefined;
  // The repositories' own requirements (templates/data-product/skeleton/quality).
  const packages = ['duckdb>=1.1', 'pytz', 'ruamel.yaml>=0.17'];
  if (imports('yaml').status !== 0) packages.push('pyyaml>=6');
  if (imports('jinja2').status !== 0) packages.push('jinja2>=3');
  if (imports('jsonschema').status !== 0) packages.push('jsonschema>=4');
  console.log(
    `quanta: installing ${packages.join(' ')} for python3 into .tools/python`,
  );
  const install = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      // Replaces a partial earlier install instead of skipping it.
      '--upgrade',
      '--disable-pip-version-check',
      '--target',
      PYTHON_TARGET,
      ...packages,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (install.error || install.status !== 0) {
    return skip(
      `pip could not install ${packages.join(' ')} (see its output above)`,
    );
  }
  if (imports(needed).status !== 0) {
    return skip(
      `pip installed ${packages.join(
        ' ',
      )}, but python3 cannot import ${needed} from .tools/python`,
    );
  }
  return undefined;
}

/** The report a suite (journeys, reliability) writes; undefined without one. */
function readReport(reportFile) {
  try {
    return JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why a suite did not run, from its report; else undefined. */
function reportSkipped(report) {
  return report?.status === 'skipped'
    ? report.skippedBecause || 'skipped'
    : undefined;
}

function yarnRelease() {
  const rc = fs.readFileSync(path.join(ROOT, '.yarnrc.yml'), 'utf8');
  const match = rc.match(/^yarnPath:\s*(\S+)/m);
  if (!match) fail('.yarnrc.yml has no yarnPath');
  return path.join(ROOT, match[1]);
}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  const scripts = {
    start: 'dev',
    test: 'test:all',
    e2e: 'e2e:run',
    reliability: 'reliability:run',
    bench: 'bench:run',
    'bench:governance': 'bench:governance:run',
    'check:packages': 'check:packages:run',
  };
  if (!scripts[command]) {
    fail(
      'usage: node scripts/quanta.js start|test|e2e|reliability|bench|bench:governance|check:packages',
    );
  }

  const nodeHome = ensureNode();
  const node = path.join(nodeHome, 'bin', 'node');
  const env = {
    ...process.env,
    PATH: `${path.join(nodeHome, 'bin')}${path.delimiter}${process.env.PATH}`,
    // Native modules (better-sqlite3) must build against this Node's headers;
    // without it node-gyp tries to download them.
    npm_config_nodedir: nodeHome,
  };
  const yarn = yarnRelease();

  const installStatus = run(node, [yarn, 'install', '--immutable'], env);
  if (installStatus !== 0) fail('yarn install failed');
  if (command === 'test') {
    // Only a test needs them; the portal starts without.
    const skipped = [];
    const python = ensurePython();
    if (python) {
      skipped.push(
        `the test of the generated quality checks (${python}); install python3 with pip (sudo bash scripts/system-packages.sh) and run npm test again`,
      );
    }
    if (!env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING) {
      skipped.push(
        'the PostgreSQL runs of the database tests (they ran on SQLite); set BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432 to run them too',
      );
    }
    // backstage-cli runs jest in watch mode unless CI is set.
    env.CI = env.CI || 'true';
    // Arguments go to jest (backstage-cli repo test), as before.
    const unit = run(node, [yarn, scripts.test, ...rest], env);
    let e2e = 0;
    if (env.QUANTA_SKIP_E2E === '1') {
      skipped.push(
        'the browser journeys (QUANTA_SKIP_E2E=1); run them with npm run e2e',
      );
    } else {
      // The journeys run whatever the unit tests said, so one run reports both.
      e2e = run(node, [yarn, scripts.e2e], env);
      const why = reportSkipped(
        readReport(
          env.QUANTA_E2E_REPORT ||
            path.join(
              path.resolve(ROOT, env.QUANTA_E2E_ARTIFACTS || 'e2e/artifacts'),
              'report.json',
            ),
        ),
      );
      if (why) {
        skipped.push(
          `the browser journeys (${
            why.split(';')[0]
          }); install Chromium (sudo bash scripts/system-packages.sh) and run npm run e2e`,
        );
      }
    }
    // Replicas of the demo backend on PostgreSQL, with faults
    // (reliability/); it needs a PostgreSQL server and says why it skipped.
    let reliability = 0;
    if (env.QUANTA_SKIP_RELIABILITY === '1') {
      skipped.push(
        'the reliability suite (QUANTA_SKIP_RELIABILITY=1); run it with npm run reliability',
      );
    } else {
      reliability = run(node, [yarn, scripts.reliability], env);
      const report = readReport(
        env.QUANTA_RELIABILITY_REPORT ||
          path.join(ROOT, 'reliability', 'artifacts', 'report.json'),
      );
      const why = reportSkipped(report);
      if (why) {
        skipped.push(
          `the reliability suite (${
            why.split(';')[0]
          }); start PostgreSQL and run npm run reliability`,
        );
      }
      // Scenarios that could not run here, each with why.
      for (const scenario of report?.skippedScenarios ?? []) {
        skipped.push(`the reliability scenario ${scenario}`);
      }
    }
    // Last, so that it is the line a reader sees.
    console.log(
      skipped.length
        ? `quanta: skipped: ${skipped.join('; and ')}`
        : 'quanta: nothing skipped: database tests on SQLite and PostgreSQL, the generated repositories, the browser journeys and the reliability suite all ran',
    );
    // Which part failed, for a reader of a long log whose counts all passed.
    for (const [part, code] of [
      ['the unit tests (yarn test:all)', unit],
      ['the browser journeys', e2e],
      ['the reliability suite', reliability],
    ]) {
      if (code) console.log(`quanta: failed: ${part}, exit code ${code}`);
    }
    process.exit(unit || e2e || reliability);
  }
  process.exit(run(node, [yarn, scripts[command], ...rest], env));
}

// Other scripts (verify/existing-portal) take the same Node from here.
if (require.main === module) main();

module.exports = { ensureNode };
