/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectOutcome", "expectGroupRule"] }] */
/*
 * The hostile corpus (../testUtils) through the validator: every enum field
 * with wrong values, every reference field with each form that can never
 * resolve, impossible waiver dates, thousands of unknown keys, deep nesting
 * and reference cycles, huge port counts, control characters in keys and
 * values, and keys that name the prototype. Each case checks that
 * validation does not throw, names the field, and answers within bounds,
 * then what its group's rule promises; work is bounded by counting, never
 * by timing.
 */
import {
  formatProblem,
  parseDataProductRefs,
  validateDataProduct,
  validateWaiver,
  MAX_REPORTED_PROBLEMS,
  type DataProductProblem,
} from './validator';
import {
  checkDescriptorLimits,
  DEFAULT_MAX_DESCRIPTOR_DEPTH,
  DEFAULT_MAX_DESCRIPTOR_SIZE,
} from './limits';
import { parseIsoDate } from '../shared/dates';
import { parseIsoDuration } from '../shared/duration';
import {
  type HostileDescriptor,
  hostileBaseProduct,
  hostileDescriptors,
  rawUnsafeCharactersIn,
} from '../testUtils';

/** The longest sentence one problem may make. */
const MAX_MESSAGE_LENGTH = 1000;

const validProduct = () => hostileBaseProduct();
const corpus = hostileDescriptors();
const byId = (id: string) => {
  const found = corpus.find(c => c.id === id);
  if (!found) throw new Error(`No case ${id} in the hostile corpus`);
  return found;
};

/** Problems within every bound, none echoing a raw control character. */
function expectBounded(problems: DataProductProblem[]) {
  expect(problems.length).toBeLessThanOrEqual(MAX_REPORTED_PROBLEMS + 1);
  for (const problem of problems) {
    const message = formatProblem(problem);
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(rawUnsafeCharactersIn(message)).toEqual([]);
  }
}

/** Validates an entity; asserts bounds and that a valid one still passes. */
function validate(entity: unknown, options = {}) {
  let problems: DataProductProblem[] = [];
  expect(() => {
    problems = validateDataProduct(entity, options);
  }).not.toThrow();
  expectBounded(problems);
  expect(validateDataProduct(validProduct())).toEqual([]);
  return problems;
}

/** Validates a mutated valid product. */
function check(mutate: (entity: any) => void, options = {}) {
  const entity = validProduct();
  mutate(entity);
  return validate(entity, options);
}

const at = (problems: DataProductProblem[], path: string) =>
  problems.filter(p => p.path === path);

/**
 * Counts calls of common built-in methods while `fn` runs: a measure of
 * work that does not depend on the machine. A rule that compares every
 * problem with every other shows here as a count growing with the square.
 */
function countWork(fn: () => void): number {
  const targets: Array<[any, string]> = [
    [String.prototype, 'startsWith'],
    [String.prototype, 'slice'],
    [String.prototype, 'indexOf'],
    [String.prototype, 'includes'],
    [String.prototype, 'replace'],
    [String.prototype, 'split'],
    [Array.prototype, 'some'],
    [Array.prototype, 'every'],
    [Array.prototype, 'find'],
    [Array.prototype, 'filter'],
    [Array.prototype, 'includes'],
    [Array.prototype, 'indexOf'],
    [Array.prototype, 'map'],
    [Array.prototype, 'forEach'],
    [Array.prototype, 'push'],
    [Set.prototype, 'has'],
    [Map.prototype, 'get'],
    [RegExp.prototype, 'test'],
    [RegExp.prototype, 'exec'],
  ];
  let calls = 0;
  const originals = targets.map(([proto, name]) => proto[name]);
  targets.forEach(([proto, name], i) => {
    const original = originals[i];
    proto[name] = function counted(this: unknown, ...args: unknown[]) {
      calls++;
      return original.apply(this, args);
    };
  });
  try {
    fn();
  } finally {
    targets.forEach(([proto, name], i) => {
      proto[name] = originals[i];
    });
  }
  return calls;
}

function ruleEnum(c: HostileDescriptor, problems: DataProductProblem[]) {
  const here = at(problems, c.at!);
  expect(here.length).toBeGreaterThanOrEqual(1);
  expect(here[0].expected).toMatch(
    /^one of |classification|data product type|lifecycle|port type/,
  );
  const text = typeof c.value === 'string' ? c.value : '';
  expect(here[0].found.endsWith('…"')).toBe(text.length > 200);
  expect(here[0].found.includes('U+200B ZERO WIDTH SPACE')).toBe(
    text.includes('\u200b'),
  );
}

