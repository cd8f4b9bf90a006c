/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectKept", "expectRefused"] }] */
/*
 * Hostile descriptors through the processor, as the catalog runs it
 * (preProcessEntity, then postProcessEntity), all on one processor
 * instance: each is either refused with an InputError naming the field
 * before anything else reads it, or kept with bounded, escaped status items
 * and at most one bounded log line; and a valid product processed right
 * after it comes out intact. No case depends on timing.
 */
import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import * as common from '@quanta/plugin-data-mesh-common';
import { DataProductProcessor } from './DataProductProcessor';

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
/** Characters that must never reach a status item or log line raw. */
const isRawUnsafe = (character: string) => {
  const c = character.codePointAt(0)!;
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x2060 && c <= 0x2069) ||
    c === 0xfeff
  );
};
const rawUnsafeIn = (text: string) => [...text].filter(isRawUnsafe);

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function product(name = 'orders'): any {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      owner: 'sales-data',
      productOwner: 'maria.silva',
      domain: 'sales',
      system: 'checkout',
      inputPorts: [
        { name: 'customers', dataProduct: 'customers', outputPort: 'table' },
        { name: 'orders-db', source: 'resource:default/orders-db' },
      ],
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'delta',
          address: `s3://lake/${name}/`,
          schema: [{ name: 'id', type: 'string', classification: 'internal' }],
        },
      ],
      waivers: [
        { policy: 'quanta.slos', reason: 'Pilot', expires: '2027-01-31' },
      ],
    },
  };
}

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

const expectedRelations = (name: string) =>
  [
    `dataproduct:default/${name} ownedBy group:default/sales-data`,
    `group:default/sales-data ownerOf dataproduct:default/${name}`,
    `dataproduct:default/${name} hasProductOwner user:default/maria.silva`,
    `user:default/maria.silva productOwnerOf dataproduct:default/${name}`,
    `dataproduct:default/${name} partOf domain:default/sales`,
    `domain:default/sales hasPart dataproduct:default/${name}`,
    `dataproduct:default/${name} partOf system:default/checkout`,
    `system:default/checkout hasPart dataproduct:default/${name}`,
    `dataproduct:default/${name} dependsOn dataproduct:default/customers`,
    `dataproduct:default/customers dependencyOf dataproduct:default/${name}`,
    `dataproduct:default/${name} dependsOn resource:default/orders-db`,
    `resource:default/orders-db dependencyOf dataproduct:default/${name}`,
  ].sort();

/** The valid neighbour, processed by the same instance after a hostile one. */
async function expectValidNeighbourIntact() {
  const outcome = await run(product('neighbour'));
  expect(outcome.refused).toBe(false);
  if (outcome.refused) return;
  expect(outcome.result.status).toBeUndefined();
  expect(outcome.logLines).toEqual([]);
  expect(outcome.relations.sort()).toEqual(expectedRelations('neighbour'));
  expect(outcome.result.metadata.annotations['quanta.dev/address']).toBe(
    'dataproduct://default/neighbour',
  );
}

