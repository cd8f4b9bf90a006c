/*
 * Benchmark of the DataProduct kind in the catalog.
 *
 *   yarn bench                 # 10,000 data products
 *   yarn bench --products 2000 # another size
 *
 * (a) CPU cost of DataProductProcessor per entity (validation, address,
 *     relations), measured in-process after a warm-up pass.
 * (b) Cold ingest: a fresh catalog on a SQLite file reads the generated
 *     descriptors from disk; timed until every product is processed and
 *     stitched with its relations, as the catalog API serves it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { argument } from './common';
import { generateMesh } from './generateMesh';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh, {
  DataProductProcessor,
} from '@quanta/plugin-catalog-backend-module-data-mesh';

async function measureProcessor(products: Entity[]) {
  const processor = new DataProductProcessor();
  const location = { type: 'file', target: '/bench/catalog-info.yaml' };
  let relations = 0;
  const emit = () => {
    relations++;
  };
  const run = async () => {
    for (const product of products) {
      const result = await processor.postProcessEntity(product, location, emit);
      if ((result as any).status) {
        throw new Error(
          `bench generated an invalid product: ${product.metadata.name}`,
        );
      }
    }
  };
  await run(); // warm-up: JIT, first-use allocations
  relations = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await run();
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { cpuMs, wallMs, relations };
}

async function measureColdIngest(entities: Entity[], productCount: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-bench-'));
  const file = path.join(dir, 'mesh.yaml');
  fs.writeFileSync(file, entities.map(e => stringify(e)).join('---\n'));
  const sqliteDir = path.join(dir, 'sqlite');

  const started = performance.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:0',
            database: {
              client: 'better-sqlite3',
              connection: { directory: sqliteDir },
            },
          },
          catalog: {
            rules: [{ allow: ['Group', 'Domain', 'DataProduct', 'Location'] }],
            locations: [{ type: 'file', target: file }],
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}/api/catalog`;
  const headers = { Authorization: mockCredentials.user.header() };
  const count = async (filter: string) => {
    const res = await fetch(
      `${base}/entities/by-query?filter=${encodeURIComponent(filter)}&limit=1`,
      { headers },
    );
    return (await res.json()).totalItems as number;
  };

  let processedAt = 0;
  let last = -1;
  for (;;) {
    const products = await count('kind=DataProduct');
    // Stitched: each product carries its ownedBy relation and every team its
    // ownerOf relations, so both sides are queryable.
    const stitched = await count('kind=DataProduct,relations.ownedBy');
    const owningTeams = await count('kind=Group,relations.ownerOf');
    if (products !== last && process.stdout.isTTY) {
      process.stdout.write(`\r  ingested ${products}/${productCount}   `);
      last = products;
    }
    if (products === productCount && processedAt === 0)
      processedAt = performance.now();
    if (stitched === productCount && owningTeams === 100) break;
    if (performance.now() - started > 30 * 60_000) {
      throw new Error('cold ingest did not finish in 30 minutes');
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const doneAt = performance.now();
  if (process.stdout.isTTY) process.stdout.write('\n');
  await backend.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return { processedMs: processedAt - started, totalMs: doneAt - started };
}

async function main() {
  const productCount = argument('products', 10_000);
  if (
    !Number.isInteger(productCount) ||
    productCount < 100 ||
    productCount % 100
  ) {
    throw new Error(
      '--products must be a whole number of hundreds, at least 100',
    );
  }
  const entities = generateMesh(productCount);
  const products = entities.filter(e => e.kind === 'DataProduct');
  const cpus = os.cpus();
  console.log('Quanta catalog benchmark');
  console.log(
    `  machine: ${cpus.length} x ${cpus[0]?.model.trim()}, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, Node ${process.versions.node}, ${os.platform()} ${os.arch()}`,
  );
  console.log(
    `  data: ${products.length} data products, ${
      entities.length - products.length
    } groups and domains`,
  );

  const proc = await measureProcessor(products);
  console.log('(a) DataProductProcessor, warm, in-process');
  console.log(
    `  CPU per entity: ${((proc.cpuMs / products.length) * 1000).toFixed(
      1,
    )} µs (goal <= 1000 µs)`,
  );
  console.log(
    `  wall per entity: ${((proc.wallMs / products.length) * 1000).toFixed(
      1,
    )} µs`,
  );
  console.log(`  relations emitted: ${proc.relations}`);

  console.log('(b) Cold ingest into a new catalog on SQLite (file)');
  const ingest = await measureColdIngest(entities, products.length);
  console.log(
    `  all ${products.length} products in the catalog: ${(
      ingest.processedMs / 1000
    ).toFixed(1)} s`,
  );
  console.log(
    `  all processed and stitched with relations: ${(
      ingest.totalMs / 1000
    ).toFixed(1)} s`,
  );
  console.log(
    `  throughput: ${Math.round(
      products.length / (ingest.totalMs / 1000),
    )} products/s`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