function ruleReference(c: HostileDescriptor, problems: DataProductProblem[]) {
  const here = at(problems, c.at!);
  expect(here).toHaveLength(1);
  expect(here[0].found).toContain(c.found);
  expect(here[0].expected).toMatch(/entity reference/);
  // And no relation could be made of it.
  const { refs } = parseDataProductRefs(c.entity() as any);
  const parsed: Record<string, unknown> = {
    'spec.owner': refs.owner,
    'spec.productOwner': refs.productOwner,
    'spec.domain': refs.domain,
    'spec.system': refs.system,
    'spec.inputPorts[0].source': refs.inputPorts[0].source,
    'spec.inputPorts[1].dataProduct': refs.inputPorts[1].dataProduct,
  };
  expect(c.at! in parsed).toBe(true);
  expect(parsed[c.at!]).toBeUndefined();
}

function ruleReferenceName(
  _c: HostileDescriptor,
  _problems: DataProductProblem[],
) {
  expect(({} as any).polluted).toBeUndefined();
}

function ruleMetadata(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (!c.found) return;
  const here = at(problems, c.at!);
  expect(here).toHaveLength(1);
  expect(here[0].found).toContain(c.found);
}

function ruleWaiverDate(c: HostileDescriptor, problems: DataProductProblem[]) {
  const here = at(problems, 'spec.waivers[0].expires');
  expect(here).toHaveLength(1);
  expect(here[0].found).toContain(c.found);
  const waiver = { ...validProduct().spec.waivers[0], expires: c.value };
  expect(validateWaiver(waiver, 'spec.waivers[0]')).toEqual(here);
  expect(parseIsoDate(c.value as string)).toBeUndefined();
}

function ruleWaiver(c: HostileDescriptor, problems: DataProductProblem[]) {
  const inWaiver = problems.filter(p => p.path.startsWith('spec.waivers[0]'));
  expect(inWaiver.length).toBeGreaterThan(0);
  expect(validateWaiver(c.value, 'spec.waivers[0]')).toEqual(inWaiver);
}

function ruleUnknownKeys(c: HostileDescriptor, problems: DataProductProblem[]) {
  const n = c.count!;
  const unknown = problems.filter(p => p.found.startsWith('an unknown field'));
  expect(unknown).toHaveLength(Math.min(n, MAX_REPORTED_PROBLEMS));
  const [first] =
    c.expected.outcome === 'accepted-with-errors' ? c.expected.paths : [];
  expect(unknown[0].path).toBe(first);
  if (n <= MAX_REPORTED_PROBLEMS) {
    expect(problems.some(p => p.found.includes('more problem'))).toBe(false);
    return;
  }
  const summary = problems[problems.length - 1];
  expect(summary.found).toContain(
    `and ${(n - MAX_REPORTED_PROBLEMS).toLocaleString('en-US')} more problem`,
  );
  expect(summary.found).toContain('unknown field');
  // The field holding them all, or the one left when only one is.
  if (first.endsWith('.extra0')) {
    expect(summary.path).toBe(n === 51 ? `${c.at}.extra50` : c.at);
  }
}

/** A NUL is refused, the catalog's database being unable to hold it. */
function expectNulRefused(problems: DataProductProblem[]) {
  expect(problems).toHaveLength(1);
  expect(problems[0].found).toContain('which has U+0000 NULL at character');
  expect(problems[0].expected).toMatch(/^text without U\+0000 NULL/);
}

function ruleKeyText(c: HostileDescriptor, problems: DataProductProblem[]) {
  expect(problems).toHaveLength(1);
  if (c.expected.outcome === 'refused') {
    expectNulRefused(problems);
    expect(problems[0].found).toBe(
      'a field named "a\\u{0000}b", which has U+0000 NULL at character 2',
    );
  } else {
    expect(problems[0].found).toMatch(/^an unknown field "a.*b"$/);
  }
  // Cut short with "…" when escaping makes it long.
  expect(problems[0].path).toMatch(/^spec\["a.*(b|…)"\]$/);
}

function ruleValueText(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.expected.outcome === 'refused') expectNulRefused(problems);
  const [problem] = at(problems, 'spec.outputPorts[0].format');
  expect(problem.found).toMatch(/^"csv.*"/);
}

function rulePrototypeKeys(
  c: HostileDescriptor,
  problems: DataProductProblem[],
) {
  expect(at(problems, `${c.at}.${c.value}`)).toEqual([
    expect.objectContaining({ found: `an unknown field "${c.value}"` }),
  ]);
  expect(({} as any).polluted).toBeUndefined();
}

