import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { E2E_DIR, ROOT, Settings } from './settings';

/** A demo portal started with `npm start` on a throwaway database. */
export type Portal = {
  frontendUrl: string;
  backendUrl: string;
  /** Holds the SQLite files, the published repositories and the config. */
  workDir: string;
  logFile: string;
  /** Published repositories of the templates (journey 3). */
  reposDir: string;
  /** How often the dev server restarted the backend after a source change. */
  backendRestarts(): number;
  /** The last lines the portal printed, for failure messages. */
  logTail(lines?: number): string;
  /** Waits until both servers answer, e.g. after a backend restart. */
  waitUntilUp(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
};

/** Data products that only the journeys register, next to the demo mesh. */
export const FIXTURES = [
  path.join(E2E_DIR, 'fixtures', 'returns-forecast.yaml'),
  path.join(E2E_DIR, 'fixtures', 'returns-ledger.yaml'),
];

/**
 * Descriptors the catalog refuses or ignores: registered, never entities of
 * their own. returns-ledger-copy.yaml declares a product of FIXTURES again.
 */
export const REFUSED_FIXTURES = [
  path.join(E2E_DIR, 'fixtures', 'refused-by-catalog.yaml'),
  path.join(E2E_DIR, 'fixtures', 'returns-ledger-copy.yaml'),
];

const DEFAULT_FRONTEND_PORT = 3000;
const DEFAULT_BACKEND_PORT = 7007;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function listenOn(port: number): Promise<number | undefined> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    // No host: the dual-stack wildcard, which collides with any listener on
    // the port, as the backend (all interfaces) and the dev server (localhost)
    // use it.
    server.listen(port, () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : port),
      );
    });
  });
}

/**
 * The port asked for in the environment, which must be free; otherwise the
 * README's port, or any free one when a developer's portal already uses it.
 */
async function choosePort(
  requested: number | undefined,
  fallback: number,
  variable: string,
  taken: number[],
): Promise<number> {
  if (requested) {
    if ((await listenOn(requested)) === undefined) {
      throw new Error(
        `port ${requested} (${variable}) is in use; free it or choose another`,
      );
    }
    return requested;
  }
  if (!taken.includes(fallback) && (await listenOn(fallback)) !== undefined) {
    return fallback;
  }
  for (;;) {
    const free = await listenOn(0);
    if (free && !taken.includes(free)) {
      console.log(
        `e2e: port ${fallback} is in use, so the portal gets ${free} (set ${variable} to choose)`,
      );
      return free;
    }
  }
}

/**
 * The config layered over app-config.yaml: ports, and every path the demo
 * writes to (SQLite files, published repositories) moved into the work
 * folder, so a run never touches a developer's .data/. The catalog locations
 * are app-config.yaml's own, with the published repositories' glob moved
 * along and the journeys' fixtures added.
 */
function writeConfig(options: {
  workDir: string;
  frontendUrl: string;
  backendUrl: string;
  backendPort: number;
}): string {
  const { workDir } = options;
  const base = parseYaml(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  // The backend runs in packages/backend and reads relative paths from there.
  const backendDir = path.join(ROOT, 'packages', 'backend');
  const publishDir = path.resolve(
    backendDir,
    base?.dataMesh?.scaffolder?.localPublish?.directory ?? '../../.data/repos',
  );
  const reposDir = path.join(workDir, 'repos');
  fs.mkdirSync(reposDir, { recursive: true });

  let publishLocationFound = false;
  const locations = (base?.catalog?.locations ?? []).map((location: any) => {
    if (location?.type !== 'file' || typeof location.target !== 'string') {
      return location;
    }
    const target = path.resolve(backendDir, location.target);
    if (target.startsWith(publishDir + path.sep)) {
      publishLocationFound = true;
      return {
        ...location,
        target: path.join(reposDir, path.relative(publishDir, target)),
      };
    }
    return { ...location, target };
  });
  if (!publishLocationFound) {
    locations.push({
      type: 'file',
      target: path.join(reposDir, '*', 'catalog-info.yaml'),
    });
  }
  for (const fixture of [...FIXTURES, ...REFUSED_FIXTURES]) {
    locations.push({ type: 'file', target: fixture });
  }

  const config = {
    app: { baseUrl: options.frontendUrl },
    backend: {
      baseUrl: options.backendUrl,
      listen: { port: options.backendPort },
      cors: { origin: options.frontendUrl },
      database: {
        connection: { directory: path.join(workDir, 'sqlite') },
      },
    },
    catalog: { locations },
    dataMesh: { scaffolder: { localPublish: { directory: reposDir } } },
  };
  const file = path.join(workDir, 'app-config.e2e.yaml');
  // JSON is YAML.
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

async function answers(
  url: string,
  check: (body: string) => boolean,
): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok && check(await response.text());
  } catch {
    return false;
  }
}

function isAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `npm start` (the README's command) from the repository root in its
 * own process group, with app-config.yaml and the e2e layer as config, and
 * waits until the frontend and the backend answer.
 */
export async function startPortal(settings: Settings): Promise<Portal> {
  const frontendPort = await choosePort(
    settings.frontendPort,
    DEFAULT_FRONTEND_PORT,
    'QUANTA_E2E_FRONTEND_PORT',
    [],
  );
  const backendPort = await choosePort(
    settings.backendPort,
    DEFAULT_BACKEND_PORT,
    'QUANTA_E2E_BACKEND_PORT',
    [frontendPort],
  );
  const frontendUrl = `http://localhost:${frontendPort}`;
  const backendUrl = `http://localhost:${backendPort}`;

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-e2e-'));
  const configFile = writeConfig({
    workDir,
    frontendUrl,
    backendUrl,
    backendPort,
  });
  const logFile = path.join(workDir, 'portal.log');
  const log = fs.openSync(logFile, 'a');

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Passing --config replaces the default app-config.yaml, so it comes first.
  const args = [
    'start',
    '--',
    '--config',
    path.join(ROOT, 'app-config.yaml'),
    '--config',
    configFile,
  ];
  const child: ChildProcess = spawn(npm, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  fs.closeSync(log);
  const pgid = child.pid!;
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once('error', error => {
    exited = error.message;
  });

  // Last resort when the runner dies without stopping the portal.
  const killOnExit = () => {
    if (isAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const readLog = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  const frontendUp = () =>
    answers(`${frontendUrl}/`, body => body.includes('id="root"'));
  const backendUp = () =>
    answers(`${backendUrl}/.backstage/health/v1/readiness`, () => true);

  let stopped = false;
  const portal: Portal = {
    frontendUrl,
    backendUrl,
    workDir,
    logFile,
    reposDir: path.join(workDir, 'repos'),
    backendRestarts: () =>
      readLog().split('Change detected, restarting').length - 1,
    logTail: (lines = 40) =>
      readLog()
        // Colours make the tail hard to read in CI logs.
        // eslint-disable-next-line no-control-regex
        .replace(/\u001b\[[0-9;]*m/g, '')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n'),
    async waitUntilUp(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited) {
          throw new Error(
            `npm start stopped (${exited}); its last lines:\n${portal.logTail()}`,
          );
        }
        if ((await backendUp()) && (await frontendUp())) return;
        if (Date.now() > deadline) {
          throw new Error(
            `the portal did not answer on ${frontendUrl} and ${backendUrl} within ${
              timeoutMs / 1000
            } s; its last lines:\n${portal.logTail()}`,
          );
        }
        await sleep(1000);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (isAlive(pgid)) {
        process.kill(-pgid, 'SIGTERM');
        const deadline = Date.now() + 15_000;
        while (isAlive(pgid) && Date.now() < deadline) await sleep(250);
        if (isAlive(pgid)) process.kill(-pgid, 'SIGKILL');
      }
      process.removeListener('exit', killOnExit);
    },
  };

  try {
    await portal.waitUntilUp(settings.startTimeoutMs);
  } catch (error) {
    await portal.stop();
    throw error;
  }
  return portal;
}
