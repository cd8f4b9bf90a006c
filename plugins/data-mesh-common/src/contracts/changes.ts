/*
 * What changed between two versions of an ODCS (v3) data contract, and
 * whether each change breaks the consumers of the port it describes.
 *
 * A change is breaking when a consumer that read the old version, or data
 * that met it, may fail under the new one. The rule names and levels follow
 * datacontract-cli's `breaking` (its `rules.py`) where it has a rule; where
 * Quanta differs, `contractChangeRules` says so and why. Objects and
 * properties are matched by name; a property that keeps its stable `id`
 * under a new name is a rename, not a removal and an addition.
 */

/**
 * How much a contract change matters to its consumers: `breaking` needs a new
 * major version (a consumer or existing data may fail), `warning` needs a
 * look (it may matter, the rule cannot tell), `compatible` is safe.
 *
 * @public
 */
export type ContractChangeLevel = 'breaking' | 'warning' | 'compatible';

/**
 * The rules that classify contract changes.
 *
 * @public
 */
export type ContractChangeRuleId =
  | 'object-removed'
  | 'object-added'
  | 'field-removed'
  | 'field-renamed'
  | 'field-added'
  | 'required-field-added'
  | 'type-changed'
  | 'physical-name-changed'
  | 'required-changed'
  | 'unique-changed'
  | 'primary-key-changed'
  | 'validation-changed'
  | 'allowed-values-changed'
  | 'quality-rule-changed'
  | 'sla-changed'
  | 'classification-changed'
  | 'metadata-changed';

/**
 * One change between two contract versions.
 *
 * @public
 */
export type ContractChange = {
  rule: ContractChangeRuleId;
  level: ContractChangeLevel;
  /** Where, as datacontract-cli writes it: `schema.orders.properties.customer_id.logicalType`. */
  path: string;
  /** The schema object (table, topic) the change is in, when it is in one. */
  object?: string;
  /** The property, dotted for nested ones (`address.city`), when the change is in one. */
  field?: string;
  /** What changed, in words a consumer reads: `Removed field customer_id from orders`. */
  message: string;
  before?: unknown;
  after?: unknown;
};

/**
 * A rule, its levels and how it relates to datacontract-cli's rule set.
 *
 * @public
 */
export type ContractChangeRule = {
  id: ContractChangeRuleId;
  /** When it applies, and the level of each case. */
  description: string;
  /** The datacontract-cli rule it corresponds to, if any. */
  datacontractCli?: string;
  /** Where Quanta's levels differ from datacontract-cli's, and why. */
  differs?: string;
};

/**
 * Every rule, documented one by one (the plugin README lists them with
 * examples).
 *
 * @public
 */
