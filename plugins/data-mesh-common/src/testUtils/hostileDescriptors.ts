/*
 * One corpus of hostile DataProduct descriptors, shared by the validator's
 * tests, the catalog processor's tests, the catalog-level suite and the
 * benchmarks: every case says what it is, what makes it hostile and what a
 * catalog must do with it.
 */
import {
  DEFAULT_MAX_DESCRIPTOR_DEPTH,
  DEFAULT_MAX_DESCRIPTOR_SIZE,
} from '../kind/limits';

/**
 * What makes a {@link HostileDescriptor} hostile.
 *
 * - `enum`: a wrong word in a field that takes one of a few words
 * - `type`: a value of the wrong JSON type (a number, null, a list...)
 * - `duration`: an SLO or retention that is no ISO-8601 duration
 * - `ref`: an entity reference that can never resolve
 * - `duplicate-ports`: ports sharing a name or an address
 * - `unknown-keys`: fields the schema does not know, up to thousands
 * - `size`: larger than the size limit, or as large as it allows
 * - `depth`: nested deeper than the nesting limit, or reference cycles
 * - `alias`: YAML aliases that expand a small file to a huge descriptor
 * - `unicode`: homoglyphs, zero-width, bidi and other invisible characters
 * - `prototype-keys`: keys such as `__proto__` and `constructor`
 * - `waiver`: waivers the policy engine must not apply
 * - `waiver-date`: waiver expiry dates that do not exist
 * - `injection`: control characters, escape sequences, forged log lines,
 *   SQL and lookup strings that try to escape where they are shown
 * - `identity`: no usable kind, name or namespace
 * - `storage`: what the catalog's database or search index cannot hold:
 *   U+0000, field names that differ only in letter case, entity references
 *   longer than 255 characters
 *
 * @public
 */
export type HostileDescriptorClass =
  | 'enum'
  | 'type'
  | 'duration'
  | 'ref'
  | 'duplicate-ports'
  | 'unknown-keys'
  | 'size'
  | 'depth'
  | 'alias'
  | 'unicode'
  | 'prototype-keys'
  | 'waiver'
  | 'waiver-date'
  | 'injection'
  | 'identity'
  | 'storage';

/**
 * The rule of the DataProduct kind a {@link HostileDescriptor} tests, which
 * is also where in the descriptor it is hostile:
 *
 * - `enum`: `spec.type`, `spec.lifecycle`, `spec.classification`, a port's
 *   type, a schema field's classification
 * - `reference`: `spec.owner`, `spec.productOwner`, `spec.domain`,
 *   `spec.system`, an input port's `source` and `dataProduct`
 * - `reference-name`: a reference naming a prototype key
 * - `metadata`: `metadata`, its name, namespace, title and annotations
 * - `waiver-date`, `waiver`: `spec.waivers`
 * - `slos`: `spec.slos`, `spec.retention` and the other value fields
 * - `spec-shape`: `spec` and its lists of the wrong type
 * - `unknown-keys`: unknown fields in spec, a port, the SLOs, a waiver
 * - `key-text`: a field name with a hostile character; `value-text`: a
 *   value with one
 * - `prototype-keys`: a field named like a prototype member
 * - `nesting`: lists and objects nested deep, and cycles
 * - `size`: the size limit
 * - `ports`: repeated port names and addresses
 * - `envelope`: `kind`, `apiVersion`, `status`, which the catalog reads
 *   before any processor
 * - `storage`: field names and references as the catalog's database and
 *   search index hold them
 *
 * @public
 */
export type HostileDescriptorGroup =
  | 'enum'
  | 'reference'
  | 'reference-name'
  | 'metadata'
  | 'waiver-date'
  | 'waiver'
  | 'slos'
  | 'spec-shape'
  | 'unknown-keys'
  | 'key-text'
  | 'value-text'
  | 'prototype-keys'
  | 'nesting'
  | 'size'
  | 'ports'
  | 'envelope'
  | 'storage';

/**
 * What the Quanta DataProduct processor, and so a catalog running it, must
 * do with a {@link HostileDescriptor}:
 *
 * - `accepted`: served, with no error; hostile-looking but valid.
 * - `accepted-with-errors`: served, with an error on its status for each of
 *   `paths`, each message starting with that path (or with a longer path
 *   that starts with it); the validator reports a problem there.
 * - `refused`: processing fails with an error naming `path` (or a longer
 *   path that starts with it); nothing of it is served, and the validator
 *   reports that one problem.
 *
 * @public
 */
export type HostileDescriptorExpectation =
  | { outcome: 'accepted' }
  | { outcome: 'accepted-with-errors'; paths: string[] }
  | { outcome: 'refused'; path: string };

/**
 * What a Backstage catalog running the Quanta catalog module does with a
 * {@link HostileDescriptor} where it decides before, or instead of, the
 * DataProduct processor; `reason` says why, and for a refusal is text the
 * catalog's error contains:
 *
 * - `refused` `by: 'catalog'`: the catalog's own checks refuse the entity
 *   (its envelope, a kind no processor claims, its entity policies). An
 *   envelope the catalog refuses fails the whole file it is in.
 * - `refused` `by: 'yaml'`: the catalog's file parser refuses the document
 *   (a YAML error, an entity reference its database cannot store), so no
 *   processor sees it; the error is on the file's location, and the
 *   file's other entities wait with it.
 * - `accepted`: the catalog changes the descriptor before the processor
 *   validates it, so that nothing is left to report (its entity policies
 *   rebuild it with lodash, which drops `__proto__` keys).
 * - `not-written`: not one to give a catalog as a file in a test, as the
 *   catalog's YAML reader alone spends a second or more on the text before
 *   anything else runs (a million list items); entity providers can still
 *   hand it to the processor, and a benchmark can measure it.
 *
 * @public
 */
export type HostileCatalogExpectation =
  | { outcome: 'refused'; by: 'catalog' | 'yaml'; reason: string }
  | { outcome: 'accepted'; reason: string }
  | { outcome: 'not-written'; reason: string };

/**
 * A hostile DataProduct descriptor and what is expected of it.
 *
 * @public
 */
export type HostileDescriptor = {
  /** Unique and stable: the group, the field and the variant, such as `reference/spec.owner/cyrillic-a`. */
  id: string;
  class: HostileDescriptorClass;
  group: HostileDescriptorGroup;
  /** Says what the case is, for a test's name. */
  title: string;
  /**
   * The `metadata.name` the descriptor has: unique within the corpus, so
   * that a catalog can hold all cases at once, except in the few whose
   * name is what is hostile. Undefined when it has no usable name.
   */
  name?: string;
  /**
   * Builds the descriptor, a new copy on each call. For a case about YAML,
   * it is what a YAML reader without alias limits makes of `yaml`: aliases
   * are the same object in memory.
   */
  entity(): unknown;
  /**
   * The YAML text of the descriptor, for the cases where the text is the
   * point (aliases, anchors, nesting only YAML can write small); see
   * {@link hostileDescriptorText}.
   */
  yaml?: () => string;
  /** What the DataProduct processor must do with `entity()`. */
  expected: HostileDescriptorExpectation;
  /** What a catalog reading it from a file does, on SQLite and PostgreSQL alike, where it differs from `expected`. */
  catalog?: HostileCatalogExpectation;
  /** The field the hostile value or keys are written at. */
  at?: string;
  /** The hostile value written at `at`. */
  value?: unknown;
  /** Text the validator's problem at the expected path must contain, such as the name of a character. */
  found?: string;
  /** How many keys, ports or levels the case writes, where it writes many. */
  count?: number;
  /**
   * Set when only the DataProduct processor checks what is hostile here
   * (`apiVersion`, the type of `metadata.annotations`), not
   * `validateDataProduct`, which finds nothing.
   */
  processorOnly?: boolean;
};

/** A field path and how to write a value at it. */
type Setter = [path: string, set: (entity: any, value: any) => void];

/**
 * A valid DataProduct with every kind of field the hostile cases change:
 * short and full references, an input port of each kind, a port schema,
 * SLOs, a classification and a waiver. Hostile cases are this product with
 * one thing changed.
 *
 * @public
 */
