/*
 * JSON Schema rules of config policies, checked with @cfworker/json-schema:
 * an interpreting validator, so a rule from app-config never becomes code
 * (no eval, no Function, no vm).
 */
import {
  type OutputUnit,
  type Schema,
  type SchemaDraft,
  dereference,
  validate,
} from '@cfworker/json-schema';

type Lookup = ReturnType<typeof dereference>;

const DRAFTS: Record<string, SchemaDraft> = {
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'http://json-schema.org/draft-07/schema': '7',
  'http://json-schema.org/draft-07/schema#': '7',
};

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = [
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
];
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LIST_KEYWORDS = ['prefixItems', 'allOf', 'anyOf', 'oneOf'];
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = [
  '$defs',
  'definitions',
  'properties',
  'patternProperties',
  'dependentSchemas',
];
/** Every other keyword the validator or the drafts know. */
const VALUE_KEYWORDS = [
  '$schema',
  '$id',
  '$anchor',
  '$ref',
  '$recursiveRef',
  '$recursiveAnchor',
  '$vocabulary',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
  'type',
  'const',
  'enum',
  'required',
  'dependentRequired',
  'dependencies',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
];
const KNOWN_KEYWORDS = new Set([
  ...SCHEMA_KEYWORDS,
  ...SCHEMA_LIST_KEYWORDS,
  ...SCHEMA_MAP_KEYWORDS,
  ...VALUE_KEYWORDS,
]);

/**
 * The draft-07 meta-schema, with the keywords 2019-09 and 2020-12 added and
 * alternatives written as if/then so that a mistake gets a precise message.
 * The official 2019-09 and 2020-12 meta-schemas rely on dynamic references,
 * which the validator does not support.
 */
const META_SCHEMA: Schema = {
  $id: 'https://quanta.dev/schemas/policy-rule-meta',
  definitions: {
    schemaArray: { type: 'array', minItems: 1, items: { $ref: '#' } },
    schemaMap: { type: 'object', additionalProperties: { $ref: '#' } },
    count: { type: 'integer', minimum: 0 },
    simpleTypes: {
      enum: [
        'array',
        'boolean',
        'integer',
        'null',
        'number',
        'object',
        'string',
      ],
    },
    stringArray: {
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
    },
  },
  type: ['object', 'boolean'],
  properties: {
    $id: { type: 'string', format: 'uri-reference' },
    $schema: { type: 'string', format: 'uri' },
    $ref: { type: 'string', format: 'uri-reference' },
    $anchor: { type: 'string' },
    $comment: { type: 'string' },
    $defs: { $ref: '#/definitions/schemaMap' },
    title: { type: 'string' },
    description: { type: 'string' },
    deprecated: { type: 'boolean' },
    readOnly: { type: 'boolean' },
    writeOnly: { type: 'boolean' },
    examples: { type: 'array' },
    multipleOf: { type: 'number', exclusiveMinimum: 0 },
    maximum: { type: 'number' },
    exclusiveMaximum: { type: 'number' },
    minimum: { type: 'number' },
    exclusiveMinimum: { type: 'number' },
    maxLength: { $ref: '#/definitions/count' },
    minLength: { $ref: '#/definitions/count' },
    pattern: { type: 'string', format: 'regex' },
    additionalItems: { $ref: '#' },
    unevaluatedItems: { $ref: '#' },
    prefixItems: { $ref: '#/definitions/schemaArray' },
    items: {
      if: { type: 'array' },
      then: { $ref: '#/definitions/schemaArray' },
      else: { $ref: '#' },
    },
    maxItems: { $ref: '#/definitions/count' },
    minItems: { $ref: '#/definitions/count' },
    uniqueItems: { type: 'boolean' },
    contains: { $ref: '#' },
    minContains: { $ref: '#/definitions/count' },
    maxContains: { $ref: '#/definitions/count' },
    maxProperties: { $ref: '#/definitions/count' },
    minProperties: { $ref: '#/definitions/count' },
    required: { $ref: '#/definitions/stringArray' },
    additionalProperties: { $ref: '#' },
    unevaluatedProperties: { $ref: '#' },
    definitions: { $ref: '#/definitions/schemaMap' },
    properties: { $ref: '#/definitions/schemaMap' },
    patternProperties: {
      $ref: '#/definitions/schemaMap',
      propertyNames: { format: 'regex' },
    },
    dependentSchemas: { $ref: '#/definitions/schemaMap' },
    dependentRequired: {
      type: 'object',
      additionalProperties: { $ref: '#/definitions/stringArray' },
    },
    dependencies: {
      type: 'object',
      additionalProperties: {
        if: { type: 'array' },
        then: { $ref: '#/definitions/stringArray' },
        else: { $ref: '#' },
      },
    },
    propertyNames: { $ref: '#' },
    enum: { type: 'array' },
    type: {
      type: ['string', 'array'],
      if: { type: 'string' },
      then: { $ref: '#/definitions/simpleTypes' },
      else: {
        minItems: 1,
        uniqueItems: true,
        items: { $ref: '#/definitions/simpleTypes' },
      },
    },
    format: { type: 'string' },
    contentMediaType: { type: 'string' },
    contentEncoding: { type: 'string' },
    contentSchema: { $ref: '#' },
    if: { $ref: '#' },
    then: { $ref: '#' },
    else: { $ref: '#' },
    allOf: { $ref: '#/definitions/schemaArray' },
    anyOf: { $ref: '#/definitions/schemaArray' },
    oneOf: { $ref: '#/definitions/schemaArray' },
    not: { $ref: '#' },
  },
};
const META_LOOKUP = dereference(META_SCHEMA);