export const contractChangeRules: readonly ContractChangeRule[] = [
  {
    id: 'object-removed',
    description:
      'A schema object (table, view, topic) is gone: breaking, every consumer reading it fails.',
    datacontractCli: 'schema-removed',
  },
  {
    id: 'object-added',
    description: 'A new schema object: compatible.',
    datacontractCli: 'metadata-or-unknown-change',
  },
  {
    id: 'field-removed',
    description: 'A property is gone: breaking.',
    datacontractCli: 'field-removed',
  },
  {
    id: 'field-renamed',
    description:
      'A property keeps its stable `id` under a new name: breaking, consumers select it by name.',
    datacontractCli: 'field-removed',
    differs:
      'datacontract-cli reports a removal and an addition; Quanta names the rename so the changelog and the consumers read it as one change.',
  },
  {
    id: 'field-added',
    description: 'A new optional property: compatible.',
    datacontractCli: 'metadata-or-unknown-change',
  },
  {
    id: 'required-field-added',
    description:
      'A new property that is `required`: breaking, data written before it has no value for it.',
    differs:
      'datacontract-cli ignores what is inside a new element; Quanta treats a new required property as it treats an optional one made required.',
  },
  {
    id: 'type-changed',
    description:
      'The logical or physical type of a property changed: breaking; widening `integer` to `number` is compatible, a type written for the first time is compatible, a type removed is a warning.',
    datacontractCli: 'type-changed',
    differs:
      'datacontract-cli treats every type update as breaking, `integer` to `number` included; a consumer of integers reads numbers.',
  },
  {
    id: 'physical-name-changed',
    description:
      'The physical name of an object or property changed: breaking, queries name the column or table.',
    differs:
      'datacontract-cli reports it as a metadata change; consumers read physical names.',
  },
  {
    id: 'required-changed',
    description:
      'An optional property made `required` (nullable made not null): breaking; `required` dropped: compatible.',
    datacontractCli: 'required-changed',
  },
  {
    id: 'unique-changed',
    description:
      'A property made `unique`: breaking, existing data may hold duplicates; `unique` dropped: compatible.',
    datacontractCli: 'unique-constraint-changed',
  },
  {
    id: 'primary-key-changed',
    description:
      "A property's `primaryKey` or `primaryKeyPosition` changed: breaking, consumers join and deduplicate on the key.",
    datacontractCli: 'key-constraint-changed',
    differs: 'datacontract-cli makes it a warning.',
  },
  {
    id: 'validation-changed',
    description:
      'A `logicalTypeOptions` bound tightened (minLength, maxLength, minimum, maximum, exclusive bounds): breaking; loosened: compatible; a pattern or format changed: warning.',
    datacontractCli: 'validation-constraint-changed',
  },
  {
    id: 'allowed-values-changed',
    description:
      'Allowed values (`logicalTypeOptions.enum`, or the `validValues` of an `invalidValues` quality rule) narrowed: breaking; widened: compatible.',
    datacontractCli: 'enum-constraint-changed',
  },
  {
    id: 'quality-rule-changed',
    description:
      'A quality rule added or a threshold tightened: warning; removed or loosened: compatible.',
    datacontractCli: 'quality-constraint-changed',
    differs:
      'datacontract-cli makes an added rule or a tighter threshold breaking; the producer checks its rules before it publishes, so consumers gain a guarantee and lose nothing.',
  },
  {
    id: 'sla-changed',
    description:
      'An SLA property weakened (latency or frequency longer, availability lower, retention shorter, end of support or life earlier) or removed: breaking; strengthened or added: compatible; a change Quanta cannot order: warning.',
    differs: 'datacontract-cli does not compare SLA properties.',
  },
  {
    id: 'classification-changed',
    description:
      'A property classified higher (public < internal < confidential < restricted): breaking, consumers may lose access; lower: compatible; an unknown class: warning.',
    differs:
      'datacontract-cli reports it as a metadata change; a higher class changes who may read the field.',
  },
  {
    id: 'metadata-changed',
    description:
      'Descriptions, business names, tags, examples, authoritative definitions, custom properties and anything else: compatible.',
    datacontractCli: 'metadata-or-unknown-change',
  },
];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const nameOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value.name === 'string' && value.name.trim()
    ? value.name.trim()
    : undefined;

const idOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value.id === 'string' && value.id.trim()
    ? value.id.trim()
    : undefined;

const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

const show = (value: unknown): string =>
  value === undefined ? 'nothing' : JSON.stringify(value);

/** Elements of a list by name, the first of each name (a duplicate is the schema's problem, not a change). */
function byName(values: unknown[]): Map<string, Json> {
  const result = new Map<string, Json>();
  for (const value of values) {
    const name = nameOf(value);
    if (name && isObject(value) && !result.has(name)) result.set(name, value);
  }
  return result;
}

class Collector {
  readonly changes: ContractChange[] = [];

  add(change: ContractChange) {
    this.changes.push(change);
  }
}

type Where = { path: string; object?: string; field?: string; label: string };

const CLASSIFICATION_ORDER = [
  'public',
  'internal',
  'confidential',
  'restricted',
];

