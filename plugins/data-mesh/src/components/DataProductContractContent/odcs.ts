/*
 * Reading an ODCS v3 contract document for display. The backend checks a
 * contract's structure, not every field's type, so each reader here accepts
 * anything and keeps only what has the expected shape.
 */
import type {
  ContractChange,
  ContractPortView,
} from '@quanta/plugin-data-mesh-common';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

/** A string, or a number or boolean written as one; otherwise undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/** One property of a schema object, nested ones named with dots. */
export type ContractProperty = {
  name: string;
  logicalType?: string;
  physicalType?: string;
  required: boolean;
  primaryKey: boolean;
  classification?: string;
  pii: boolean;
  critical: boolean;
  description?: string;
};

/** A schema object (a table, a topic) and its properties. */
export type ContractObject = {
  name: string;
  physicalName?: string;
  description?: string;
  properties: ContractProperty[];
};

/** A quality rule, with where it applies. */
export type ContractQualityRule = {
  /** `orders` or `orders.customer_id`; absent for a contract-wide rule. */
  where?: string;
  text: string;
  dimension?: string;
  severity?: string;
};

/**
 * PII as ODCS writes it: a `pii` tag, or a custom property `pii` that is
 * true (ODCS has no field of its own for it).
 */
function isPii(property: Json): boolean {
  const tags = Array.isArray(property.tags) ? property.tags : [];
  if (tags.some(tag => textOf(tag)?.toLocaleLowerCase('en-US') === 'pii')) {
    return true;
  }
  return objects(property.customProperties).some(
    custom =>
      textOf(custom.property)?.toLocaleLowerCase('en-US') === 'pii' &&
      (custom.value === true || textOf(custom.value) === 'true'),
  );
}

function flatten(
  properties: unknown,
  prefix: string,
  out: ContractProperty[],
): ContractProperty[] {
  for (const property of objects(properties)) {
    const own = textOf(property.name);
    if (!own) continue;
    const name = prefix ? `${prefix}.${own}` : own;
    out.push({
      name,
      logicalType: textOf(property.logicalType),
      physicalType: textOf(property.physicalType),
      required: property.required === true,
      primaryKey: property.primaryKey === true,
      classification: textOf(property.classification),
      pii: isPii(property),
      critical: property.criticalDataElement === true,
      description: textOf(property.description),
    });
    // Objects nest properties; arrays of objects nest them under `items`.
    flatten(property.properties, name, out);
    if (isObject(property.items)) flatten(property.items.properties, name, out);
  }
  return out;
}

/** The schema objects of a contract with their properties, nested ones flattened. */
export function contractObjects(document: Json): ContractObject[] {
  return objects(document.schema).flatMap(object => {
    const name = textOf(object.name);
    if (!name) return [];
    return [
      {
        name,
        physicalName: textOf(object.physicalName),
        description: textOf(object.description),
        properties: flatten(object.properties, '', []),
      },
    ];
  });
}

/** What a quality rule checks, in the words the contract gives. */
function ruleText(rule: Json): string | undefined {
  const described = textOf(rule.description) ?? textOf(rule.name);
  const thresholds = [
    'mustBe',
    'mustNotBe',
    'mustBeGreaterThan',
    'mustBeGreaterOrEqualTo',
    'mustBeLessThan',
    'mustBeLessOrEqualTo',
  ]
    .filter(key => rule[key] !== undefined)
    .map(key => {
      const value = rule[key];
      const shown = Array.isArray(value)
        ? value.map(v => textOf(v) ?? '').join(' and ')
        : textOf(value) ?? JSON.stringify(value);
      const words = key.replace(/([A-Z])/g, ' $1').toLocaleLowerCase('en-US');
      return `${words} ${shown}${textOf(rule.unit) ? ` ${rule.unit}` : ''}`;
    });
  const check = textOf(rule.metric) ?? textOf(rule.rule) ?? textOf(rule.query);
  const technical = [check, ...thresholds].filter(Boolean).join(' ');
  if (described && technical) return `${described} (${technical})`;
  return described ?? (technical || undefined);
}

/** Every quality rule of a contract: contract-wide, per object and per property. */
export function contractQuality(document: Json): ContractQualityRule[] {
  const out: ContractQualityRule[] = [];
  const add = (rules: unknown, where?: string) => {
    for (const rule of objects(rules)) {
      const text = ruleText(rule);
      if (!text) continue;
      out.push({
        ...(where ? { where } : {}),
        text,
        dimension: textOf(rule.dimension),
        severity: textOf(rule.severity),
      });
    }
  };
  add(document.quality);
  const walk = (properties: unknown, prefix: string) => {
    for (const property of objects(properties)) {
      const name = textOf(property.name);
      if (!name) continue;
      add(property.quality, `${prefix}.${name}`);
      walk(property.properties, `${prefix}.${name}`);
      if (isObject(property.items)) {
        walk(property.items.properties, `${prefix}.${name}`);
      }
    }
  };
  for (const object of objects(document.schema)) {
    const name = textOf(object.name);
    if (!name) continue;
    add(object.quality, name);
    walk(object.properties, name);
  }
  return out;
}