function ruleNesting(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.expected.outcome !== 'refused') return;
  expect(problems).toHaveLength(1);
  expect(problems[0].found).toBe(
    `lists and objects nested more than ${DEFAULT_MAX_DESCRIPTOR_DEPTH} levels deep`,
  );
  // Under metadata, the path where it got too deep, exactly.
  if (c.at === 'metadata.deep') {
    expect(problems[0].path).toBe(c.expected.path);
  }
}

function ruleSize(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.expected.outcome !== 'refused') return;
  expect(problems).toHaveLength(1);
  expect(problems[0].found).toBe(
    'a descriptor larger than 512 KiB as JSON, the limit being passed here',
  );
}

function rulePorts(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.id === 'ports/spec/repeated-at-own-index') {
    expect(problems.map(p => p.path).sort()).toEqual(
      c.expected.outcome === 'accepted-with-errors'
        ? [...c.expected.paths].sort()
        : [],
    );
    expect(at(problems, 'spec.outputPorts[2].address')[0].found).toBe(
      '"iceberg://lake/sales/ports-3", already used by spec.outputPorts[0]',
    );
  }
}

function ruleStorage(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.id.endsWith('/300-characters')) {
    // The catalog's own rule for namespaces says it first.
    expect(at(problems, c.at!)[0].found).toContain('300 characters long');
    return;
  }
  expect(problems).toHaveLength(1);
  if (c.id.endsWith('/case-variant')) {
    expect(problems[0].found).toMatch(
      /^a field that differs from ".+" only in letter case$/,
    );
    expect(problems[0].expected).toContain("the catalog's search index");
  } else if (c.id.endsWith('/nul')) {
    expectNulRefused(problems);
  }
}

function ruleSlos(c: HostileDescriptor, problems: DataProductProblem[]) {
  if (c.class !== 'duration' || parseIsoDuration(c.value) === undefined) return;
  // Durations the pattern takes, but too long to compute with.
  if (c.expected.outcome === 'accepted') return;
  expect(at(problems, c.at!)).toEqual([
    {
      path: c.at,
      found: `${JSON.stringify(c.value).slice(0, 101)}${
        String(c.value).length > 100 ? '…"' : ''
      }, which is longer than 10,000 years`,
      expected:
        'an ISO-8601 duration of at most 10,000 years (P10000Y), such as PT1H, P1D or P2Y',
    },
  ]);
}

/** The rule of each group, beyond what every case's expectation says. */
const GROUP_RULES: Partial<
  Record<
    HostileDescriptor['group'],
    (c: HostileDescriptor, problems: DataProductProblem[]) => void
  >
> = {
  enum: ruleEnum,
  reference: ruleReference,
  'reference-name': ruleReferenceName,
  metadata: ruleMetadata,
  'waiver-date': ruleWaiverDate,
  waiver: ruleWaiver,
  'unknown-keys': ruleUnknownKeys,
  'key-text': ruleKeyText,
  'value-text': ruleValueText,
  'prototype-keys': rulePrototypeKeys,
  nesting: ruleNesting,
  size: ruleSize,
  ports: rulePorts,
  storage: ruleStorage,
  slos: ruleSlos,
};

/** Problems that name each path the case expects, or none for a valid one. */
function expectOutcome(c: HostileDescriptor, problems: DataProductProblem[]) {
  const expected = c.expected;
  if (expected.outcome === 'accepted') {
    expect(problems).toEqual([]);
  } else {
    const paths =
      expected.outcome === 'refused' ? [expected.path] : expected.paths;
    for (const path of paths) {
      expect({
        path,
        named: problems.some(p => p.path.startsWith(path)),
      }).toEqual({ path, named: true });
    }
  }
  if (c.found) {
    expect(problems.some(p => p.found.includes(c.found!))).toBe(true);
  }
}

/** Checks the rule of the case's group. */
function expectGroupRule(c: HostileDescriptor, problems: DataProductProblem[]) {
  GROUP_RULES[c.group]?.(c, problems);
}

