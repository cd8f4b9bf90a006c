/*
 * Hostile descriptors, by class: every enum field with wrong values, every
 * reference field with each form that can never resolve, impossible waiver
 * dates, thousands of unknown keys, deep nesting and reference cycles, huge
 * port counts, control characters in keys and values, and keys that name
 * the prototype. Each case checks that validation does not throw, names the
 * field, and answers within bounds; work is bounded by counting, never by
 * timing.
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

/** The longest sentence one problem may make. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * True for characters that must never reach a message raw: C0 and C1
 * controls, DEL, zero-width and bidi controls, line and paragraph
 * separators, BOM.
 */
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

function validProduct(): any {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'default', title: 'Orders' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'maria.silva',
      domain: 'sales',
      system: 'checkout',
      inputPorts: [
        { name: 'orders-db', source: 'component:default/orders-service' },
        {
          name: 'customers',
          dataProduct: 'customers',
          outputPort: 'customers-table',
        },
      ],
      outputPorts: [
        {
          name: 'orders-table',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
          schema: [
            { name: 'order_id', type: 'string', classification: 'internal' },
          ],
        },
      ],
      slos: { freshness: 'PT1H', completeness: 99.5 },
      classification: 'confidential',
      waivers: [
        {
          policy: 'quanta.slos-declared',
          reason: 'Pilot',
          expires: '2027-03-31',
        },
      ],
    },
  };
}

/** Problems within every bound, none echoing a raw control character. */
function expectBounded(problems: DataProductProblem[]) {
  expect(problems.length).toBeLessThanOrEqual(MAX_REPORTED_PROBLEMS + 1);
  for (const problem of problems) {
    const message = formatProblem(problem);
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(rawUnsafeIn(message)).toEqual([]);
  }
}