function classificationRank(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const index = CLASSIFICATION_ORDER.indexOf(value.trim().toLowerCase());
  return index < 0 ? undefined : index;
}

/** Whether a bound now allows less: a bound written for the first time tightens, one dropped loosens. */
function tightens(
  old: number | undefined,
  now: number | undefined,
  side: 'lower' | 'upper',
): boolean {
  if (old === undefined) return now !== undefined;
  if (now === undefined) return false;
  return side === 'lower' ? now > old : now < old;
}

function verb(before: unknown, after: unknown): string {
  if (before === undefined) return 'Added';
  if (after === undefined) return 'Removed';
  return 'Changed';
}

/** A higher class may take access away from consumers; an unknown class cannot be ordered. */
function classificationLevel(
  before: unknown,
  after: unknown,
): ContractChangeLevel {
  const old = classificationRank(before);
  const now = classificationRank(after);
  if (after === undefined) return 'compatible';
  if (now === undefined) return 'warning';
  if (before === undefined) return now > 0 ? 'breaking' : 'compatible';
  if (old === undefined) return 'warning';
  return now > old ? 'breaking' : 'compatible';
}

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems'];

function compareTypeOptions(
  before: unknown,
  after: unknown,
  where: Where,
  out: Collector,
) {
  const a = isObject(before) ? before : {};
  const b = isObject(after) ? after : {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (same(a[key], b[key])) continue;
    const path = `${where.path}.logicalTypeOptions.${key}`;
    const base = { path, object: where.object, field: where.field };
    if (key === 'enum') {
      compareAllowedValues(a[key], b[key], { ...where, path }, out);
      continue;
    }
    const lower = LOWER_BOUNDS.includes(key);
    const upper = UPPER_BOUNDS.includes(key);
    if (lower || upper) {
      const old = typeof a[key] === 'number' ? (a[key] as number) : undefined;
      const now = typeof b[key] === 'number' ? (b[key] as number) : undefined;
      const tighter = tightens(old, now, lower ? 'lower' : 'upper');
      out.add({
        ...base,
        rule: 'validation-changed',
        level: tighter ? 'breaking' : 'compatible',
        message: `${tighter ? 'Tightened' : 'Loosened'} ${key} of ${
          where.label
        } from ${show(a[key])} to ${show(b[key])}`,
        before: a[key],
        after: b[key],
      });
      continue;
    }
    out.add({
      ...base,
      rule: 'validation-changed',
      level: 'warning',
      message: `Changed ${key} of ${where.label} from ${show(a[key])} to ${show(
        b[key],
      )}`,
      before: a[key],
      after: b[key],
    });
  }
}

function compareAllowedValues(
  before: unknown,
  after: unknown,
  where: Where,
  out: Collector,
) {
  const old = Array.isArray(before) ? before.map(v => JSON.stringify(v)) : [];
  const now = Array.isArray(after) ? after.map(v => JSON.stringify(v)) : [];
  const base = { path: where.path, object: where.object, field: where.field };
  if (!Array.isArray(before) && Array.isArray(after)) {
    out.add({
      ...base,
      rule: 'allowed-values-changed',
      level: 'breaking',
      message: `Restricted ${where.label} to ${now.join(', ')}`,
      before,
      after,
    });
    return;
  }
  if (Array.isArray(before) && !Array.isArray(after)) {
    out.add({
      ...base,
      rule: 'allowed-values-changed',
      level: 'compatible',
      message: `Allowed any value in ${where.label}`,
      before,
      after,
    });
    return;
  }
  const removed = old.filter(v => !now.includes(v));
  const added = now.filter(v => !old.includes(v));
  if (removed.length) {
    out.add({
      ...base,
      rule: 'allowed-values-changed',
      level: 'breaking',
      message: `No longer allows ${removed.join(', ')} in ${where.label}`,
      before,
      after,
    });
  }
  if (added.length) {
    out.add({
      ...base,
      rule: 'allowed-values-changed',
      level: 'compatible',
      message: `Now also allows ${added.join(', ')} in ${where.label}`,
      before,
      after,
    });
  }
}

