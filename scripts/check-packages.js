#!/usr/bin/env node
/*
 * Checks that every package under plugins/ is ready to publish, as a portal
 * that installs it from the registry would need it:
 *   1. its metadata is what `backstage-cli repo fix --publish` expects;
 *   2. its committed API report matches its code (report.api.md, and
 *      report-alpha.api.md for /alpha), with a release tag on every export;
 *   3. it builds, and `yarn pack` makes a tarball whose package.json points
 *      only at files inside it, with no workspace ranges and nothing from
 *      src/, and with the files it reads at run time (migrations, schemas,
 *      config schema).
 * Prints each step's time and each tarball's size; exits 1 on the first
 * problem. Run through `node scripts/quanta.js check:packages` (Node 22 and
 * the installed workspace), after `yarn tsc` (the API reports read its
 * declarations).
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PLUGINS = path.join(ROOT, 'plugins');

/** What each package must carry at run time besides dist/ and package.json. */
const RUNTIME_FILES = {
  '@quanta/plugin-data-mesh-backend': [
    /^migrations\/.+\.js$/,
    /^config\.schema\.json$/,
  ],
  '@quanta/plugin-scaffolder-backend-module-data-mesh': [
    /^schemas\/odcs-v3\.0\.x\.schema\.json$/,
    /^config\.schema\.json$/,
  ],
};

function fail(message) {
  console.error(`check-packages: ${message}`);
  process.exit(1);
}

function run(args, cwd = ROOT) {
  const yarn = path.join(ROOT, '.yarn', 'releases', 'yarn-4.13.0.cjs');
  const result = spawnSync(process.execPath, [yarn, ...args], {
    cwd,
    stdio: 'inherit',
    env: process.env,
  });
  return result.status === 0;
}

function step(title, fn) {
  const started = Date.now();
  console.log(`check-packages: ${title}`);
  fn();
  console.log(
    `check-packages: ${title}: done in ${(
      (Date.now() - started) /
      1000
    ).toFixed(1)} s`,
  );
}

/** Every file a package.json of a packed package points at, by field. */
function pointers(pkg) {
  const found = [];
  for (const field of ['main', 'module', 'types', 'configSchema']) {
    if (typeof pkg[field] === 'string') found.push([field, pkg[field]]);
  }
  const walk = (value, where) => {
    if (typeof value === 'string') found.push([where, value]);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        walk(inner, `${where}.${key}`);
      }
    }
  };
  walk(pkg.exports, 'exports');
  walk(pkg.typesVersions, 'typesVersions');
  return found.filter(([, target]) => !target.startsWith('@backstage/'));
}

function checkTarball(name, tarball) {
  const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
  if (listing.status !== 0) fail(`${name}: cannot list ${tarball}`);
  const files = listing.stdout
    .split('\n')
    .filter(Boolean)
    .map(file => file.replace(/^package\//, ''));
  const inTarball = new Set(files);
  const problems = [];
  const fromSrc = files.filter(file => file.startsWith('src/'));
  if (fromSrc.length)
    problems.push(`carries src/ files: ${fromSrc.slice(0, 3).join(', ')}`);
  const manifest = spawnSync(
    'tar',
    ['xzf', tarball, '-O', 'package/package.json'],
    {
      encoding: 'utf8',
    },
  );
  const pkg = JSON.parse(manifest.stdout);
  for (const [field, target] of pointers(pkg)) {
    const file = path.posix.normalize(target);
    const exists =
      inTarball.has(file) ||
      // typesVersions entries may name a folder's index.
      inTarball.has(`${file}/index.d.ts`);
    if (!exists)
      problems.push(
        `${field} points at ${target}, which is not in the tarball`,
      );
  }
  for (const kind of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const [dep, range] of Object.entries(pkg[kind] ?? {})) {
      if (/^(workspace|link|portal|file):/.test(range)) {
        problems.push(
          `${kind}.${dep} is ${range}, which no registry can resolve`,
        );
      }
    }
  }
  for (const pattern of RUNTIME_FILES[name] ?? []) {
    if (!files.some(file => pattern.test(file))) {
      problems.push(`has no file matching ${pattern} (read at run time)`);
    }
  }
  if (problems.length) fail(`${name}: ${problems.join('; ')}`);
  return fs.statSync(tarball).size;
}

function main() {
  const dirs = fs
    .readdirSync(PLUGINS, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => path.join(PLUGINS, entry.name))
    .filter(dir => fs.existsSync(path.join(dir, 'package.json')));

  step('package metadata (backstage-cli repo fix --publish --check)', () => {
    if (!run(['backstage-cli', 'repo', 'fix', '--publish', '--check'])) {
      fail(
        'package metadata differs from what `yarn fix --publish` writes; run it and commit',
      );
    }
  });

  step('API reports (yarn api-reports --ci)', () => {
    // The root script names the packages and the checks; one definition.
    if (!run(['api-reports', '--ci'])) {
      fail(
        'an API report is out of date or has warnings; run `yarn api-reports` and commit the reports',
      );
    }
  });

  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-packs-'));
  const sizes = [];
  try {
    for (const dir of dirs) {
      const { name } = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      );
      step(`${name}: build and pack`, () => {
        if (!run(['build'], dir))
          fail(`${name}: backstage-cli package build failed`);
        const tarball = path.join(
          out,
          `${name.replace('@', '').replace('/', '-')}.tgz`,
        );
        if (!run(['pack', '--out', tarball], dir))
          fail(`${name}: yarn pack failed`);
        sizes.push([name, checkTarball(name, tarball)]);
      });
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  for (const [name, size] of sizes) {
    console.log(
      `check-packages: ${name}: ${(size / 1024).toFixed(0)} KiB packed`,
    );
  }
  console.log(`check-packages: ${sizes.length} packages ready to publish`);
}

if (require.main === module) main();

module.exports = { checkTarball };
