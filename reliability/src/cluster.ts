import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { stringify } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
const BACKEND_DIR = path.join(ROOT, 'packages', 'backend');

/** Where the production build of the backend is unpacked (git-ignored). */
const BUILD_DIR = path.join(ROOT, '.data', 'reliability-build');

/**
 * Builds the demo backend for production and unpacks it, as a container
 * image does: `backstage-cli package build` writes dist/bundle.tar.gz, the
 * backend and every workspace package it uses (Quanta's plugins, the app)
 * compiled to dist/ with their publish manifests. The image would then
 * install the third-party dependencies with `yarn workspaces focus
 * --production`; here the bundle is unpacked inside the repository and
 * finds the ones installed there, and its own packages through links in its
 * node_modules, so no source file is loaded. Returns the backend's
 * directory in the build.
 */
export function buildBackend(logFile: string): string {
  const started = Date.now();
  const log = fs.openSync(logFile, 'w');
  // backstage-cli runs `yarn`: the repository's release, with this Node.
  const yarnPath = fs
    .readFileSync(path.join(ROOT, '.yarnrc.yml'), 'utf8')
    .match(/^yarnPath:\s*(\S+)/m)?.[1];
  if (!yarnPath) throw new Error('.yarnrc.yml has no yarnPath');
  const bin = path.join(ROOT, '.data', 'reliability-bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'yarn'),
    `#!/bin/sh\nexec "${process.execPath}" "${path.join(
      ROOT,
      yarnPath,
    )}" "$@"\n`,
    { mode: 0o755 },
  );
  const build = spawnSync(
    process.execPath,
    [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
    {
      cwd: BACKEND_DIR,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${
          path.delimiter
        }${process.env.PATH}`,
      },
      stdio: ['ignore', log, log],
    },
  );
  fs.closeSync(log);
  if (build.status !== 0) {
    throw new Error(
      `backstage-cli package build of the backend failed (exit ${
        build.status
      }): ${lastLine(fs.readFileSync(logFile, 'utf8'))}; see ${logFile}`,
    );
  }
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const untar = spawnSync(
    'tar',
    ['xzf', path.join(BACKEND_DIR, 'dist', 'bundle.tar.gz'), '-C', BUILD_DIR],
    { encoding: 'utf8' },
  );
  if (untar.status !== 0) {
    throw new Error(`Unpacking the backend bundle failed: ${untar.stderr}`);
  }
  for (const group of ['packages', 'plugins']) {
    const groupDir = path.join(BUILD_DIR, group);
    if (!fs.existsSync(groupDir)) continue;
    for (const dir of fs.readdirSync(groupDir)) {
      const { name, main } = JSON.parse(
        fs.readFileSync(path.join(groupDir, dir, 'package.json'), 'utf8'),
      );
      if (main && !/^(\.\/)?dist\//.test(String(main))) {
        throw new Error(
          `${name} in the backend bundle points at ${main}, not at its build in dist/`,
        );
      }
      const link = path.join(BUILD_DIR, 'node_modules', name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(groupDir, dir), link, 'dir');
    }
  }
  console.log(
    `reliability: backend built for production and unpacked in ${Math.round(
      (Date.now() - started) / 1000,
    )} s (${path.relative(ROOT, BUILD_DIR)})`,
  );
  return path.join(BUILD_DIR, 'packages', 'backend');
}

/** A static token the replicas accept as a service with every permission. */
export const TOKEN = 'quanta-reliability-token';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * A TCP relay between the replicas and PostgreSQL, so that the suite can take
 * the database away from them (every connection reset, new ones refused, as
 * while the server restarts) without touching a server others may share.
 */
export class DatabaseGate {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async open(target: { host: string; port: number }) {
    const gate = new DatabaseGate(await freePort(), target);
    await gate.up();
    return gate;
  }

  get isUp() {
    return Boolean(this.server);
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer(client => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Refuses new connections and resets the open ones. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }
}

/**
 * How the proxy picks a replica: in turn, or the one with the fewest
 * requests in flight (nginx `least_conn`, Envoy `LEAST_REQUEST`), ties in
 * turn.
 */
export type Balance = 'round-robin' | 'least-requests';

/** An HTTP proxy on loopback, as a load balancer in front of replicas. */
export class LoadBalancer {
  private next = 0;
  /** Requests in flight per replica port. */
  private readonly inFlight = new Map<number, number>();
  /** Why requests to replicas failed (error code, and whether retried). */
  readonly upstreamErrors = new Map<string, number>();
  private constructor(
    readonly url: string,
    private readonly server: http.Server,
  ) {}

  static async start(
    targets: () => number[],
    balance: Balance = 'round-robin',
  ): Promise<LoadBalancer> {
    let proxy: LoadBalancer | undefined = undefined;
    // With a timeout set, Node's agent reads the replica's `Keep-Alive:
    // timeout=5` and closes an idle connection a second before the replica
    // would, as a load balancer in front of Node should be set up: without
    // it a post could go out on a connection the replica was closing, and
    // a post is never sent twice.
    const agent = new http.Agent({
      keepAlive: true,
      maxSockets: 64,
      timeout: 60_000,
    });
    const count = (why: string) =>
      proxy!.upstreamErrors.set(why, (proxy!.upstreamErrors.get(why) ?? 0) + 1);
    const server = http.createServer((req, res) => {
      const reading = req.method === 'GET' || req.method === 'HEAD';
      const send = (retry: boolean) => {
        const ports = targets();
        if (ports.length === 0) {
          res.writeHead(502).end('no replica');
          return;
        }
        const port = proxy!.pick(ports, balance);
        proxy!.inFlight.set(port, (proxy!.inFlight.get(port) ?? 0) + 1);
        let done = false;
        const finished = () => {
          if (done) return;
          done = true;
          proxy!.inFlight.set(port, proxy!.inFlight.get(port)! - 1);
        };
        res.once('close', finished);
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, 'x-forwarded-for': '127.0.0.1' },
            agent,
          },
          answer => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          finished();
          // A kept-alive connection the replica closed just as it was
          // reused: a reading request goes to the next replica once, as
          // load balancers do (nginx's proxy_next_upstream).
          if (
            retry &&
            reading &&
            upstream.reusedSocket &&
            error.code === 'ECONNRESET' &&
            !res.headersSent
          ) {
            count('ECONNRESET on a reused connection, retried');
            send(false);
            return;
          }
          count(error.code ?? error.message);
          // A load balancer answers 502 when a replica dies mid-request.
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        if (reading) upstream.end();
        else req.pipe(upstream);
      };
      send(true);
    });
    const port = await freePort();
    await new Promise<void>(resolve =>
      server.listen(port, '127.0.0.1', () => resolve()),
    );
    proxy = new LoadBalancer(`http://127.0.0.1:${port}`, server);
    return proxy;
  }

  private pick(ports: number[], balance: Balance): number {
    const start = this.next++;
    if (balance === 'round-robin') return ports[start % ports.length];
    let best = ports[start % ports.length];
    for (let i = 1; i < ports.length; i++) {
      const port = ports[(start + i) % ports.length];
      if ((this.inFlight.get(port) ?? 0) < (this.inFlight.get(best) ?? 0))
        best = port;
    }
    return best;
  }

  close(): Promise<void> {
    return new Promise(resolve => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function lastLine(log: string): string {
  const line = log
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .at(-1);
  return (line ?? '(nothing printed)').slice(0, 300);
}

class ExitedWhileStarting extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export type Replica = {
  name: string;
  port: number;
  url: string;
  logFile: string;
  child?: ChildProcess;
  /** Why a start failed and the replica was started again, as an orchestrator would. */
  failedStarts: string[];
};

export type ClusterOptions = {
  workDir: string;
  /** postgresql://user@host:port, the server the replicas share. */
  postgres: URL;
  replicas: number;
  /** Extra catalog locations (absolute file paths). */
  locations: string[];
  /** Where new products' descriptors are written; read by a glob location. */
  newProductsDir: string;
  evaluation: { frequencySeconds: number; timeoutSeconds: number };
  /** dataMesh.lineage.refresh: the bound within which replicas' lineage agrees. */
  lineageRefreshSeconds: number;
  /** catalog.processingInterval in seconds; the catalog's default without. */
  catalogProcessingSeconds?: number;
  /** More of the dataMesh config section. */
  dataMesh?: Record<string, unknown>;
  /** Data products the locations hold, to know when the catalog read them all. */
  expectedProducts: number;
  /**
   * Modules each replica loads first (node --require), with the replica's
   * log file in QUANTA_REPLICA_LOG: the
   * benchmark measures event-loop delay inside each replica this way.
   */
  preload?: string[];
  /** How the proxy spreads requests; round robin without. */
  balance?: Balance;
};

/**
 * Demo backends in production mode (the production build, NODE_ENV=production,
 * app-config.production.yaml) on one PostgreSQL server, each plugin's
 * database named with this run's prefix.
 */
export class Cluster {
  readonly replicas: Replica[] = [];
  readonly prefix = `quanta_reliability_${Date.now().toString(36)}_`;
  gate!: DatabaseGate;
  proxy!: LoadBalancer;
  /** The replicas the proxy sends requests to; all running ones when unset. */
  routeTo?: Replica[];
  private admin: Knex;
  private dataMesh?: Knex;
  /** The production build's backend package, once init() made it. */
  private build!: string;

  constructor(readonly options: ClusterOptions) {
    this.admin = knexFactory({
      client: 'pg',
      connection: { ...this.connection(), database: 'postgres' },
      pool: { min: 0, max: 2 },
    });
  }

  private connection() {
    const url = this.options.postgres;
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password || ''),
    };
  }

  /** Children die with the suite, whatever stops it. */
  private children = new Set<ChildProcess>();
  private killChildren = () => {
    for (const child of this.children) child.kill('SIGKILL');
  };

  async init(): Promise<void> {
    process.once('exit', this.killChildren);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.killChildren();
        process.exit(130);
      });
    }
    this.build = buildBackend(
      path.join(this.options.workDir, 'backend-build.log'),
    );
    const { host, port } = this.connection();
    this.gate = await DatabaseGate.open({ host, port });
    for (let i = 0; i < this.options.replicas; i++) {
      const port = await freePort();
      this.replicas.push({
        name: `replica-${i + 1}`,
        port,
        url: `http://127.0.0.1:${port}`,
        logFile: path.join(this.options.workDir, `replica-${i + 1}.log`),
        failedStarts: [],
      });
    }
    this.proxy = await LoadBalancer.start(
      () =>
        this.replicas
          .filter(r => r.child && (!this.routeTo || this.routeTo.includes(r)))
          .map(r => r.port),
      this.options.balance,
    );
  }

  private writeConfig(replica: Replica): string {
    const { evaluation } = this.options;
    const config = {
      app: { baseUrl: this.proxy.url },
      backend: {
        baseUrl: this.proxy.url,
        listen: `:${replica.port}`,
        database: {
          prefix: this.prefix,
          connection: {
            host: '127.0.0.1',
            port: this.gate.port,
            user: this.connection().user,
            password: this.connection().password,
          },
        },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: TOKEN, subject: 'reliability' },
            },
          ],
        },
      },
      catalog: {
        // Short in the suite, so that a newly written descriptor is read
        // within seconds; the catalog's default (100 to 150 s) for a benchmark.
        ...(this.options.catalogProcessingSeconds
          ? {
              processingInterval: {
                seconds: this.options.catalogProcessingSeconds,
              },
            }
          : {}),
        locations: [
          ...this.options.locations,
          path.join(this.options.newProductsDir, '*.yaml'),
        ].map(target => ({ type: 'file', target })),
      },
      dataMesh: {
        ...this.options.dataMesh,
        // The catalog part of each replica's lineage graph is at most this old.
        lineage: {
          refresh: { minutes: 0, seconds: this.options.lineageRefreshSeconds },
        },
        // Minutes zeroed: config files merge objects, so app-config.yaml's
        // { minutes: 30 } would otherwise add to these seconds.
        evaluation: {
          frequency: { minutes: 0, seconds: evaluation.frequencySeconds },
          timeout: { minutes: 0, seconds: evaluation.timeoutSeconds },
          changeDetection: { frequency: { minutes: 0, seconds: 5 } },
        },
      },
    };
    const file = path.join(this.options.workDir, `${replica.name}.yaml`);
    fs.writeFileSync(file, stringify(config));
    return file;
  }

  /**
   * Starts a replica; a replica that exits while starting is started again
   * after a growing pause, as Kubernetes restarts a crashing pod (10 s, then
   * twice as long each time), and the reason is kept. Without the pause, a
   * replica that lost a migration lock to another one still migrating fails
   * again at once, each time.
   */
  async start(replica: Replica, timeoutMs = 240_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce(replica, deadline - Date.now());
        return;
      } catch (error) {
        if (!(error instanceof ExitedWhileStarting)) throw error;
        replica.failedStarts.push(error.reason);
        const pause = Math.min(10_000 * 2 ** (attempt - 1), 60_000);
        if (Date.now() + pause >= deadline || attempt === 5) throw error;
        await sleep(pause);
      }
    }
  }

  private async startOnce(replica: Replica, timeoutMs: number): Promise<void> {
    const config = this.writeConfig(replica);
    const log = fs.openSync(replica.logFile, 'a');
    // Where this attempt's output starts: the log is kept across attempts.
    const logStart = fs.fstatSync(log).size;
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        ...(this.options.preload ?? []).flatMap(m => ['--require', m]),
        // The build, run from the source package's directory: the demo
        // configuration's relative paths are relative to it.
        this.build,
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        path.join(ROOT, 'app-config.production.yaml'),
        '--config',
        config,
      ],
      {
        cwd: BACKEND_DIR,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          QUANTA_REPLICA_LOG: replica.logFile,
          APP_BASE_URL: this.proxy.url,
          BACKEND_BASE_URL: this.proxy.url,
          POSTGRES_HOST: '127.0.0.1',
          POSTGRES_PORT: String(this.gate.port),
          POSTGRES_USER: this.connection().user,
          POSTGRES_PASSWORD: this.connection().password,
        },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let exited: number | null | undefined;
    child.once('exit', code => {
      exited = code;
      if (replica.child === child) replica.child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        const log = fs
          .readFileSync(replica.logFile)
          .subarray(logStart)
          .toString('utf8');
        // The backend's own one-line reason; otherwise the last line it
        // printed (a crash before the backend could catch it).
        const reason =
          log.match(/Backend startup failed, exiting: ([^\n]*)/)?.[1] ??
          `exit code ${exited}: ${lastLine(log)}`;
        // The reasons on the first line: a summary that keeps one line of
        // an error still says why.
        const earlier = replica.failedStarts.length
          ? `; earlier failed starts of this replica: ${replica.failedStarts.join(
              ' || ',
            )}`
          : '';
        throw new ExitedWhileStarting(
          reason,
          `${
            replica.name
          } exited (${exited}) while starting: ${reason}${earlier}\n${this.logTail(
            replica,
          )}`,
        );
      }
      try {
        const r = await fetch(`${replica.url}/.backstage/health/v1/readiness`);
        if (r.ok) {
          replica.child = child;
          return;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(500);
    }
    child.kill('SIGKILL');
    throw new Error(
      `${replica.name} not ready after ${timeoutMs / 1000} s:\n${this.logTail(
        replica,
      )}`,
    );
  }

  /** kill -9: no shutdown hook runs, the lock and open transactions are left as they are. */
  async kill(replica: Replica): Promise<void> {
    const child = replica.child;
    if (!child) return;
    replica.child = undefined;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.replicas.map(async replica => {
        const child = replica.child;
        if (!child) return;
        replica.child = undefined;
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  logTail(replica: Replica, lines = 30): string {
    try {
      return fs
        .readFileSync(replica.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The data-mesh plugin's database, read directly (not through the gate). */
  db(): Knex {
    this.dataMesh ??= knexFactory({
      client: 'pg',
      connection: {
        ...this.connection(),
        database: `${this.prefix}data-mesh`,
      },
      pool: { min: 0, max: 2 },
    });
    return this.dataMesh;
  }

  async dropDatabases(): Promise<number> {
    await this.dataMesh?.destroy();
    const { rows } = await this.admin.raw(
      `SELECT datname FROM pg_database WHERE datname LIKE ?`,
      [`${this.prefix}%`],
    );
    for (const { datname } of rows) {
      await this.admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [
        datname,
      ]);
    }
    return rows.length;
  }

  async close(): Promise<void> {
    await this.stopAll();
    await this.proxy?.close();
    await this.gate?.down();
    try {
      await this.dropDatabases();
    } finally {
      await this.admin.destroy();
    }
  }
}

/** A request with the suite's service token; JSON in, JSON out. */
export async function call(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  options: { contentType?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: any; ms: number; bytes: number }> {
  const started = Date.now();
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined
        ? {}
        : { 'content-type': options.contentType ?? 'application/json' }),
    },
    body:
      body === undefined
        ? undefined
        : typeof body === 'string'
        ? body
        : JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return {
    status: response.status,
    body: parsed,
    ms: Date.now() - started,
    // Decoded, as the page receives it (not the compressed size on the wire).
    bytes: text.length,
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `${what}: not within ${Math.round(timeoutMs / 1000)} s${
      last ? ` (last error: ${(last as Error).message})` : ''
    }`,
  );
}

export { sleep };