/** Something wrong at a place in a document, in words. */
export type SchemaProblem = {
  /** Where, such as `spec.outputPorts[0].contract`; empty for the document. */
  path: string;
  /** What is there, or undefined when nothing is. */
  found?: string;
  /** What the rule expects there. */
  expected: string;
};

/** A value as a message shows it: text quoted, short lists and objects in JSON. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  const what = Array.isArray(value) ? 'a list' : 'an object';
  // Only small flat values are spelled out; never a whole entity.
  const items = Object.values(value);
  if (
    items.length > 8 ||
    items.some(v => v !== null && typeof v === 'object')
  ) {
    return what;
  }
  const json = JSON.stringify(value);
  return json.length <= 60 ? json : what;
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'an object',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function orList(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

const plural = (n: number, word: string, words = `${word}s`) =>
  `${n} ${n === 1 ? word : words}`;

/** A short description of what a subschema asks for, for contains and not. */
function described(schema: unknown): string | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Schema;
  if ('const' in s) return shown(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map(shown).join(', ')}`;
  if (typeof s.type === 'string') return TYPE_WORDS[s.type];
  if (typeof s.format === 'string') return `a valid ${s.format}`;
  if (typeof s.pattern === 'string') return `text matching ${s.pattern}`;
  if (Array.isArray(s.required) && s.required.length) {
    return `an object with ${s.required.join(' and ')}`;
  }
  return undefined;
}

function segments(pointer: string): string[] {
  const path = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (!path) return [];
  return path
    .slice(1)
    .split('/')
    .map(s =>
      /[%~]/.test(s)
        ? decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~')
        : s,
    );
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** A JSON pointer into `document` as a path people read: `spec.outputPorts[0].contract`. */
export function readablePath(document: unknown, pointer: string): string {
  let path = '';
  let value: any = document;
  for (const segment of segments(pointer)) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) {
      path += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      path += path ? `.${segment}` : segment;
    } else {
      path += `[${JSON.stringify(segment)}]`;
    }
    value = value?.[segment];
  }
  return path;
}

function valueAt(document: unknown, pointer: string): unknown {
  let value: any = document;
  for (const segment of segments(pointer)) value = value?.[segment];
  return value;
}

/** The schema object a keyword location points into, following `$ref`s. */
function schemaAt(root: Schema, lookup: Lookup, pointer: string): any {
  let node: any = root;
  for (const segment of segments(pointer)) {
    if (node === undefined || node === null) return undefined;
    node =
      segment === '$ref'
        ? lookup[node.__absolute_ref__ ?? node.$ref]
        : node[segment];
  }
  return node;
}

/** Keywords that only say a part below them failed; the part says what. */
const WRAPPERS = new Set([
  '$ref',
  '$recursiveRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'allOf',
  'if',
  'dependentSchemas',
  'dependencies',
]);
/** Keywords whose failure is clearer on its own than through the parts below. */
const SUMMARIZING = new Set([
  'anyOf',
  'oneOf',
  'not',
  'contains',
  'propertyNames',
]);

const MISSING_DEPENDENT = /has "(.*)" but does not have "(.*)"\.$/;

/** Keywords described from the validator's message alone. */
const WITHOUT_RULE = new Set([
  'required',
  'dependentRequired',
  'dependencies',
  'propertyNames',
  'false',
]);

function join(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

function problemOf(
  error: OutputUnit,
  document: unknown,
  root: Schema,
  lookup: Lookup,
): SchemaProblem | undefined {
  if (
    WRAPPERS.has(error.keyword) &&
    !(error.keyword === 'dependencies' && MISSING_DEPENDENT.test(error.error))
  ) {
    return undefined;
  }
  const path = readablePath(document, error.instanceLocation);
  const value = valueAt(document, error.instanceLocation);
  const keywordPointer = error.keywordLocation;
  const parent = schemaAt(
    root,
    lookup,
    keywordPointer.slice(0, keywordPointer.lastIndexOf('/')),
  );
  const rule = parent?.[error.keyword];
  const found = shown(value);
  if (rule === undefined && !WITHOUT_RULE.has(error.keyword)) {
    // The schema could not be followed here; the validator's words will do.
    return { path, found, expected: error.error.replace(/\.$/, '') };
  }
  switch (error.keyword) {
    case 'required': {
      const key = /property "(.*)"\.$/.exec(error.error)?.[1];
      return key === undefined
        ? { path, found, expected: error.error }
        : { path: join(path, key), expected: 'a value' };
    }
    case 'dependentRequired':
    case 'dependencies': {
      const match = MISSING_DEPENDENT.exec(error.error);
      if (match) {
        return {
          path: join(path, match[2]),
          expected: `a value, since ${join(path, match[1])} is set`,
        };
      }
      return { path, found, expected: error.error };
    }
    case 'type': {
      const types: string[] = Array.isArray(rule) ? rule : [rule];
      return {
        path,
        found,
        expected: orList(types.map(t => TYPE_WORDS[t] ?? t)),
      };
    }
    case 'const':
      return { path, found, expected: shown(rule) };
    case 'enum':
      return {
        path,
        found,
        expected: `one of ${(rule as unknown[]).map(shown).join(', ')}`,
      };
    case 'minItems':
      return {
        path,
        found: `a list of ${plural((value as unknown[]).length, 'item')}`,
        expected: `at least ${plural(rule, 'item')}`,
      };
    case 'maxItems':
      return {
        path,
        found: `a list of ${plural((value as unknown[]).length, 'item')}`,
        expected: `at most ${plural(rule, 'item')}`,
      };
    case 'minLength':
      return {
        path,
        found,
        expected: `at least ${plural(rule, 'character')}`,
      };
    case 'maxLength':
      return {
        path,
        found,
        expected: `at most ${plural(rule, 'character')}`,
      };
    case 'minProperties':
      return {
        path,
        found,
        expected: `at least ${plural(rule, 'property', 'properties')}`,
      };
    case 'maxProperties':
      return {
        path,
        found,
        expected: `at most ${plural(rule, 'property', 'properties')}`,
      };
    case 'pattern':
      return { path, found, expected: `text matching ${rule}` };
    case 'format':
      return { path, found, expected: `a valid ${rule}` };
    case 'minimum':
      return { path, found, expected: `at least ${rule}` };
    case 'maximum':
      return { path, found, expected: `at most ${rule}` };
    case 'exclusiveMinimum':
      return { path, found, expected: `more than ${rule}` };
    case 'exclusiveMaximum':
      return { path, found, expected: `less than ${rule}` };
    case 'multipleOf':
      return { path, found, expected: `a multiple of ${rule}` };
    case 'uniqueItems':
      return { path, found, expected: 'no duplicate items' };
    case 'contains': {
      const what = described(rule);
      return {
        path,
        found,
        expected: what
          ? `a list containing ${what}`
          : 'a list with a matching item',
      };
    }
    case 'minContains':
    case 'maxContains': {
      const what = described(parent?.contains);
      return {
        path,
        found,
        expected: `${
          error.keyword === 'minContains' ? 'at least' : 'at most'
        } ${plural(rule, 'item')}${
          what
            ? ` that ${rule === 1 ? 'is' : 'are'} ${what}`
            : ' matching the rule'
        }`,
      };
    }
    case 'not': {
      const what = Array.isArray(rule?.enum)
        ? orList(rule.enum.map(shown))
        : described(rule);
      return {
        path,
        found,
        expected: what ? `anything but ${what}` : 'something else',
      };
    }
    case 'anyOf':
    case 'oneOf': {
      const count = Array.isArray(rule) ? rule.length : 0;
      const alternatives = Array.isArray(rule) ? rule.map(described) : [];
      const expected =
        alternatives.length && alternatives.every(Boolean)
          ? orList(alternatives as string[])
          : `${
              error.keyword === 'oneOf' ? 'exactly one' : 'one'
            } of the ${count} forms the rule allows`;
      return { path, found, expected };
    }
    case 'propertyNames': {
      const name = /name "(.*)"/.exec(error.error)?.[1];
      const what = described(rule);
      return {
        path,
        found: name === undefined ? found : `a property named ${shown(name)}`,
        expected: what
          ? `property names that are ${what}`
          : 'property names the rule allows',
      };
    }
    case 'false':
      return { path, found, expected: 'nothing here' };
    default:
      return { path, found, expected: error.error.replace(/\.$/, '') };
  }
}

/**
 * What is wrong with a document, one problem per failing rule, in document
 * order. Errors below a summarizing keyword (anyOf, not, contains, ...) are
 * left out: they describe alternatives or non-matching items, not what to fix.
 */
function problemsOf(
  errors: OutputUnit[],
  document: unknown,
  root: Schema,
  lookup: Lookup,
): SchemaProblem[] {
  const summarized: string[] = [];
  for (const { keyword, keywordLocation } of errors) {
    if (SUMMARIZING.has(keyword)) {
      summarized.push(`${keywordLocation}/`);
    } else if (keyword === 'minContains' || keyword === 'maxContains') {
      const parent = keywordLocation.slice(0, keywordLocation.lastIndexOf('/'));
      summarized.push(`${parent}/contains/`);
    }
  }
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (summarized.some(prefix => error.keywordLocation.startsWith(prefix))) {
      continue;
    }
    const problem = problemOf(error, document, root, lookup);
    if (!problem) continue;
    const key = `${problem.path}\u0000${problem.found}\u0000${problem.expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/** A problem as a product team reads it in a policy result. */
export function describeProblem(problem: SchemaProblem): string {
  const where = problem.path || 'the entity';
  if (problem.found === undefined) {
    return problem.expected === 'a value'
      ? `${where} is missing`
      : `${where} is missing: expected ${problem.expected}`;
  }
  if (problem.expected === 'nothing here') return `${where} is not allowed`;
  return `${where} is ${problem.found}, expected ${problem.expected}`;
}

/** The JSON Schema rule of a policy, compiled once. */
export type SchemaRule = {
  /** What the entity fails, or an empty list when it satisfies the schema. */
  problems(entity: unknown): SchemaProblem[];
};

function walkKeywords(
  schema: unknown,
  path: string,
  visit: (schema: Record<string, unknown>, path: string) => void,
): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  visit(s, path);
  for (const keyword of SCHEMA_KEYWORDS) {
    if (keyword in s) walkKeywords(s[keyword], `${path}.${keyword}`, visit);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = s[keyword];
    if (Array.isArray(list)) {
      list.forEach((sub, i) =>
        walkKeywords(sub, `${path}.${keyword}[${i}]`, visit),
      );
    }
  }
  for (const keyword of [...SCHEMA_MAP_KEYWORDS, 'dependencies']) {
    const map = s[keyword];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      for (const [name, sub] of Object.entries(map)) {
        walkKeywords(sub, join(`${path}.${keyword}`, name), visit);
      }
    }
  }
  if (Array.isArray(s.items)) {
    s.items.forEach((sub, i) =>
      walkKeywords(sub, `${path}.items[${i}]`, visit),
    );
  } else {
    walkKeywords(s.items, `${path}.items`, visit);
  }
}