const THRESHOLDS: Record<string, 'lower' | 'upper'> = {
  mustBeGreaterThan: 'lower',
  mustBeGreaterOrEqualTo: 'lower',
  mustBeLessThan: 'upper',
  mustBeLessOrEqualTo: 'upper',
};

const QUALITY_METADATA = [
  'id',
  'name',
  'description',
  'dimension',
  'businessImpact',
  'severity',
  'tags',
  'customProperties',
  'authoritativeDefinitions',
  'schedule',
  'scheduler',
];

/** A quality rule's identity: its id, else its name, else what it checks. */
function qualityKey(rule: Json): string {
  return (
    idOf(rule) ??
    nameOf(rule) ??
    JSON.stringify([rule.metric ?? rule.rule, rule.type, rule.query])
  );
}

function compareQuality(
  before: unknown,
  after: unknown,
  where: Where,
  out: Collector,
) {
  const index = (values: unknown[]) => {
    const result = new Map<string, Json>();
    for (const value of values) {
      if (isObject(value)) result.set(qualityKey(value), value);
    }
    return result;
  };
  const old = index(list(before));
  const now = index(list(after));
  const base = { object: where.object, field: where.field };
  for (const [key, rule] of old) {
    const label = nameOf(rule) ?? String(rule.metric ?? rule.rule ?? key);
    const path = `${where.path}.quality.${label}`;
    const next = now.get(key);
    if (!next) {
      out.add({
        ...base,
        path,
        rule: 'quality-rule-changed',
        level: 'compatible',
        message: `Removed quality rule ${label} of ${where.label}`,
        before: rule,
      });
      continue;
    }
    if (same(rule, next)) continue;
    const oldArgs = isObject(rule.arguments) ? rule.arguments : {};
    const newArgs = isObject(next.arguments) ? next.arguments : {};
    if (!same(oldArgs.validValues, newArgs.validValues)) {
      compareAllowedValues(
        oldArgs.validValues,
        newArgs.validValues,
        { ...where, path: `${path}.arguments.validValues` },
        out,
      );
    }
    let level: ContractChangeLevel = 'compatible';
    const described: string[] = [];
    for (const [key2, side] of Object.entries(THRESHOLDS)) {
      if (same(rule[key2], next[key2])) continue;
      const a =
        typeof rule[key2] === 'number' ? (rule[key2] as number) : undefined;
      const b =
        typeof next[key2] === 'number' ? (next[key2] as number) : undefined;
      const tighter = tightens(a, b, side);
      if (tighter) level = 'warning';
      described.push(`${key2} ${show(rule[key2])} to ${show(next[key2])}`);
    }
    // Anything else but its description changes what the rule checks
    // (metric, query, mustBe, mustBeBetween, other arguments).
    const otherArgs = (args: Json) => {
      const { validValues: _ignored, ...rest } = args;
      return rest;
    };
    const checked = [...new Set([...Object.keys(rule), ...Object.keys(next)])]
      .filter(k => !QUALITY_METADATA.includes(k) && !(k in THRESHOLDS))
      .filter(k => k !== 'arguments' && !same(rule[k], next[k]));
    if (checked.length || !same(otherArgs(oldArgs), otherArgs(newArgs))) {
      level = 'warning';
      described.push(
        `what it checks (${[
          ...checked,
          ...(same(otherArgs(oldArgs), otherArgs(newArgs))
            ? []
            : ['arguments']),
        ].join(', ')})`,
      );
    }
    if (!described.length) {
      if (QUALITY_METADATA.every(k => same(rule[k], next[k]))) continue;
      out.add({
        ...base,
        path,
        rule: 'metadata-changed',
        level: 'compatible',
        message: `Changed the description of quality rule ${label} of ${where.label}`,
        before: rule,
        after: next,
      });
    } else {
      out.add({
        ...base,
        path,
        rule: 'quality-rule-changed',
        level,
        message: `Changed quality rule ${label} of ${
          where.label
        }: ${described.join('; ')}`,
        before: rule,
        after: next,
      });
    }
  }
  for (const [key, rule] of now) {
    if (old.has(key)) continue;
    const label = nameOf(rule) ?? String(rule.metric ?? rule.rule ?? key);
    out.add({
      ...base,
      path: `${where.path}.quality.${label}`,
      rule: 'quality-rule-changed',
      level: 'warning',
      message: `Added quality rule ${label} to ${where.label}`,
      after: rule,
    });
  }
}