/** Validates a mutated product; asserts bounds and that a valid one still passes. */
function check(mutate: (entity: any) => void, options = {}) {
  const entity = validProduct();
  mutate(entity);
  let problems: DataProductProblem[] = [];
  expect(() => {
    problems = validateDataProduct(entity, options);
  }).not.toThrow();
  expectBounded(problems);
  expect(validateDataProduct(validProduct())).toEqual([]);
  return problems;
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

describe('hostile descriptors: enum fields with wrong values', () => {
  const fields: Array<[string, (e: any, v: unknown) => void]> = [
    ['spec.type', (e, v) => (e.spec.type = v)],
    ['spec.lifecycle', (e, v) => (e.spec.lifecycle = v)],
    ['spec.classification', (e, v) => (e.spec.classification = v)],
    ['spec.outputPorts[0].type', (e, v) => (e.spec.outputPorts[0].type = v)],
    [
      'spec.outputPorts[0].schema[0].classification',
      (e, v) => (e.spec.outputPorts[0].schema[0].classification = v),
    ],
  ];
  // Each: how the test names it, and the value.
  const values: Array<[string, unknown]> = [
    ['empty', ''],
    ['upper case', 'PRODUCTION'],
    ['a leading space', ' table'],
    ['a trailing line feed', 'table\n'],
    ['a zero width space', 'ta\u200bble'],
    ['a Cyrillic letter', '\u0440roduction'],
    ['an escape sequence', '\u001b[31mred\u001b[0m'],
    ['a bidi override', '\u202eelbat'],
    ['100,000 characters', 'x'.repeat(100_000)],
    ['__proto__', '__proto__'],
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['a list', []],
    ['an object', {}],
  ];
  const cases = fields.flatMap(([path, set]) =>
    values.map(([name, value]) => [path, name, set, value] as const),
  );

  it.each(cases)(
    '%s = %s is reported at its path',
    (path, _name, set, value) => {
      const problems = check(e => set(e, value));
      const here = at(problems, path);
      expect(here.length).toBeGreaterThanOrEqual(1);
      expect(here[0].expected).toMatch(
        /^one of |classification|data product type|lifecycle|port type/,
      );
      const text = typeof value === 'string' ? value : '';
      expect(here[0].found.endsWith('…"')).toBe(text.length > 200);
      expect(here[0].found.includes('U+200B ZERO WIDTH SPACE')).toBe(
        text.includes('\u200b'),
      );
    },
  );
});

describe('hostile descriptors: references that can never resolve', () => {
  const fields: Array<[string, string, (e: any, v: string) => void]> = [
    ['spec.owner', 'group', (e, v) => (e.spec.owner = v)],
    ['spec.productOwner', 'user', (e, v) => (e.spec.productOwner = v)],
    ['spec.domain', 'domain', (e, v) => (e.spec.domain = v)],
    ['spec.system', 'system', (e, v) => (e.spec.system = v)],
    [
      'spec.inputPorts[0].source',
      'component',
      (e, v) => (e.spec.inputPorts[0].source = v),
    ],
    [
      'spec.inputPorts[1].dataProduct',
      'dataproduct',
      (e, v) => (e.spec.inputPorts[1].dataProduct = v),
    ],
  ];
  // Each: the written reference, given the field's kind, and what `found`
  // must name.
  const forms: Array<[string, (kind: string) => string, string]> = [
    [
      'Cyrillic a',
      k => `${k}:default/s\u0430les`,
      'U+0430 (a Cyrillic letter)',
    ],
    ['Cyrillic o', () => '\u043erders', 'U+043E (a Cyrillic letter)'],
    ['Greek omicron', k => `${k}:default/\u03bfrders`, 'a Greek letter'],
    [
      'full-width letters',
      () => '\uff53\uff41\uff4c\uff45\uff53',
      'full-width',
    ],
    ['zero width space', () => 'sales\u200b', 'U+200B ZERO WIDTH SPACE'],
    [
      'zero width joiner',
      k => `${k}:default/sa\u200dles`,
      'U+200D ZERO WIDTH JOINER',
    ],
    [
      'zero width non-joiner',
      () => 'sa\u200cles',
      'U+200C ZERO WIDTH NON-JOINER',
    ],
    ['word joiner', () => 'sa\u2060les', 'U+2060 WORD JOINER'],
    [
      'byte order mark',
      () => '\ufeffsales',
      'U+FEFF ZERO WIDTH NO-BREAK SPACE',
    ],
    ['soft hyphen', () => 'sa\u00adles', 'U+00AD SOFT HYPHEN'],
    ['Hangul filler', () => 'sales\u3164', 'U+3164 HANGUL FILLER'],
    [
      'right-to-left override',
      k => `${k}:default/\u202eselas`,
      'U+202E RIGHT-TO-LEFT OVERRIDE',
    ],
    [
      'left-to-right isolate',
      () => 'sales\u2066',
      'U+2066 LEFT-TO-RIGHT ISOLATE',
    ],
    ['right-to-left mark', () => 'sa\u200fles', 'U+200F RIGHT-TO-LEFT MARK'],
    ['escape sequence', () => 'sales\u001b[2J', 'U+001B ESCAPE'],
    ['bell', () => 'sales\u0007', 'U+0007 (a control character)'],
    ['next line (C1)', () => 'sales\u0085x', 'U+0085 NEXT LINE'],
    ['no-break space', () => 'sales\u00a0data', 'U+00A0 NO-BREAK SPACE'],
    ['line feed', () => 'sales\n[ERROR] forged', 'U+000A LINE FEED'],
    ['second slash', k => `${k}:default/a/b`, '"/"'],
    ['e-mail address', () => 'jane.doe@example.com', 'an e-mail address'],
    ['e-mail with kind', k => `${k}:jane@example.com`, '"@"'],
    [
      'name too long',
      k => `${k}:default/${'a'.repeat(64)}`,
      '64 characters long',
    ],
    ['name starting with a dash', () => '-sales', 'starts with "-"'],
    ['name ending with a dot', k => `${k}:default/sales.`, 'ends with "."'],
    ['namespace with an underscore', k => `${k}:my_ns/sales`, '"_"'],
    ['namespace with a dot', k => `${k}:my.ns/sales`, '"."'],
    [
      'kind starting with a digit',
      () => '1group:default/sales',
      'starts with a digit',
    ],
    ['empty name', k => `${k}:default/`, 'not of the form'],
    ['only a colon', () => ':', 'not of the form'],
    ['very long reference', () => `x${'\u200b'.repeat(50_000)}`, 'U+200B'],
  ];
  const cases = fields.flatMap(([path, kind, set]) =>
    forms.map(
      ([name, write, named]) => [path, name, kind, set, write, named] as const,
    ),
  );

  it.each(cases)(
    '%s: %s is refused',
    (path, _name, kind, set, write, named) => {
      const value = write(kind);
      const problems = check(e => set(e, value));
      const here = at(problems, path);
      expect(here).toHaveLength(1);
      expect(here[0].found).toContain(named);
      expect(here[0].expected).toMatch(/entity reference/);
      // And no relation could be made of it.
      const entity = validProduct();
      set(entity, value);
      const { refs } = parseDataProductRefs(entity);
      const parsed: Record<string, unknown> = {
        'spec.owner': refs.owner,
        'spec.productOwner': refs.productOwner,
        'spec.domain': refs.domain,
        'spec.system': refs.system,
        'spec.inputPorts[0].source': refs.inputPorts[0].source,
        'spec.inputPorts[1].dataProduct': refs.inputPorts[1].dataProduct,
      };
      expect(path in parsed).toBe(true);
      expect(parsed[path]).toBeUndefined();
    },
  );

  it.each(fields)(
    '%s states the catalog rules it holds references to',
    (path, kind, set) => {
      const [problem] = at(
        check(e => set(e, `${kind}:default/s\u0430les`)),
        path,
      );
      expect(problem.expected).toContain(
        "the catalog's rules for entity kinds, namespaces and names",
      );
    },
  );

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

describe('hostile descriptors: metadata', () => {
  const cases: Array<[string, (e: any) => void, string, string]> = [
    ['metadata null', e => (e.metadata = null), 'metadata', 'null'],
    ['metadata missing', e => delete e.metadata, 'metadata', 'nothing'],
    [
      'metadata a list',
      e => (e.metadata = [{ name: 'x' }]),
      'metadata',
      'a list',
    ],
    ['metadata a string', e => (e.metadata = 'orders'), 'metadata', '"orders"'],
    ['name missing', e => delete e.metadata.name, 'metadata.name', 'nothing'],
    [
      'name a number',
      e => (e.metadata.name = 42),
      'metadata.name',
      'number 42',
    ],
    [
      'name with a zero width space',
      e => (e.metadata.name = 'ord\u200bers'),
      'metadata.name',
      'U+200B ZERO WIDTH SPACE',
    ],
    [
      'name with a Cyrillic letter',
      e => (e.metadata.name = '\u043erders'),
      'metadata.name',
      'Cyrillic',
    ],
    [
      'name with a bidi override',
      e => (e.metadata.name = 'a\u202eb'),
      'metadata.name',
      'U+202E',
    ],
    [
      'name with a slash',
      e => (e.metadata.name = 'a/b'),
      'metadata.name',
      '"/"',
    ],
    [
      'name __proto__',
      e => (e.metadata.name = '__proto__'),
      'metadata.name',
      'starts with "_"',
    ],
    [
      'name of 10,000 characters',
      e => (e.metadata.name = 'a'.repeat(10_000)),
      'metadata.name',
      '10000 characters long',
    ],
    [
      'namespace in upper case',
      e => (e.metadata.namespace = 'Default'),
      'metadata.namespace',
      'upper-case',
    ],
    [
      'namespace with a newline',
      e => (e.metadata.namespace = 'de\nfault'),
      'metadata.namespace',
      'LINE FEED',
    ],
    [
      'title with a right-to-left override',
      e => (e.metadata.title = 'Orders \u202etxt.exe'),
      'metadata.title',
      'U+202E RIGHT-TO-LEFT OVERRIDE',
    ],
    [
      'title with a newline',
      e => (e.metadata.title = 'Orders\n[ERROR] x'),
      'metadata.title',
      'U+000A LINE FEED',
    ],
    [
      'title with an escape sequence',
      e => (e.metadata.title = '\u001b[31mOrders'),
      'metadata.title',
      'U+001B ESCAPE',
    ],
    [
      'title with a zero width space',
      e => (e.metadata.title = 'Ord\u200bers'),
      'metadata.title',
      'U+200B',
    ],
    [
      'title with a NUL',
      e => (e.metadata.title = 'Orders\u0000'),
      'metadata.title',
      'U+0000 NULL',
    ],
    [
      'title an object',
      e => (e.metadata.title = { en: 'Orders' }),
      'metadata.title',
      'an object',
    ],
  ];

  it.each(cases)('%s is reported', (_name, mutate, path, named) => {
    const here = at(check(mutate), path);
    expect(here).toHaveLength(1);
    expect(here[0].found).toContain(named);
  });

  it.each([
    'Orders 📦',
    'Familie 👨‍👩‍👧 (with joiners)',
    'Bestellungen – Übersicht',
    '注文データ',
    'سفارش‌ها', // a zero width non-joiner, as Persian writes it
    '❤️ variation selector',
  ])('accepts the printable title %j', title => {
    const entity = validProduct();
    entity.metadata.title = title;
    expect(validateDataProduct(entity)).toEqual([]);
  });
});

describe('hostile descriptors: waiver dates and the waivers the engine must not apply', () => {
  const impossible: Array<[string, string]> = [
    ['2026-13-01', 'no month 13'],
    ['2026-00-10', 'no month 00'],
    ['2026-02-29', 'February 2026 does not have'],
    ['2100-02-29', 'February 2100 does not have'],
    ['2026-02-30', 'February 2026 does not have'],
    ['2026-04-31', 'April 2026 does not have'],
    ['2026-06-31', 'June 2026 does not have'],
    ['2026-09-31', 'September 2026 does not have'],
    ['2026-11-31', 'November 2026 does not have'],
    ['2026-01-32', 'January 2026 does not have'],
    ['2026-01-00', 'January 2026 does not have'],
    ['2026-06-30T24:00Z', 'no hour 24'],
    ['2026-06-30T99:00', 'no hour 99'],
    ['2026-06-30T23:60Z', 'no minute 60'],
    ['2026-06-30T23:59:60Z', 'no second 60'],
    ['2026-06-30T12:00+24:00', 'offset +24:00'],
    ['2026-06-30T12:00-02:60', 'offset -02:60'],
    ['2026-6-30', ''],
    ['30/06/2026', ''],
    ['2026-06-30T12:00:00+0200', ''],
    ['2026-06-30 ', ''],
    ['\uff12\uff10\uff12\uff16-06-30', ''],
    ['tomorrow', ''],
    ['', ''],
  ];

  it.each(impossible)(
    '%j is refused by the validator, by validateWaiver and by the date parser',
    (expires, why) => {
      const problems = check(e => (e.spec.waivers[0].expires = expires));
      const here = at(problems, 'spec.waivers[0].expires');
      expect(here).toHaveLength(1);
      expect(here[0].found).toContain(why);
      const waiver = { ...validProduct().spec.waivers[0], expires };
      expect(validateWaiver(waiver, 'spec.waivers[0]')).toEqual(here);
      expect(parseIsoDate(expires)).toBeUndefined();
    },
  );

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

  const waivers: Array<[string, unknown]> = [
    ['empty reason', { policy: 'p', reason: '', expires: '2027-01-01' }],
    ['blank reason', { policy: 'p', reason: ' \t\n', expires: '2027-01-01' }],
    [
      'invisible reason',
      { policy: 'p', reason: '\u200b\u2060\ufeff', expires: '2027-01-01' },
    ],
    [
      'reason of a bidi control',
      { policy: 'p', reason: '\u202e', expires: '2027-01-01' },
    ],
    ['no reason', { policy: 'p', expires: '2027-01-01' }],
    ['no expiry', { policy: 'p', reason: 'r' }],
    [
      'policy with spaces',
      { policy: 'a b', reason: 'r', expires: '2027-01-01' },
    ],
    [
      'approver with a newline',
      {
        policy: 'p',
        reason: 'r',
        expires: '2027-01-01',
        approvedBy: 'user:a\nb',
      },
    ],
    [
      'an unknown field',
      { policy: 'p', reason: 'r', expires: '2027-01-01', scope: 'all' },
    ],
    [
      '__proto__ field',
      JSON.parse(
        '{"policy":"p","reason":"r","expires":"2027-01-01","__proto__":{"x":1}}',
      ),
    ],
    [
      'reason an object',
      { policy: 'p', reason: { text: 'r' }, expires: '2027-01-01' },
    ],
    ['a string', 'quanta.slos-declared until 2027'],
    ['null', null],
    ['a list', ['p', 'r', '2027-01-01']],
  ];

  it.each(waivers)(
    'a waiver with %s is invalid to both the validator and validateWaiver',
    (_name, waiver) => {
      const problems = check(e => (e.spec.waivers = [waiver]));
      const inWaiver = problems.filter(p =>
        p.path.startsWith('spec.waivers[0]'),
      );
      expect(inWaiver.length).toBeGreaterThan(0);
      expect(validateWaiver(waiver, 'spec.waivers[0]')).toEqual(inWaiver);
    },
  );
});

describe('hostile descriptors: unknown keys', () => {
  const places: Array<[string, (e: any) => any]> = [
    ['spec', e => e.spec],
    ['spec.outputPorts[0]', e => e.spec.outputPorts[0]],
    ['spec.inputPorts[0]', e => e.spec.inputPorts[0]],
    ['spec.slos', e => e.spec.slos],
    ['spec.waivers[0]', e => e.spec.waivers[0]],
    ['spec.outputPorts[0].schema[0]', e => e.spec.outputPorts[0].schema[0]],
  ];
  const addKeys = (target: (e: any) => any, n: number) => (e: any) => {
    const object = target(e);
    for (let i = 0; i < n; i++) object[`extra${i}`] = i;
  };

  it.each(
    places.flatMap(([path, target]) =>
      [1, 49, 50].map(n => [path, n, target] as const),
    ),
  )('%s with %i unknown keys: each listed', (path, n, target) => {
    const problems = check(addKeys(target, n));
    expect(
      problems.filter(p => p.found.startsWith('an unknown field')),
    ).toHaveLength(n);
    expect(problems[0].path).toBe(`${path}.extra0`);
    expect(problems.some(p => p.found.includes('more problem'))).toBe(false);
  });

  it.each(
    places.flatMap(([path, target]) =>
      [51, 1000].map(n => [path, n, target] as const),
    ),
  )('%s with %i unknown keys: 50 listed, then counted', (path, n, target) => {
    const problems = check(addKeys(target, n));
    const unknown = problems.filter(p =>
      p.found.startsWith('an unknown field'),
    );
    expect(unknown).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(unknown[0].path).toBe(`${path}.extra0`);
    const summary = problems[problems.length - 1];
    expect(summary.found).toContain(
      `and ${(n - MAX_REPORTED_PROBLEMS).toLocaleString('en-US')} more problem`,
    );
    expect(summary.found).toContain('unknown field');
    // The field holding them all, or the one left when only one is.
    expect(summary.path).toBe(n === 51 ? `${path}.extra50` : path);
  });

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
});

describe('hostile descriptors: control characters in keys and values', () => {
  const hostile = [
    '\n',
    '\r\n',
    '\t',
    '\u0000',
    '\u0007',
    '\u001b[2J\u001b[H',
    '\u001b]0;title\u0007',
    '\u0085',
    '\u009b31m',
    '\u007f',
    '\u2028',
    '\u2029',
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u061c',
    '\u200e',
    '\u200f',
    '\u200b',
    '\ufeff',
    '\ud800', // a lone surrogate
    '\n2026-01-01 [ERROR] forged log line\n',
  ];

  it.each(hostile)('key %j is escaped in path and found', text => {
    const problems = check(e => (e.spec[`a${text}b`] = 1));
    expect(problems).toHaveLength(1);
    expect(problems[0].found).toMatch(/^an unknown field "a.*b"$/);
    expect(problems[0].path).toMatch(/^spec\["a.*b"\]$/);
  });

  it.each(hostile)('value %j is escaped in found', text => {
    const problems = check(e => (e.spec.outputPorts[0].format = `csv${text}`));
    const [problem] = at(problems, 'spec.outputPorts[0].format');
    expect(problem.found).toMatch(/^"csv.*"/);
  });

  it('escapes a backslash and a quote so no value can close its quotes', () => {
    const [problem] = check(e => (e.spec.type = 'a"b\\c'));
    expect(problem.found).toBe('"a\\"b\\\\c"');
  });
});

describe('hostile descriptors: keys that name the prototype', () => {
  const keys = [
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'toString',
    'valueOf',
    '__defineGetter__',
  ];
  const places: Array<[string, (e: any) => any]> = [
    ['spec', e => e.spec],
    ['spec.outputPorts[0]', e => e.spec.outputPorts[0]],
    ['spec.slos', e => e.spec.slos],
  ];
  const cases = places.flatMap(([path, target]) =>
    keys.map(key => [path, key, target] as const),
  );

  it.each(cases)(
    '%s.%s is an unknown field, and pollutes nothing',
    (path, key, target) => {
      // JSON.parse makes `__proto__` an own key, as a catalog reading JSON does.
      const source = JSON.parse(`{${JSON.stringify(key)}:{"polluted":true}}`);
      const problems = check(e => {
        Object.defineProperty(target(e), key, {
          value: source[key],
          enumerable: true,
          configurable: true,
          writable: true,
        });
      });
      expect(at(problems, `${path}.${key}`)).toEqual([
        expect.objectContaining({ found: `an unknown field "${key}"` }),
      ]);
      expect(({} as any).polluted).toBeUndefined();
    },
  );

  it.each(keys)(
    'a reference named %s is looked up as a name, nothing inherited',
    key => {
      const entity = validProduct();
      entity.spec.domain = key;
      const problems = validateDataProduct(entity);
      expectBounded(problems);
      expect(({} as any).polluted).toBeUndefined();
    },
  );
});

describe('hostile descriptors: nesting', () => {
  /** An object nested `levels` deep under metadata.deep. */
  function nested(levels: number, makeList = false) {
    const entity = validProduct();
    let node: any = makeList ? [] : {};
    entity.metadata.deep = node;
    for (let i = 1; i < levels; i++) {
      const child: any = makeList ? [] : {};
      if (makeList) node.push(child);
      else node.a = child;
      node = child;
    }
    return entity;
  }
  // The descriptor and metadata are the first two levels.
  const allowed = DEFAULT_MAX_DESCRIPTOR_DEPTH - 2;

  it.each([1, 10, allowed])('accepts %i levels under metadata', levels => {
    expect(validateDataProduct(nested(levels))).toEqual([]);
  });

  it.each([
    [allowed + 1, false],
    [100, false],
    [1000, false],
    [100_000, false],
    [allowed + 1, true],
    [1000, true],
    [100_000, true],
  ])(
    'refuses %i levels (lists: %s) with one problem naming the path, without recursion',
    (levels, lists) => {
      let problems: DataProductProblem[] = [];
      expect(() => {
        problems = validateDataProduct(nested(levels, lists));
      }).not.toThrow();
      expectBounded(problems);
      expect(problems).toHaveLength(1);
      const step = lists ? '[0]' : '.a';
      expect(problems[0].path).toBe(`metadata.deep${step.repeat(allowed)}`);
      expect(problems[0].found).toBe(
        `lists and objects nested more than ${DEFAULT_MAX_DESCRIPTOR_DEPTH} levels deep`,
      );
    },
  );

  it.each([
    ['an object that holds itself', (e: any) => (e.metadata.self = e.metadata)],
    [
      'a list that holds itself',
      (e: any) => {
        const list: any[] = [];
        list.push(list);
        e.spec.outputPorts = list;
      },
    ],
    ['a spec that holds the descriptor', (e: any) => (e.spec.slos = e)],
  ])('refuses %s as too deep', (_name, mutate) => {
    const problems = check(mutate);
    expect(problems).toHaveLength(1);
    expect(problems[0].found).toMatch(/nested more than 32 levels/);
  });

  it('refuses deep nesting inside a field the schema knows, naming that path', () => {
    const problems = check(e => {
      let node: any = [];
      e.spec.outputPorts[0].schema[0].description = node;
      for (let i = 0; i < 50; i++) {
        const child: any = [];
        node.push(child);
        node = child;
      }
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toMatch(
      /^spec\.outputPorts\[0\]\.schema\[0\]\.description(\[0\])+$/,
    );
  });
});

describe('hostile descriptors: size and aliases', () => {
  /**
   * What a YAML file of a kilobyte becomes when aliases refer to aliases:
   * each level holds the level below twice, so 40 levels stand for 2^40
   * copies of a string, all of them the same objects in memory.
   */
  function aliasBomb(levels = 40) {
    let node: any = ['x'.repeat(100)];
    for (let i = 0; i < levels; i++) node = [node, node];
    return node;
  }

  it.each([
    [
      'metadata.annotations',
      (e: any) => (e.metadata.annotations = { a: aliasBomb(25) }),
    ],
    ['spec.outputPorts', (e: any) => (e.spec.outputPorts = aliasBomb(25))],
    [
      'metadata.labels',
      (e: any) =>
        (e.metadata.labels = { a: 'x'.repeat(DEFAULT_MAX_DESCRIPTOR_SIZE) }),
    ],
    [
      'spec.inputPorts',
      (e: any) =>
        (e.spec.inputPorts = new Array(1_000_000).fill({ name: 'x' })),
    ],
  ])(
    'refuses a descriptor over the size limit at %s, with one problem',
    (path, mutate) => {
      const problems = check(mutate);
      expect(problems).toHaveLength(1);
      expect(problems[0].path.startsWith(path)).toBe(true);
      expect(problems[0].found).toBe(
        'a descriptor larger than 512 KiB as JSON, the limit being passed here',
      );
    },
  );

  it('stops walking an alias-expanded descriptor as soon as it passes the limit', () => {
    // 2^40 strings of 100 bytes would be 100 TB as JSON; reading any large
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
    const entity = validProduct();
    entity.metadata.annotations = { bomb: aliasBomb(40) };
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

  it('takes a realistic large descriptor, 200 ports with a 12-field schema each, under the default limit', () => {
    const entity = validProduct();
    entity.spec.outputPorts = Array.from({ length: 200 }, (_, i) => ({
      name: `port-${i}`,
      description: `Orders of region ${i}, one row per order line, refreshed hourly from the order service.`,
      type: 'table',
      format: 'iceberg',
      address: `iceberg://lake/sales/orders_region_${i}`,
      contract: {
        location: `./contracts/orders-${i}.odcs.yaml`,
        version: '1.4.0',
      },
      schema: Array.from({ length: 12 }, (__, j) => ({
        name: `column_${j}_of_port_${i}`,
        type: j % 3 ? 'string' : 'decimal(18,2)',
        description:
          'What this column holds, in a sentence of about sixty characters.',
        pii: j === 1,
        classification: 'internal',
      })),
    }));
    const bytes = Buffer.byteLength(JSON.stringify(entity));
    expect(bytes).toBeGreaterThan(400 * 1024);
    expect(bytes).toBeLessThan(DEFAULT_MAX_DESCRIPTOR_SIZE);
    expect(validateDataProduct(entity)).toEqual([]);
  });
});

describe('hostile descriptors: many ports, linearly', () => {
  /** `n` output ports, each without a format, all sharing one name and address. */
  const ports = (n: number) => (e: any) => {
    e.spec.outputPorts = Array.from({ length: n }, () => ({
      name: 'same',
      type: 'table',
      address: 's3://lake/same/',
    }));
  };

  it('lists the problems of 2 ports without a format and with one name', () => {
    expect(check(ports(2))).toEqual([
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
      const problems = check(ports(n), { maxSize: Infinity });
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

  it('reports every repeated name and address at its own index', () => {
    const problems = check(e => {
      e.spec.outputPorts.push(
        { ...e.spec.outputPorts[0] },
        { ...e.spec.outputPorts[0], name: 'other' },
      );
      e.spec.inputPorts.push({ ...e.spec.inputPorts[0] });
    });
    expect(problems.map(p => p.path).sort()).toEqual([
      'spec.inputPorts[2].name',
      'spec.outputPorts[1].address',
      'spec.outputPorts[1].name',
      'spec.outputPorts[2].address',
    ]);
    expect(at(problems, 'spec.outputPorts[2].address')[0].found).toBe(
      '"iceberg://lake/sales/orders", already used by spec.outputPorts[0]',
    );
  });

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