/** Kept, with every problem a bounded, escaped status item, and one bounded log line. */
async function expectKept(entity: Entity, path: string) {
  const outcome = await run(entity);
  if (outcome.refused) throw outcome.error;
  const items: any[] = outcome.result.status?.items ?? [];
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThanOrEqual(MAX_STATUS_ITEMS);
  for (const item of items) {
    expect(item.type).toBe('backstage.io/catalog-processing');
    expect(item.error.name).toBe('InputError');
    expect(item.error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(rawUnsafeIn(item.message)).toEqual([]);
  }
  expect(items.some(i => i.error.message.startsWith(path))).toBe(true);
  expect(outcome.logLines).toHaveLength(1);
  expect(outcome.logLines[0].length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
  expect(rawUnsafeIn(outcome.logLines[0])).toEqual([]);
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
  expect(rawUnsafeIn(outcome.error.message)).toEqual([]);
  expect(outcome.relations).toEqual([]);
  expect(validate).not.toHaveBeenCalled();
  expect(refs).not.toHaveBeenCalled();
  // postProcessEntity refuses it too, for callers that skip the first step.
  await expect(
    processor.postProcessEntity(entity as Entity, location, () => {}),
  ).rejects.toMatchObject({ name: 'InputError' });
  await expectValidNeighbourIntact();
}

const mutated = (mutate: (e: any) => void) => {
  const entity = product();
  mutate(entity);
  return entity;
};

describe('DataProductProcessor and hostile descriptors: kept with errors', () => {
  const enumFields: Array<[string, (e: any, v: unknown) => void]> = [
    ['spec.type', (e, v) => (e.spec.type = v)],
    ['spec.lifecycle', (e, v) => (e.spec.lifecycle = v)],
    ['spec.classification', (e, v) => (e.spec.classification = v)],
    ['spec.outputPorts[0].type', (e, v) => (e.spec.outputPorts[0].type = v)],
    [
      'spec.outputPorts[0].schema[0].classification',
      (e, v) => (e.spec.outputPorts[0].schema[0].classification = v),
    ],
  ];
  const enumValues: Array<[string, unknown]> = [
    ['upper case', 'TABLE'],
    ['a Cyrillic letter', '\u0440roduction'],
    ['a forged log line', 'x\n[ERROR] forged line'],
    ['an escape sequence', '\u001b[31mred'],
    ['a bidi override', '\u202eelbat'],
    ['50,000 characters', 'x'.repeat(50_000)],
    ['a number', 7],
    ['null', null],
  ];
  it.each(
    enumFields.flatMap(([path, set]) =>
      enumValues.map(([name, value]) => [path, name, value, set] as const),
    ),
  )('%s = %s', async (path, _name, value, set) => {
    await expectKept(
      mutated(e => set(e, value)),
      path,
    );
  });

  const refFields: Array<
    [string, string, (e: any, v: string) => void, string]
  > = [
    ['spec.owner', 'group', (e, v) => (e.spec.owner = v), 'ownedBy'],
    [
      'spec.productOwner',
      'user',
      (e, v) => (e.spec.productOwner = v),
      'hasProductOwner',
    ],
    ['spec.domain', 'domain', (e, v) => (e.spec.domain = v), 'partOf domain'],
    ['spec.system', 'system', (e, v) => (e.spec.system = v), 'partOf system'],
    [
      'spec.inputPorts[0].dataProduct',
      'dataproduct',
      (e, v) => (e.spec.inputPorts[0].dataProduct = v),
      'dependsOn dataproduct',
    ],
    [
      'spec.inputPorts[1].source',
      'resource',
      (e, v) => (e.spec.inputPorts[1].source = v),
      'dependsOn resource',
    ],
  ];
  const refForms: Array<[string, (kind: string) => string]> = [
    ['a Cyrillic letter', k => `${k}:default/s\u0430les`],
    ['a zero width space', () => 'sales\u200b'],
    ['a zero width joiner', () => 'sa\u200dles'],
    ['a byte order mark', () => '\ufeffsales'],
    ['a bidi override', k => `${k}:default/\u202eselas`],
    ['a bidi isolate', () => 'sales\u2066'],
    ['an escape sequence', () => 'sales\u001b[2J'],
    ['a forged log line', () => 'sales\n[ERROR] forged'],
    ['a second slash', k => `${k}:default/a/b`],
    ['an e-mail address', () => 'jane.doe@example.com'],
    ['an underscore in the namespace', k => `${k}:my_ns/sales`],
    ['a name of 10,000 characters', k => `${k}:default/${'a'.repeat(10_000)}`],
  ];
  it.each(
    refFields.flatMap(([path, kind, set, relation]) =>
      refForms.map(
        ([name, form]) => [path, name, form(kind), set, relation] as const,
      ),
    ),
  )(
    '%s with %s: reported, and no relation made of it',
    async (path, _name, value, set, relation) => {
      const outcome = await expectKept(
        mutated(e => set(e, value)),
        path,
      );
      if (outcome.refused) return;
      expect(outcome.relations.filter(r => r.includes(relation))).toEqual([]);
      // The product's other relations are still there.
      expect(outcome.relations.length).toBe(10);
    },
  );

  it.each([
    '2026-02-30',
    '2026-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-04-31',
    '2026-01-00',
    '2026-06-30T24:00Z',
    '2026-06-30T23:60Z',
    '2026-06-30T23:59:60Z',
    '2026-06-30T12:00+25:00',
    'next week',
    '',
  ])('a waiver expiring %j', async expires => {
    await expectKept(
      mutated(e => (e.spec.waivers[0].expires = expires)),
      'spec.waivers[0].expires',
    );
  });

  it.each([10, 51, 1000, 12_000])('%i unknown keys in spec', async n => {
    const outcome = await expectKept(
      mutated(e => {
        for (let i = 0; i < n; i++) e.spec[`key${i}\r\n\u001b[1m`] = i;
      }),
      'spec["key0\\r\\n\\u{001B}[1m"]',
    );
    if (outcome.refused) return;
    expect(outcome.result.status.items).toHaveLength(
      Math.min(n, MAX_STATUS_ITEMS),
    );
  });

  it.each([10, 51, 1000, 8000])(
    '%i unknown keys in an output port',
    async n => {
      await expectKept(
        mutated(e => {
          for (let i = 0; i < n; i++) e.spec.outputPorts[0][`k${i}`] = i;
        }),
        'spec.outputPorts[0].k0',
      );
    },
  );

  it.each([
    '\n',
    '\r',
    '\u0000',
    '\u0007',
    '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
    '\u0085',
    '\u009b2J',
    '\u2028',
    '\u202e',
    '\u2067',
    '\u200b',
    '\ufeff',
    '\n2026-01-01T00:00:00Z [ERROR] catalog: forged\n',
    '"; DROP TABLE final_entities; --',
    '${jndi:ldap://x}',
  ])('a key holding %j', async text => {
    await expectKept(
      mutated(e => (e.spec[`a${text}`] = 1)),
      'spec["a',
    );
  });

  it.each([
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '__defineSetter__',
  ])('a key named %s, in spec and in a port', async key => {
    const parsed = JSON.parse(`{${JSON.stringify(key)}:{"polluted":true}}`);
    const entity = product();
    for (const target of [entity.spec, entity.spec.outputPorts[0]]) {
      Object.defineProperty(target, key, {
        value: parsed[key],
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    await expectKept(entity, `spec.${key}`);
    expect(({} as any).polluted).toBeUndefined();
  });

  it.each([100, 4000])(
    '%i output ports sharing a name, without a format',
    async n => {
      const outcome = await expectKept(
        mutated(e => {
          e.spec.outputPorts = Array.from({ length: n }, () => ({
            name: 'same',
            type: 'table',
            address: 's3://lake/same/',
          }));
        }),
        'spec.outputPorts[0].format',
      );
      if (outcome.refused) return;
      const last = outcome.result.status.items.at(-1).error.message;
      expect(last).toMatch(
        /^spec\.outputPorts: found and [\d,]+ more problems/,
      );
    },
  );

  it.each([
    [
      'a title with a bidi override',
      (e: any) => (e.metadata.title = 'Orders \u202etxt.exe'),
      'metadata.title',
    ],
    [
      'a title with a newline',
      (e: any) => (e.metadata.title = 'Orders\n[ERROR] x'),
      'metadata.title',
    ],
    [
      'an unknown apiVersion with controls',
      (e: any) => (e.apiVersion = 'quanta.dev/v1\u001b[2J'),
      'apiVersion',
    ],
    [
      'status items that are not a list',
      (e: any) => {
        e.status = { items: 5 };
        e.spec.type = 'raw';
      },
      'spec.type',
    ],
  ])('%s', async (_name, mutate, path) => {
    await expectKept(mutated(mutate), path);
  });
});

describe('DataProductProcessor and hostile descriptors: refused', () => {
  /** `levels` of nesting under metadata.deep, objects or lists. */
  const deep = (levels: number, lists = false) =>
    mutated(e => {
      let node: any = lists ? [] : {};
      e.metadata.deep = node;
      for (let i = 1; i < levels; i++) {
        const child: any = lists ? [] : {};
        if (lists) node.push(child);
        else node.a = child;
        node = child;
      }
    });
  /**
   * Aliases that refer to aliases, as a YAML file of a kilobyte can hold:
   * each level lists the one below eight times, so 12 levels stand for 8^12
   * (69 billion) copies of one object, all the same object in memory.
   */
  const aliasBomb = (levels: number) => {
    let node: any = { text: 'x'.repeat(100) };
    for (let i = 0; i < levels; i++) node = new Array(8).fill(node);
    return node;
  };

  it.each([
    ['metadata null', mutated(e => (e.metadata = null)), 'metadata'],
    ['metadata missing', mutated(e => delete e.metadata), 'metadata'],
    ['metadata a list', mutated(e => (e.metadata = [])), 'metadata'],
    ['metadata a string', mutated(e => (e.metadata = 'orders')), 'metadata'],
    ['metadata a number', mutated(e => (e.metadata = 7)), 'metadata'],
    ['no name', mutated(e => delete e.metadata.name), 'metadata.name'],
    [
      'a name that is a number',
      mutated(e => (e.metadata.name = 7)),
      'metadata.name',
    ],
    [
      'a name with a zero width space',
      mutated(e => (e.metadata.name = 'ord\u200bers')),
      'metadata.name',
    ],
    [
      'a name with a Cyrillic letter',
      mutated(e => (e.metadata.name = '\u043erders')),
      'metadata.name',
    ],
    [
      'a name with a newline',
      mutated(e => (e.metadata.name = 'orders\n[ERROR] x')),
      'metadata.name',
    ],
    [
      'a name of 100,000 characters',
      mutated(e => (e.metadata.name = 'a'.repeat(100_000))),
      'metadata.name',
    ],
    [
      'the name __proto__',
      mutated(e => (e.metadata.name = '__proto__')),
      'metadata.name',
    ],
    [
      'a namespace in upper case',
      mutated(e => (e.metadata.namespace = 'Default')),
      'metadata.namespace',
    ],
    [
      'a namespace with a bidi control',
      mutated(e => (e.metadata.namespace = 'de\u202efault')),
      'metadata.namespace',
    ],
    [
      'annotations that are a string',
      mutated(e => (e.metadata.annotations = 'x')),
      'metadata.annotations',
    ],
    [
      'annotations that are a list',
      mutated(e => (e.metadata.annotations = ['x'])),
      'metadata.annotations',
    ],
    ['33 levels of objects', deep(31), 'metadata.deep'],
    ['1,000 levels of objects', deep(1000), 'metadata.deep'],
    ['100,000 levels of objects', deep(100_000), 'metadata.deep'],
    ['1,000 levels of lists', deep(1000, true), 'metadata.deep'],
    [
      'a cycle through metadata',
      mutated(e => (e.metadata.self = e.metadata)),
      'metadata.self',
    ],
    [
      'a cycle through the descriptor',
      mutated(e => (e.spec.slos = e)),
      'spec.slos',
    ],
    [
      'deep lists in a port',
      mutated(e => {
        let node: any = [];
        e.spec.outputPorts[0].description = node;
        for (let i = 0; i < 40; i++) {
          const child: any = [];
          node.push(child);
          node = child;
        }
      }),
      'spec.outputPorts[0].description',
    ],
    [
      'an alias bomb in annotations (8^12 copies)',
      mutated(e => (e.metadata.annotations = { a: aliasBomb(12) as any })),
      'metadata.annotations.a',
    ],
    [
      'an alias bomb as output ports (8^10 copies)',
      mutated(e => (e.spec.outputPorts = aliasBomb(10))),
      'spec.outputPorts',
    ],
    [
      'a 1 MB description',
      mutated(e => (e.spec.outputPorts[0].description = 'x'.repeat(1_000_000))),
      'spec.outputPorts[0].description',
    ],
    [
      'a million input ports',
      mutated(
        e => (e.spec.inputPorts = new Array(1_000_000).fill({ name: 'x' })),
      ),
      'spec.inputPorts',
    ],
    [
      '600 KB of unknown keys',
      mutated(e => {
        for (let i = 0; i < 60_000; i++) e.spec[`unknown-key-${i}`] = 1;
      }),
      'spec',
    ],
  ])('%s', async (_name, entity, path) => {
    await expectRefused(entity, path);
  });

  it('says which limit a too large descriptor passed, and where to change it', async () => {
    const outcome = await run(
      mutated(e => (e.metadata.annotations = { a: aliasBomb(12) })),
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

  it('leaves other kinds alone, however large', async () => {
    const component: any = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'big', annotations: { a: aliasBomb(12) } },
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
