/*
 * Benchmark of hostile and very large DataProduct descriptors in a whole
 * catalog: the longest event-loop stall of the catalog's process, and the
 * time until the catalog has settled, while it reads, processes, stores and
 * stitches one descriptor file.
 *
 *   yarn workspace @quanta/bench catalog-descriptors
 *   yarn workspace @quanta/bench catalog-descriptors --only alias   # ids containing "alias"
 *
 * Each case of the hostile corpus of @quanta/plugin-data-mesh-common/testUtils
 * that the bench selects (the largest accepted descriptors, just under the
 * size limit, and the largest refused ones: over size, alias bombs, deep
 * nesting, a cycle) gets a fresh catalog (the catalog backend with the
 * Quanta module and the unprocessed-entities module, processing interval
 * 1 s) on a new SQLite file, with two file locations: the case's file and a
 * valid product's. Once the catalog has started, the two files are written
 * and perf_hooks.monitorEventLoopDelay runs until the valid product is
 * served and the case has settled (served, or its error stored on it or on
 * its location); a case the corpus says the catalog loses is watched for
 * 20 s. A baseline with the valid product alone comes first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import knexFactory, { type Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import catalogModuleDataMesh from '@quanta/plugin-catalog-backend-module-data-mesh';
import { formatByteSize } from '@quanta/plugin-data-mesh-common';
import {
  type HostileDescriptor,
  hostileBaseProduct,
  hostileDescriptorText,
  hostileDescriptors,
} from '@quanta/plugin-data-mesh-common/testUtils';
import { jsonSize, machineLine } from './common';

/** The cases measured: the largest of each kind the corpus holds. */
const SELECTED = [
  'size/spec.outputPorts/up-to-the-limit',
  'size/spec.outputPorts/same-ports-up-to-the-limit',
  'size/spec/unknown-keys-up-to-the-limit',
  'size/spec.inputPorts/homoglyphs-up-to-the-limit',
  'size/spec.waivers/impossible-dates-up-to-the-limit',
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
/** How long the bench watches a case the corpus says the catalog loses. */
const LOST_AFTER_MS = 20_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type Measurement = {
  outcome: string;
  settleMs: number;
  stallMs: number;
  p99Ms: number;
  storedBytes: number;
};

async function measure(
  dir: string,
  descriptor: HostileDescriptor | undefined,
): Promise<Measurement> {
  const neighbour = path.join(dir, 'neighbour.yaml');
  const file = path.join(dir, 'case.yaml');
  const text = descriptor ? hostileDescriptorText(descriptor) : '';
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'catalog.sqlite') },
    useNullAsDefault: true,
  });
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
            rules: [{ allow: ['Location', 'DataProduct'] }],
            locations: (descriptor ? [neighbour, file] : [neighbour]).map(
              target => ({ type: 'file', target }),
            ),
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}/api/catalog`;
  const headers = { Authorization: mockCredentials.user.header() };
  const served = async (name: string) => {
    const res = await fetch(
      `${base}/entities/by-query?filter=${encodeURIComponent(
        `kind=DataProduct,metadata.name=${name}`,
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
      .filter(row => !String(row.errors).includes('does not exist'))
      .map(row => row.entity_ref);

  await sleep(2000);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  fs.writeFileSync(
    neighbour,
    `${JSON.stringify(hostileBaseProduct('neighbour'))}\n`,
  );
  if (descriptor) fs.writeFileSync(file, text);
  // A case the catalog loses stores nothing to wait for.
  const timeout =
    descriptor?.catalog?.outcome === 'lost' ? LOST_AFTER_MS : TIMEOUT_MS;

  let outcome = '';
  for (;;) {
    const neighbourServed = await served('neighbour');
    if (neighbourServed) {
      if (!descriptor) {
        outcome = 'served';
        break;
      }
      const servedCase = descriptor.name
        ? await served(descriptor.name)
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
    if (performance.now() - started > timeout) {
      outcome =
        timeout === LOST_AFTER_MS
          ? 'lost: nothing served, no error'
          : 'did not settle';
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
  await knex.destroy();
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
  const selected = SELECTED.map(id => {
    const found = corpus.find(c => c.id === id);
    if (!found) throw new Error(`No case ${id} in the hostile corpus`);
    return found;
  }).filter(c => !only || c.id.includes(only));

  console.log('Quanta hostile descriptors in a whole catalog');
  console.log(machineLine());
  console.log(
    '  each: a new catalog on a SQLite file; the case file and a valid product registered; measured until both settled',
  );
  console.log(
    '  case                                                 | file       | as JSON    | stored     | outcome                         | settled   | longest stall | p99 delay',
  );
  const rows: Array<[string, HostileDescriptor | undefined]> = [
    ['baseline: the valid product alone', undefined],
    ...selected.map(c => [c.id, c] as [string, HostileDescriptor]),
  ];
  for (const [label, descriptor] of rows) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-catalog-bench-'));
    try {
      const text = descriptor ? hostileDescriptorText(descriptor) : '';
      const r = await measure(dir, descriptor);
      console.log(
        `  ${label.padEnd(52)} | ${(descriptor
          ? formatByteSize(Buffer.byteLength(text))
          : '-'
        ).padEnd(10)} | ${(descriptor
          ? jsonSize(descriptor.entity())
          : '-'
        ).padEnd(10)} | ${formatByteSize(r.storedBytes).padEnd(
          10,
        )} | ${r.outcome.padEnd(31)} | ${`${(r.settleMs / 1000).toFixed(
          1,
        )} s`.padStart(9)} | ${`${r.stallMs.toFixed(0)} ms`.padStart(
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
