#!/usr/bin/env node
/*
 * Proves that a company's existing, stock Backstage portal can install Quanta
 * from packed tarballs by following README.md "## Add Quanta to an existing
 * portal" and nothing else. See README.md next to this file.
 *
 *   node verify/existing-portal/run.js [--variant new|legacy|both] [--keep]
 *
 * Every step is timed; the first failing step stops the run with exit code 1.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const readme = require('./readme');
const { checkTarball } = require('../../scripts/check-packages');
const { ensureNode } = require('../../scripts/quanta');

const REPO = path.resolve(__dirname, '../..');
const HERE = __dirname;
// The Node >= 22 the repository's scripts run on: this one when it is new
// enough, else the one scripts/quanta.js keeps in .tools/.
const NODE_DIR = ensureNode();
const YARN = path.join(REPO, '.yarn/releases/yarn-4.13.0.cjs');
// Installed stock apps, keyed by create-app version, template and pins. Per
// machine, not per checkout: CI verifies a fresh clone each time.
const CACHE_ROOT =
  process.env.QUANTA_PORTAL_CACHE ??
  path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'quanta/existing-portal',
  );
const PG_URL = 'postgresql://postgres@127.0.0.1:5432';
const PLUGINS = [
  // Packed in dependency order, though packing does not need it.
  'data-mesh-common',
  'data-mesh-node',
  'catalog-backend-module-data-mesh',
  'scaffolder-backend-module-data-mesh',
  'data-mesh-backend',
  'data-mesh',
  'search-backend-module-data-mesh',
];

const args = process.argv.slice(2);
const opt = name => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const variantArg = opt('variant') ?? 'both';
const VARIANTS = variantArg === 'both' ? ['new', 'legacy'] : [variantArg];
if (!VARIANTS.every(v => v === 'new' || v === 'legacy')) {
  console.error(`--variant must be new, legacy or both, not ${variantArg}`);
  process.exit(2);
}
const KEEP = args.includes('--keep');

// Node 22 first on PATH: Backstage needs it, the system Node is 20. Native
// modules build against its headers instead of downloading them.
const ENV = {
  ...process.env,
  PATH: `${path.join(NODE_DIR, 'bin')}:${process.env.PATH}`,
  npm_config_nodedir: NODE_DIR,
  // No telemetry or update checks: the registry is the only network here.
  BACKSTAGE_CLI_TELEMETRY: '0',
  YARN_ENABLE_TELEMETRY: '0',
  // The stock app has no lockfile for this registry yet: yarn must write one,
  // also where CI=1 would make it refuse to.
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
};

// ---------------------------------------------------------------- helpers

const timings = [];
const fmt = ms => `${(ms / 1000).toFixed(1)} s`;

async function step(name, fn) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  try {
    const result = await fn();
    const ms = Date.now() - started;
    timings.push({ name, ms, ok: true });
    console.log(`=== ${name}: ok in ${fmt(ms)}`);
    return result;
  } catch (error) {
    const ms = Date.now() - started;
    timings.push({ name, ms, ok: false });
    console.error(`=== ${name}: FAILED after ${fmt(ms)}`);
    throw error;
  }
}

/** Runs a command, streaming its output; rejects on a non-zero exit. */
function run(cmd, cmdArgs, { cwd, env = ENV, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    console.log(`$ (cd ${cwd}) ${cmd} ${cmdArgs.join(' ')}`);
    const child = spawn(cmd, cmdArgs, {
      cwd,
      env,
      stdio: quiet
        ? ['ignore', 'pipe', 'pipe']
        : ['ignore', 'inherit', 'inherit'],
    });
    let out = '';
    if (quiet) {
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (out += d));
    }
    child.on('error', reject);
    child.on('exit', code => {
      if (code === 0) resolve(out);
      else {
        if (quiet) console.error(out.slice(-8000));
        reject(new Error(`${cmd} ${cmdArgs.join(' ')} exited with ${code}`));
      }
    });
  });
}

const yarn = (cwd, yarnArgs, o = {}) =>
  run(path.join(NODE_DIR, 'bin/node'), [YARN, ...yarnArgs], { cwd, ...o });

