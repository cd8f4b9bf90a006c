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
 *
 *   --out DIR   keeps the checked tarballs in DIR, named as the README's
 *               `yarn pack -o %s-%v.tgz` names them, for
 *               `verify/existing-portal/run.js --tarballs DIR`.
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

/** Throws naming every problem of a packed package; returns its size. */
function checkTarball(name, tarball) {
  const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' });
  if (listing.status !== 0) throw new Error(`${name}: cannot list ${tarball}`);
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
  if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
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

  step('each README names the supported Backstage release', () => {
    // backstage.json is the release the repository builds and verifies with.
    const { version } = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'backstage.json'), 'utf8'),
    );
    const release = version.split('.').slice(0, 2).join('.');
    const { supportedRelease } = require('../verify/existing-portal/readme');
    for (const dir of [ROOT, ...dirs]) {
      const file = path.join(dir, 'README.md');
      const stated = fs.existsSync(file)
        ? supportedRelease(fs.readFileSync(file, 'utf8'))
        : undefined;
      if (stated !== release) {
        fail(
          `${path.relative(ROOT, file)} ${
            stated ? `says ${stated}` : 'names no release'
          }; write "Supported Backstage release: ${release}" (backstage.json is ${version})`,
        );
      }
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

  const outArg = process.argv.indexOf('--out');
  const keep = outArg >= 0 ? path.resolve(process.argv[outArg + 1] ?? '') : '';
  if (outArg >= 0 && !process.argv[outArg + 1]) fail('--out needs a folder');
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const out = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-packs-'));
  const sizes = [];
  try {
    for (const dir of dirs) {
      const { name, version } = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      );
      step(`${name}: build and pack`, () => {
        if (!run(['build'], dir))
          fail(`${name}: backstage-cli package build failed`);
        // yarn pack's %s-%v: @quanta/plugin-x 0.1.0 is @quanta-plugin-x-0.1.0.tgz
        const tarball = path.join(
          out,
          `${name.replace('/', '-')}-${version}.tgz`,
        );
        if (!run(['pack', '--out', tarball], dir))
          fail(`${name}: yarn pack failed`);
        try {
          sizes.push([name, checkTarball(name, tarball)]);
        } catch (error) {
          fail(error.message);
        }
      });
    }
  } finally {
    if (!keep) fs.rmSync(out, { recursive: true, force: true });
  }
  for (const [name, size] of sizes) {
    console.log(
      `check-packages: ${name}: ${(size / 1024).toFixed(0)} KiB packed`,
    );
  }
  console.log(`check-packages: ${sizes.length} packages ready to publish`);
  if (keep) console.log(`check-packages: tarballs kept in ${keep}`);
}

if (require.main === module) main();

module.exports = { checkTarball };
