/*
 * One large catalog file through the module's file parser, as the catalog
 * reads it again at every processing of its location: a file of generated
 * products (as `replicas` registers), read three times.
 *
 *   yarn workspace @quanta/bench catalog-file [--products 10000]
 *
 * Prints, per read, the time to the last entity, the longest the event loop
 * waited for a turn meanwhile (a ticker of setImmediate: what a request
 * arriving then would wait), and the heap after. Nothing else runs in the
 * process.
 */
import { performance } from 'node:perf_hooks';
import { createCatalogFileParser } from '@quanta/plugin-catalog-backend-module-data-mesh';
import { stringify } from 'yaml';
import { argument, machineLine } from './common';
import { generateMesh } from './generateMesh';

async function readOnce(data: Buffer) {
  const parse = createCatalogFileParser();
  let last = performance.now();
  let longest = 0;
  let done = false;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  let entities = 0;
  let errors = 0;
  for await (const result of parse({
    data,
    location: { type: 'file', target: '/mesh/catalog-info.yaml' },
  })) {
    if (result.type === 'entity') entities++;
    else if (result.type === 'error') errors++;
  }
  const ms = performance.now() - start;
  done = true;
  return { ms, longest, entities, errors };
}

async function main() {
  const products = argument('products', 10_000);
  const data = Buffer.from(
    generateMesh(products)
      .map(entity => stringify(entity))
      .join('---\n'),
  );
  console.log(machineLine());
  console.log(
    `one file of ${products} generated data products and the teams and domains they name: ${(
      data.length /
      2 ** 20
    ).toFixed(1)} MiB`,
  );
  for (let run = 1; run <= 3; run++) {
    const { ms, longest, entities, errors } = await readOnce(data);
    console.log(
      `  read ${run}: ${entities} entities, ${errors} errors in ${Math.round(
        ms,
      )} ms; longest wait for a turn of the event loop ${Math.round(
        longest,
      )} ms; heap after ${Math.round(
        process.memoryUsage().heapUsed / 2 ** 20,
      )} MiB`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