export function hostileBaseProduct(name = 'orders'): any {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default', title: 'Orders' },
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
          address: `iceberg://lake/sales/${name}`,
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

/**
 * The relations a catalog makes of {@link hostileBaseProduct}, forward and
 * reverse, as `source type target` with full, lower-case references.
 *
 * @public
 */
export function hostileBaseRelations(name = 'orders'): string[] {
  const self = `dataproduct:default/${name}`;
  return [
    [self, 'ownedBy', 'group:default/sales-data'],
    ['group:default/sales-data', 'ownerOf', self],
    [self, 'hasProductOwner', 'user:default/maria.silva'],
    ['user:default/maria.silva', 'productOwnerOf', self],
    [self, 'partOf', 'domain:default/sales'],
    ['domain:default/sales', 'hasPart', self],
    [self, 'partOf', 'system:default/checkout'],
    ['system:default/checkout', 'hasPart', self],
    [self, 'dependsOn', 'component:default/orders-service'],
    ['component:default/orders-service', 'dependencyOf', self],
    [self, 'dependsOn', 'dataproduct:default/customers'],
    ['dataproduct:default/customers', 'dependencyOf', self],
  ]
    .map(relation => relation.join(' '))
    .sort();
}

/**
 * True for a character that must never reach a message, a log line or a
 * page raw: C0 and C1 controls, DEL, zero-width and bidi controls, line
 * and paragraph separators, the byte order mark.
 *
 * @public
 */
export function isRawUnsafeCharacter(character: string): boolean {
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
}

/**
 * The characters of `text` that {@link isRawUnsafeCharacter} finds, in
 * order; an empty list for text safe to show.
 *
 * @public
 */
export function rawUnsafeCharactersIn(text: string): string[] {
  return [...text].filter(isRawUnsafeCharacter);
}

const encoder = new TextEncoder();
/** Bytes of a value as JSON, in UTF-8. */
const bytesOf = (value: unknown) =>
  encoder.encode(JSON.stringify(value) ?? '').length;

/**
 * Adds items made by `make(i)` to a list of the entity while the entity
 * stays within `limit` bytes of JSON.
 */
function fillTo(
  entity: any,
  list: (e: any) => unknown[],
  make: (i: number) => unknown,
  limit: number,
) {
  const target = list(entity);
  target.length = 0;
  let bytes = bytesOf(entity);
  for (let i = 0; ; i++) {
    const item = make(i);
    const size = bytesOf(item) + (target.length ? 1 : 0);
    if (bytes + size > limit) break;
    target.push(item);
    bytes += size;
  }
  return entity;
}

/** An output port as a large real product has them: a 12-field schema and a contract. */
function realisticPort(i: number) {
  return {
    name: `port-${i}`,
    description: `Orders of region ${i}, one row per order line, refreshed hourly from the order service.`,
    type: 'table',
    format: 'iceberg',
    address: `iceberg://lake/sales/orders_region_${i}`,
    contract: {
      location: `./contracts/orders-${i}.odcs.yaml`,
      version: '1.4.0',
    },
    schema: Array.from({ length: 12 }, (_, j) => ({
      name: `column_${j}_of_port_${i}`,
      type: j % 3 ? 'string' : 'decimal(18,2)',
      description:
        'What this column holds, in a sentence of about sixty characters.',
      pii: j === 1,
      classification: 'internal',
    })),
  };
}

/**
 * Aliases that refer to aliases, as a YAML file of a kilobyte can hold:
 * each level lists the one below `width` times, so `levels` levels stand
 * for width^levels copies of one object, all the same object in memory.
 */
function aliasBomb(levels: number, width: number) {
  let node: any = { text: 'x'.repeat(100) };
  for (let i = 0; i < levels; i++) node = new Array(width).fill(node);
  return node;
}

/**
 * The YAML text of {@link aliasBomb}, in flow style: each level is an
 * anchored list of the level below, then aliases of it.
 */
function aliasBombYaml(levels: number, width: number): string {
  let text = `&l0 { text: ${'x'.repeat(100)} }`;
  for (let i = 1; i <= levels; i++) {
    text = `&l${i} [${text}${`, *l${i - 1}`.repeat(width - 1)}]`;
  }
  return text;
}

/** JSON of a product, for YAML text that sets one field by hand. */
const json = (value: unknown) => JSON.stringify(value);

/** The product as YAML whose metadata or spec gains lines written by hand. */
function productYaml(
  name: string,
  extra: {
    /** Lines added to metadata, and to spec. */
    metadata?: string;
    spec?: string;
    /** Anchors on the document and on metadata. */
    documentAnchor?: string;
    metadataAnchor?: string;
    drop?: (e: any) => void;
  },
) {
  const entity = hostileBaseProduct(name);
  extra.drop?.(entity);
  const lines = [
    ...(extra.documentAnchor ? [`--- ${extra.documentAnchor}`] : []),
    `apiVersion: ${json(entity.apiVersion)}`,
    `kind: ${json(entity.kind)}`,
    `metadata:${extra.metadataAnchor ? ` ${extra.metadataAnchor}` : ''}`,
    ...Object.entries(entity.metadata).map(([k, v]) => `  ${k}: ${json(v)}`),
    ...(extra.metadata ? [extra.metadata] : []),
    'spec:',
    ...Object.entries(entity.spec).map(([k, v]) => `  ${k}: ${json(v)}`),
    ...(extra.spec ? [extra.spec] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** `levels` of lists or objects nested under metadata.deep. */
function nestUnder(entity: any, levels: number, lists: boolean) {
  let node: any = lists ? [] : {};
  entity.metadata.deep = node;
  for (let i = 1; i < levels; i++) {
    const child: any = lists ? [] : {};
    if (lists) node.push(child);
    else node.a = child;
    node = child;
  }
  return entity;
}

/** Flow-style YAML of `levels` nested lists or objects, written without recursion. */
const nestedYaml = (levels: number, lists: boolean) =>
  lists
    ? `${'['.repeat(levels)}${']'.repeat(levels)}`
    : `${'{a: '.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

/** Defines an own, enumerable key, as JSON.parse and YAML readers do even for `__proto__`. */
function defineOwn(target: any, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

const MAX_SIZE = DEFAULT_MAX_DESCRIPTOR_SIZE;
/**
 * What the cases "up to the limit" fill to: the limit itself, as the
 * annotations a catalog adds from the file's location
 * (`backstage.io/managed-by-location` and the others) do not count.
 */
const FILL_LIMIT = MAX_SIZE;
/** Levels allowed under metadata: the descriptor and metadata are the first two. */
const ALLOWED_UNDER_METADATA = DEFAULT_MAX_DESCRIPTOR_DEPTH - 2;

/** Values written into the fields that take one of a few words. */
const ENUM_VALUES: Array<
  [variant: string, title: string, value: unknown, cls: HostileDescriptorClass]
> = [
  ['empty', 'empty', '', 'enum'],
  ['upper-case', 'upper case', 'PRODUCTION', 'enum'],
  ['leading-space', 'a leading space', ' table', 'enum'],
  ['trailing-line-feed', 'a trailing line feed', 'table\n', 'injection'],
  ['zero-width-space', 'a zero width space', 'ta\u200bble', 'unicode'],
  ['cyrillic', 'a Cyrillic letter', '\u0440roduction', 'unicode'],
  [
    'escape-sequence',
    'an escape sequence',
    '\u001b[31mred\u001b[0m',
    'injection',
  ],
  [
    'forged-log-line',
    'a forged log line',
    'x\n[ERROR] forged line',
    'injection',
  ],
  ['bidi-override', 'a bidi override', '\u202eelbat', 'unicode'],
  ['100000-characters', '100,000 characters', 'x'.repeat(100_000), 'enum'],
  ['proto', '__proto__', '__proto__', 'prototype-keys'],
  ['number', 'a number', 42, 'type'],
  ['boolean', 'a boolean', true, 'type'],
  ['null', 'null', null, 'type'],
  ['list', 'a list', [], 'type'],
  ['object', 'an object', {}, 'type'],
];

const ENUM_FIELDS: Setter[] = [
  ['spec.type', (e, v) => (e.spec.type = v)],
  ['spec.lifecycle', (e, v) => (e.spec.lifecycle = v)],
  ['spec.classification', (e, v) => (e.spec.classification = v)],
  ['spec.outputPorts[0].type', (e, v) => (e.spec.outputPorts[0].type = v)],
  [
    'spec.outputPorts[0].schema[0].classification',
    (e, v) => (e.spec.outputPorts[0].schema[0].classification = v),
  ],
];

/** The reference fields, with the kind each implies. */
const REFERENCE_FIELDS: Array<[...Setter, kind: string]> = [
  ['spec.owner', (e, v) => (e.spec.owner = v), 'group'],
  ['spec.productOwner', (e, v) => (e.spec.productOwner = v), 'user'],
  ['spec.domain', (e, v) => (e.spec.domain = v), 'domain'],
  ['spec.system', (e, v) => (e.spec.system = v), 'system'],
  [
    'spec.inputPorts[0].source',
    (e, v) => (e.spec.inputPorts[0].source = v),
    'component',
  ],
  [
    'spec.inputPorts[1].dataProduct',
    (e, v) => (e.spec.inputPorts[1].dataProduct = v),
    'dataproduct',
  ],
];

/** References that can never resolve: the text, given the field's kind, and what the problem names. */
const REFERENCE_FORMS: Array<
  [
    variant: string,
    title: string,
    write: (kind: string) => string,
    found: string,
    cls: HostileDescriptorClass,
  ]
> = [
  [
    'cyrillic-a',
    'a Cyrillic a',
    k => `${k}:default/s\u0430les`,
    'U+0430 (a Cyrillic letter)',
    'unicode',
  ],
  [
    'cyrillic-o',
    'a Cyrillic o',
    () => '\u043erders',
    'U+043E (a Cyrillic letter)',
    'unicode',
  ],
  [
    'greek-omicron',
    'a Greek omicron',
    k => `${k}:default/\u03bfrders`,
    'a Greek letter',
    'unicode',
  ],
  [
    'full-width',
    'full-width letters',
    () => '\uff53\uff41\uff4c\uff45\uff53',
    'full-width',
    'unicode',
  ],
  [
    'zero-width-space',
    'a zero width space',
    () => 'sales\u200b',
    'U+200B ZERO WIDTH SPACE',
    'unicode',
  ],
  [
    'zero-width-joiner',
    'a zero width joiner',
    k => `${k}:default/sa\u200dles`,
    'U+200D ZERO WIDTH JOINER',
    'unicode',
  ],
  [
    'zero-width-joiner-short',
    'a zero width joiner, kind left out',
    () => 'sa\u200dles',
    'U+200D ZERO WIDTH JOINER',
    'unicode',
  ],
  [
    'zero-width-non-joiner',
    'a zero width non-joiner',
    () => 'sa\u200cles',
    'U+200C ZERO WIDTH NON-JOINER',
    'unicode',
  ],
  [
    'word-joiner',
    'a word joiner',
    () => 'sa\u2060les',
    'U+2060 WORD JOINER',
    'unicode',
  ],
  [
    'byte-order-mark',
    'a byte order mark',
    () => '\ufeffsales',
    'U+FEFF ZERO WIDTH NO-BREAK SPACE',
    'unicode',
  ],
  [
    'soft-hyphen',
    'a soft hyphen',
    () => 'sa\u00adles',
    'U+00AD SOFT HYPHEN',
    'unicode',
  ],
  [
    'hangul-filler',
    'a Hangul filler',
    () => 'sales\u3164',
    'U+3164 HANGUL FILLER',
    'unicode',
  ],
  [
    'right-to-left-override',
    'a right-to-left override',
    k => `${k}:default/\u202eselas`,
    'U+202E RIGHT-TO-LEFT OVERRIDE',
    'unicode',
  ],
  [
    'left-to-right-isolate',
    'a left-to-right isolate',
    () => 'sales\u2066',
    'U+2066 LEFT-TO-RIGHT ISOLATE',
    'unicode',
  ],
  [
    'right-to-left-mark',
    'a right-to-left mark',
    () => 'sa\u200fles',
    'U+200F RIGHT-TO-LEFT MARK',
    'unicode',
  ],
  [
    'escape-sequence',
    'an escape sequence',
    () => 'sales\u001b[2J',
    'U+001B ESCAPE',
    'injection',
  ],
  [
    'bell',
    'a bell',
    () => 'sales\u0007',
    'U+0007 (a control character)',
    'injection',
  ],
  [
    'next-line',
    'a next line (C1)',
    () => 'sales\u0085x',
    'U+0085 NEXT LINE',
    'injection',
  ],
  [
    'no-break-space',
    'a no-break space',
    () => 'sales\u00a0data',
    'U+00A0 NO-BREAK SPACE',
    'unicode',
  ],
  [
    'line-feed',
    'a line feed and a forged log line',
    () => 'sales\n[ERROR] forged',
    'U+000A LINE FEED',
    'injection',
  ],
  ['second-slash', 'a second slash', k => `${k}:default/a/b`, '"/"', 'ref'],
  [
    'e-mail',
    'an e-mail address',
    () => 'jane.doe@example.com',
    'an e-mail address',
    'ref',
  ],
  [
    'e-mail-with-kind',
    'an e-mail address with a kind',
    k => `${k}:jane@example.com`,
    '"@"',
    'ref',
  ],
  [
    'name-64-characters',
    'a name of 64 characters',
    k => `${k}:default/${'a'.repeat(64)}`,
    '64 characters long',
    'ref',
  ],
  [
    'name-10000-characters',
    'a name of 10,000 characters',
    k => `${k}:default/${'a'.repeat(10_000)}`,
    '10000 characters long',
    'ref',
  ],
  [
    'leading-dash',
    'a name starting with a dash',
    () => '-sales',
    'starts with "-"',
    'ref',
  ],
  [
    'trailing-dot',
    'a name ending with a dot',
    k => `${k}:default/sales.`,
    'ends with "."',
    'ref',
  ],
  [
    'namespace-underscore',
    'a namespace with an underscore',
    k => `${k}:my_ns/sales`,
    '"_"',
    'ref',
  ],
  [
    'namespace-dot',
    'a namespace with a dot',
    k => `${k}:my.ns/sales`,
    '"."',
    'ref',
  ],
  [
    'kind-leading-digit',
    'a kind starting with a digit',
    () => '1group:default/sales',
    'starts with a digit',
    'ref',
  ],
  [
    'empty-name',
    'an empty name',
    k => `${k}:default/`,
    'not of the form',
    'ref',
  ],
  ['only-colon', 'only a colon', () => ':', 'not of the form', 'ref'],
  [
    'very-long',
    '50,000 zero width spaces',
    () => `x${'\u200b'.repeat(50_000)}`,
    'U+200B',
    'unicode',
  ],
];

/** Text with a hostile character, written into a field name and into a value. */
const HOSTILE_TEXTS: Array<[variant: string, text: string]> = [
  ['line-feed', '\n'],
  ['carriage-return', '\r'],
  ['crlf', '\r\n'],
  ['tab', '\t'],
  ['nul', '\u0000'],
  ['bell', '\u0007'],
  ['clear-screen', '\u001b[2J\u001b[H'],
  ['window-title', '\u001b]0;title\u0007'],
  ['hyperlink', '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007'],
  ['next-line', '\u0085'],
  ['csi-colour', '\u009b31m'],
  ['csi-clear', '\u009b2J'],
  ['delete', '\u007f'],
  ['line-separator', '\u2028'],
  ['paragraph-separator', '\u2029'],
  ['lre', '\u202a'],
  ['rle', '\u202b'],
  ['pdf', '\u202c'],
  ['lro', '\u202d'],
  ['rlo', '\u202e'],
  ['lri', '\u2066'],
  ['rli', '\u2067'],
  ['fsi', '\u2068'],
  ['pdi', '\u2069'],
  ['arabic-letter-mark', '\u061c'],
  ['lrm', '\u200e'],
  ['rlm', '\u200f'],
  ['zero-width-space', '\u200b'],
  ['byte-order-mark', '\ufeff'],
  ['lone-surrogate', '\ud800'],
  ['forged-log-line', '\n2026-01-01 [ERROR] forged log line\n'],
  [
    'forged-catalog-log-line',
    '\n2026-01-01T00:00:00Z [ERROR] catalog: forged\n',
  ],
  ['sql', '"; DROP TABLE final_entities; --'],
  ['jndi-lookup', '${jndi:ldap://x}'],
];

/** Text with a control character, or SQL or a lookup to inject. */
const isInjection = (text: string) =>
  [...text].some(c => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  }) || /DROP|jndi/.test(text);

/** Keys that name members of Object.prototype, or the prototype itself. */
const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
];

/** What the catalog makes of a `__proto__` key. */
const PROTO_DROPPED: HostileCatalogExpectation = {
  outcome: 'accepted',
  reason:
    "the catalog's entity policies rebuild the descriptor with lodash's merge, which drops __proto__ keys (and so pollutes nothing), before the processor validates it",
};

/** What a catalog does with a name its database cannot hold in an entity reference. */
const REF_TOO_LONG: HostileCatalogExpectation = {
  outcome: 'refused',
  by: 'yaml',
  reason: "the catalog's database stores references of at most 255",
};

/** Where unknown and prototype keys are written. */
const KEY_PLACES: Array<[path: string, target: (e: any) => any]> = [
  ['spec', e => e.spec],
  ['spec.outputPorts[0]', e => e.spec.outputPorts[0]],
  ['spec.inputPorts[0]', e => e.spec.inputPorts[0]],
  ['spec.slos', e => e.spec.slos],
  ['spec.waivers[0]', e => e.spec.waivers[0]],
  ['spec.outputPorts[0].schema[0]', e => e.spec.outputPorts[0].schema[0]],
];

/**
 * The corpus: several hundred hostile DataProduct descriptors, each with
 * the rule it tests, what makes it hostile and what the DataProduct
 * processor (and a catalog running it) must do with it. Every case but
 * those about identity has its own `metadata.name`, so a catalog can take
 * them all at once. Building the list is cheap; each case builds its
 * descriptor when asked.
 *
 * @public
 */
export function hostileDescriptors(): HostileDescriptor[] {
  const cases: HostileDescriptor[] = [];
  const counts = new Map<string, number>();
  /** A unique name for a case of `group`: `enum-12`. */
  const nameFor = (group: string) => {
    const n = counts.get(group) ?? 0;
    counts.set(group, n + 1);
    return `${group}-${n}`;
  };
  type Fields = Omit<HostileDescriptor, 'entity' | 'name'> & {
    /** Changes the base product, named `name`, into the case. */
    mutate?: (entity: any, name: string) => void;
    /** Builds the whole descriptor instead. */
    build?: (name: string) => unknown;
    /** The name, when the case is about it, or null for none. */
    name?: string | null;
    yamlOf?: (name: string) => string;
  };
  const add = ({ mutate, build, name: given, yamlOf, ...fields }: Fields) => {
    const name = given === undefined ? nameFor(fields.group) : given;
    const base = name ?? 'nameless';
    cases.push({
      ...fields,
      ...(name !== null ? { name } : {}),
      entity: () => {
        if (build) return build(base);
        const entity = hostileBaseProduct(base);
        mutate?.(entity, base);
        return entity;
      },
      ...(yamlOf ? { yaml: () => yamlOf(base) } : {}),
    });
  };
  const errorsAt = (...paths: string[]): HostileDescriptorExpectation => ({
    outcome: 'accepted-with-errors',
    paths,
  });
  const refusedAt = (path: string): HostileDescriptorExpectation => ({
    outcome: 'refused',
    path,
  });
  const accepted: HostileDescriptorExpectation = { outcome: 'accepted' };

  // Enum fields with wrong words and wrong types.
  for (const [path, set] of ENUM_FIELDS) {
    for (const [variant, title, value, cls] of ENUM_VALUES) {
      add({
        id: `enum/${path}/${variant}`,
        class: cls,
        group: 'enum',
        title: `${path} = ${title}`,
        at: path,
        value,
        expected: errorsAt(path),
        mutate: e => set(e, structuredClone(value)),
      });
    }
  }

  // References that can never resolve.
  for (const [path, set, kind] of REFERENCE_FIELDS) {
    for (const [variant, title, write, found, cls] of REFERENCE_FORMS) {
      const value = write(kind);
      add({
        id: `reference/${path}/${variant}`,
        class: cls,
        group: 'reference',
        title: `${path} with ${title}`,
        at: path,
        value,
        found,
        expected: errorsAt(path),
        mutate: e => set(e, value),
      });
    }
  }

  // References naming a prototype key: looked up as a name, nothing inherited.
  for (const key of PROTOTYPE_KEYS) {
    add({
      id: `reference-name/spec.domain/${key}`,
      class: 'prototype-keys',
      group: 'reference-name',
      title: `spec.domain = ${key}`,
      at: 'spec.domain',
      value: key,
      // A name may not start with "_"; the others are names like any.
      expected: key.startsWith('_') ? errorsAt('spec.domain') : accepted,
      mutate: e => (e.spec.domain = key),
    });
  }

  // Metadata: missing, of the wrong type, with names the catalog refuses.
  const metadataCases: Array<
    [
      variant: string,
      title: string,
      cls: HostileDescriptorClass,
      mutate: (e: any) => void,
      path: string,
      found: string,
      outcome: 'refused' | 'accepted-with-errors',
      name?: string | null,
      catalog?: HostileCatalogExpectation,
    ]
  > = [
    [
      'null',
      'metadata null',
      'identity',
      e => (e.metadata = null),
      'metadata',
      'null',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'missing',
      'metadata missing',
      'identity',
      e => delete e.metadata,
      'metadata',
      'nothing',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'list',
      'metadata a list',
      'identity',
      e => (e.metadata = [{ name: 'x' }]),
      'metadata',
      'a list',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'empty-list',
      'metadata an empty list',
      'identity',
      e => (e.metadata = []),
      'metadata',
      'a list',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'string',
      'metadata a string',
      'identity',
      e => (e.metadata = 'orders'),
      'metadata',
      '"orders"',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'number',
      'metadata a number',
      'identity',
      e => (e.metadata = 7),
      'metadata',
      'number 7',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'metadata' },
    ],
    [
      'name-missing',
      'no name',
      'identity',
      e => delete e.metadata.name,
      'metadata.name',
      'nothing',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'name' },
    ],
    [
      'name-number',
      'a name that is a number',
      'identity',
      e => (e.metadata.name = 42),
      'metadata.name',
      'number 42',
      'refused',
      null,
      { outcome: 'refused', by: 'catalog', reason: 'name' },
    ],
    [
      'name-space',
      'a name with a space',
      'identity',
      e => (e.metadata.name = 'Returns Forecast'),
      'metadata.name',
      'a space',
      'refused',
      'Returns Forecast',
    ],
    [
      'name-zero-width-space',
      'a name with a zero width space',
      'unicode',
      e => (e.metadata.name = 'ord\u200bers'),
      'metadata.name',
      'U+200B ZERO WIDTH SPACE',
      'refused',
      'ord\u200bers',
    ],
    [
      'name-cyrillic',
      'a name with a Cyrillic letter',
      'unicode',
      e => (e.metadata.name = '\u043erders'),
      'metadata.name',
      'Cyrillic',
      'refused',
      '\u043erders',
    ],
    [
      'name-bidi-override',
      'a name with a bidi override',
      'unicode',
      e => (e.metadata.name = 'a\u202eb'),
      'metadata.name',
      'U+202E',
      'refused',
      'a\u202eb',
    ],
    [
      'name-line-feed',
      'a name with a forged log line',
      'injection',
      e => (e.metadata.name = 'orders\n[ERROR] x'),
      'metadata.name',
      'U+000A LINE FEED',
      'refused',
      'orders\n[ERROR] x',
    ],
    [
      'name-slash',
      'a name with a slash',
      'identity',
      e => (e.metadata.name = 'a/b'),
      'metadata.name',
      '"/"',
      'refused',
      'a/b',
    ],
    [
      'name-proto',
      'the name __proto__',
      'prototype-keys',
      e => (e.metadata.name = '__proto__'),
      'metadata.name',
      'starts with "_"',
      'refused',
      '__proto__',
    ],
    [
      'name-10000-characters',
      'a name of 10,000 characters',
      'identity',
      e => (e.metadata.name = 'a'.repeat(10_000)),
      'metadata.name',
      '10000 characters long',
      'refused',
      'a'.repeat(10_000),
    ],
    [
      'name-100000-characters',
      'a name of 100,000 characters',
      'identity',
      e => (e.metadata.name = 'b'.repeat(100_000)),
      'metadata.name',
      '100000 characters long',
      'refused',
      'b'.repeat(100_000),
    ],
    [
      'namespace-upper-case',
      'a namespace in upper case',
      'identity',
      e => (e.metadata.namespace = 'Default'),
      'metadata.namespace',
      'upper-case',
      'refused',
    ],
    [
      'namespace-line-feed',
      'a namespace with a line feed',
      'injection',
      e => (e.metadata.namespace = 'de\nfault'),
      'metadata.namespace',
      'LINE FEED',
      'refused',
    ],
    [
      'namespace-bidi',
      'a namespace with a bidi control',
      'unicode',
      e => (e.metadata.namespace = 'de\u202efault'),
      'metadata.namespace',
      'U+202E',
      'refused',
    ],
    [
      'annotations-string',
      'annotations that are a string',
      'type',
      e => (e.metadata.annotations = 'x'),
      'metadata.annotations',
      '"x"',
      'refused',
      undefined,
      { outcome: 'refused', by: 'catalog', reason: 'annotations' },
    ],
    [
      'annotations-list',
      'annotations that are a list',
      'type',
      e => (e.metadata.annotations = ['x']),
      'metadata.annotations',
      'a list',
      'refused',
      undefined,
      { outcome: 'refused', by: 'catalog', reason: 'annotations' },
    ],
    [
      'title-right-to-left-override',
      'a title with a right-to-left override',
      'unicode',
      e => (e.metadata.title = 'Orders \u202etxt.exe'),
      'metadata.title',
      'U+202E RIGHT-TO-LEFT OVERRIDE',
      'accepted-with-errors',
    ],
    [
      'title-line-feed',
      'a title with a forged log line',
      'injection',
      e => (e.metadata.title = 'Orders\n[ERROR] x'),
      'metadata.title',
      'U+000A LINE FEED',
      'accepted-with-errors',
    ],
    [
      'title-escape-sequence',
      'a title with an escape sequence',
      'injection',
      e => (e.metadata.title = '\u001b[31mOrders'),
      'metadata.title',
      'U+001B ESCAPE',
      'accepted-with-errors',
    ],
    [
      'title-zero-width-space',
      'a title with a zero width space',
      'unicode',
      e => (e.metadata.title = 'Ord\u200bers'),
      'metadata.title',
      'U+200B',
      'accepted-with-errors',
    ],
    [
      'title-nul',
      'a title with a NUL',
      'storage',
      e => (e.metadata.title = 'Orders\u0000'),
      'metadata.title',
      'U+0000 NULL',
      'refused',
    ],
    [
      'title-object',
      'a title that is an object',
      'type',
      e => (e.metadata.title = { en: 'Orders' }),
      'metadata.title',
      'an object',
      'accepted-with-errors',
      undefined,
      { outcome: 'refused', by: 'catalog', reason: 'title' },
    ],
  ];
  for (const [
    variant,
    title,
    cls,
    mutate,
    path,
    found,
    outcome,
    name,
    catalog,
  ] of metadataCases) {
    add({
      id: `metadata/${path}/${variant}`,
      class: cls,
      group: 'metadata',
      title,
      at: path,
      found,
      name,
      expected: outcome === 'refused' ? refusedAt(path) : errorsAt(path),
      ...(catalog ? { catalog } : {}),
      ...(path === 'metadata.annotations' ? { processorOnly: true } : {}),
      ...(/^name-\d{5,}-characters$/.test(variant)
        ? { catalog: REF_TOO_LONG }
        : {}),
      mutate: e => mutate(e),
    });
  }
  for (const [variant, title] of [
    ['emoji', 'Orders 📦'],
    ['family-emoji', 'Familie 👨‍👩‍👧 (with joiners)'],
    ['umlauts', 'Bestellungen – Übersicht'],
    ['japanese', '注文データ'],
    ['persian', 'سفارش‌ها'], // a zero width non-joiner, as Persian writes it
    ['variation-selector', '❤️ variation selector'],
  ]) {
    add({
      id: `metadata/metadata.title/${variant}`,
      class: 'unicode',
      group: 'metadata',
      title: `the printable title ${JSON.stringify(title)}`,
      at: 'metadata.title',
      value: title,
      expected: accepted,
      mutate: e => (e.metadata.title = title),
    });
  }

  // Waiver dates that do not exist, and the reason each is refused.
  const impossibleDates: Array<[string, string]> = [
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
    ['2026-06-30T12:00+25:00', 'offset +25:00'],
    ['2026-06-30T12:00-02:60', 'offset -02:60'],
    ['2026-6-30', ''],
    ['30/06/2026', ''],
    ['2026-06-30T12:00:00+0200', ''],
    ['2026-06-30 ', ''],
    ['\uff12\uff10\uff12\uff16-06-30', ''],
    ['tomorrow', ''],
    ['next week', ''],
    ['', ''],
  ];
  impossibleDates.forEach(([expires, why], i) => {
    add({
      id: `waiver-date/spec.waivers[0].expires/${i}`,
      class: 'waiver-date',
      group: 'waiver-date',
      title: `a waiver expiring ${JSON.stringify(expires)}`,
      at: 'spec.waivers[0].expires',
      value: expires,
      found: why,
      expected: errorsAt('spec.waivers[0].expires'),
      mutate: e => (e.spec.waivers[0].expires = expires),
    });
  });

  // Waivers the policy engine must not apply.
  const waivers: Array<
    [string, string, HostileDescriptorClass, () => unknown]
  > = [
    [
      'empty-reason',
      'an empty reason',
      'waiver',
      () => ({ policy: 'p', reason: '', expires: '2027-01-01' }),
    ],
    [
      'blank-reason',
      'a blank reason',
      'waiver',
      () => ({ policy: 'p', reason: ' \t\n', expires: '2027-01-01' }),
    ],
    [
      'invisible-reason',
      'an invisible reason',
      'unicode',
      () => ({
        policy: 'p',
        reason: '\u200b\u2060\ufeff',
        expires: '2027-01-01',
      }),
    ],
    [
      'bidi-reason',
      'a reason of a bidi control',
      'unicode',
      () => ({ policy: 'p', reason: '\u202e', expires: '2027-01-01' }),
    ],
    [
      'no-reason',
      'no reason',
      'waiver',
      () => ({ policy: 'p', expires: '2027-01-01' }),
    ],
    ['no-expiry', 'no expiry', 'waiver', () => ({ policy: 'p', reason: 'r' })],
    [
      'policy-spaces',
      'a policy with spaces',
      'waiver',
      () => ({ policy: 'a b', reason: 'r', expires: '2027-01-01' }),
    ],
    [
      'approver-line-feed',
      'an approver with a line feed',
      'injection',
      () => ({
        policy: 'p',
        reason: 'r',
        expires: '2027-01-01',
        approvedBy: 'user:a\nb',
      }),
    ],
    [
      'unknown-field',
      'an unknown field',
      'waiver',
      () => ({
        policy: 'p',
        reason: 'r',
        expires: '2027-01-01',
        scope: 'all',
      }),
    ],
    [
      'proto-field',
      'a __proto__ field',
      'prototype-keys',
      () =>
        JSON.parse(
          '{"policy":"p","reason":"r","expires":"2027-01-01","__proto__":{"x":1}}',
        ),
    ],
    [
      'reason-object',
      'a reason that is an object',
      'type',
      () => ({ policy: 'p', reason: { text: 'r' }, expires: '2027-01-01' }),
    ],
    ['string', 'a string', 'type', () => 'quanta.slos-declared until 2027'],
    ['null', 'null', 'type', () => null],
    ['list', 'a list', 'type', () => ['p', 'r', '2027-01-01']],
  ];
  for (const [variant, title, cls, make] of waivers) {
    add({
      id: `waiver/spec.waivers[0]/${variant}`,
      class: cls,
      group: 'waiver',
      title: `a waiver with ${title}`,
      at: 'spec.waivers[0]',
      value: make(),
      expected: errorsAt('spec.waivers[0]'),
      ...(variant === 'proto-field' ? { catalog: PROTO_DROPPED } : {}),
      mutate: e => (e.spec.waivers = [make()]),
    });
  }

  // SLOs, retention and the other value fields.
  const values: Array<[string, string, HostileDescriptorClass, unknown]> = [
    ['spec.slos.freshness', 'words', 'duration', '1 hour'],
    ['spec.slos.freshness', 'no unit', 'duration', 'PT'],
    ['spec.slos.freshness', 'P alone', 'duration', 'P'],
    ['spec.slos.freshness', 'a negative duration', 'duration', '-PT1H'],
    ['spec.slos.freshness', 'a fraction of hours', 'duration', 'PT1.5H'],
    ['spec.slos.freshness', 'lower case', 'duration', 'pt1h'],
    ['spec.slos.freshness', 'a line feed', 'injection', 'PT1H\n'],
    ['spec.slos.freshness', 'a number', 'type', 3600],
    [
      'spec.slos.intervalOfChange',
      'minutes before hours',
      'duration',
      'PT1M1H',
    ],
    ['spec.slos.timeliness', 'a time without T', 'duration', 'P1H'],
    ['spec.retention', 'forever', 'duration', 'forever'],
    [
      'spec.slos.freshness',
      'days without end',
      'duration',
      'P999999999999999999999D',
    ],
    [
      'spec.slos.freshness',
      'a billion days, past the last date JavaScript holds',
      'duration',
      'P999999999D',
    ],
    [
      'spec.retention',
      '400 digits of years',
      'duration',
      `P${'9'.repeat(400)}Y`,
    ],
    [
      'spec.slos.timeliness',
      '400 digits of seconds',
      'duration',
      `PT${'9'.repeat(400)}.5S`,
    ],
    ['spec.retention', 'a year over 10,000 years', 'duration', 'P10001Y'],
    [
      'spec.slos.intervalOfChange',
      'months over 10,000 years',
      'duration',
      'P121667M',
    ],
    ['spec.retention', 'full-width digits', 'unicode', 'P\uff12Y'],
    ['spec.slos.completeness', 'a percent sign', 'type', '99.5%'],
    ['spec.slos.completeness', 'over 100', 'type', 101],
    ['spec.slos.completeness', 'below 0', 'type', -1],
    ['spec.slos.availability', 'a boolean', 'type', true],
    ['spec.slos.availability', '1e308', 'type', 1e308],
    ['spec.containsPii', 'yes', 'type', 'yes'],
    ['spec.regulations', 'a string', 'type', 'GDPR'],
    ['spec.regulations[0]', 'lower case', 'enum', 'gdpr'],
    ['spec.slos', 'a list', 'type', ['PT1H']],
  ];
  values.forEach(([path, title, cls, value], i) => {
    add({
      id: `slos/${path}/${i}`,
      class: cls,
      group: 'slos',
      title: `${path} as ${title}`,
      at: path,
      value,
      expected: errorsAt(path),
      mutate: e => {
        const segments = path.replace('[0]', '.0').split('.').slice(1);
        let node = e.spec;
        for (const segment of segments.slice(0, -1)) {
          node[segment] ??= segment === 'regulations' ? [] : {};
          node = node[segment];
        }
        node[segments[segments.length - 1]] = structuredClone(value);
      },
    });
  });

  // Spec and its lists of the wrong shape.
  const shapes: Array<[string, string, string, (e: any) => void]> = [
    ['spec-null', 'spec null', 'spec', e => (e.spec = null)],
    ['spec-missing', 'no spec', 'spec', e => delete e.spec],
    ['spec-list', 'spec a list', 'spec', e => (e.spec = [e.spec])],
    ['spec-string', 'spec a string', 'spec', e => (e.spec = 'orders')],
    [
      'input-ports-object',
      'input ports an object',
      'spec.inputPorts',
      e => (e.spec.inputPorts = { name: 'x' }),
    ],
    [
      'input-ports-strings',
      'input ports that are strings',
      'spec.inputPorts[0]',
      e => (e.spec.inputPorts = ['customers']),
    ],
    [
      'input-port-null',
      'an input port that is null',
      'spec.inputPorts[0]',
      e => (e.spec.inputPorts[0] = null),
    ],
    [
      'output-ports-null',
      'output ports null',
      'spec.outputPorts',
      e => (e.spec.outputPorts = null),
    ],
    [
      'output-ports-empty',
      'no output port',
      'spec.outputPorts',
      e => (e.spec.outputPorts = []),
    ],
    [
      'schema-object',
      'a port schema that is an object',
      'spec.outputPorts[0].schema',
      e => (e.spec.outputPorts[0].schema = { order_id: 'string' }),
    ],
    [
      'owner-list',
      'owners as a list',
      'spec.owner',
      e => (e.spec.owner = ['group:default/sales-data']),
    ],
    [
      'input-port-both',
      'an input port with a source and a data product',
      'spec.inputPorts[0]',
      e => (e.spec.inputPorts[0].dataProduct = 'customers'),
    ],
  ];
  for (const [variant, title, path, mutate] of shapes) {
    add({
      id: `spec-shape/${path}/${variant}`,
      class: 'type',
      group: 'spec-shape',
      title,
      at: path,
      expected: errorsAt(path),
      // The catalog's policies refuse a spec that is no object.
      ...(/^spec-(null|list|string)$/.test(variant)
        ? {
            catalog: {
              outcome: 'refused',
              by: 'catalog',
              reason: '/spec must be object',
            } as HostileCatalogExpectation,
          }
        : {}),
      mutate: e => mutate(e),
    });
  }

  // Unknown keys, from one to thousands, in each object of the descriptor.
  for (const [path, target] of KEY_PLACES) {
    for (const count of [1, 10, 49, 50, 51, 1000, 8000]) {
      add({
        id: `unknown-keys/${path}/${count}`,
        class: 'unknown-keys',
        group: 'unknown-keys',
        title: `${count} unknown keys in ${path}`,
        at: path,
        count,
        expected: errorsAt(`${path}.extra0`),
        mutate: e => {
          const object = target(e);
          for (let i = 0; i < count; i++) object[`extra${i}`] = i;
        },
      });
    }
  }
  for (const count of [10, 51, 1000, 12_000]) {
    add({
      id: `unknown-keys/spec/${count}-with-controls`,
      class: 'injection',
      group: 'unknown-keys',
      title: `${count} unknown keys in spec, each with a line break and an escape sequence`,
      at: 'spec',
      count,
      expected: errorsAt('spec["key0\\r\\n\\u{001B}[1m"]'),
      mutate: e => {
        for (let i = 0; i < count; i++) e.spec[`key${i}\r\n\u001b[1m`] = i;
      },
    });
  }

  // Hostile characters in a field name and in a value.
  for (const [variant, text] of HOSTILE_TEXTS) {
    const cls: HostileDescriptorClass = isInjection(text)
      ? 'injection'
      : 'unicode';
    add({
      id: `key-text/spec/${variant}`,
      class: cls,
      group: 'key-text',
      title: `a key in spec holding ${JSON.stringify(text)}`,
      at: 'spec',
      value: `a${text}b`,
      // The catalog's database cannot hold U+0000: refused, not listed.
      expected: text === '\u0000' ? refusedAt('spec["a') : errorsAt('spec["a'),
      mutate: e => (e.spec[`a${text}b`] = 1),
    });
    add({
      id: `value-text/spec.outputPorts[0].format/${variant}`,
      class: cls,
      group: 'value-text',
      title: `a port format holding ${JSON.stringify(text)}`,
      at: 'spec.outputPorts[0].format',
      value: `csv${text}`,
      expected:
        text === '\u0000'
          ? refusedAt('spec.outputPorts[0].format')
          : errorsAt('spec.outputPorts[0].format'),
      mutate: e => (e.spec.outputPorts[0].format = `csv${text}`),
    });
  }

  // Keys that name the prototype, as JSON and YAML readers make them: own keys.
  for (const [path, target] of KEY_PLACES.filter(([p]) =>
    ['spec', 'spec.outputPorts[0]', 'spec.slos'].includes(p),
  )) {
    for (const key of PROTOTYPE_KEYS) {
      add({
        id: `prototype-keys/${path}/${key}`,
        class: 'prototype-keys',
        group: 'prototype-keys',
        title: `${path}.${key}`,
        at: path,
        value: key,
        expected: errorsAt(`${path}.${key}`),
        ...(key === '__proto__' ? { catalog: PROTO_DROPPED } : {}),
        mutate: e =>
          defineOwn(
            target(e),
            key,
            JSON.parse(`{${JSON.stringify(key)}:{"polluted":true}}`)[key],
          ),
      });
    }
  }

  // Nesting: as deep as allowed, deeper, much deeper, and cycles.
  for (const levels of [1, 10, ALLOWED_UNDER_METADATA]) {
    add({
      id: `nesting/metadata.deep/${levels}-objects`,
      class: 'depth',
      group: 'nesting',
      title: `${levels} levels of objects under metadata`,
      at: 'metadata.deep',
      count: levels,
      expected: accepted,
      mutate: e => nestUnder(e, levels, false),
    });
  }
  for (const [levels, lists] of [
    [ALLOWED_UNDER_METADATA + 1, false],
    [100, false],
    [1000, false],
    [100_000, false],
    [ALLOWED_UNDER_METADATA + 1, true],
    [1000, true],
    [100_000, true],
  ] as const) {
    const step = lists ? '[0]' : '.a';
    add({
      id: `nesting/metadata.deep/${levels}-${lists ? 'lists' : 'objects'}`,
      class: 'depth',
      group: 'nesting',
      title: `${levels.toLocaleString('en-US')} levels of ${
        lists ? 'lists' : 'objects'
      } under metadata`,
      at: 'metadata.deep',
      count: levels,
      expected: refusedAt(
        `metadata.deep${step.repeat(ALLOWED_UNDER_METADATA)}`,
      ),
      // The YAML reader runs out of stack at about 1,000 levels (or the
      // processor refuses it, where the reader's stack goes deeper); the
      // module's file parser refuses nesting past 2,000 levels before the
      // reader spends a second on 100,000.
      ...(levels >= 1000
        ? {
            catalog: (levels > 1000
              ? {
                  outcome: 'refused',
                  by: 'yaml',
                  reason:
                    'the file nests lists or mappings more than 2,000 levels deep',
                }
              : {
                  outcome: 'refused',
                  by: 'yaml',
                  reason: 'Maximum call stack size exceeded',
                }) as HostileCatalogExpectation,
          }
        : {}),
      mutate: e => nestUnder(e, levels, lists),
      yamlOf: name =>
        productYaml(name, {
          metadata: `  deep: ${nestedYaml(levels, lists)}`,
        }),
    });
  }
  add({
    id: 'nesting/spec.outputPorts[0].schema[0].description/50-lists',
    class: 'depth',
    group: 'nesting',
    title: '50 levels of lists in a schema field description',
    at: 'spec.outputPorts[0].schema[0].description',
    count: 50,
    expected: refusedAt('spec.outputPorts[0].schema[0].description[0]'),
    mutate: e => {
      let node: any = [];
      e.spec.outputPorts[0].schema[0].description = node;
      for (let i = 0; i < 50; i++) {
        const child: any = [];
        node.push(child);
        node = child;
      }
    },
  });
  add({
    id: 'nesting/spec.outputPorts[0].description/40-lists',
    class: 'depth',
    group: 'nesting',
    title: '40 levels of lists in a port description',
    at: 'spec.outputPorts[0].description',
    count: 40,
    expected: refusedAt('spec.outputPorts[0].description[0]'),
    mutate: e => {
      let node: any = [];
      e.spec.outputPorts[0].description = node;
      for (let i = 0; i < 40; i++) {
        const child: any = [];
        node.push(child);
        node = child;
      }
    },
  });
  add({
    id: 'nesting/metadata.self/cycle',
    class: 'alias',
    group: 'nesting',
    title: 'metadata that holds itself, through an anchor',
    at: 'metadata.self',
    expected: refusedAt('metadata.self'),
    mutate: e => (e.metadata.self = e.metadata),
    yamlOf: name =>
      productYaml(name, { metadataAnchor: '&m', metadata: '  self: *m' }),
  });
  add({
    id: 'nesting/spec.outputPorts/cycle',
    class: 'alias',
    group: 'nesting',
    title: 'output ports that are a list holding itself',
    at: 'spec.outputPorts',
    expected: refusedAt('spec.outputPorts'),
    mutate: e => {
      const list: any[] = [];
      list.push(list);
      e.spec.outputPorts = list;
    },
    yamlOf: name =>
      productYaml(name, {
        drop: e => delete e.spec.outputPorts,
        spec: '  outputPorts: &ports [*ports]',
      }),
  });
  add({
    id: 'nesting/spec.slos/cycle',
    class: 'alias',
    group: 'nesting',
    title: 'SLOs that hold the whole descriptor',
    at: 'spec.slos',
    expected: refusedAt('spec.slos'),
    mutate: e => (e.spec.slos = e),
    yamlOf: name =>
      productYaml(name, {
        documentAnchor: '&product',
        drop: e => delete e.spec.slos,
        spec: '  slos: *product',
      }),
  });

  // Size: over the limit in every way, and as large as the limit allows.
  for (const [levels, width] of [
    [25, 2],
    [12, 8],
  ]) {
    add({
      id: `size/metadata.annotations/alias-bomb-${width}^${levels}`,
      class: 'alias',
      group: 'size',
      title: `aliases of aliases in annotations, ${width}^${levels} copies`,
      at: 'metadata.annotations',
      count: width ** levels,
      expected: refusedAt('metadata.annotations.a'),
      mutate: e => (e.metadata.annotations = { a: aliasBomb(levels, width) }),
      yamlOf: name =>
        productYaml(name, {
          metadata: `  annotations: { a: ${aliasBombYaml(levels, width)} }`,
        }),
    });
  }
  for (const [levels, width] of [
    [25, 2],
    [10, 8],
  ]) {
    add({
      id: `size/spec.outputPorts/alias-bomb-${width}^${levels}`,
      class: 'alias',
      group: 'size',
      title: `output ports of aliases of aliases, ${width}^${levels} copies`,
      at: 'spec.outputPorts',
      count: width ** levels,
      expected: refusedAt('spec.outputPorts'),
      mutate: e => (e.spec.outputPorts = aliasBomb(levels, width)),
      yamlOf: name =>
        productYaml(name, {
          drop: e => delete e.spec.outputPorts,
          spec: `  outputPorts: ${aliasBombYaml(levels, width)}`,
        }),
    });
  }
  add({
    id: 'size/metadata.annotations/1mb-anchor-100-aliases',
    class: 'alias',
    group: 'size',
    title:
      'a 1 MB anchor aliased 100 times in annotations (100 MB as JSON), as many aliases as a YAML reader allows',
    at: 'metadata.annotations',
    count: 100,
    expected: refusedAt('metadata.annotations'),
    mutate: e => {
      const anchor = 'x'.repeat(1_050_000);
      e.metadata.annotations = {};
      for (let i = 0; i < 100; i++) e.metadata.annotations[`a${i}`] = anchor;
    },
    yamlOf: name =>
      productYaml(name, {
        metadata: `  annotations:\n    a0: &text "${'x'.repeat(
          1_050_000,
        )}"\n${Array.from(
          { length: 99 },
          (_, i) => `    a${i + 1}: *text`,
        ).join('\n')}`,
      }),
  });
  add({
    id: 'size/metadata.annotations/30kb-anchor-20-aliases',
    class: 'alias',
    group: 'size',
    title: 'a 30 KB anchor aliased 20 times in annotations (600 KB as JSON)',
    at: 'metadata.annotations',
    count: 20,
    expected: refusedAt('metadata.annotations'),
    mutate: e => {
      const anchor = 'y'.repeat(30_000);
      e.metadata.annotations = {};
      for (let i = 0; i < 20; i++) e.metadata.annotations[`a${i}`] = anchor;
    },
    yamlOf: name =>
      productYaml(name, {
        metadata: `  annotations:\n    a0: &text "${'y'.repeat(
          30_000,
        )}"\n${Array.from(
          { length: 19 },
          (_, i) => `    a${i + 1}: *text`,
        ).join('\n')}`,
      }),
  });
  add({
    id: 'size/metadata.annotations/aliases-up-to-the-limit',
    class: 'alias',
    group: 'size',
    title:
      'a 25 KB anchor aliased 19 times in annotations, just under the limit as JSON',
    at: 'metadata.annotations',
    count: 20,
    expected: accepted,
    mutate: e => {
      const anchor = 'z'.repeat(25_000);
      e.metadata.annotations = {};
      for (let i = 0; i < 20; i++) e.metadata.annotations[`a${i}`] = anchor;
    },
    yamlOf: name =>
      productYaml(name, {
        metadata: `  annotations:\n    a0: &text "${'z'.repeat(
          25_000,
        )}"\n${Array.from(
          { length: 19 },
          (_, i) => `    a${i + 1}: *text`,
        ).join('\n')}`,
      }),
  });
  add({
    id: 'size/metadata.labels/512kib-string',
    class: 'size',
    group: 'size',
    title: 'a label of 512 KiB',
    at: 'metadata.labels',
    expected: refusedAt('metadata.labels'),
    mutate: e => (e.metadata.labels = { a: 'x'.repeat(MAX_SIZE) }),
  });
  add({
    id: 'size/spec.outputPorts[0].description/1mb',
    class: 'size',
    group: 'size',
    title: 'a port description of 1 MB',
    at: 'spec.outputPorts[0].description',
    expected: refusedAt('spec.outputPorts[0].description'),
    mutate: e => (e.spec.outputPorts[0].description = 'x'.repeat(1_000_000)),
  });
  add({
    id: 'size/spec/600kb-unknown-keys',
    class: 'size',
    group: 'size',
    title: '600 KB of unknown keys in spec',
    at: 'spec',
    count: 60_000,
    expected: refusedAt('spec'),
    mutate: e => {
      for (let i = 0; i < 60_000; i++) e.spec[`unknown-key-${i}`] = 1;
    },
  });
  add({
    id: 'size/spec/duplicate-after-20000-keys',
    class: 'unknown-keys',
    group: 'size',
    title:
      '20,000 unknown keys in spec, the last one repeated, which a YAML reader must find without comparing every pair',
    at: 'spec',
    count: 20_000,
    expected: errorsAt('spec.unknown-key-0'),
    catalog: {
      outcome: 'refused',
      by: 'yaml',
      reason: 'Map keys must be unique',
    },
    mutate: e => {
      for (let i = 0; i < 20_000; i++) e.spec[`unknown-key-${i}`] = 1;
    },
    yamlOf: name => {
      const entity = hostileBaseProduct(name);
      for (let i = 0; i < 20_000; i++) entity.spec[`unknown-key-${i}`] = 1;
      return `${JSON.stringify(entity).replace(
        '"unknown-key-19999":1',
        '"unknown-key-19999":1,"unknown-key-19999":2',
      )}\n`;
    },
  });
  add({
    id: 'size/spec.inputPorts/a-million',
    class: 'size',
    group: 'size',
    title: 'a million input ports, all one object',
    at: 'spec.inputPorts',
    count: 1_000_000,
    expected: refusedAt('spec.inputPorts'),
    catalog: {
      outcome: 'not-written',
      reason:
        'a YAML file of a million list items takes the catalog’s YAML reader longer than a test may wait, before any processor sees it',
    },
    mutate: e => (e.spec.inputPorts = new Array(1_000_000).fill({ name: 'x' })),
  });
  add({
    id: 'size/spec.outputPorts/just-over-the-limit',
    class: 'size',
    group: 'size',
    title: 'ports with 12-field schemas, just over the limit',
    at: 'spec.outputPorts',
    expected: refusedAt('spec.outputPorts'),
    mutate: e =>
      fillTo(e, x => x.spec.outputPorts, realisticPort, MAX_SIZE + 20_000),
  });
  add({
    id: 'size/spec.outputPorts/200-realistic-ports',
    class: 'size',
    group: 'size',
    title: '200 ports with a 12-field schema each, a realistic large product',
    at: 'spec.outputPorts',
    count: 200,
    expected: accepted,
    mutate: e => {
      e.spec.outputPorts = Array.from({ length: 200 }, (_, i) =>
        realisticPort(i),
      );
    },
  });
  add({
    id: 'size/spec.outputPorts/up-to-the-limit',
    class: 'size',
    group: 'size',
    title: 'ports with 12-field schemas, up to the limit: the largest valid',
    at: 'spec.outputPorts',
    expected: accepted,
    mutate: e => fillTo(e, x => x.spec.outputPorts, realisticPort, FILL_LIMIT),
  });
  add({
    id: 'size/spec.outputPorts/same-ports-up-to-the-limit',
    class: 'duplicate-ports',
    group: 'size',
    title: 'ports without a format, all one name, up to the limit',
    at: 'spec.outputPorts',
    expected: errorsAt('spec.outputPorts[0].format', 'spec.outputPorts'),
    mutate: e =>
      fillTo(
        e,
        x => x.spec.outputPorts,
        () => ({ name: 'same', type: 'table', address: 's3://lake/same/' }),
        FILL_LIMIT,
      ),
  });
  add({
    id: 'size/spec/unknown-keys-up-to-the-limit',
    class: 'unknown-keys',
    group: 'size',
    title: 'unknown keys with control characters, up to the limit',
    at: 'spec',
    expected: errorsAt('spec["k0\\n\\u{001B}[31m"]'),
    mutate: e => {
      let bytes = bytesOf(e);
      for (let i = 0; ; i++) {
        const key = `k${i}\n\u001b[31m`;
        // `"key":1,` as JSON
        bytes += bytesOf(key) + 3;
        if (bytes > FILL_LIMIT) break;
        e.spec[key] = 1;
      }
    },
  });
  add({
    id: 'size/spec.inputPorts/homoglyphs-up-to-the-limit',
    class: 'unicode',
    group: 'size',
    title: 'input ports with homoglyph references, up to the limit',
    at: 'spec.inputPorts',
    expected: errorsAt('spec.inputPorts[0].source'),
    mutate: e =>
      fillTo(
        e,
        x => x.spec.inputPorts,
        i => ({ name: `in-${i}`, source: `component:default/s\u0430les-${i}` }),
        FILL_LIMIT,
      ),
  });
  add({
    id: 'size/spec.waivers/impossible-dates-up-to-the-limit',
    class: 'waiver-date',
    group: 'size',
    title: 'waivers ending on 30 February, up to the limit',
    at: 'spec.waivers',
    expected: errorsAt('spec.waivers[0].expires'),
    mutate: e =>
      fillTo(
        e,
        x => x.spec.waivers,
        i => ({ policy: `p${i}`, reason: 'r', expires: '2026-02-30' }),
        FILL_LIMIT,
      ),
  });
  add({
    id: 'size/metadata.deep/most-levels-with-text',
    class: 'depth',
    group: 'size',
    title: 'nested as deep as allowed, with 1,000 characters at each level',
    at: 'metadata.deep',
    count: ALLOWED_UNDER_METADATA,
    expected: accepted,
    mutate: e => {
      let node: any = {};
      e.metadata.deep = node;
      for (let i = 1; i < ALLOWED_UNDER_METADATA; i++) {
        node.a = {};
        node.b = 'x'.repeat(1000);
        node = node.a;
      }
    },
  });

  // Repeated port names and addresses, without a format.
  const samePorts = (n: number) => (e: any) => {
    e.spec.outputPorts = Array.from({ length: n }, () => ({
      name: 'same',
      type: 'table',
      address: 's3://lake/same/',
    }));
  };
  add({
    id: 'ports/spec.outputPorts/2-same',
    class: 'duplicate-ports',
    group: 'ports',
    title: '2 output ports without a format, sharing a name and an address',
    at: 'spec.outputPorts',
    count: 2,
    expected: errorsAt(
      'spec.outputPorts[0].format',
      'spec.outputPorts[1].format',
      'spec.outputPorts[1].name',
      'spec.outputPorts[1].address',
    ),
    mutate: samePorts(2),
  });
  for (const n of [100, 4000]) {
    add({
      id: `ports/spec.outputPorts/${n}-same`,
      class: 'duplicate-ports',
      group: 'ports',
      title: `${n} output ports without a format, sharing a name and an address`,
      at: 'spec.outputPorts',
      count: n,
      expected: errorsAt('spec.outputPorts[0].format', 'spec.outputPorts'),
      mutate: samePorts(n),
    });
  }
  add({
    id: 'ports/spec/repeated-at-own-index',
    class: 'duplicate-ports',
    group: 'ports',
    title:
      'an output port repeated, another sharing its address, an input port repeated',
    at: 'spec',
    expected: errorsAt(
      'spec.inputPorts[2].name',
      'spec.outputPorts[1].address',
      'spec.outputPorts[1].name',
      'spec.outputPorts[2].address',
    ),
    mutate: e => {
      e.spec.outputPorts.push(
        { ...e.spec.outputPorts[0] },
        { ...e.spec.outputPorts[0], name: 'other' },
      );
      e.spec.inputPorts.push({ ...e.spec.inputPorts[0] });
    },
  });

  // What the catalog's database and search index cannot hold.
  add({
    id: 'slos/spec.retention/10000-years',
    class: 'duration',
    group: 'slos',
    title: 'a retention of 10,000 years, the longest duration taken',
    at: 'spec.retention',
    value: 'P10000Y',
    expected: accepted,
    mutate: e => (e.spec.retention = 'P10000Y'),
  });
  const caseVariants: Array<
    [variant: string, title: string, path: string, mutate: (e: any) => void]
  > = [
    [
      'spec.Owner',
      'spec.owner and spec.Owner',
      'spec.Owner',
      e => (e.spec.Owner = 'group:default/sales-data'),
    ],
    [
      'metadata.Name',
      'metadata.Name beside the name',
      'metadata.Name',
      e => (e.metadata.Name = 'orders'),
    ],
    [
      'spec.outputPorts[1].Name',
      'a port with name, the next with Name',
      'spec.outputPorts[1].Name',
      e =>
        e.spec.outputPorts.push({
          Name: 'other',
          type: 'table',
          format: 'csv',
          address: 's3://lake/other/',
        }),
    ],
    [
      'metadata.annotations.Quanta.dev/address',
      'an annotation differing from the address annotation only in case',
      'metadata.annotations["Quanta.dev/address"]',
      e => (e.metadata.annotations = { 'Quanta.dev/address': 'x' }),
    ],
  ];
  for (const [variant, title, path, mutate] of caseVariants) {
    add({
      id: `storage/${variant}/case-variant`,
      class: 'storage',
      group: 'storage',
      title: `field names differing only in case: ${title}`,
      at: path,
      found: 'only in letter case',
      expected: refusedAt(path),
      mutate,
    });
  }
  add({
    id: 'storage/metadata.name/nul',
    class: 'storage',
    group: 'storage',
    title: 'a name with a NUL',
    at: 'metadata.name',
    name: 'storage-nul\u0000',
    found: 'U+0000 NULL',
    expected: refusedAt('metadata.name'),
    catalog: {
      outcome: 'refused',
      by: 'yaml',
      reason: 'metadata.name is "storage-nul\\u{0000}", which has U+0000 NULL',
    },
  });
  add({
    id: 'storage/spec.outputPorts[0].schema[0].description/nul',
    class: 'storage',
    group: 'storage',
    title: 'a NUL deep in a port schema',
    at: 'spec.outputPorts[0].schema[0].description',
    found: 'U+0000 NULL at character 3',
    expected: refusedAt('spec.outputPorts[0].schema[0].description'),
    mutate: e => (e.spec.outputPorts[0].schema[0].description = 'ab\u0000cd'),
  });
  add({
    id: 'storage/metadata.namespace/300-characters',
    class: 'storage',
    group: 'storage',
    title: 'a namespace of 300 characters',
    at: 'metadata.namespace',
    expected: refusedAt('metadata.namespace'),
    catalog: REF_TOO_LONG,
    mutate: e => (e.metadata.namespace = 'n'.repeat(300)),
  });

  // What the catalog reads before any processor: kind, apiVersion, status.
  add({
    id: 'envelope/apiVersion/escape-sequence',
    class: 'injection',
    group: 'envelope',
    title: 'an unknown apiVersion with an escape sequence',
    at: 'apiVersion',
    expected: errorsAt('apiVersion'),
    processorOnly: true,
    catalog: { outcome: 'refused', by: 'catalog', reason: 'apiVersion' },
    mutate: e => (e.apiVersion = 'quanta.dev/v1\u001b[2J'),
  });
  add({
    id: 'envelope/apiVersion/unknown',
    class: 'enum',
    group: 'envelope',
    title: 'an apiVersion of a version that does not exist',
    at: 'apiVersion',
    expected: errorsAt('apiVersion'),
    processorOnly: true,
    mutate: e => (e.apiVersion = 'quanta.dev/v9'),
  });
  add({
    id: 'envelope/status/items-not-a-list',
    class: 'type',
    group: 'envelope',
    title: 'status items that are not a list, and a wrong type',
    at: 'status',
    expected: errorsAt('spec.type'),
    catalog: { outcome: 'refused', by: 'catalog', reason: 'status' },
    mutate: e => {
      e.status = { items: 5 };
      e.spec.type = 'raw';
    },
  });
  add({
    id: 'envelope/kind/lower-case',
    class: 'identity',
    group: 'envelope',
    title: 'the kind written in lower case',
    at: 'kind',
    // The processor leaves kinds other than DataProduct alone.
    expected: accepted,
    catalog: { outcome: 'refused', by: 'catalog', reason: 'kind' },
    mutate: e => (e.kind = 'dataproduct'),
  });

  return cases;
}

/**
 * The text a catalog file holds for a case: its YAML where it has one,
 * otherwise the descriptor as JSON on one line (JSON is YAML, and it keeps
 * every character, lone surrogates included, as written). A case whose
 * `catalog` outcome is `not-written` makes a file all the same, for a
 * benchmark to measure what the catalog's reader does with it.
 *
 * @public
 */
export function hostileDescriptorText(descriptor: HostileDescriptor): string {
  return descriptor.yaml?.() ?? `${JSON.stringify(descriptor.entity())}\n`;
}