/** `yarn --cwd X add Y` from the README, run with the repository's yarn. */
function yarnCommand(appDir, line) {
  const words = line.trim().split(/\s+/);
  if (words[0] !== 'yarn') throw new Error(`not a yarn command: ${line}`);
  return yarn(appDir, words.slice(1));
}

const readJson = f => JSON.parse(fs.readFileSync(f, 'utf8'));
const writeJson = (f, v) =>
  fs.writeFileSync(f, `${JSON.stringify(v, null, 2)}\n`);

function psql(sql) {
  const r = spawnSync('psql', [PG_URL + '/postgres', '-qAt', '-c', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

function dropDatabases(prefix) {
  const names = psql(
    `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`,
  )
    .split('\n')
    .filter(Boolean);
  for (const name of names)
    psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return names.length;
}

// ------------------------------------------------------------------ steps

const pins = readJson(path.join(HERE, 'pins.json'));
const release = readJson(path.join(REPO, 'backstage.json')).version;
const createAppVersion = pins.createApp[release];

/** Packs every Quanta package the way a release would; returns tarball paths. */
async function packQuanta(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  // Type declarations first: the package builds bundle them from dist-types.
  await yarn(REPO, ['tsc'], { quiet: true });
  for (const p of PLUGINS) {
    const dir = path.join(REPO, 'plugins', p);
    await yarn(dir, ['build'], { quiet: true });
    await yarn(dir, ['pack', '-o', path.join(outDir, '%s-%v.tgz')], {
      quiet: true,
    });
  }
  return listTarballs(outDir);
}

/**
 * The tarballs in a folder, one per Quanta package, each checked as
 * check:packages checks it (nothing from src/, no workspace ranges, every
 * file its package.json points at); prints their sizes.
 */
function listTarballs(outDir) {
  const files = fs.readdirSync(outDir).filter(f => f.endsWith('.tgz'));
  console.log('Tarballs:');
  for (const f of files) {
    const name = f
      .replace(/^@quanta-/, '@quanta/')
      .replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
    const size = checkTarball(name, path.join(outDir, f));
    console.log(
      `  ${f.padEnd(64)} ${(size / 1024).toFixed(1).padStart(8)} KiB`,
    );
  }
  if (files.length !== PLUGINS.length)
    throw new Error(
      `expected ${PLUGINS.length} tarballs in ${outDir}, got ${files.length}`,
    );
  return files;
}

async function createStockApp(appDir, variant) {
  if (!createAppVersion)
    throw new Error(
      `pins.json names no create-app for Backstage ${release} (backstage.json)`,
    );
  await run(
    'npx',
    [
      '-y',
      `@backstage/create-app@${createAppVersion}`,
      '--skip-install',
      '--path',
      appDir,
      ...(variant === 'legacy' ? ['--legacy'] : []),
    ],
    // BACKSTAGE_APP_NAME answers create-app's only question.
    {
      cwd: path.dirname(appDir),
      env: { ...ENV, BACKSTAGE_APP_NAME: 'portal' },
      quiet: true,
    },
  );
  // Check that the template really is the one of our release.
  const cliPkg = path.join(appDir, 'backstage.json');
  const got = readJson(cliPkg).version;
  if (got !== release)
    throw new Error(
      `create-app ${createAppVersion} made release ${got}, not ${release}`,
    );
  // The registry pins, and nothing else, go into the stock root package.json.
  const pkgFile = path.join(appDir, 'package.json');
  const pkg = readJson(pkgFile);
  pkg.resolutions = { ...pkg.resolutions, ...pins.resolutions };
  writeJson(pkgFile, pkg);
}

function cacheKey(variant) {
  const h = crypto.createHash('sha256');
  h.update(`${createAppVersion}\n${variant}\n`);
  h.update(fs.readFileSync(path.join(HERE, 'pins.json')));
  return `${createAppVersion}-${variant}-${h.digest('hex').slice(0, 12)}`;
}

/**
 * Copies a tree with hard links: 2.7 GB of node_modules copied byte by byte
 * took longer than a cold install on this machine's disk. Yarn replaces the
 * files of packages it changes rather than writing into them, so the cache
 * stays intact; the files it does rewrite in place (its state files) are
 * copied for real.
 */
async function linkCopy(from, to) {
  await run('cp', ['-al', from, to], { cwd: path.dirname(to) });
  for (const f of ['.yarn-state.yml']) {
    const file = path.join(to, f);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file);
      fs.rmSync(file);
      fs.writeFileSync(file, text);
    }
  }
  if (fs.statSync(to).isFile()) {
    const text = fs.readFileSync(to);
    fs.rmSync(to);
    fs.writeFileSync(to, text);
  }
}

// What an install leaves behind: restoring these makes `yarn install` a check.
const CACHED = ['node_modules', 'yarn.lock', '.yarn/install-state.gz'];

async function restore(cacheDir, appDir) {
  for (const f of CACHED) {
    fs.rmSync(path.join(appDir, f), { recursive: true, force: true });
    await linkCopy(path.join(cacheDir, f), path.join(appDir, f));
  }
}

async function installStockApp(appDir, variant) {
  const cacheDir = path.join(CACHE_ROOT, cacheKey(variant));
  const complete = dir => fs.existsSync(path.join(dir, 'complete'));
  // The other template of the same release shares all but a few packages:
  // starting from its install, yarn resolves and links only the difference.
  const sibling = path.join(
    CACHE_ROOT,
    cacheKey(variant === 'new' ? 'legacy' : 'new'),
  );
  let how = 'cold';
  if (complete(cacheDir)) {
    console.log(`Restoring the installed stock app from ${cacheDir}`);
    await restore(cacheDir, appDir);
    how = 'warm';
  } else if (complete(sibling)) {
    console.log(
      `No cached install at ${cacheDir}; starting from the other template's, ${sibling}`,
    );
    await restore(sibling, appDir);
    how = 'from the other template';
  } else {
    console.log(`No cached install at ${cacheDir}: a cold install`);
  }
  // Always run the install: on a restored cache it checks the lockfile and
  // links, and fails as a cold one would if the stock app no longer installs.
  const started = Date.now();
  await yarn(appDir, ['install'], { quiet: true });
  console.log(`yarn install: ${fmt(Date.now() - started)} (${how})`);
  if (how !== 'warm') {
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(cacheDir, '.yarn'), { recursive: true });
    for (const f of CACHED)
      await linkCopy(path.join(appDir, f), path.join(cacheDir, f));
    fs.writeFileSync(path.join(cacheDir, 'complete'), new Date().toISOString());
  }
}

