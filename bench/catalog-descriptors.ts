/*
 * Benchmark of hostile and very large DataProduct descriptors in a whole
 * catalog: the longest event-loop stall of the catalog's process, and the
 * time until the catalog has settled, while it reads, processes, stores and
 * stitches one descriptor file.
 *
 *   yarn workspace @quanta/bench catalog-descriptors
 *   yarn workspace @quanta/bench catalog-descriptors --only alias   # ids containing "alias"
 *   yarn workspace @quanta/bench catalog-descriptors --postgres     # on PostgreSQL, not SQLite
 *
 * Each case of the hostile corpus of @quanta/plugin-data-mesh-common/testUtils
 * that the bench selects (the largest accepted descriptors, just under the
 * size limit, and the largest refused ones: over size, alias bombs, a
 * duplicate key among thousands, deep nesting, a cycle), and two API
 * documents at the limit the module's file parser sets for other kinds, gets
 * a fresh catalog (the catalog backend with the Quanta module, whose file
 * parser it installs, and the unprocessed-entities module, processing
 * interval 1 s) on a new SQLite file (a new PostgreSQL database with
 * `--postgres`), with two file locations: the case's
 * file and a valid product's. Once the catalog has started, the two files
 * are written and perf_hooks.monitorEventLoopDelay runs until the valid
 * product is served and the case has settled (served, or its error stored
 * on it or on its location). A baseline with the valid product alone comes
 * first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import knexFactory, { type Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import catalogModuleDataMesh, {
  DEFAULT_MAX_DOCUMENT_SIZE,
} from '@quanta/plugin-catalog-backend-module-data-mesh';
import { formatByteSize } from '@quanta/plugin-data-mesh-common';
import {
  hostileBaseProduct,
  hostileDescriptorText,
  hostileDescriptors,
} from '@quanta/plugin-data-mesh-common/testUtils';
import { flag, jsonSize, machineLine } from './common';

/** The cases measured: the largest of each kind the corpus holds. */
const SELECTED = [
  'size/spec.outputPorts/up-to-the-limit',
  'size/spec.outputPorts/same-ports-up-to-the-limit',
  'size/spec/unknown-keys-up-to-the-limit',
  'size/spec.inputPorts/homoglyphs-up-to-the-limit',
  'size/spec.waivers/impossible-dates-up-to-the-limit',
  'size/metadata.annotations/aliases-up-to-the-limit',
  'size/spec/duplicate-after-20000-keys',
  'size/spec.outputPorts/just-over-the-limit',
  'size/metadata.labels/512kib-string',
  'size/spec.outputPorts[0].description/1mb',
  'size/spec/600kb-unknown-keys',
  'size/metadata.annotations/30kb-anchor-20-aliases',
  'size/metadata.annotations/1mb-anchor-100-aliases',
  'size/metadata.annotations/alias-bomb-8^12',
  'size/spec.outputPorts/alias-bomb-2^25',
  'nesting/metadata.deep/31-objects',
  'nesting/metadata.deep/1000-lists',
  'nesting/metadata.deep/100000-lists',
  'nesting/spec.slos/cycle',
];
/** Longest a case may take to settle before the bench gives up on it. */
const TIMEOUT_MS = 5 * 60_000;

/** One file the bench measures: a corpus case, or a document of another kind. */
type Row = {
  label: string;
  kind: string;
  name?: string;
  text: string;
  /** Its size as JSON, aliases expanded. */
  size: string;
};

/** An API document whose inline definition fills it to `bytes` of JSON. */
function apiDocument(name: string, bytes: number): string {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      definition: '',
    },
  };
  const base = Buffer.byteLength(JSON.stringify(entity));
  entity.spec.definition = 'openapi: 3.0.0 '.repeat(
    Math.floor((bytes - base) / 15),
  );
  return `${JSON.stringify(entity)}\n`;
}