/**
 * Checks a JSON Schema from config and compiles it. Throws an error naming
 * `key` and what is wrong when it is not a schema the validator can apply:
 * not an object, an unsupported draft, a keyword in the wrong form, an
 * unknown keyword (most likely a typo that would make the rule pass
 * everything) or a `$ref` to nothing.
 */
export function compileSchemaRule(schema: unknown, key: string): SchemaRule {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new Error(
      `${key}: found ${shown(
        schema,
      )}, expected a JSON Schema object such as { required: [spec], properties: { spec: { required: [slos] } } }`,
    );
  }
  // The validator annotates the schema it is given; keep config untouched.
  const root: Schema = JSON.parse(JSON.stringify(schema));
  const declared = root.$schema;
  const draft = declared === undefined ? '2020-12' : DRAFTS[declared];
  if (!draft) {
    throw new Error(
      `${key}.$schema: found ${shown(declared)}, expected ${Object.keys(DRAFTS)
        .filter(d => !d.endsWith('#'))
        .join(', ')} or nothing (2020-12)`,
    );
  }

  const meta = validate(root, META_SCHEMA, '2019-09', META_LOOKUP, false);
  if (!meta.valid) {
    const [problem] = problemsOf(meta.errors, root, META_SCHEMA, META_LOOKUP);
    if (problem) {
      const at = problem.path
        ? `${key}${problem.path.startsWith('[') ? '' : '.'}${problem.path}`
        : key;
      throw new Error(
        `${at}: found ${problem.found ?? 'nothing'}, expected ${
          problem.expected
        }; the rule must be a JSON Schema`,
      );
    }
  }
  walkKeywords(root, key, (node, at) => {
    for (const keyword of Object.keys(node)) {
      if (!KNOWN_KEYWORDS.has(keyword)) {
        throw new Error(
          `${at}: unknown keyword "${keyword}"; expected JSON Schema keywords such as type, required, properties, items, enum, const, pattern or contains`,
        );
      }
    }
  });

  let lookup: Lookup;
  try {
    lookup = dereference(root);
  } catch (error) {
    throw new Error(`${key}: ${(error as Error).message}`);
  }
  walkKeywords(root, key, (node, at) => {
    if (typeof node.$ref !== 'string') return;
    const target = (node as Schema).__absolute_ref__ ?? node.$ref;
    if (lookup[target] === undefined) {
      throw new Error(
        `${at}.$ref: found ${shown(
          node.$ref,
        )}, expected a reference to a part of this schema such as #/$defs/port`,
      );
    }
  });

  const check = (entity: unknown) =>
    validate(entity, root, draft, lookup, false);
  return {
    problems(entity) {
      let checked = entity;
      let result;
      try {
        result = check(checked);
      } catch (error) {
        // Entities built in code (not read from the catalog) may hold
        // undefined values, which JSON does not have and the validator
        // refuses; checked as JSON they are the entity the catalog would get.
        if (!/not supported/.test((error as Error).message)) throw error;
        checked = JSON.parse(JSON.stringify(entity));
        result = check(checked);
      }
      return result.valid
        ? []
        : problemsOf(result.errors, checked, root, lookup);
    },
  };
}