/** ODCS time units (`d`, `day`, `days`, `h`, `m`, `y`…) in words. */
const UNITS: Record<string, [string, string]> = {
  ms: ['millisecond', 'milliseconds'],
  s: ['second', 'seconds'],
  sec: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  hr: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
  y: ['year', 'years'],
  yr: ['year', 'years'],
};
for (const [singular, plural] of Object.values(UNITS)) {
  UNITS[singular] = [singular, plural];
  UNITS[plural] = [singular, plural];
}

/** `1` `h` → `1 hour`; `15` `m` → `15 minutes`; an unknown unit as written. */
export function valueWithUnit(value: unknown, unit: unknown): string {
  const shown =
    textOf(value) ?? (value === undefined ? '' : JSON.stringify(value));
  const written = textOf(unit);
  if (!written) return shown;
  const words = UNITS[written.toLocaleLowerCase('en-US')];
  if (!words) return `${shown} ${written}`;
  return `${shown} ${Number(shown) === 1 ? words[0] : words[1]}`;
}

/** An SLA property of a contract, in words. */
export type ContractSla = {
  property: string;
  value: string;
  element?: string;
  driver?: string;
};

export function contractSla(document: Json): ContractSla[] {
  return objects(document.slaProperties).flatMap(sla => {
    const property = textOf(sla.property);
    if (!property) return [];
    return [
      {
        property,
        value: valueWithUnit(sla.value, sla.unit),
        element: textOf(sla.element),
        driver: textOf(sla.driver),
      },
    ];
  });
}

/** A support channel: where to ask about the data. */
export type ContractSupport = {
  channel: string;
  url?: string;
  tool?: string;
  scope?: string;
  description?: string;
};

export function contractSupport(document: Json): ContractSupport[] {
  return objects(document.support).flatMap(support => {
    const channel = textOf(support.channel) ?? textOf(support.url);
    if (!channel) return [];
    const url = textOf(support.url) ?? textOf(support.invitationUrl);
    return [
      {
        channel,
        url: url && /^https?:\/\//.test(url) ? url : undefined,
        tool: textOf(support.tool),
        scope: textOf(support.scope),
        description: textOf(support.description),
      },
    ];
  });
}

/** The three parts of an ODCS description, those written. */
export function contractDescription(
  document: Json,
): Array<{ label: string; text: string }> {
  const description = document.description;
  if (typeof description === 'string') {
    return description.trim() ? [{ label: 'Purpose', text: description }] : [];
  }
  if (!isObject(description)) return [];
  return (
    [
      ['Purpose', description.purpose],
      ['Usage', description.usage],
      ['Limitations', description.limitations],
    ] as const
  ).flatMap(([label, value]) => {
    const text = textOf(value);
    return text ? [{ label, text }] : [];
  });
}

/** A port's contract status, as a consumer reads it. */
export function statusInWords(port: ContractPortView): {
  label: string;
  tone: 'ok' | 'error' | 'warning' | 'neutral';
  detail?: string;
} {
  switch (port.status) {
    case 'ok':
      return { label: 'Contract read', tone: 'ok' };
    case 'unreadable':
      return {
        label: 'Contract cannot be read',
        tone: 'error',
        detail: port.message ?? unreadableReason(port.reason),
      };
    case 'invalid':
      return {
        label: 'Contract is not valid',
        tone: 'error',
        detail: port.message,
      };
    case 'pending':
      return {
        label: 'Not read yet',
        tone: 'warning',
        detail:
          'The contract is read on the next refresh; until then there is nothing to show.',
      };
    default:
      return {
        label: 'No contract declared',
        tone: 'neutral',
        detail:
          'This port promises no schema or service level: ask its owners before relying on it.',
      };
  }
}

function unreadableReason(reason: string | undefined): string | undefined {
  switch (reason) {
    case 'not-found':
      return 'No contract at the declared location.';
    case 'not-allowed':
      return 'The portal may not read from the declared location.';
    case 'too-large':
      return 'The contract is larger than the portal reads.';
    case 'unsupported-location':
      return 'The portal cannot resolve the declared location.';
    default:
      return reason;
  }
}

/** Group labels of change levels, most serious first. */
export const CHANGE_GROUPS: Array<{
  level: ContractChange['level'];
  title: string;
}> = [
  { level: 'breaking', title: 'Breaking' },
  { level: 'warning', title: 'Needs a look' },
  { level: 'compatible', title: 'Compatible' },
];

/** The version bump a change set needs, in words. */
export function bumpInWords(
  bump: 'major' | 'minor' | 'patch' | 'none',
): string {
  switch (bump) {
    case 'major':
      return 'Needs a major version';
    case 'minor':
      return 'Needs a minor version';
    case 'patch':
      return 'Needs a patch version';
    default:
      return 'No change to the contract';
  }
}
