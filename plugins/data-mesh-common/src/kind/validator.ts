import {
  type CompoundEntityRef,
  type Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  dataProductSchema,
  validate as validateSchema,
} from './validateDataProductSchema.generated';

/**
 * One thing wrong with a DataProduct descriptor.
 *
 * @public
 */
export type DataProductProblem = {
  /** Field path in the descriptor, e.g. `spec.outputPorts[0].type`. */
  path: string;
  /** What the descriptor holds there, as the user wrote it. */
  found: string;
  /** What the field must hold instead. */
  expected: string;
};

type AjvError = {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
};

/** `/spec/outputPorts/0/type` -> `spec.outputPorts[0].type` */
function toFieldPath(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((path, part) => {
    if (/^\d+$/.test(part)) return `${path}[${part}]`;
    return path ? `${path}.${part}` : part;
  }, '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node: any = root;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The schema node that an error's schemaPath (`#/properties/spec/.../pattern`) belongs to. */
function schemaNodeOf(schemaPath: string): any {
  const parts = schemaPath.replace(/^#\//, '').split('/');
  parts.pop(); // the keyword itself
  let node: any = dataProductSchema;
  for (const part of parts) node = node?.[part];
  return node;
}

/**
 * Renders a found value the way the user wrote it in YAML.
 *
 * @public
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function problemFromAjv(entity: unknown, error: AjvError): DataProductProblem {
  const node = schemaNodeOf(error.schemaPath);
  const value = valueAt(entity, error.instancePath);
  const description: string | undefined = node?.description;
  switch (error.keyword) {
    case 'required': {
      const field = error.params.missingProperty as string;
      const fieldSchema = node?.properties?.[field];
      return {
        path: toFieldPath(error.instancePath, field),
        found: 'nothing',
        expected: fieldSchema?.description ?? 'a value',
      };
    }
    case 'additionalProperties': {
      const field = error.params.additionalProperty as string;
      const known = Object.keys(node?.properties ?? {}).join(', ');
      return {
        path: toFieldPath(error.instancePath, field),
        found: `an unknown field "${field}"`,
        expected: `only the fields ${known} (check the spelling)`,
      };
    }
    case 'enum':
      return {
        path: toFieldPath(error.instancePath),
        found: describeValue(value),
        expected: `one of ${(error.params.allowedValues as string[]).join(
          ', ',
        )}`,
      };
    case 'type':
      return {
        path: toFieldPath(error.instancePath),
        found: describeValue(value),
        expected: description ?? `a value of type ${error.params.type}`,
      };
    default:
      return {
        path: toFieldPath(error.instancePath),
        found: describeValue(value),
        expected: description ?? `a value that satisfies "${error.keyword}"`,
      };
  }
}

/** Rules a JSON schema cannot state: port references and uniqueness. */
function semanticProblems(spec: any): DataProductProblem[] {
  const problems: DataProductProblem[] = [];
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
      problems.push({
        path: at,
        found: 'both dataProduct and source',
        expected:
          'either dataProduct (an upstream data product) or source (a Component, API or Resource), not both',
      });
    } else if (port.dataProduct === undefined && port.source === undefined) {
      problems.push({
        path: at,
        found: 'neither dataProduct nor source',
        expected:
          'dataProduct with outputPort (an upstream data product) or source (a Component, API or Resource)',
      });
    } else if (
      port.dataProduct !== undefined &&
      port.outputPort === undefined
    ) {
      problems.push({
        path: `${at}.outputPort`,
        found: 'nothing',
        expected: 'the name of the upstream output port this input port reads',
      });
    } else if (port.source !== undefined && port.outputPort !== undefined) {
      problems.push({
        path: `${at}.outputPort`,
        found: describeValue(port.outputPort),
        expected:
          'no outputPort on a port that reads an external source (outputPort belongs with dataProduct)',
      });
    }
  });

  const firstIndex = (
    field: 'name' | 'address',
    ports: any[],
    prefix: string,
  ) => {
    const seen = new Map<string, number>();
    ports.forEach((port, i) => {
      const value = port?.[field];
      if (typeof value !== 'string') return;
      const earlier = seen.get(value);
      if (earlier === undefined) {
        seen.set(value, i);
        return;
      }
      problems.push({
        path: `${prefix}[${i}].${field}`,
        found: `${JSON.stringify(
          value,
        )}, already used by ${prefix}[${earlier}]`,
        expected: `${
          field === 'address' ? 'an address' : 'a name'
        } that is unique within the data product`,
      });
    });
  };
  firstIndex('name', inputPorts, 'spec.inputPorts');
  firstIndex('name', outputPorts, 'spec.outputPorts');
  firstIndex('address', outputPorts, 'spec.outputPorts');
  return problems;
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
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, {
      defaultKind: rule.defaultKind,
      defaultNamespace: namespace,
    });
  } catch {
    problems.push({
      path,
      found: describeValue(value),
      expected: rule.expected,
    });
    return undefined;
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (!rule.kinds.includes(kind)) {
    problems.push({
      path,
      found: `${describeValue(value)}, a reference to a ${ref.kind}`,
      expected: rule.expected,
    });
    return undefined;
  }
  return { ...ref, kind };
}

/**
 * Parses every entity reference of a data product. Short references take the
 * kind the field implies (`owner: sales-data` is `group:<namespace>/sales-data`)
 * and the product's own namespace. References that do not parse, or name the
 * wrong kind, are left out of `refs` and reported in `problems`.
 *
 * @public
 */
export function parseDataProductRefs(entity: Entity): {
  refs: DataProductRefs;
  problems: DataProductProblem[];
} {
  const problems: DataProductProblem[] = [];
  const namespace = entity.metadata?.namespace ?? 'default';
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
 * around it. Returns every problem found; an empty list means valid.
 *
 * @public
 */
export function validateDataProduct(
  entity: Entity | unknown,
): DataProductProblem[] {
  const problems: DataProductProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: DataProductProblem) => {
    const key = `${problem.path}|${problem.found}|${problem.expected}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  };
  if (!validateSchema(entity)) {
    for (const error of (validateSchema as any).errors as AjvError[]) {
      add(problemFromAjv(entity, error));
    }
  }
  // The rules below say nothing new about a field the schema already
  // rejected, so they only speak of fields the schema let through.
  const schemaPaths = problems.map(p => p.path);
  const covered = (path: string) =>
    schemaPaths.some(
      p => p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`),
    );
  const spec = (entity as any)?.spec;
  const extra = [...semanticProblems(spec)];
  if (spec && typeof spec === 'object' && (entity as any).metadata) {
    extra.push(...parseDataProductRefs(entity as Entity).problems);
  }
  for (const problem of extra) {
    if (!covered(problem.path)) add(problem);
  }
  return problems;
}

/**
 * The sentence a user reads for one problem.
 *
 * @public
 */
export function formatProblem(problem: DataProductProblem): string {
  return `${problem.path}: found ${problem.found}, expected ${problem.expected}`;
}