describe('hostile descriptors: the corpus', () => {
  it('holds several hundred cases, each with a unique id and name', () => {
    expect(corpus.length).toBeGreaterThan(500);
    expect(new Set(corpus.map(c => c.id)).size).toBe(corpus.length);
    const names = corpus.flatMap(c => (c.name ? [c.name] : []));
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(corpus.filter(c => !c.processorOnly).map(c => [c.id, c] as const))(
    '%s',
    (_id, c) => {
      const problems = validate(c.entity());
      expectOutcome(c, problems);
      expectGroupRule(c, problems);
    },
  );
});

describe('hostile descriptors: references', () => {
  it.each(
    corpus
      .filter(c => c.group === 'reference' && c.id.endsWith('/cyrillic-a'))
      .map(c => [c.at!, c] as const),
  )('%s states the catalog rules it holds references to', (path, c) => {
    const [problem] = at(validate(c.entity()), path);
    expect(problem.expected).toContain(
      "the catalog's rules for entity kinds, namespaces and names",
    );
  });

  it.each([
    [
      'group:Default/sales-data',
      { kind: 'group', namespace: 'Default', name: 'sales-data' },
    ],
    [
      'Group:default/Sales_Data.v2',
      { kind: 'group', namespace: 'default', name: 'Sales_Data.v2' },
    ],
    [
      `group:default/${'a'.repeat(63)}`,
      { kind: 'group', namespace: 'default', name: 'a'.repeat(63) },
    ],
  ])('still accepts %s, which the catalog resolves', (value, ref) => {
    const entity = validProduct();
    entity.spec.owner = value;
    expect(validateDataProduct(entity)).toEqual([]);
    expect(parseDataProductRefs(entity).refs.owner).toEqual(ref);
  });
});

describe('hostile descriptors: waiver dates', () => {
  it.each([
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    ['2026-06-30T23:59:59.999Z', Date.UTC(2026, 5, 30, 23, 59, 59, 999)],
    ['2026-06-30T12:00-05:00', Date.UTC(2026, 5, 30, 17)],
    ['2026-06-30T12:00', Date.UTC(2026, 5, 30, 12)],
    ['2026-01-01T00:30+01:00', Date.UTC(2025, 11, 31, 23, 30)],
  ])('%j is a date both accept, read as one instant', (expires, time) => {
    const entity = validProduct();
    entity.spec.waivers[0].expires = expires;
    expect(validateDataProduct(entity)).toEqual([]);
    expect(validateWaiver(entity.spec.waivers[0])).toEqual([]);
    expect(parseIsoDate(expires)?.time).toBe(time);
  });
});

describe('hostile descriptors: unknown keys and text', () => {
  it('turns 30,000 unknown keys into 51 problems of bounded length', () => {
    const problems = check(
      e => {
        for (let i = 0; i < 30_000; i++) {
          e.spec[`k${i}\n[ERROR] forged line \u001b[31m${'x'.repeat(200)}`] = i;
        }
      },
      { maxSize: Infinity },
    );
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(problems[0].path).toMatch(
      /^spec\["k0\\n\[ERROR\] forged line \\u\{001B\}\[31mx+…"\]$/,
    );
    expect(problems[MAX_REPORTED_PROBLEMS].found).toBe(
      'and 29,950 more problems, not listed: 29,950 unknown fields in spec',
    );
    expect(problems.map(formatProblem).join('\n').length).toBeLessThan(60_000);
  });

  it('lists fewer problems when asked to', () => {
    const problems = check(
      e => {
        for (let i = 0; i < 20; i++) e.spec[`x${i}`] = 1;
      },
      { maxProblems: 5 },
    );
    expect(problems).toHaveLength(6);
    expect(problems[5].found).toMatch(/^and 15 more problems/);
  });

  it('escapes a backslash and a quote so no value can close its quotes', () => {
    const [problem] = check(e => (e.spec.type = 'a"b\\c'));
    expect(problem.found).toBe('"a\\"b\\\\c"');
  });
});

describe('hostile descriptors: size and aliases', () => {
  it('stops walking an alias-expanded descriptor as soon as it passes the limit', () => {
    // 8^12 copies of an object would be terabytes as JSON; reading any large
    // part of it would never finish. Count what the walk reads instead.
    let reads = 0;
    const counted = (value: any): any =>
      typeof value === 'object' && value !== null
        ? new Proxy(value, {
            get(target, key) {
              reads++;
              return counted(Reflect.get(target, key));
            },
          })
        : value;
    const entity = byId('size/metadata.annotations/alias-bomb-8^12').entity();
    const problem = checkDescriptorLimits(counted(entity), {
      maxSize: 64 * 1024,
      maxDepth: 64,
    });
    expect(problem?.found).toMatch(/larger than 64 KiB/);
    // Each value read adds at least one byte, so no more reads than bytes.
    expect(reads).toBeLessThan(64 * 1024);
  });

  it('measures size as the bytes of the JSON, exactly', () => {
    const entity = validProduct();
    entity.metadata.annotations = {
      'a"\\\n\u0001é😀': 'x\u2028y\ud800',
      skipped: undefined,
      list: [1.5, null, true, undefined, -0, 1e21],
    };
    const bytes = Buffer.byteLength(JSON.stringify(entity));
    expect(checkDescriptorLimits(entity, { maxSize: bytes })).toBeUndefined();
    expect(checkDescriptorLimits(entity, { maxSize: bytes - 1 })).toBeDefined();
  });

  it.each([
    'size/spec.outputPorts/200-realistic-ports',
    'size/spec.outputPorts/up-to-the-limit',
  ])('takes %s, a large valid descriptor, under the default limit', id => {
    const entity = byId(id).entity();
    const bytes = Buffer.byteLength(JSON.stringify(entity));
    expect(bytes).toBeGreaterThan(400 * 1024);
    expect(bytes).toBeLessThan(DEFAULT_MAX_DESCRIPTOR_SIZE);
    expect(validateDataProduct(entity)).toEqual([]);
  });
});

describe('hostile descriptors: many ports, linearly', () => {
  it('lists the problems of 2 ports without a format and with one name', () => {
    expect(validate(byId('ports/spec.outputPorts/2-same').entity())).toEqual([
      {
        path: 'spec.outputPorts[0].format',
        found: 'nothing',
        expected:
          'a lower-case data format such as parquet, avro, json, iceberg, delta or csv',
      },
      {
        path: 'spec.outputPorts[1].format',
        found: 'nothing',
        expected:
          'a lower-case data format such as parquet, avro, json, iceberg, delta or csv',
      },
      {
        path: 'spec.outputPorts[1].name',
        found: '"same", already used by spec.outputPorts[0]',
        expected: 'a name that is unique within the data product',
      },
      {
        path: 'spec.outputPorts[1].address',
        found: '"s3://lake/same/", already used by spec.outputPorts[0]',
        expected: 'an address that is unique within the data product',
      },
    ]);
  });

  it.each([100, 4000])(
    '%i ports without a format and with one name: 50 listed, then counted',
    n => {
      const problems = validate(
        byId(`ports/spec.outputPorts/${n}-same`).entity(),
      );
      const total = n + 2 * (n - 1); // format missing, name and address repeated
      expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
      expect(problems[0].path).toBe('spec.outputPorts[0].format');
      const summary = problems[MAX_REPORTED_PROBLEMS];
      expect(summary.path).toBe('spec.outputPorts');
      expect(summary.found).toBe(
        `and ${(total - MAX_REPORTED_PROBLEMS).toLocaleString(
          'en-US',
        )} more problems, not listed: ${(n - 1).toLocaleString(
          'en-US',
        )} at spec.outputPorts[*].name, ${(n - 1).toLocaleString(
          'en-US',
        )} at spec.outputPorts[*].address, ${(n - 50).toLocaleString(
          'en-US',
        )} at spec.outputPorts[*].format`,
      );
    },
  );

  /**
   * `n` output ports, each without a format, all sharing one name and
   * address: the corpus's ports cases at any size, to measure work.
   */
  const ports = (n: number) => (e: any) => {
    e.spec.outputPorts = Array.from({ length: n }, () => ({
      name: 'same',
      type: 'table',
      address: 's3://lake/same/',
    }));
  };

  it.each([
    ['ports without a format and with one name', ports],
    [
      'unknown keys',
      (n: number) => (e: any) => {
        for (let i = 0; i < n; i++) e.spec[`k${i}`] = i;
      },
    ],
    [
      'input ports with hostile references',
      (n: number) => (e: any) => {
        e.spec.inputPorts = Array.from({ length: n }, (_, i) => ({
          name: `in-${i % 7}`,
          source: `component:default/s\u0430les-${i}`,
        }));
      },
    ],
    [
      'waivers with impossible dates',
      (n: number) => (e: any) => {
        e.spec.waivers = Array.from({ length: n }, () => ({
          policy: 'p',
          reason: 'r',
          expires: '2026-02-30',
        }));
      },
    ],
  ])('does work linear in the number of %s', (_name, make) => {
    const work = (n: number) =>
      countWork(() => {
        const entity = validProduct();
        make(n)(entity);
        validateDataProduct(entity, { maxSize: Infinity });
      });
    const small = work(1000);
    const large = work(4000);
    // Four times the input: about four times the work, far from sixteen.
    expect(large / small).toBeLessThan(5);
  });
});
