/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectKept", "expectRefused", "expectIgnoredOrClean"] }] */
/*
 * The hostile corpus of @quanta/plugin-data-mesh-common/testUtils through
 * the processor, as the catalog runs it (preProcessEntity, then
 * postProcessEntity), all on one processor instance: each case is either
 * refused with an InputError naming the field before anything else reads
 * it, or kept with bounded, escaped status items naming each expected field
 * and at most one bounded log line, or (valid) kept as it is; and a valid
 * product processed right after it comes out intact. No case depends on
 * timing.
 */
import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import * as common from '@quanta/plugin-data-mesh-common';
import {
  type HostileDescriptor,
  hostileBaseProduct,
  hostileBaseRelations,
  hostileDescriptors,
  rawUnsafeCharactersIn,
} from '@quanta/plugin-data-mesh-common/testUtils';
import { DataProductProcessor } from './DataProductProcessor';
import { ANNOTATION_REFUSED_BY_READER } from '../parser/boundedYaml';

jest.mock('@quanta/plugin-data-mesh-common', () => {
  const actual = jest.requireActual('@quanta/plugin-data-mesh-common');
  return {
    ...actual,
    validateDataProduct: jest.fn(actual.validateDataProduct),
    parseDataProductRefs: jest.fn(actual.parseDataProductRefs),
  };
});

const MAX_STATUS_ITEMS = common.MAX_REPORTED_PROBLEMS + 1;
const MAX_MESSAGE_LENGTH = 1100;
const MAX_LOG_LINE_LENGTH = 2000;

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

const product = (name = 'orders') => hostileBaseProduct(name);
const corpus = hostileDescriptors();
const byId = (id: string) => {
  const found = corpus.find(c => c.id === id);
  if (!found) throw new Error(`No case ${id} in the hostile corpus`);
  return found;
};

const mutated = (mutate: (e: any) => void) => {
  const entity = product();
  mutate(entity);
  return entity;
};

const logger = mockServices.logger.mock();
const processor = new DataProductProcessor({ logger });

type Outcome =
  | { refused: true; error: Error; relations: string[] }
  | {
      refused: false;
      result: any;
      relations: string[];
      logLines: string[];
    };

/** Runs an entity through the processor the way the catalog does. */
async function run(entity: Entity): Promise<Outcome> {
  const emitted: CatalogProcessorResult[] = [];
  logger.warn.mockClear();
  const relations = () =>
    emitted.flatMap(r =>
      r.type === 'relation'
        ? [
            `${r.relation.source.kind}:${r.relation.source.namespace}/${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.namespace}/${r.relation.target.name}`,
          ]
        : [],
    );
  try {
    const pre = await processor.preProcessEntity(entity);
    const result = await processor.postProcessEntity(pre, location, r =>
      emitted.push(r),
    );
    return {
      refused: false,
      result,
      relations: relations(),
      logLines: logger.warn.mock.calls.map(call => String(call[0])),
    };
  } catch (error) {
    return { refused: true, error: error as Error, relations: relations() };
  }
}

/** The valid neighbour, processed by the same instance after a hostile one. */
async function expectValidNeighbourIntact() {
  const outcome = await run(product('neighbour'));
  expect(outcome.refused).toBe(false);
  if (outcome.refused) return;
  expect(outcome.result.status).toBeUndefined();
  expect(outcome.logLines).toEqual([]);
  expect(outcome.relations.sort()).toEqual(hostileBaseRelations('neighbour'));
  expect(outcome.result.metadata.annotations['quanta.dev/address']).toBe(
    'dataproduct://default/neighbour',
  );
}