function compareMetadata(
  before: Json,
  after: Json,
  where: Where,
  handled: string[],
  out: Collector,
) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter(
    key => !handled.includes(key) && !same(before[key], after[key]),
  );
  for (const key of changed) {
    out.add({
      path: `${where.path}.${key}`,
      object: where.object,
      field: where.field,
      rule: 'metadata-changed',
      level: 'compatible',
      message: `${verb(before[key], after[key])} ${key} of ${where.label}`,
      before: before[key],
      after: after[key],
    });
  }
}

const PROPERTY_KEYS = [
  'name',
  'id',
  'logicalType',
  'physicalType',
  'physicalName',
  'required',
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'logicalTypeOptions',
  'classification',
  'quality',
  'properties',
  'items',
];

function compareType(
  key: 'logicalType' | 'physicalType',
  before: unknown,
  after: unknown,
  where: Where,
  out: Collector,
) {
  if (same(before, after)) return;
  const norm = (v: unknown) =>
    typeof v === 'string' ? v.replace(/\s+/g, '').toLowerCase() : v;
  // VARCHAR(10) and varchar(10) are one type.
  if (key === 'physicalType' && same(norm(before), norm(after))) return;
  let level: ContractChangeLevel;
  if (before === undefined) level = 'compatible';
  else if (after === undefined) level = 'warning';
  else if (key === 'logicalType' && before === 'integer' && after === 'number')
    level = 'compatible';
  else level = 'breaking';
  out.add({
    path: `${where.path}.${key}`,
    object: where.object,
    field: where.field,
    rule: 'type-changed',
    level,
    message: `Changed ${key === 'logicalType' ? 'type' : 'physical type'} of ${
      where.label
    } from ${show(before)} to ${show(after)}`,
    before,
    after,
  });
}

function compareFlag(
  key: 'required' | 'unique',
  before: Json,
  after: Json,
  where: Where,
  out: Collector,
) {
  const old = before[key] === true;
  const now = after[key] === true;
  if (old === now) return;
  out.add({
    path: `${where.path}.${key}`,
    object: where.object,
    field: where.field,
    rule: key === 'required' ? 'required-changed' : 'unique-changed',
    level: now ? 'breaking' : 'compatible',
    message: `${where.label} ${now ? 'is now' : 'is no longer'} ${key}`,
    before: before[key],
    after: after[key],
  });
}

