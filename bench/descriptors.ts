/*
 * Benchmark of hostile and very large DataProduct descriptors in the catalog
 * module: the worst case per entity, and the longest event-loop stall while
 * processing one.
 *
 *   yarn workspace @quanta/bench descriptors             # 5 rounds each
 *   yarn workspace @quanta/bench descriptors --rounds 20
 *
 * The descriptors are the largest cases of the hostile corpus of
 * @quanta/plugin-data-mesh-common/testUtils. Each goes through
 * DataProductProcessor as the catalog runs it
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
import { hostileDescriptors } from '@quanta/plugin-data-mesh-common/testUtils';
import { argument, jsonSize, machineLine, percentile } from './common';

const LIMIT = DEFAULT_MAX_DESCRIPTOR_SIZE;
/** No single descriptor up to the size limit may hold the event loop longer. */
const STALL_GOAL_MS = 1000;

/**
 * The cases measured, from the hostile corpus: the largest of each kind,
 * accepted ones as large as the limit lets them be, refused ones far over.
 */
const SELECTED = [
  'size/spec.outputPorts/up-to-the-limit',
  'size/spec.outputPorts/same-ports-up-to-the-limit',
  'size/spec/unknown-keys-up-to-the-limit',
  'size/spec.inputPorts/homoglyphs-up-to-the-limit',
  'size/spec.waivers/impossible-dates-up-to-the-limit',
  'size/metadata.deep/most-levels-with-text',
  'size/spec.outputPorts/just-over-the-limit',
  'size/metadata.annotations/1mb-anchor-100-aliases',
  'size/metadata.annotations/alias-bomb-8^12',
  'size/spec.inputPorts/a-million',
  'nesting/metadata.deep/100000-lists',
  'metadata/metadata/null',
];

type Case = {
  name: string;
  /** What the descriptor is, in bytes of JSON, or how it would be. */
  size: string;
  entity: Entity;
  expect: 'accepted' | 'refused';
};

function cases(): Case[] {
  const corpus = hostileDescriptors();
  return SELECTED.map(id => {
    const descriptor = corpus.find(c => c.id === id);
    if (!descriptor) throw new Error(`No case ${id} in the hostile corpus`);
    const entity = descriptor.entity() as Entity;
    return {
      name: `${descriptor.id}: ${descriptor.title}`.slice(0, 66),
      size: jsonSize(entity),
      entity,
      expect:
        descriptor.expected.outcome === 'refused' ? 'refused' : 'accepted',
    };
  });
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
