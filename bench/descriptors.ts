/*
 * Benchmark of hostile and very large DataProduct descriptors in the catalog
 * module: the worst case per entity, and the longest event-loop stall while
 * processing one.
 *
 *   yarn workspace @quanta/bench descriptors             # 5 rounds each
 *   yarn workspace @quanta/bench descriptors --rounds 20
 *
 * Each descriptor goes through DataProductProcessor as the catalog runs it
 * (preProcessEntity, then postProcessEntity: limits, validation, relations,
 * status items, log line), `--rounds` times after one warm-up round. The
 * accepted ones are as large as the default limit (512 KiB) lets them be;
 * the refused ones are over it by far. Reported: the slowest round (the
 * worst case), the median, and the longest event-loop delay that
 * perf_hooks.monitorEventLoopDelay saw while that descriptor was processed.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Entity } from '@backstage/catalog-model';
import { DataProductProcessor } from '@quanta/plugin-catalog-backend-module-data-mesh';
import {
  DEFAULT_MAX_DESCRIPTOR_SIZE,
  formatByteSize,
} from '@quanta/plugin-data-mesh-common';
import { argument, machineLine, percentile } from './common';

const LIMIT = DEFAULT_MAX_DESCRIPTOR_SIZE;
/** No single descriptor up to the size limit may hold the event loop longer. */
const STALL_GOAL_MS = 1000;

function base(name: string): any {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      domain: 'domain:default/sales',
      inputPorts: [{ name: 'orders-db', source: 'resource:default/orders-db' }],
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'parquet',
          address: `s3://lake/${name}/`,
        },
      ],
    },
  };
}

const bytesOf = (entity: unknown) =>
  Buffer.byteLength(JSON.stringify(entity) ?? '');