/** Kept, with every problem a bounded, escaped status item, one naming each path, and one bounded log line. */
async function expectKept(entity: Entity, paths: string[]) {
  const outcome = await run(entity);
  if (outcome.refused) throw outcome.error;
  const items: any[] = outcome.result.status?.items ?? [];
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThanOrEqual(MAX_STATUS_ITEMS);
  for (const item of items) {
    expect(item.type).toBe('backstage.io/catalog-processing');
    expect(item.error.name).toBe('InputError');
    expect(item.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(rawUnsafeCharactersIn(item.message)).toEqual([]);
  }
  for (const path of paths) {
    expect({
      path,
      named: items.some(i => i.error.message.startsWith(path)),
    }).toEqual({ path, named: true });
  }
  expect(outcome.logLines).toHaveLength(1);
  expect(outcome.logLines[0].length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
  expect(rawUnsafeCharactersIn(outcome.logLines[0])).toEqual([]);
  await expectValidNeighbourIntact();
  return outcome;
}

/** Refused before anything else reads it: no validation, no relations. */
async function expectRefused(entity: unknown, path: string) {
  const validate = common.validateDataProduct as jest.Mock;
  const refs = common.parseDataProductRefs as jest.Mock;
  validate.mockClear();
  refs.mockClear();
  const outcome = await run(entity as Entity);
  expect(outcome.refused).toBe(true);
  if (!outcome.refused) return;
  expect(outcome.error.name).toBe('InputError');
  expect(outcome.error.message).toContain(`nothing of it was read: ${path}`);
  expect(outcome.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  expect(rawUnsafeCharactersIn(outcome.error.message)).toEqual([]);
  expect(outcome.relations).toEqual([]);
  expect(validate).not.toHaveBeenCalled();
  expect(refs).not.toHaveBeenCalled();
  // postProcessEntity refuses it too, for callers that skip the first step.
  await expect(
    processor.postProcessEntity(entity as Entity, location, () => {}),
  ).rejects.toMatchObject({ name: 'InputError' });
  await expectValidNeighbourIntact();
}

/** Kept as it is: a valid product with no status and no log line, or another kind left alone. */
async function expectIgnoredOrClean(entity: Entity) {
  const outcome = await run(entity);
  if (outcome.refused) throw outcome.error;
  expect(outcome.result.status).toBeUndefined();
  expect(outcome.logLines).toEqual([]);
  if (entity.kind === 'DataProduct') {
    expect(outcome.relations.length).toBeGreaterThan(0);
  } else {
    expect(outcome.result).toBe(entity);
    expect(outcome.relations).toEqual([]);
  }
  await expectValidNeighbourIntact();
}

/** The relation each reference field makes, by what the test sees of it. */
const RELATION_OF_FIELD: Record<string, string> = {
  'spec.owner': 'ownedBy',
  'spec.productOwner': 'hasProductOwner',
  'spec.domain': 'partOf domain',
  'spec.system': 'partOf system',
  'spec.inputPorts[0].source': 'dependsOn component',
  'spec.inputPorts[1].dataProduct': 'dependsOn dataproduct',
};

describe('DataProductProcessor and the hostile corpus', () => {
  it.each(corpus.map(c => [c.id, c] as const))('%s', async (_id, c) => {
    const entity = c.entity() as Entity;
    const expected = c.expected;
    if (expected.outcome === 'refused') {
      await expectRefused(entity, expected.path);
    } else if (expected.outcome === 'accepted') {
      await expectIgnoredOrClean(entity);
    } else {
      const outcome = await expectKept(entity, expected.paths);
      if (outcome.refused) return;
      groupRules(c, outcome);
    }
    expect(({} as any).polluted).toBeUndefined();
  });
});

/** What each group promises beyond its expected paths. */
function groupRules(
  c: HostileDescriptor,
  outcome: Extract<Outcome, { refused: false }>,
) {
  const items: any[] = outcome.result.status.items;
  if (c.group === 'reference') {
    // No relation made of the broken reference; the product's other
    // relations are still there.
    const relation = RELATION_OF_FIELD[c.at!];
    expect(outcome.relations.filter(r => r.includes(relation))).toEqual([]);
    expect(outcome.relations.length).toBe(10);
  }
  if (c.group === 'unknown-keys') {
    expect(items).toHaveLength(Math.min(c.count!, MAX_STATUS_ITEMS));
  }
  if (
    c.id === 'ports/spec.outputPorts/100-same' ||
    c.id === 'ports/spec.outputPorts/4000-same'
  ) {
    expect(items.at(-1).error.message).toMatch(
      /^spec\.outputPorts: found and [\d,]+ more problems/,
    );
  }
}

describe('DataProductProcessor and hostile descriptors: refusals', () => {
  const aliasBomb = () =>
    (byId('size/metadata.annotations/alias-bomb-8^12').entity() as any).metadata
      .annotations.a;
  const deep = (levels: number) =>
    byId(`nesting/metadata.deep/${levels}-objects`).entity() as Entity;
  it('says which limit a too large descriptor passed, and where to change it', async () => {
    const outcome = await run(
      mutated(e => (e.metadata.annotations = { a: aliasBomb() })),
    );
    expect(outcome.refused && outcome.error.message).toMatch(
      /^DataProduct refused, nothing of it was read: metadata\.annotations\.a(\[\d\])+(\.text)?: found a descriptor larger than 512 KiB as JSON, the limit being passed here, expected a descriptor of at most 512 KiB: .* \(the limit is dataMesh\.catalog\.maxDescriptorSize\)$/,
    );
  });

  it.each([
    [
      'Returns Forecast',
      'metadata.name: found "Returns Forecast", which has a space at character 8',
    ],
    [
      'ord\u200bers',
      'metadata.name: found "ord\\u{200B}ers", which has U+200B ZERO WIDTH SPACE at character 4',
    ],
    [
      '\u043erders',
      'metadata.name: found "\u043erders", which has U+043E (a Cyrillic letter) at character 1',
    ],
  ])(
    'names the character that makes the name %j one the catalog refuses',
    async (name, message) => {
      const outcome = await run(mutated(e => (e.metadata.name = name)));
      expect(outcome.refused && outcome.error.message).toContain(message);
    },
  );

  it('refuses what nests too deep with the path where it got too deep', async () => {
    const outcome = await run(deep(1000));
    expect(outcome.refused && outcome.error.message).toContain(
      `metadata.deep${'.a'.repeat(
        30,
      )}: found lists and objects nested more than 32 levels deep`,
    );
  });

  it('takes its size limit from the options', async () => {
    const small = new DataProductProcessor({ maxDescriptorSize: 2 * 1024 });
    const entity = mutated(
      e => (e.spec.outputPorts[0].description = 'x'.repeat(3000)),
    );
    await expect(small.preProcessEntity(entity)).rejects.toThrow(
      'found a descriptor larger than 2 KiB as JSON',
    );
    await expect(processor.preProcessEntity(entity)).resolves.toBe(entity);
  });

  it("raises the refusal the module's file parser left on a stand-in, escaped and bounded", async () => {
    const standIn = (refusal: string): any => ({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'orders',
        annotations: { [ANNOTATION_REFUSED_BY_READER]: refusal },
      },
    });
    const message =
      'DataProduct refused, nothing of it was read: spec.slos: found the alias *p at line 3, column 9, which repeats &p, a node that holds it: a cycle';
    const outcome = await run(standIn(message));
    expect(outcome.refused && outcome.error.message).toBe(message);
    expect(outcome.relations).toEqual([]);

    // Written by a descriptor itself, it refuses only that descriptor, and
    // cannot forge a log line or run on without end.
    const forged = await run(
      standIn(`x\n[ERROR] forged \u001b[31m${'y'.repeat(5000)}`),
    );
    const text = forged.refused ? forged.error.message : '';
    expect(rawUnsafeCharactersIn(text)).toEqual([]);
    expect(text.startsWith('x\\n[ERROR] forged \\u{001B}[31m')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(2001);
  });

  it.each([
    [
      'U+0000 in a value',
      (e: any) => (e.spec.outputPorts[0].description = 'a\u0000b'),
      'DataProduct refused, nothing of it was read: spec.outputPorts[0].description: found "a\\u{0000}b", which has U+0000 NULL at character 2',
    ],
    [
      'field names differing only in case',
      (e: any) => (e.spec.Owner = 'group:default/sales-data'),
      'DataProduct refused, nothing of it was read: spec.Owner: found a field that differs from "spec.owner" only in letter case',
    ],
  ])(
    'refuses what the catalog cannot store or index: %s',
    async (_title, mutate, message) => {
      const outcome = await run(mutated(mutate));
      expect(outcome.refused && outcome.error.message).toContain(message);
    },
  );

  it('leaves other kinds alone, however large', async () => {
    const component: any = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'big', annotations: { a: aliasBomb() } },
      spec: {},
    };
    await expect(processor.preProcessEntity(component)).resolves.toBe(
      component,
    );
    await expect(
      processor.postProcessEntity(component, location, () => {}),
    ).resolves.toBe(component);
  });
});

describe('DataProductProcessor.fromConfig', () => {
  const config = (maxDescriptorSize?: unknown) =>
    mockServices.rootConfig({
      data:
        maxDescriptorSize === undefined
          ? {}
          : { dataMesh: { catalog: { maxDescriptorSize } } },
    });
  const limitOf = async (value?: unknown) => {
    const p = DataProductProcessor.fromConfig(config(value));
    for (const bytes of [1, 2, 4, 8, 16, 64, 256, 512, 1024, 2048]) {
      const entity = mutated(
        e => (e.spec.outputPorts[0].description = 'x'.repeat(bytes * 1024)),
      );
      try {
        await p.preProcessEntity(entity);
      } catch {
        return bytes;
      }
    }
    return Infinity;
  };

  it.each([
    [undefined, 512],
    ['64kb', 64],
    ['64 KiB', 64],
    ['1mb', 1024],
    [8192, 8],
  ])(
    'reads %j as a limit the first descriptor of %i KiB passes',
    async (value, kib) => {
      expect(await limitOf(value)).toBe(kib);
    },
  );

  it.each(['big', '-1kb', '10 parsecs', 0, -5, 1.5, true, '1e3'])(
    'refuses %j with a message naming the key',
    value => {
      expect(() => DataProductProcessor.fromConfig(config(value))).toThrow(
        /^Invalid dataMesh\.catalog\.maxDescriptorSize: found .*, expected a positive number of bytes or a size such as '512kb' or '1mb'$/,
      );
    },
  );
});