/** README: resolutions to the tarballs, then each `yarn add` line as written. */
async function addQuanta(appDir, tarballDir, variant, section) {
  const dest = path.join(appDir, 'quanta');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of fs.readdirSync(tarballDir))
    fs.copyFileSync(path.join(tarballDir, f), path.join(dest, f));

  const res = section.resolutions;
  for (const [name, target] of Object.entries(res)) {
    const file = path.join(appDir, target.replace(/^file:/, ''));
    if (!fs.existsSync(file))
      throw new Error(
        `README resolution ${name} -> ${target}: no such tarball was packed`,
      );
  }
  const packed = fs.readdirSync(dest).length;
  if (Object.keys(res).length !== packed)
    throw new Error(
      `README lists ${
        Object.keys(res).length
      } resolutions for ${packed} packed packages`,
    );
  const pkgFile = path.join(appDir, 'package.json');
  const pkg = readJson(pkgFile);
  pkg.resolutions = { ...pkg.resolutions, ...res };
  writeJson(pkgFile, pkg);

  const lines = [
    ...section.backendAdds,
    ...(variant === 'new'
      ? section.newFrontendAdds
      : section.legacyFrontendAdds),
  ];
  for (const line of lines) await yarnCommand(appDir, line);
}

function wireBackend(appDir, section) {
  const file = path.join(appDir, 'packages/backend/src/index.ts');
  let src = fs.readFileSync(file, 'utf8');
  const lines = section.backendLines.join('\n');
  // One line per plugin or module, before the backend starts.
  if (!src.includes('backend.start();'))
    throw new Error(`${file} has no backend.start()`);
  src = src.replace('backend.start();', `${lines}\n\nbackend.start();`);
  fs.writeFileSync(file, src);
  console.log(lines);
}

