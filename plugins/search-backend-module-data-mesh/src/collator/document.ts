import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Governance, GovernanceSnapshot } from './GovernanceReader';
import type {
  DataProductSearchDocument,
  DataProductSearchOutputPort,
} from './types';

/*
 * The catalog keeps a DataProduct whose descriptor has problems, with its
 * errors on it (see the catalog module), so a spec can hold anything: every
 * value is read for what it is, and one odd product never stops the index.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function texts(value: unknown): string[] {
  return list(value).map(text).filter(Boolean);
}

/** The catalog's case-insensitive form of a reference, or undefined for one that cannot be read. */
export function normalizeRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

/** The references a product names whose display names its document shows. */
export function referencedEntities(entity: Entity): string[] {
  const spec = isObject(entity.spec) ? entity.spec : {};
  const namespace = entity.metadata.namespace ?? 'default';
  return [
    normalizeRef(spec.owner, 'group', namespace),
    normalizeRef(spec.productOwner, 'user', namespace),
    normalizeRef(spec.domain, 'domain', namespace),
  ].filter((ref): ref is string => !!ref);
}

/** What the document shows for a Group, User or Domain: its display name, title or name. */
export function displayNameOf(entity: Entity): string {
  const spec = isObject(entity.spec) ? entity.spec : {};
  const profile = isObject(spec.profile) ? spec.profile : {};
  return (
    text(profile.displayName) ||
    text(entity.metadata.title) ||
    entity.metadata.name
  );
}

/** A schema field as the descriptor has it, for the document's text. */
type SchemaField = {
  name: string;
  type: string;
  description: string;
  pii: boolean;
};

/** An output port as the descriptor has it, for the document's text. */
type OutputPort = {
  name: string;
  type: string;
  format: string;
  address: string;
  description: string;
  contract: { location: string; version: string };
  schema: SchemaField[];
};

function readSchemaField(value: unknown): SchemaField[] {
  if (!isObject(value) || !text(value.name)) return [];
  return [
    {
      name: text(value.name),
      type: text(value.type),
      description: text(value.description),
      pii: value.pii === true,
    },
  ];
}

function readOutputPort(value: unknown): OutputPort[] {
  if (!isObject(value)) return [];
  const contract = isObject(value.contract) ? value.contract : {};
  return [
    {
      name: text(value.name),
      type: text(value.type),
      format: text(value.format),
      address: text(value.address),
      description: text(value.description),
      contract: {
        location: text(contract.location),
        version: text(contract.version),
      },
      schema: list(value.schema).flatMap(readSchemaField),
    },
  ];
}

/** What the result item shows of a port; the rest is in the text. */
function portSummary(port: OutputPort): DataProductSearchOutputPort {
  return {
    name: port.name,
    type: port.type,
    format: port.format,
    address: port.address,
    contract: port.contract.location,
    fields: port.schema.map(field => field.name),
    piiFields: port.schema.filter(field => field.pii).map(field => field.name),
  };
}

/** A sentence of the text, without the full stop it may already have. */
function sentence(value: string): string {
  return value.replace(/\.+$/, '');
}

/**
 * A port in the text. Each field's type is said once per port rather than
 * after every field: a type is in most fields, and saying it 60 times would
 * add a tenth of the words every engine indexes, stores and scores.
 */
