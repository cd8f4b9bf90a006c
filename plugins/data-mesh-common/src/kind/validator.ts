import {
  type CompoundEntityRef,
  type Entity,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import {
  dataProductSchema,
  validate as validateSchema,
  validateWaiver as validateWaiverSchema,
} from './validateDataProductSchema.generated';
import {
  checkCatalogStorable,
  checkDescriptorLimits,
  type DescriptorLimits,
} from './limits';
import { fieldPath, joinPath, pointerSegments } from './paths';
import { isoDateProblem } from '../shared/dates';
import { isoDurationSeconds, parseIsoDuration } from '../shared/duration';
import { entityRefPartProblem } from '../shared/entityNames';
import { ENTITY_REF_RULES, readEntityRef } from '../shared/refs';
import {
  describeCharacter,
  invisibleCharacters,
  isForbiddenInTitle,
  quoteText,
} from '../shared/text';

/**
 * One thing wrong with a DataProduct descriptor.
 *
 * @public
 */
export type DataProductProblem = {
  /** Field path in the descriptor, e.g. `spec.outputPorts[0].type`. */
  path: string;
  /**
   * What the descriptor holds there, as the user wrote it: control, bidi and
   * invisible characters escaped, long values cut after 100 characters.
   */
  found: string;
  /** What the field must hold instead. */
  expected: string;
};

/**
 * How many problems {@link validateDataProduct} lists by default before it
 * sums up the rest in one more problem.
 *
 * @public
 */
export const MAX_REPORTED_PROBLEMS = 50;

/**
 * Options of {@link validateDataProduct}.
 *
 * @public
 */
export type ValidateDataProductOptions = DescriptorLimits & {
  /** Problems listed before the rest are summed up. Default {@link MAX_REPORTED_PROBLEMS}. */
  maxProblems?: number;
  /**
   * The caller has just checked this very object with
   * {@link checkDescriptorLimits} and {@link checkCatalogStorable}, so
   * those walks are skipped. Default false: the validator measures before
   * it reads anything.
   */
  limitsChecked?: boolean;
};

type AjvError = {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
};

function valueAt(root: unknown, segments: string[]): unknown {
  let node: any = root;
  for (const part of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    // Own properties only: a key such as `constructor` names nothing inherited.
    if (!Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

const schemaNodes = new Map<string, any>();

/**
 * The schema node that an error's schemaPath (`#/properties/spec/.../pattern`)
 * belongs to, within `base`; looked up once per schema path.
 */
function schemaNodeOf(schemaPath: string, base: 'descriptor' | 'waiver'): any {
  const key = `${base}${schemaPath}`;
  if (schemaNodes.has(key)) return schemaNodes.get(key);
  const parts = schemaPath.replace(/^#\//, '').split('/');
  parts.pop(); // the keyword itself
  let node: any =
    base === 'waiver'
      ? (dataProductSchema as any).definitions.waiver
      : dataProductSchema;
  for (const part of parts) node = node?.[part];
  schemaNodes.set(key, node);
  return node;
}

/**
 * Renders a found value the way the user wrote it in YAML; strings quoted,
 * escaped and cut after 100 characters.
 *
 * @public
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteText(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${quoteText(String(value)).slice(1, -1)}`;
}

/**
 * A found value as describeValue renders it, naming the invisible, control
 * and bidi characters a string holds: escaped, `\u{200B}` shows where such a
 * character is, the name says what it is.
 */
function describeFound(value: unknown): string {
  const described = describeValue(value);
  if (typeof value !== 'string') return described;
  const hidden = invisibleCharacters(value);
  return hidden.length
    ? `${described}, which has ${hidden.join(', ')}`
    : described;
}

/**
 * A problem as rules report it: its path and what it counts under when
 * problems are summed up, and the problem itself, made only when listed.
 */
type Found = {
  path: string;
  group: string;
  problem: () => DataProductProblem;
};

/** `spec.outputPorts[12].format` -> `spec.outputPorts[*].format` */
const groupOf = (path: string) => path.replace(/\[\d+\]/g, '[*]');

function found(path: string, text: string, expected: string): Found {
  const problem = { path, found: text, expected };
  return { path, group: groupOf(path), problem: () => problem };
}

function problemFromAjv(
  root: unknown,
  error: AjvError,
  prefix: string,
  base: 'descriptor' | 'waiver',
): Found {
  const node = schemaNodeOf(error.schemaPath, base);
  const segments = pointerSegments(error.instancePath);
  const at = joinPath(prefix, fieldPath(segments));
  const description: string | undefined = node?.description;
  const lazy = (
    path: string,
    make: () => Omit<DataProductProblem, 'path'>,
    group = groupOf(path),
  ): Found => ({ path, group, problem: () => ({ path, ...make() }) });
  switch (error.keyword) {
    case 'required': {
      const field = error.params.missingProperty as string;
      return lazy(joinPath(prefix, fieldPath([...segments, field])), () => ({
        found: 'nothing',
        expected: node?.properties?.[field]?.description ?? 'a value',
      }));
    }
    case 'additionalProperties': {
      const field = error.params.additionalProperty as string;
      return lazy(
        joinPath(prefix, fieldPath([...segments, field])),
        () => ({
          found: `an unknown field ${quoteText(field)}`,
          expected: `only the fields ${Object.keys(node?.properties ?? {}).join(
            ', ',
          )} (check the spelling)`,
        }),
        // Unknown fields count together, whatever their names.
        `unknown fields in ${groupOf(at) || 'the descriptor'}`,
      );
    }
    case 'enum':
      return lazy(at, () => ({
        found: describeFound(valueAt(root, segments)),
        expected: `one of ${(error.params.allowedValues as string[]).join(
          ', ',
        )}`,
      }));
    case 'type':
      return lazy(at, () => ({
        found: describeValue(valueAt(root, segments)),
        expected: description ?? `a value of type ${error.params.type}`,
      }));
    default:
      return lazy(at, () => ({
        found: describeFound(valueAt(root, segments)),
        expected: description ?? `a value that satisfies "${error.keyword}"`,
      }));
  }
}

/**
 * Problems in the order found, each once; after `max` of them, the rest are
 * only counted, by group, so that hostile input cannot make the answer (a
 * status item each, a log line) as large as itself, nor spend time writing
 * sentences nobody reads.
 */
class Problems {
  private readonly listed: DataProductProblem[] = [];
  private readonly keys = new Set<string>();
  /** Paths of the schema's problems, which the other rules defer to. */
  private readonly schemaPaths = new Set<string>();
  private readonly rest = new Map<string, number>();
  private restCount = 0;
  private restPath: string | undefined;

  constructor(private readonly max: number) {}

  add(item: Found, fromSchema = false) {
    if (fromSchema) this.schemaPaths.add(item.path);
    if (this.listed.length < this.max) {
      const problem = item.problem();
      const key = `${problem.path}\u0000${problem.found}\u0000${problem.expected}`;
      if (this.keys.has(key)) return;
      this.keys.add(key);
      this.listed.push(problem);
      return;
    }
    this.restCount++;
    this.rest.set(item.group, (this.rest.get(item.group) ?? 0) + 1);
    const path = item.path;
    const current = this.restPath;
    if (current === undefined) this.restPath = path;
    else if (
      !(
        path.startsWith(current) &&
        (path.length === current.length ||
          path[current.length] === '.' ||
          path[current.length] === '[')
      )
    ) {
      this.restPath = commonAncestor(current, path);
    }
  }

  /**
   * True when the schema rejected this path or a field holding it: the rules
   * beyond the schema say nothing new about such a field. Looks up each of
   * the path's prefixes, so it costs the path's length, not the number of
   * problems.
   */
  coveredBySchema(path: string): boolean {
    const paths = this.schemaPaths;
    if (paths.has(path)) return true;
    for (let i = 1; i < path.length; i++) {
      const c = path[i];
      if ((c === '.' || c === '[') && paths.has(path.slice(0, i))) {
        return true;
      }
    }
    return false;
  }

  result(): DataProductProblem[] {
    if (this.restCount === 0) return this.listed;
    const groups = [...this.rest.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([group, n]) => {
        const count = n.toLocaleString('en-US');
        if (!group.startsWith('unknown fields')) return `${count} at ${group}`;
        return n === 1
          ? `1 ${group.replace('fields', 'field')}`
          : `${count} ${group}`;
      });
    const more = this.rest.size > 3 ? ', and others' : '';
    return [
      ...this.listed,
      {
        path: this.restPath || '(descriptor)',
        found: `and ${this.restCount.toLocaleString('en-US')} more problem${
          this.restCount === 1 ? '' : 's'
        }, not listed: ${groups.join(', ')}${more}`,
        expected: `a descriptor without them; only the first ${this.listed.length} problems are listed, so fix those and validate again to see the rest`,
      },
    ];
  }
}

/** `spec.outputPorts[3].name`, `spec.outputPorts[12].format` -> `spec.outputPorts` */
function commonAncestor(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && (i === b.length || b[i] === '.' || b[i] === '[')) {
    return a;
  }
  if (i === b.length && (a[i] === '.' || a[i] === '[')) return b;
  // Back to the end of the last whole segment both share.
  while (i > 0 && a[i] !== '.' && a[i] !== '[') i--;
  return a.slice(0, i);
}

/** Rules a JSON schema cannot state: port references and uniqueness. */
function semanticProblems(spec: any, add: (item: Found) => void) {
  const problem = (path: string, text: string, expected: string) =>
    add(found(path, text, expected));
  const inputPorts: any[] = Array.isArray(spec?.inputPorts)
    ? spec.inputPorts
    : [];
  const outputPorts: any[] = Array.isArray(spec?.outputPorts)
    ? spec.outputPorts
    : [];

  inputPorts.forEach((port, i) => {
    if (!port || typeof port !== 'object') return;
    const at = `spec.inputPorts[${i}]`;
    if (port.dataProduct !== undefined && port.source !== undefined) {
      problem(
        at,
        'both dataProduct and source',
        'either dataProduct (an upstream data product) or source (a Component, API or Resource), not both',
      );
    } else if (port.dataProduct === undefined && port.source === undefined) {
      problem(
        at,
        'neither dataProduct nor source',
        'dataProduct with outputPort (an upstream data product) or source (a Component, API or Resource)',
      );
    } else if (
      port.dataProduct !== undefined &&
      port.outputPort === undefined
    ) {
      problem(
        `${at}.outputPort`,
        'nothing',
        'the name of the upstream output port this input port reads',
      );
    } else if (port.source !== undefined && port.outputPort !== undefined) {
      problem(
        `${at}.outputPort`,
        describeValue(port.outputPort),
        'no outputPort on a port that reads an external source (outputPort belongs with dataProduct)',
      );
    }
  });

  // One pass per field with a map of first uses: linear in the ports.
  const unique = (field: 'name' | 'address', ports: any[], prefix: string) => {
    const seen = new Map<string, number>();
    ports.forEach((port, i) => {
      const value = port?.[field];
      if (typeof value !== 'string') return;
      const earlier = seen.get(value);
      if (earlier === undefined) {
        seen.set(value, i);
        return;
      }
      const path = `${prefix}[${i}].${field}`;
      add({
        path,
        group: `${prefix}[*].${field}`,
        problem: () => ({
          path,
          found: `${quoteText(value)}, already used by ${prefix}[${earlier}]`,
          expected: `${
            field === 'address' ? 'an address' : 'a name'
          } that is unique within the data product`,
        }),
      });
    });
  };
  unique('name', inputPorts, 'spec.inputPorts');
  unique('name', outputPorts, 'spec.outputPorts');
  unique('address', outputPorts, 'spec.outputPorts');
}

const NAME_EXPECTED =
  "a name of letters, digits, '-', '_' and '.' that starts and ends with a letter or digit, at most 63 characters, as the catalog requires";
const NAMESPACE_EXPECTED =
  "a namespace of lower-case letters, digits and '-', at most 63 characters, as the catalog requires";
const TITLE_EXPECTED =
  'a title of printable text, without control characters, bidi controls or zero-width spaces';

/**
 * The product's identity and title. The catalog checks names itself, but a
 * descriptor validated anywhere else (a template, a CI job) is held to the
 * same rules, and a name or title must not be able to hide characters.
 */
function metadataProblems(metadata: unknown, add: (item: Found) => void) {
  const problem = (path: string, text: string, expected: string) =>
    add(found(path, text, expected));
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    problem(
      'metadata',
      describeValue(metadata),
      "an object with at least the product's name, such as { name: orders }",
    );
    return;
  }
  const { name, namespace, title } = metadata as Record<string, unknown>;
  if (typeof name !== 'string') {
    problem('metadata.name', describeValue(name), NAME_EXPECTED);
  } else if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
    problem(
      'metadata.name',
      `${quoteText(name)}, which ${entityRefPartProblem(name, 'name')}`,
      NAME_EXPECTED,
    );
  }
  if (namespace !== undefined) {
    if (typeof namespace !== 'string') {
      problem(
        'metadata.namespace',
        describeValue(namespace),
        NAMESPACE_EXPECTED,
      );
    } else if (!KubernetesValidatorFunctions.isValidNamespace(namespace)) {
      problem(
        'metadata.namespace',
        `${quoteText(namespace)}, which ${
          entityRefPartProblem(namespace, 'namespace') ??
          'has upper-case letters'
        }`,
        NAMESPACE_EXPECTED,
      );
    }
  }
  if (title !== undefined) {
    if (typeof title !== 'string') {
      problem('metadata.title', describeValue(title), TITLE_EXPECTED);
    } else {
      let position = 0;
      for (const character of title) {
        position++;
        if (isForbiddenInTitle(character)) {
          problem(
            'metadata.title',
            `${quoteText(title)}, which has ${describeCharacter(
              character,
            )} at character ${position}`,
            TITLE_EXPECTED,
          );
          break;
        }
      }
    }
  }
}

/**
 * The longest duration a descriptor may state: 10,000 years, counting a
 * year as 365 days and a month as 30. Any retention or SLO a product
 * states is far shorter, and a date that far ahead is still one JavaScript
 * and the databases can hold, where `P999999999999999999999D` is not (its
 * days overflow every date computation).
 */
const MAX_DURATION_YEARS = 10_000;
const MAX_DURATION_SECONDS = MAX_DURATION_YEARS * 365 * 86400;

const DURATION_FIELDS: Array<[path: string, read: (spec: any) => unknown]> = [
  ['spec.slos.freshness', spec => spec?.slos?.freshness],
  ['spec.slos.intervalOfChange', spec => spec?.slos?.intervalOfChange],
  ['spec.slos.timeliness', spec => spec?.slos?.timeliness],
  ['spec.retention', spec => spec?.retention],
];

/**
 * Durations the schema's pattern lets through that are too long to compute
 * with: digits without end make a number of days no date can be reached by.
 */
function durationProblems(spec: any, add: (item: Found) => void) {
  if (!spec || typeof spec !== 'object') return;
  for (const [path, read] of DURATION_FIELDS) {
    const value = read(spec);
    const duration = parseIsoDuration(value);
    if (!duration) continue;
    const seconds = isoDurationSeconds(duration);
    if (Number.isFinite(seconds) && seconds <= MAX_DURATION_SECONDS) continue;
    add(
      found(
        path,
        `${quoteText(
          value as string,
        )}, which is longer than ${MAX_DURATION_YEARS.toLocaleString(
          'en-US',
        )} years`,
        `an ISO-8601 duration of at most ${MAX_DURATION_YEARS.toLocaleString(
          'en-US',
        )} years (P${MAX_DURATION_YEARS}Y), such as PT1H, P1D or P2Y`,
      ),
    );
  }
}

/** Dates the schema's pattern lets through that name no real day or time. */
function waiverDateProblems(spec: any, add: (item: Found) => void) {
  if (!Array.isArray(spec?.waivers)) return;
  spec.waivers.forEach((waiver: any, i: number) => {
    const item = waiverDateProblem(waiver, `spec.waivers[${i}]`);
    if (item) add(item);
  });
}

const EXPIRES_EXPECTED: string = (dataProductSchema as any).definitions.waiver
  .properties.expires.description;

function waiverDateProblem(waiver: any, prefix: string): Found | undefined {
  const expires = waiver?.expires;
  if (typeof expires !== 'string') return undefined;
  const problem = isoDateProblem(expires);
  if (!problem) return undefined;
  return found(
    `${prefix}.expires`,
    `${quoteText(expires)}, ${problem}`,
    `a date that exists: ${EXPIRES_EXPECTED}`,
  );
}

/**
 * Checks one waiver as a descriptor's `spec.waivers` holds it, by the same
 * schema and date rules as {@link validateDataProduct}: a waiver this
 * rejects makes the descriptor invalid, and the policy engine does not apply
 * it. `path` prefixes the problems' paths.
 *
 * @public
 */
export function validateWaiver(
  waiver: unknown,
  path = 'waiver',
): DataProductProblem[] {
  const problems = new Problems(MAX_REPORTED_PROBLEMS);
  if (!validateWaiverSchema(waiver)) {
    for (const error of (validateWaiverSchema as any).errors as AjvError[]) {
      problems.add(problemFromAjv(waiver, error, path, 'waiver'), true);
    }
  }
  const date = waiverDateProblem(waiver, path);
  if (date && !problems.coveredBySchema(date.path)) problems.add(date);
  return problems.result();
}

/**
 * The entity references of a data product, parsed with the kinds they imply.
 *
 * @public
 */
export type DataProductRefs = {
  owner?: CompoundEntityRef;
  productOwner?: CompoundEntityRef;
  domain?: CompoundEntityRef;
  system?: CompoundEntityRef;
  /** What each input port reads, in the order of `spec.inputPorts`. */
  inputPorts: Array<{
    /** The upstream data product. */
    dataProduct?: CompoundEntityRef;
    /** The external source: a Component, API or Resource. */
    source?: CompoundEntityRef;
  }>;
};

type RefRule = {
  defaultKind: string;
  kinds: string[];
  expected: string;
};

const REF_RULES = {
  owner: {
    defaultKind: 'group',
    kinds: ['group'],
    expected: 'a Group entity reference, such as group:default/sales-data',
  },
  productOwner: {
    defaultKind: 'user',
    kinds: ['user'],
    expected: 'a User entity reference, such as user:default/jane.doe',
  },
  domain: {
    defaultKind: 'domain',
    kinds: ['domain'],
    expected: 'a Domain entity reference, such as domain:default/sales',
  },
  system: {
    defaultKind: 'system',
    kinds: ['system'],
    expected: 'a System entity reference, such as system:default/checkout',
  },
  dataProduct: {
    defaultKind: 'dataproduct',
    kinds: ['dataproduct'],
    expected:
      'a DataProduct entity reference, such as dataproduct:default/orders',
  },
  source: {
    defaultKind: 'component',
    kinds: ['component', 'api', 'resource'],
    expected:
      'a Component, API or Resource entity reference, such as component:default/orders-service',
  },
} satisfies Record<string, RefRule>;

function parseRef(
  value: unknown,
  rule: RefRule,
  namespace: string,
  path: string,
  problems: DataProductProblem[],
): CompoundEntityRef | undefined {
  if (typeof value !== 'string') return undefined;
  const read = readEntityRef(value, {
    defaultKind: rule.defaultKind,
    defaultNamespace: namespace,
  });
  if ('problem' in read) {
    problems.push({
      path,
      found: read.problem,
      expected: `${rule.expected}, ${ENTITY_REF_RULES}`,
    });
    return undefined;
  }
  const ref = read.ref;
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (!rule.kinds.includes(kind)) {
    problems.push({
      path,
      found: `${quoteText(value)}, a reference to a ${ref.kind}`,
      expected: rule.expected,
    });
    return undefined;
  }
  return { ...ref, kind };
}

/**
 * Parses every entity reference of a data product. Short references take the
 * kind the field implies (`owner: sales-data` is `group:<namespace>/sales-data`)
 * and the product's own namespace. References that do not parse, name the
 * wrong kind, or break the catalog's rules for kinds, namespaces and names
 * (and so can never resolve) are left out of `refs` and reported in
 * `problems`.
 *
 * @public
 */
export function parseDataProductRefs(entity: Entity): {
  refs: DataProductRefs;
  problems: DataProductProblem[];
} {
  const problems: DataProductProblem[] = [];
  const declared = entity.metadata?.namespace;
  const namespace =
    typeof declared === 'string' && declared ? declared : 'default';
  const spec: any = entity.spec ?? {};
  const refs: DataProductRefs = {
    owner: parseRef(
      spec.owner,
      REF_RULES.owner,
      namespace,
      'spec.owner',
      problems,
    ),
    productOwner: parseRef(
      spec.productOwner,
      REF_RULES.productOwner,
      namespace,
      'spec.productOwner',
      problems,
    ),
    domain: parseRef(
      spec.domain,
      REF_RULES.domain,
      namespace,
      'spec.domain',
      problems,
    ),
    system: parseRef(
      spec.system,
      REF_RULES.system,
      namespace,
      'spec.system',
      problems,
    ),
    inputPorts: [],
  };
  const inputPorts: unknown[] = Array.isArray(spec.inputPorts)
    ? spec.inputPorts
    : [];
  inputPorts.forEach((port: any, i) => {
    if (!port || typeof port !== 'object') {
      refs.inputPorts.push({});
      return;
    }
    refs.inputPorts.push({
      dataProduct: parseRef(
        port.dataProduct,
        REF_RULES.dataProduct,
        namespace,
        `spec.inputPorts[${i}].dataProduct`,
        problems,
      ),
      source: parseRef(
        port.source,
        REF_RULES.source,
        namespace,
        `spec.inputPorts[${i}].source`,
        problems,
      ),
    });
  });
  return { refs, problems };
}

/**
 * Checks a DataProduct entity against the v1alpha1 schema and the rules
 * around it; an empty list means valid.
 *
 * The work is bounded by the descriptor's size: first its size and nesting
 * are checked against `options` (without recursion, stopping at the limit;
 * a descriptor over either gets that one problem and nothing else is read),
 * then every rule runs in time linear in the descriptor. The first
 * `maxProblems` problems (50) are listed, followed by one that counts the
 * rest and says where most of them are; echoed values are escaped and cut
 * short.
 *
 * @public
 */
export function validateDataProduct(
  entity: Entity | unknown,
  options: ValidateDataProductOptions = {},
): DataProductProblem[] {
  const unsafe = options.limitsChecked
    ? undefined
    : checkDescriptorLimits(entity, options) ?? checkCatalogStorable(entity);
  if (unsafe) return [unsafe];
  if (!entity || typeof entity !== 'object' || Array.isArray(entity)) {
    return [
      {
        path: '(descriptor)',
        found: describeValue(entity),
        expected:
          'a DataProduct entity: an object with apiVersion, kind, metadata and spec',
      },
    ];
  }
  const problems = new Problems(options.maxProblems ?? MAX_REPORTED_PROBLEMS);
  if (!validateSchema(entity)) {
    for (const error of (validateSchema as any).errors as AjvError[]) {
      problems.add(problemFromAjv(entity, error, '', 'descriptor'), true);
    }
  }
  // The rules below say nothing new about a field the schema already
  // rejected, so they only speak of fields the schema let through.
  const extra: Found[] = [];
  const collect = (item: Found) => extra.push(item);
  const { metadata, spec } = entity as Record<string, any>;
  metadataProblems(metadata, collect);
  semanticProblems(spec, collect);
  waiverDateProblems(spec, collect);
  durationProblems(spec, collect);
  if (
    spec &&
    typeof spec === 'object' &&
    metadata &&
    typeof metadata === 'object'
  ) {
    for (const problem of parseDataProductRefs(entity as Entity).problems) {
      collect(found(problem.path, problem.found, problem.expected));
    }
  }
  for (const item of extra) {
    if (!problems.coveredBySchema(item.path)) problems.add(item);
  }
  return problems.result();
}

/**
 * The sentence a user reads for one problem.
 *
 * @public
 */
export function formatProblem(problem: DataProductProblem): string {
  return `${problem.path}: found ${problem.found}, expected ${problem.expected}`;
}