function compareProperty(
  before: Json,
  after: Json,
  where: Where,
  out: Collector,
) {
  const name = nameOf(after);
  if (nameOf(before) !== name) {
    out.add({
      path: where.path,
      object: where.object,
      field: where.field,
      rule: 'field-renamed',
      level: 'breaking',
      message: `Renamed field ${where.field} of ${where.object} to ${name}`,
      before: nameOf(before),
      after: name,
    });
  }
  compareType('logicalType', before.logicalType, after.logicalType, where, out);
  compareType(
    'physicalType',
    before.physicalType,
    after.physicalType,
    where,
    out,
  );
  if (!same(before.physicalName, after.physicalName)) {
    out.add({
      path: `${where.path}.physicalName`,
      object: where.object,
      field: where.field,
      rule: 'physical-name-changed',
      level: before.physicalName === undefined ? 'compatible' : 'breaking',
      message: `Changed physical name of ${where.label} from ${show(
        before.physicalName,
      )} to ${show(after.physicalName)}`,
      before: before.physicalName,
      after: after.physicalName,
    });
  }
  compareFlag('required', before, after, where, out);
  compareFlag('unique', before, after, where, out);
  const key = (p: Json) => ({
    primaryKey: p.primaryKey === true,
    position: p.primaryKey === true ? p.primaryKeyPosition ?? -1 : -1,
  });
  if (!same(key(before), key(after))) {
    out.add({
      path: `${where.path}.primaryKey`,
      object: where.object,
      field: where.field,
      rule: 'primary-key-changed',
      level: 'breaking',
      message: `Changed the primary key at ${where.label}: ${
        key(after).primaryKey
          ? `now key position ${key(after).position}`
          : 'no longer part of the key'
      }`,
      before: key(before),
      after: key(after),
    });
  }
  compareTypeOptions(
    before.logicalTypeOptions,
    after.logicalTypeOptions,
    where,
    out,
  );
  if (!same(before.classification, after.classification)) {
    const level = classificationLevel(
      before.classification,
      after.classification,
    );
    out.add({
      path: `${where.path}.classification`,
      object: where.object,
      field: where.field,
      rule: 'classification-changed',
      level,
      message: `Classified ${where.label} as ${show(
        after.classification,
      )} (was ${show(before.classification)})`,
      before: before.classification,
      after: after.classification,
    });
  }
  compareQuality(before.quality, after.quality, where, out);
  compareProperties(
    before.properties,
    after.properties,
    where.object,
    where.field,
    where.path,
    out,
  );
  if (isObject(before.items) || isObject(after.items)) {
    const items = `${where.path}.items`;
    if (isObject(before.items) && isObject(after.items)) {
      compareProperty(
        { ...before.items, name },
        { ...after.items, name },
        { ...where, path: items, label: `the items of ${where.label}` },
        out,
      );
    } else if (isObject(before.items)) {
      out.add({
        path: items,
        object: where.object,
        field: where.field,
        rule: 'type-changed',
        level: 'breaking',
        message: `Removed the item type of ${where.label}`,
        before: before.items,
      });
    }
  }
  compareMetadata(before, after, where, PROPERTY_KEYS, out);
}

function compareProperties(
  before: unknown,
  after: unknown,
  object: string | undefined,
  parentField: string | undefined,
  parentPath: string,
  out: Collector,
) {
  const old = byName(list(before));
  const now = byName(list(after));
  const fieldName = (name: string) =>
    parentField ? `${parentField}.${name}` : name;
  const where = (name: string): Where => ({
    path: `${parentPath}.properties.${name}`,
    object,
    field: fieldName(name),
    label: `${object}.${fieldName(name)}`,
  });
  // A property that keeps its stable id under a new name was renamed.
  const newById = new Map<string, string>();
  for (const [name, property] of now) {
    const id = idOf(property);
    if (id) newById.set(id, name);
  }
  const renamedTo = new Map<string, string>();
  for (const [name, property] of old) {
    const id = idOf(property);
    const target = id ? newById.get(id) : undefined;
    if (target && target !== name && !old.has(target)) {
      renamedTo.set(name, target);
    }
  }
  const renamedFrom = new Set(renamedTo.values());

  for (const [name, property] of old) {
    const target = renamedTo.get(name) ?? (now.has(name) ? name : undefined);
    if (target === undefined) {
      out.add({
        ...where(name),
        rule: 'field-removed',
        level: 'breaking',
        message: `Removed field ${fieldName(name)} from ${object}`,
        before: property,
      });
      continue;
    }
    compareProperty(property, now.get(target)!, where(name), out);
  }
  for (const [name, property] of now) {
    if (old.has(name) || renamedFrom.has(name)) continue;
    const required = property.required === true;
    out.add({
      ...where(name),
      rule: required ? 'required-field-added' : 'field-added',
      level: required ? 'breaking' : 'compatible',
      message: `Added ${required ? 'required' : 'optional'} field ${fieldName(
        name,
      )} to ${object}`,
      after: property,
    });
  }
}