/** An API document of a 1 MB anchor aliased 100 times: 100 MiB as JSON. */
function aliasedApiDocument(name: string): string {
  const aliases = Array.from({ length: 99 }, (_, i) => `    a${i + 1}: *big`);
  return `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}
  annotations:
    a0: &big "${'x'.repeat(1_050_000)}"
${aliases.join('\n')}
spec: { type: openapi, lifecycle: production, owner: group:default/sales-data, definition: x }
`;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// Collects the garbage of the case before, so that it is not counted as a
// stall of the next (the 16 MiB API leaves hundreds of megabytes).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

type Measurement = {
  outcome: string;
  settleMs: number;
  stallMs: number;
  p99Ms: number;
  storedBytes: number;
};

/** PostgreSQL when asked for (`--postgres`), SQLite otherwise. */
const onPostgres = flag('postgres');

/**
 * A fresh catalog database: a SQLite file in `dir`, or with `--postgres` a
 * new database on BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING,
 * dropped when closed.
 */
async function openDatabase(
  dir: string,
): Promise<{ knex: Knex; close(): Promise<void> }> {
  if (!onPostgres) {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'catalog.sqlite') },
      useNullAsDefault: true,
    });
    return { knex, close: () => knex.destroy() };
  }
  const pgUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING;
  if (!pgUrl) {
    throw new Error(
      '--postgres needs BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING',
    );
  }
  const name = `quanta_catalog_descriptors_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${name}`);
  // node-postgres ignores a `database` option next to a connection string.
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE ${name}`);
      await admin.destroy();
    },
  };
}

async function measure(
  dir: string,
  row: Row | undefined,
): Promise<Measurement> {
  const neighbour = path.join(dir, 'neighbour.yaml');
  const file = path.join(dir, 'case.yaml');
  const database = await openDatabase(dir);
  const knex = database.knex;
  // The locations' files do not exist yet; the catalog reads them on the
  // pass after they are written, once it has started.
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      unprocessedModule,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Location', 'DataProduct', 'API'] }],
            locations: (row ? [neighbour, file] : [neighbour]).map(target => ({
              type: 'file',
              target,
            })),
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}/api/catalog`;
  const headers = { Authorization: mockCredentials.user.header() };
  const served = async (kind: string, name: string) => {
    const res = await fetch(
      `${base}/entities/by-query?filter=${encodeURIComponent(
        `kind=${kind},metadata.name=${name}`,
      )}&fields=metadata.name,status&limit=1`,
      { headers },
    );
    const body = await res.json();
    return body.items?.[0] as any;
  };
  /** Rows of the processing table with stored errors (but for a file not written yet), without reading the entities. */
  const erroredRows = async (): Promise<string[]> =>
    (
      await knex('refresh_state')
        .select('entity_ref', 'errors')
        .whereNotNull('errors')
        .whereNot('errors', '[]')
        .whereNot('errors', '')
    )
      .filter(r => !String(r.errors).includes('does not exist'))
      .map(r => r.entity_ref);

  await sleep(1000);
  collectGarbage();
  await sleep(1000);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  fs.writeFileSync(
    neighbour,
    `${JSON.stringify(hostileBaseProduct('neighbour'))}\n`,
  );
  if (row) fs.writeFileSync(file, row.text);

  let outcome = '';
  for (;;) {
    const neighbourServed = await served('DataProduct', 'neighbour');
    if (neighbourServed) {
      if (!row) {
        outcome = 'served';
        break;
      }
      const servedCase = row.name
        ? await served(row.kind, row.name)
        : undefined;
      if (servedCase) {
        const items = servedCase.status?.items?.length ?? 0;
        outcome = items ? `served, ${items} errors` : 'served';
        break;
      }
      const errored = (await erroredRows()).filter(
        ref => !ref.includes('neighbour'),
      );
      if (errored.length) {
        outcome = `refused (error on ${
          errored[0].startsWith('location:') ? 'its location' : 'the entity'
        })`;
        break;
      }
    }
    if (performance.now() - started > TIMEOUT_MS) {
      outcome = 'did not settle';
      break;
    }
    await sleep(100);
  }
  const settleMs = performance.now() - started;
  delay.disable();
  const stored = await knex('refresh_state').sum({
    bytes: knex.raw(
      'length(unprocessed_entity) + coalesce(length(processed_entity), 0)',
    ),
  });
  await backend.stop();
  // Lets the catalog's processing loop see that it has stopped before its
  // database goes.
  await sleep(1000);
  await database.close();
  return {
    outcome,
    settleMs,
    stallMs: delay.max / 1e6,
    p99Ms: delay.percentile(99) / 1e6,
    storedBytes: Number(stored[0]?.bytes ?? 0),
  };
}

async function main() {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const corpus = hostileDescriptors();
  const limit = DEFAULT_MAX_DOCUMENT_SIZE;
  // Built only when selected: sizing an alias bomb walks 256 MiB.
  const cases: Array<[string, () => Row]> = [
    ...SELECTED.map((id): [string, () => Row] => {
      const found = corpus.find(c => c.id === id);
      if (!found) throw new Error(`No case ${id} in the hostile corpus`);
      return [
        id,
        () => ({
          label: id,
          kind: 'DataProduct',
          name: found.name,
          text: hostileDescriptorText(found),
          size: jsonSize(found.entity()),
        }),
      ];
    }),
    // The refused one first: the garbage the accepted one leaves behind
    // would be collected while the next case is measured.
    [
      'API: a 1 MB anchor aliased 100 times',
      () => ({
        label: 'API: a 1 MB anchor aliased 100 times',
        kind: 'API',
        name: 'aliased-api',
        text: aliasedApiDocument('aliased-api'),
        size: '100.1 MiB',
      }),
    ],
    [
      `API: inline definition, just under ${formatByteSize(limit)}`,
      () => {
        const text = apiDocument('big-api', limit - 64 * 1024);
        return {
          label: `API: inline definition, just under ${formatByteSize(limit)}`,
          kind: 'API',
          name: 'big-api',
          text,
          size: formatByteSize(Buffer.byteLength(text)),
        };
      },
    ],
  ];
  const selected = cases
    .filter(([label]) => !only || label.includes(only))
    .map(([, build]) => build());

  console.log('Quanta hostile descriptors in a whole catalog');
  console.log(machineLine());
  console.log(
    `  each: a new catalog on ${
      onPostgres ? 'a new PostgreSQL database' : 'a SQLite file'
    }; the case file and a valid product registered; measured until both settled`,
  );
  console.log(
    '  case                                                 | file       | as JSON    | stored     | outcome                         | settled   | longest stall | p99 delay',
  );
  const rows: Array<[string, Row | undefined]> = [
    ['baseline: the valid product alone', undefined],
    ...selected.map(c => [c.label, c] as [string, Row]),
  ];
  for (const [label, row] of rows) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-catalog-bench-'));
    try {
      const r = await measure(dir, row);
      console.log(
        `  ${label.padEnd(52)} | ${(row
          ? formatByteSize(Buffer.byteLength(row.text))
          : '-'
        ).padEnd(10)} | ${(row?.size ?? '-').padEnd(10)} | ${formatByteSize(
          r.storedBytes,
        ).padEnd(10)} | ${r.outcome.padEnd(31)} | ${`${(
          r.settleMs / 1000
        ).toFixed(1)} s`.padStart(9)} | ${`${r.stallMs.toFixed(0)} ms`.padStart(
          13,
        )} | ${`${r.p99Ms.toFixed(0)} ms`.padStart(9)}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