function describePort(port: OutputPort): string {
  const kind = [port.type, port.format].filter(Boolean).join(', ');
  const head = `Output port ${port.name || '(unnamed)'}${
    kind ? ` (${kind})` : ''
  }${port.address ? ` at ${port.address}` : ''}`;
  const parts = [head];
  if (port.description) parts.push(sentence(port.description));
  if (port.contract.location || port.contract.version) {
    parts.push(
      [
        'Contract',
        port.contract.location,
        port.contract.version ? `version ${port.contract.version}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  if (port.schema.length) {
    parts.push(
      `Fields: ${port.schema
        .map(field => {
          const pii = field.pii ? ', personal data' : '';
          return `${field.name}${pii}${
            field.description ? `: ${sentence(field.description)}` : ''
          }`;
        })
        .join('; ')}`,
    );
    const types = [
      ...new Set(port.schema.map(field => field.type).filter(Boolean)),
    ];
    if (types.length) parts.push(`Field types: ${types.join(', ')}`);
  }
  return parts.join('. ');
}

/** The name part of a reference as written, for a reference the catalog does not resolve. */
function refName(value: string): string {
  try {
    return parseEntityRef(value, {
      defaultKind: 'x',
      defaultNamespace: 'x',
    }).name;
  } catch {
    return value;
  }
}

/** The level (when the product has reached one) and score, for the text. */
function governanceText(scorecard?: Governance): string {
  if (!scorecard) return '';
  const parts = [
    scorecard.level && scorecard.level !== 'none'
      ? `level ${scorecard.level}`
      : '',
    scorecard.score !== undefined ? `score ${scorecard.score}` : '',
  ].filter(Boolean);
  return parts.length ? `Governance ${parts.join(', ')}` : '';
}

/**
 * The search document of one DataProduct.
 *
 * @param names - display names by normalized entity ref (see {@link referencedEntities})
 * @param governance - what the data-mesh backend said in this run
 */
export function toSearchDocument(
  entity: Entity,
  names: ReadonlyMap<string, string>,
  governance: GovernanceSnapshot,
): DataProductSearchDocument {
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  const entityRef = stringifyEntityRef({
    kind: 'DataProduct',
    namespace,
    name,
  });
  const spec = isObject(entity.spec) ? entity.spec : {};
  const title = text(entity.metadata.title) || name;
  const description = text(entity.metadata.description);
  const tags = texts(entity.metadata.tags);

  const reference = (value: unknown, defaultKind: string) => {
    const raw = text(value);
    const ref = normalizeRef(raw, defaultKind, namespace) ?? raw;
    return { ref, name: ref ? names.get(ref) ?? refName(raw) : '' };
  };
  const domain = reference(spec.domain, 'domain');
  const owner = reference(spec.owner, 'group');
  const productOwner = reference(spec.productOwner, 'user');

  const outputPorts = list(spec.outputPorts).flatMap(readOutputPort);
  const upstream = [
    ...new Set(
      list(spec.inputPorts)
        .map(port =>
          isObject(port)
            ? normalizeRef(port.dataProduct, 'dataproduct', namespace)
            : undefined,
        )
        .filter((ref): ref is string => !!ref),
    ),
  ];
  const classification = text(spec.classification);
  const regulations = texts(spec.regulations);
  let containsPii: DataProductSearchDocument['containsPii'] = '';
  if (typeof spec.containsPii === 'boolean') {
    containsPii = spec.containsPii ? 'true' : 'false';
  }

  const key = entityRef.toLocaleLowerCase('en-US');
  const scorecard = governance.scorecards?.get(key);
  const declaresSlos = isObject(spec.slos) && Object.keys(spec.slos).length > 0;
  const breached = governance.breaches?.get(key) ?? [];
  let sloStatus: DataProductSearchDocument['sloStatus'];
  if (governance.breaches) {
    if (breached.length) sloStatus = 'breached';
    else sloStatus = declaresSlos ? 'unbreached' : 'no-slos';
  }

  const searchText = [
    description,
    tags.length ? `Tags: ${tags.join(', ')}` : '',
    domain.name ? `Domain: ${domain.name}` : '',
    [
      owner.name ? `Owner: ${owner.name}` : '',
      productOwner.name ? `product owner: ${productOwner.name}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    containsPii === 'true' ? 'Contains personal data (PII)' : '',
    regulations.length ? `Regulations: ${regulations.join(', ')}` : '',
    upstream.length ? `Reads from: ${upstream.map(refName).join(', ')}` : '',
    governanceText(scorecard),
    ...outputPorts.map(describePort),
  ]
    .filter(Boolean)
    .join('\n');

  return {
    title,
    text: searchText,
    location: `/catalog/${encodeURIComponent(
      namespace,
    )}/dataproduct/${encodeURIComponent(name)}`.toLocaleLowerCase('en-US'),
    entityRef,
    name,
    description,
    tags,
    type: text(spec.type),
    lifecycle: text(spec.lifecycle),
    domain: domain.ref,
    domainTitle: domain.name,
    owner: owner.ref,
    ownerName: owner.name,
    classification,
    containsPii,
    outputPorts: outputPorts.map(portSummary),
    governanceLevel: scorecard?.level,
    sloStatus,
    slosBreached: governance.breaches ? breached : undefined,
    authorization: { resourceRef: entityRef },
  };
}