const OBJECT_KEYS = ['name', 'id', 'physicalName', 'properties', 'quality'];

/** SLA properties whose larger value is weaker, and those whose smaller value is. */
const LONGER_IS_WEAKER = [
  'latency',
  'frequency',
  'timeToDetect',
  'timeToNotify',
  'timeToRepair',
  'errorRate',
];
const SHORTER_IS_WEAKER = [
  'availability',
  'retention',
  'completeness',
  'throughput',
];
const EARLIER_IS_WEAKER = ['endOfSupport', 'endOfLife'];

const NUMBER = /^-?\d+(\.\d+)?$/;

const SLA_VERBS: Record<ContractChangeLevel, string> = {
  breaking: 'Weakened',
  compatible: 'Strengthened',
  warning: 'Changed',
};

/**
 * Seconds per unit of an ODCS SLA property (`d`, `day`, `days`, `h`, `y`,
 * ...), lower case; a month and a year as on average (30.4375 and 365.25
 * days), so that `3 y` and `36 months` compare equal.
 *
 * @public
 */
export const SLA_UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  mo: 2629800,
  month: 2629800,
  months: 2629800,
  y: 31557600,
  yr: 31557600,
  year: 31557600,
  years: 31557600,
};

/** A comparable number for an SLA value: seconds for a duration, the number otherwise. */
function slaMagnitude(sla: Json): number | undefined {
  let value: number | undefined;
  if (typeof sla.value === 'number') value = sla.value;
  else if (typeof sla.value === 'string' && NUMBER.test(sla.value.trim()))
    value = parseFloat(sla.value);
  if (value === undefined) return undefined;
  if (typeof sla.unit !== 'string') return value;
  const unit = sla.unit.trim().toLowerCase();
  if (unit === 'percent' || unit === '%') return value;
  const seconds = SLA_UNIT_SECONDS[unit];
  return seconds === undefined ? undefined : value * seconds;
}

function slaKey(sla: Json): string {
  return JSON.stringify([
    sla.property,
    typeof sla.element === 'string' ? sla.element : undefined,
    typeof sla.driver === 'string' ? sla.driver : undefined,
  ]);
}