/** `110100480` -> `105.0 MiB` */
function human(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Adds items made by `make(i)` to a list of the entity while it stays within `limit` bytes. */
function fillTo(
  entity: any,
  list: (e: any) => unknown[],
  make: (i: number) => unknown,
  limit = LIMIT,
) {
  const target = list(entity);
  target.length = 0;
  let bytes = bytesOf(entity);
  for (let i = 0; ; i++) {
    const item = make(i);
    const size = bytesOf(item) + 1;
    if (bytes + size > limit) break;
    target.push(item);
    bytes += size;
  }
  return entity;
}

const realisticPort = (i: number) => ({
  name: `port-${i}`,
  description: `Orders of region ${i}, one row per order line, refreshed hourly from the order service.`,
  type: 'table',
  format: 'iceberg',
  address: `iceberg://lake/sales/orders_region_${i}`,
  contract: { location: `./contracts/orders-${i}.odcs.yaml`, version: '1.4.0' },
  schema: Array.from({ length: 12 }, (_, j) => ({
    name: `column_${j}_of_port_${i}`,
    type: j % 3 ? 'string' : 'decimal(18,2)',
    description:
      'What this column holds, in a sentence of about sixty characters.',
    pii: j === 1,
    classification: 'internal',
  })),
});

/** Lists the one below `width` times, `levels` deep: width^levels copies of one object. */
function aliasBomb(levels: number, width = 8) {
  let node: any = { text: 'x'.repeat(100) };
  for (let i = 0; i < levels; i++) node = new Array(width).fill(node);
  return node;
}

type Case = {
  name: string;
  /** What the descriptor is, in bytes of JSON, or how it would be. */
  size: string;
  entity: Entity;
  expect: 'accepted' | 'refused';
};

function cases(): Case[] {
  const list: Case[] = [];
  const add = (
    name: string,
    entity: any,
    expect: Case['expect'],
    size?: string,
  ) =>
    list.push({
      name,
      entity,
      expect,
      size: size ?? human(bytesOf(entity)),
    });

  add(
    'valid: ports with 12-field schemas, up to the limit',
    fillTo(base('realistic'), e => e.spec.outputPorts, realisticPort),
    'accepted',
  );
  add(
    'invalid: ports without a format, one name, up to the limit',
    fillTo(
      base('same-ports'),
      e => e.spec.outputPorts,
      () => ({ name: 'same', type: 'table', address: 's3://lake/same/' }),
    ),
    'accepted',
  );
  add(
    'invalid: unknown keys with control characters, up to the limit',
    (() => {
      const e = base('unknown-keys');
      let bytes = bytesOf(e);
      for (let i = 0; ; i++) {
        const key = `k${i}\n\u001b[31m`;
        // `"key":1,` as JSON
        bytes += Buffer.byteLength(JSON.stringify(key)) + 3;
        if (bytes > LIMIT) break;
        e.spec[key] = 1;
      }
      return e;
    })(),
    'accepted',
  );
  add(
    'invalid: input ports with homoglyph references, up to the limit',
    fillTo(
      base('homoglyphs'),
      e => e.spec.inputPorts,
      i => ({ name: `in-${i}`, source: `component:default/s\u0430les-${i}` }),
    ),
    'accepted',
  );
  add(
    'invalid: waivers ending on 30 February, up to the limit',
    fillTo(
      base('waivers'),
      e => (e.spec.waivers ??= []),
      i => ({ policy: `p${i}`, reason: 'r', expires: '2026-02-30' }),
    ),
    'accepted',
  );
  add(
    'valid: nested 32 levels deep (the most allowed)',
    (() => {
      const e = base('deep-allowed');
      let node: any = {};
      e.metadata.deep = node;
      for (let i = 3; i < 32; i++) {
        node.a = {};
        node.b = 'x'.repeat(1000);
        node = node.a;
      }
      return e;
    })(),
    'accepted',
  );
  add(
    'refused: ports just over the limit',
    fillTo(
      base('just-over'),
      e => e.spec.outputPorts,
      realisticPort,
      LIMIT + 20_000,
    ),
    'refused',
  );
  add(
    'refused: 1 MB anchor aliased 100 times (105 MB as JSON)',
    (() => {
      const e = base('aliased');
      const anchor = 'x'.repeat(1_050_000);
      e.metadata.annotations = {};
      for (let i = 0; i < 100; i++) e.metadata.annotations[`a${i}`] = anchor;
      return e;
    })(),
    'refused',
  );
  add(
    'refused: aliases of aliases, 8^12 copies',
    (() => {
      const e = base('alias-bomb');
      e.metadata.annotations = { a: aliasBomb(12) };
      return e;
    })(),
    'refused',
    human(8 ** 12 * bytesOf({ text: 'x'.repeat(100) })),
  );
  add(
    'refused: a million input ports (real objects)',
    (() => {
      const e = base('million-ports');
      e.spec.inputPorts = Array.from({ length: 1_000_000 }, (_, i) => ({
        name: `in-${i}`,
        source: `component:default/c${i}`,
      }));
      return e;
    })(),
    'refused',
  );
  add(
    'refused: nested 100,000 levels deep',
    (() => {
      const e = base('deep');
      let node: any = [];
      e.metadata.deep = node;
      for (let i = 0; i < 100_000; i++) {
        const child: any[] = [];
        node.push(child);
        node = child;
      }
      return e;
    })(),
    'refused',
    // JSON.stringify itself runs out of stack on it: two bytes a level.
    human(bytesOf(base('deep')) + 2 * 100_000),
  );
  add('refused: metadata null', { ...base('x'), metadata: null }, 'refused');
  return list;
}

/** A logger that keeps only the length of the longest warning. */
const quietLogger = () => {
  const logger: any = {
    longestLine: 0,
    child: () => logger,
    error: () => {},
    info: () => {},
    debug: () => {},
    warn: (message: string) => {
      logger.longestLine = Math.max(logger.longestLine, message.length);
    },
  };
  return logger;
};

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function measure(item: Case, rounds: number) {
  const logger = quietLogger();
  const processor = new DataProductProcessor({ logger: logger as any });
  const location = { type: 'file', target: '/bench/catalog-info.yaml' };
  let statusItems = 0;
  let refusal = '';
  const once = async () => {
    try {
      const pre = await processor.preProcessEntity(item.entity);
      const result: any = await processor.postProcessEntity(
        pre,
        location,
        () => {},
      );
      statusItems = result.status?.items?.length ?? 0;
      return 'accepted';
    } catch (error) {
      refusal = (error as Error).message;
      return 'refused';
    }
  };
  // Warm-up: JIT and first-use allocations.
  const outcome = await once();
  if (outcome !== item.expect) {
    throw new Error(
      `${item.name}: expected ${item.expect}, was ${outcome}${
        refusal ? `: ${refusal}` : ''
      }`,
    );
  }
  const times: number[] = [];
  const stalls: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await sleep(5);
    // Processing starts from a timer, as the catalog's processing loop
    // does; the delay monitor sees how long the loop was held.
    const elapsed = await new Promise<number>(resolve =>
      setImmediate(async () => {
        const start = performance.now();
        await once();
        resolve(performance.now() - start);
      }),
    );
    await sleep(5);
    delay.disable();
    times.push(elapsed);
    stalls.push(delay.max / 1e6);
  }
  return {
    worstMs: Math.max(...times),
    medianMs: percentile(times, 50),
    stallMs: Math.max(...stalls),
    statusItems,
    longestLogLine: logger.longestLine,
    refusal,
  };
}

async function main() {
  const rounds = argument('rounds', 5);
  console.log('Quanta hostile descriptor benchmark');
  console.log(machineLine());
  console.log(
    `  size limit: ${formatByteSize(
      LIMIT,
    )} (the default), ${rounds} rounds per descriptor after one warm-up round`,
  );
  console.log(
    '  descriptor                                                         | size (JSON)            | worst      | median     | longest stall | status items | log line',
  );
  let worstAccepted = 0;
  let worstStall = 0;
  for (const item of cases()) {
    const r = await measure(item, rounds);
    if (item.expect === 'accepted') {
      worstAccepted = Math.max(worstAccepted, r.worstMs);
      worstStall = Math.max(worstStall, r.stallMs);
    }
    console.log(
      `  ${item.name.padEnd(66)} | ${item.size.padEnd(
        22,
      )} | ${`${r.worstMs.toFixed(1)} ms`.padStart(
        10,
      )} | ${`${r.medianMs.toFixed(1)} ms`.padStart(
        10,
      )} | ${`${r.stallMs.toFixed(1)} ms`.padStart(13)} | ${String(
        item.expect === 'accepted' ? r.statusItems : 'refused',
      ).padStart(12)} | ${r.longestLogLine} chars`,
    );
  }
  console.log(
    `  worst accepted descriptor: ${worstAccepted.toFixed(
      1,
    )} ms; longest stall up to the size limit: ${worstStall.toFixed(
      1,
    )} ms (goal: none above ${STALL_GOAL_MS} ms): ${
      worstStall <= STALL_GOAL_MS ? 'met' : 'NOT met'
    }`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