function wireLegacyFrontend(appDir, section) {
  const l = section.legacy;
  const entityFile = path.join(
    appDir,
    'packages/app/src/components/catalog/EntityPage.tsx',
  );
  let entity = fs.readFileSync(entityFile, 'utf8');
  // The README's imports and the dataProductPage constant, as written.
  entity = `${l.entityImports}\n${entity}`;
  entity = entity.replace(
    /\nexport const entityPage = \(/,
    `\n${l.dataProductPage}\n\nexport const entityPage = (`,
  );
  const sw = entity.lastIndexOf(
    '<EntitySwitch.Case>{defaultEntityPage}</EntitySwitch.Case>',
  );
  if (sw < 0 || sw < entity.indexOf('export const entityPage'))
    throw new Error('EntityPage.tsx: no default case in entityPage');
  entity = `${entity.slice(0, sw)}${l.entityCase}\n    ${entity.slice(sw)}`;
  // The group page card, into groupPage's grid after its first item.
  const g = entity.indexOf('const groupPage = (');
  const gridEnd = entity.indexOf('</Grid>\n    </EntityLayout.Route>', g);
  if (g < 0 || gridEnd < 0)
    throw new Error('EntityPage.tsx: no groupPage grid');
  entity = `${entity.slice(0, gridEnd)}${l.groupCard}\n      ${entity.slice(
    gridEnd,
  )}`;
  entity = `${l.groupImport}\n${entity}`;
  fs.writeFileSync(entityFile, entity);

  const appFile = path.join(appDir, 'packages/app/src/App.tsx');
  let app = fs.readFileSync(appFile, 'utf8');
  app = `${l.pageImport}\n${app}`;
  if (!app.includes('</FlatRoutes>')) throw new Error('App.tsx: no FlatRoutes');
  app = app.replace('</FlatRoutes>', `  ${l.route}\n  </FlatRoutes>`);
  // The templates' form fields, on the stock scaffolder route.
  const stockCreate = '<Route path="/create" element={<ScaffolderPage />} />';
  if (!app.includes(stockCreate)) throw new Error(`App.tsx: no ${stockCreate}`);
  app = `${l.fieldImports}\n${app.replace(stockCreate, l.scaffolderRoute)}`;
  fs.writeFileSync(appFile, app);

  const rootFile = path.join(
    appDir,
    'packages/app/src/components/Root/Root.tsx',
  );
  let root = fs.readFileSync(rootFile, 'utf8');
  root = `${l.iconImport}\n${root}`;
  const anchor = root.indexOf('<SidebarItem');
  if (anchor < 0) throw new Error('Root.tsx: no SidebarItem');
  root = `${root.slice(0, anchor)}${l.sidebarItem}\n        ${root.slice(
    anchor,
  )}`;
  fs.writeFileSync(rootFile, root);
}

/**
 * Type-checks the portal, failing on errors in the files the wiring changed.
 * Errors elsewhere are the stock app's own: created without create-app's
 * lockfile seed (it cannot be fetched here), it resolves two versions of
 * @backstage/frontend-plugin-api and its nav module fails TS2742 before any
 * Quanta package is added. Those are printed, not fatal.
 */
async function typeCheckWiring(appDir, variant) {
  const wired = [
    'packages/backend/src/index.ts',
    ...(variant === 'legacy'
      ? [
          'packages/app/src/components/catalog/EntityPage.tsx',
          'packages/app/src/App.tsx',
          'packages/app/src/components/Root/Root.tsx',
        ]
      : []),
  ];
  const r = spawnSync(
    path.join(NODE_DIR, 'bin/node'),
    [YARN, 'tsc', '--pretty', 'false'],
    {
      cwd: appDir,
      env: ENV,
      encoding: 'utf8',
    },
  );
  const errors = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter(l => /error TS\d+/.test(l));
  const ours = errors.filter(l => wired.some(f => l.startsWith(f)));
  for (const l of errors)
    console.log(`${ours.includes(l) ? 'WIRING' : 'stock '} ${l.slice(0, 300)}`);
  if (r.status !== 0 && !errors.length)
    throw new Error(`yarn tsc failed: ${r.stderr}`);
  if (ours.length)
    throw new Error(`${ours.length} type errors in the wired files`);
  console.log(`${errors.length} type errors, none in ${wired.join(', ')}`);
}

/** Config for the run: PostgreSQL, the demo mesh, the templates, one port. */
function writeVerifyConfig(appDir, { port, dbPrefix, reposDir, section }) {
  const base = `http://localhost:${port}`;
  const loc = target => `    - type: file\n      target: ${target}`;
  const yaml = `# Written by verify/existing-portal/run.js for one run.
app:
  baseUrl: ${base}
backend:
  baseUrl: ${base}
  listen:
    port: ${port}
  cors:
    origin: ${base}
  database:
    client: pg
    # One database per plugin, all named with this run's prefix.
    prefix: ${dbPrefix}
    connection:
      host: 127.0.0.1
      port: 5432
      user: postgres
auth:
  providers:
    guest:
      dangerouslyAllowOutsideDevelopment: true
catalog:
  rules:
    - allow: [${section.catalogAllow.join(', ')}]
  locations:
${loc(path.join(REPO, 'examples/all.yaml'))}
${['source-aligned', 'aggregate', 'consumer-aligned', 'check-contract-change']
  .map(
    t =>
      `${loc(
        path.join(REPO, `templates/data-product/${t}.yaml`),
      )}\n      rules:\n        - allow: [Template]`,
  )
  .join('\n')}
${loc(path.join(reposDir, '*/catalog-info.yaml'))}
dataMesh:
  scaffolder:
    localPublish:
      directory: ${reposDir}
`;
  const file = path.join(appDir, 'app-config.verify.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = require('node:net').createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts the backend (it serves the built app) and waits for readiness. */
async function startPortal(appDir, configFile, port, logFile) {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    path.join(NODE_DIR, 'bin/node'),
    [
      YARN,
      'workspace',
      'backend',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      configFile,
    ],
    { cwd: appDir, env: ENV, stdio: ['ignore', log, log], detached: true },
  );
  const deadline = Date.now() + 10 * 60 * 1000;
  let exited = null;
  child.on('exit', code => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== null)
      throw Object.assign(
        new Error(`backend exited with ${exited}; see ${logFile}`),
        { child },
      );
    // In `package start` the process outlives a failed startup, waiting for
    // file changes; readiness then answers 503 forever.
    if (fs.readFileSync(logFile, 'utf8').includes('Backend startup failed'))
      throw Object.assign(new Error(`backend startup failed; see ${logFile}`), {
        child,
      });
    try {
      const r = await fetch(
        `http://localhost:${port}/.backstage/health/v1/readiness`,
      );
      // Ready once every plugin started; the catalog still ingests the mesh
      // afterwards, which the browser check waits for.
      if (r.ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw Object.assign(
    new Error(`backend not ready after 10 min; see ${logFile}`),
    { child },
  );
}

function stopPortal(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
}

// -------------------------------------------------------------------- main

async function verifyVariant(variant, workDir, tarballDir, section) {
  const appDir = path.join(workDir, `portal-${variant}`);
  const runId = `${Date.now().toString(36)}${crypto
    .randomBytes(2)
    .toString('hex')}`;
  const dbPrefix = `quanta_verify_${runId}_`;
  const reposDir = path.join(workDir, `repos-${variant}`);
  fs.mkdirSync(reposDir, { recursive: true });
  const tag = `[${variant}]`;
  let child;
  try {
    await step(
      `${tag} create the stock app (create-app ${createAppVersion}, pins)`,
      () => createStockApp(appDir, variant),
    );
    await step(`${tag} yarn install of the stock app`, () =>
      installStockApp(appDir, variant),
    );
    await step(`${tag} yarn add the Quanta tarballs as the README says`, () =>
      addQuanta(appDir, tarballDir, variant, section),
    );
    await step(`${tag} wire the backend (README backend.add lines)`, () =>
      wireBackend(appDir, section),
    );
    if (variant === 'legacy')
      await step(
        `${tag} wire the legacy frontend (EntityPage, route, sidebar)`,
        () => wireLegacyFrontend(appDir, section),
      );
    else
      await step(
        `${tag} new frontend: discovered through app.packages: all`,
        () => {
          const cfg = fs.readFileSync(
            path.join(appDir, 'app-config.yaml'),
            'utf8',
          );
          if (!/^\s+packages: all\s*$/m.test(cfg))
            throw new Error(
              'the stock app-config.yaml has no app.packages: all; the README wiring assumes it',
            );
        },
      );
    await step(`${tag} type-check the wired files (yarn tsc)`, () =>
      typeCheckWiring(appDir, variant),
    );
    await step(`${tag} build the app (production bundle)`, () =>
      yarn(appDir, ['workspace', 'app', 'build'], { quiet: true }),
    );
    const port = await freePort();
    const configFile = writeVerifyConfig(appDir, {
      port,
      dbPrefix,
      reposDir,
      section,
    });
    child = await step(`${tag} start the backend on PostgreSQL`, () =>
      startPortal(
        appDir,
        configFile,
        port,
        path.join(workDir, `backend-${variant}.log`),
      ).catch(e => {
        child = e.child;
        throw e;
      }),
    );
    await step(`${tag} browser check in Chromium`, () =>
      run(path.join(NODE_DIR, 'bin/node'), [path.join(HERE, 'browser.js')], {
        cwd: REPO,
        env: {
          ...ENV,
          PORTAL_URL: `http://localhost:${port}`,
          ARTIFACTS: path.join(workDir, `artifacts-${variant}`),
          VARIANT: variant,
        },
      }),
    );
  } finally {
    stopPortal(child);
    await new Promise(r => setTimeout(r, 2000));
    try {
      const n = dropDatabases(dbPrefix);
      console.log(`${tag} dropped ${n} databases named ${dbPrefix}*`);
    } catch (e) {
      console.error(
        `${tag} could not drop the databases ${dbPrefix}*: ${e.message}`,
      );
    }
  }
}

async function main() {
  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'quanta-existing-portal-'),
  );
  console.log(
    `Working in ${workDir}; Backstage ${release}, create-app ${createAppVersion}; variants: ${VARIANTS.join(
      ', ',
    )}`,
  );
  let failed = false;
  try {
    const section = await step('read the README section', () => {
      const parsed = readme.parse(path.join(REPO, 'README.md'));
      // The section names the release this run verifies, not an older one.
      if (!release.startsWith(`${parsed.release}.`))
        throw new Error(
          `README.md says it supports Backstage ${parsed.release}; backstage.json is ${release}`,
        );
      return parsed;
    });
    // --tarballs DIR reuses tarballs of an earlier run (to iterate on a later
    // step); a real verification packs them.
    const reuse = opt('tarballs');
    const tarballDir = reuse
      ? path.resolve(reuse)
      : path.join(workDir, 'tarballs');
    if (reuse)
      await step(`check the tarballs packed in ${tarballDir}`, () =>
        listTarballs(tarballDir),
      );
    else await step('pack the Quanta packages', () => packQuanta(tarballDir));
    for (const variant of VARIANTS)
      await verifyVariant(variant, workDir, tarballDir, section);
  } catch (error) {
    failed = true;
    console.error(`\n${error.stack ?? error}`);
  } finally {
    console.log('\nStep durations:');
    for (const t of timings)
      console.log(
        `  ${t.ok ? 'ok    ' : 'FAILED'} ${fmt(t.ms).padStart(9)}  ${t.name}`,
      );
    const total = timings.reduce((a, t) => a + t.ms, 0);
    console.log(`  total ${fmt(total)}`);
    if (KEEP || failed) console.log(`Kept ${workDir} to look at.`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main();