function compareSla(before: unknown, after: unknown, out: Collector) {
  const index = (values: unknown[]) => {
    const result = new Map<string, Json>();
    for (const value of values) {
      if (isObject(value) && typeof value.property === 'string') {
        result.set(slaKey(value), value);
      }
    }
    return result;
  };
  const old = index(list(before));
  const now = index(list(after));
  const describe = (sla: Json) =>
    `${sla.value === undefined ? '' : String(sla.value)}${
      typeof sla.unit === 'string' ? ` ${sla.unit}` : ''
    }`.trim();
  const label = (sla: Json) =>
    `SLA ${sla.property}${
      typeof sla.element === 'string' ? ` of ${sla.element}` : ''
    }`;
  for (const [key, sla] of old) {
    const path = `slaProperties.${sla.property}`;
    const next = now.get(key);
    if (!next) {
      out.add({
        path,
        rule: 'sla-changed',
        level: 'breaking',
        message: `Removed ${label(sla)} (${describe(sla)})`,
        before: sla,
      });
      continue;
    }
    if (same(sla.value, next.value) && same(sla.unit, next.unit)) {
      if (!same(sla, next)) {
        out.add({
          path,
          rule: 'metadata-changed',
          level: 'compatible',
          message: `Changed the description of ${label(sla)}`,
          before: sla,
          after: next,
        });
      }
      continue;
    }
    const property = String(sla.property);
    let level: ContractChangeLevel = 'warning';
    const a = slaMagnitude(sla);
    const b = slaMagnitude(next);
    if (EARLIER_IS_WEAKER.includes(property)) {
      const ta = Date.parse(String(sla.value));
      const tb = Date.parse(String(next.value));
      if (!Number.isNaN(ta) && !Number.isNaN(tb))
        level = tb < ta ? 'breaking' : 'compatible';
    } else if (a !== undefined && b !== undefined) {
      if (LONGER_IS_WEAKER.includes(property))
        level = b > a ? 'breaking' : 'compatible';
      else if (SHORTER_IS_WEAKER.includes(property))
        level = b < a ? 'breaking' : 'compatible';
    }
    out.add({
      path,
      rule: 'sla-changed',
      level,
      message: `${SLA_VERBS[level]} ${label(sla)} from ${describe(
        sla,
      )} to ${describe(next)}`,
      before: sla,
      after: next,
    });
  }
  for (const [key, sla] of now) {
    if (old.has(key)) continue;
    out.add({
      path: `slaProperties.${sla.property}`,
      rule: 'sla-changed',
      level: 'compatible',
      message: `Added ${label(sla)} (${describe(sla)})`,
      after: sla,
    });
  }
}

/**
 * Every change from one version of an ODCS v3 contract to the next, each
 * classified by one of {@link contractChangeRules}. Both documents are read
 * as they are: anything missing is treated as absent, so an invalid contract
 * yields the changes that can be read, never an exception.
 *
 * @public
 */
export function compareContracts(
  before: unknown,
  after: unknown,
): ContractChange[] {
  const out = new Collector();
  const a = isObject(before) ? before : {};
  const b = isObject(after) ? after : {};
  const old = byName(list(a.schema));
  const now = byName(list(b.schema));
  for (const [name, object] of old) {
    const path = `schema.${name}`;
    const next = now.get(name);
    if (!next) {
      out.add({
        path,
        object: name,
        rule: 'object-removed',
        level: 'breaking',
        message: `Removed ${name}`,
        before: object,
      });
      continue;
    }
    const where: Where = { path, object: name, label: name };
    if (!same(object.physicalName, next.physicalName)) {
      out.add({
        path: `${path}.physicalName`,
        object: name,
        rule: 'physical-name-changed',
        level: object.physicalName === undefined ? 'compatible' : 'breaking',
        message: `Changed physical name of ${name} from ${show(
          object.physicalName,
        )} to ${show(next.physicalName)}`,
        before: object.physicalName,
        after: next.physicalName,
      });
    }
    compareProperties(
      object.properties,
      next.properties,
      name,
      undefined,
      path,
      out,
    );
    compareQuality(object.quality, next.quality, where, out);
    compareMetadata(object, next, where, OBJECT_KEYS, out);
  }
  for (const [name, object] of now) {
    if (old.has(name)) continue;
    out.add({
      path: `schema.${name}`,
      object: name,
      rule: 'object-added',
      level: 'compatible',
      message: `Added ${name}`,
      after: object,
    });
  }
  compareSla(a.slaProperties, b.slaProperties, out);
  return out.changes;
}

/**
 * The semantic version bump a set of changes needs: `major` for a breaking
 * change, `minor` for a warning or an addition, `patch` for the rest, `none`
 * for no change.
 *
 * @public
 */
export function requiredVersionBump(
  changes: ContractChange[],
): 'major' | 'minor' | 'patch' | 'none' {
  if (!changes.length) return 'none';
  if (changes.some(c => c.level === 'breaking')) return 'major';
  if (
    changes.some(
      c =>
        c.level === 'warning' ||
        c.rule === 'field-added' ||
        c.rule === 'object-added',
    )
  )
    return 'minor';
  return 'patch';
}
