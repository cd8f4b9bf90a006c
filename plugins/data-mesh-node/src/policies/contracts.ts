import {
  type DataProductEntity,
  SLA_UNIT_SECONDS,
  parseContractVersion,
} from '@quanta/plugin-data-mesh-common';
import {
  consumersOf,
  isDataProduct,
  lowerRef,
  upstreamRefOf,
} from '../engine/facts';
import type {
  ContractChangeFacts,
  ContractFacts,
  ContractObjectFacts,
  ContractPortFacts,
  ContractSlaFacts,
  DataMeshPolicy,
  MeshIndex,
  PolicyCheck,
  ProductFacts,
} from '../engine/types';
import { parseIsoDuration } from './duration';
import {
  constant,
  failIfAny,
  listOf,
  notApplicable,
  outputPorts,
  pass,
  prepared,
  text,
} from './helpers';

/*
 * Policies over the contracts the portal reads (facts.contracts). Each one
 * is not applicable where the portal does not read contracts, where no
 * output port declares one, or while the declared ones have not been read.
 */

const NO_CONTRACT_FACTS = constant(
  notApplicable('This portal does not read contracts, so none were checked'),
);
const NO_DECLARED_CONTRACT = constant(
  notApplicable('No output port declares a contract'),
);
const NOT_READ_YET = constant(
  notApplicable('The declared contracts have not been read yet'),
);
const NONE_READABLE = constant(
  notApplicable('No declared contract could be read'),
);
const NOT_CHANGED = constant(
  notApplicable('No contract has changed since the portal first read it'),
);
const NOT_BROKEN = constant(
  notApplicable('No contract has breaking changes from the version before'),
);

/** The ports with a contract read and valid, or the outcome that skips the policy. */
function readPorts(
  contracts: ContractFacts | undefined,
): ContractPortFacts[] | PolicyCheck {
  if (!contracts) return NO_CONTRACT_FACTS;
  const ports = Array.isArray(contracts.ports) ? contracts.ports : [];
  if (!ports.length) return NO_DECLARED_CONTRACT;
  const read = ports.filter(p => p.status === 'ok' && p.contract);
  if (read.length) return read;
  return ports.every(p => p.status === 'pending')
    ? NOT_READ_YET
    : NONE_READABLE;
}

const isOutcome = (value: unknown): value is PolicyCheck =>
  !Array.isArray(value);

/** `a, b, c and 2 more`: failure messages stay readable on a scorecard. */
function someOf(items: string[], max = 5): string {
  if (items.length <= max) return listOf(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function readFailure(port: ContractPortFacts): string {
  const where = `Output port ${port.port}: the contract at ${port.location}`;
  const detail = port.message ? `: ${port.message}` : '';
  if (port.status === 'unreadable') {
    return `${where} cannot be read${
      port.reason ? ` (${port.reason})` : ''
    }${detail}`;
  }
  if (port.status === 'invalid') {
    return `${where} is not a valid ODCS contract${detail}`;
  }
  return `${where} did not pass its check (${port.status}${
    port.reason ? `, ${port.reason}` : ''
  })${detail}`;
}

// ---------------------------------------------------------------------------
// Inline schema types as ODCS logical types.

const LOGICAL_TYPES = new Map<string, string>([
  ...[
    'string',
    'str',
    'varchar',
    'nvarchar',
    'char',
    'nchar',
    'character',
    'character varying',
    'text',
    'uuid',
    'clob',
    'enum',
  ].map(t => [t, 'string'] as const),
  ...[
    'integer',
    'int',
    'bigint',
    'smallint',
    'tinyint',
    'long',
    'short',
    'byte',
    'int8',
    'int16',
    'int32',
    'int64',
    'serial',
    'bigserial',
  ].map(t => [t, 'integer'] as const),
  ...[
    'number',
    'numeric',
    'decimal',
    'float',
    'float32',
    'float64',
    'double',
    'double precision',
    'real',
    'money',
  ].map(t => [t, 'number'] as const),
  ...['boolean', 'bool'].map(t => [t, 'boolean'] as const),
  ['date', 'date'],
  ...[
    'timestamp',
    'timestamp_ntz',
    'timestamp_ltz',
    'timestamp_tz',
    'timestamptz',
    'datetime',
    'datetime2',
  ].map(t => [t, 'timestamp'] as const),
  ['time', 'time'],
  ...['array', 'list'].map(t => [t, 'array'] as const),
  ...['object', 'struct', 'record', 'map'].map(t => [t, 'object'] as const),
]);

/**
 * The ODCS logical type an inline schema type stands for, by its base name
 * (parameters such as `(10,2)` or `<string>` dropped, any case):
 * string (string, varchar, char, text, uuid, ...), integer (int, bigint,
 * long, ...), number (decimal, numeric, float, double, real, ...), boolean,
 * date, timestamp (timestamp*, datetime), time, array (array, list) and
 * object (struct, map, record, object). Undefined for a type not known here,
 * which is then not compared.
 */
export function logicalTypeOf(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  const base = /^\s*([a-z][a-z0-9_ ]*?)\s*(?:[(<]|$)/i.exec(type);
  if (!base) return undefined;
  return LOGICAL_TYPES.get(base[1].toLowerCase().replace(/\s+/g, ' '));
}

/** Whether an inline type (as a logical type) agrees with the contract's. */
function typesAgree(inline: string, contract: string): boolean {
  if (inline === contract) return true;
  // ODCS v3.0 has no timestamp type: date covers dates with a time.
  return inline === 'timestamp' && contract === 'date';
}

/** The contract object an output port's inline schema describes. */
function objectFor(
  portName: string,
  schema: ContractObjectFacts[],
): ContractObjectFacts | string {
  if (schema.length === 1) return schema[0];
  const wanted = portName.toLowerCase();
  const named = schema.find(o => o.name.toLowerCase() === wanted);
  if (named) return named;
  return schema.length === 0
    ? 'the contract describes no schema object'
    : `the contract describes ${schema.length} schema objects and none is named ${portName}`;
}

function schemaProblems(
  product: DataProductEntity,
  ports: ContractPortFacts[],
): { problems: string[]; compared: number; skipped: string[] } {
  const inline = new Map(outputPorts(product).map(p => [p.name, p.fields]));
  const problems: string[] = [];
  const skipped: string[] = [];
  let compared = 0;
  for (const port of ports) {
    const fields = (inline.get(port.port) ?? []).filter(
      f => typeof f.name === 'string' && f.name.trim(),
    );
    if (!fields.length) continue;
    const object = objectFor(port.port, port.contract!.schema);
    if (typeof object === 'string') {
      skipped.push(`output port ${port.port}: ${object}`);
      continue;
    }
    compared += 1;
    const properties = new Map(
      object.properties.map(p => [p.name.toLowerCase(), p]),
    );
    const names = new Set(fields.map(f => f.name.trim().toLowerCase()));
    const notInContract: string[] = [];
    const differ: string[] = [];
    for (const field of fields) {
      const name = field.name.trim();
      const property = properties.get(name.toLowerCase());
      if (!property) {
        notInContract.push(name);
        continue;
      }
      const ours = logicalTypeOf(field.type);
      const theirs =
        logicalTypeOf(property.logicalType) ??
        logicalTypeOf(property.physicalType);
      if (ours && theirs && !typesAgree(ours, theirs)) {
        differ.push(
          `${name} (${field.type}${
            ours === field.type.trim().toLowerCase() ? '' : `, ${ours}`
          } inline; ${
            property.logicalType ?? property.physicalType
          } in the contract)`,
        );
      }
    }
    const notInline = object.properties
      .map(p => p.name)
      .filter(name => !names.has(name.toLowerCase()));
    const parts: string[] = [];
    if (notInContract.length) {
      parts.push(
        `${someOf(notInContract)} not in the contract's ${object.name}`,
      );
    }
    if (notInline.length) {
      parts.push(`${someOf(notInline)} not in the inline schema`);
    }
    if (differ.length) parts.push(`types differ for ${someOf(differ)}`);
    if (parts.length) {
      problems.push(`Output port ${port.port}: ${parts.join('; ')}`);
    }
  }
  return { problems, compared, skipped };
}

// ---------------------------------------------------------------------------
// SLA properties and SLOs, compared with their units.

const UNIT_SECONDS = SLA_UNIT_SECONDS;

const NUMBER = /^-?\d+(\.\d+)?$/;

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const trimmed = value.trim().replace(/\s*%$/, '');
    if (NUMBER.test(trimmed)) return parseFloat(trimmed);
  }
  return undefined;
}

/** An ISO-8601 duration in seconds, with the units above. */
function isoSeconds(value: unknown): number | undefined {
  const d = parseIsoDuration(value);
  if (!d) return undefined;
  return (
    d.years * UNIT_SECONDS.y +
    d.months * UNIT_SECONDS.mo +
    d.weeks * UNIT_SECONDS.w +
    d.days * UNIT_SECONDS.d +
    d.hours * UNIT_SECONDS.h +
    d.minutes * UNIT_SECONDS.m +
    d.seconds
  );
}

/** An SLA duration (`value` with `unit`, or an ISO-8601 `value`) in seconds. */
function slaSeconds(sla: ContractSlaFacts): number | undefined {
  const iso = isoSeconds(sla.value);
  if (iso !== undefined) return iso;
  const value = numberOf(sla.value);
  const unit = sla.unit?.trim().toLowerCase();
  if (value === undefined || !unit) return undefined;
  const seconds = UNIT_SECONDS[unit];
  return seconds === undefined ? undefined : value * seconds;
}

function slaPercent(sla: ContractSlaFacts): number | undefined {
  const unit = sla.unit?.trim().toLowerCase();
  if (unit && unit !== '%' && unit !== 'percent') return undefined;
  return numberOf(sla.value);
}

const showSla = (sla: ContractSlaFacts) =>
  `${String(sla.value ?? '')}${sla.unit ? ` ${sla.unit}` : ''}`.trim();

/*
 * Durations agree within 2%, so that a month of 30 or 31 days and a year of
 * 365 or 366 days agree with `1 mo` and `1 y`.
 */
const DURATION_TOLERANCE = 0.02;

type SloPair = {
  sla: string;
  slo: string;
  kind: 'duration' | 'percent';
  read: (product: DataProductEntity) => unknown;
};

const SLO_PAIRS: SloPair[] = [
  {
    sla: 'latency',
    slo: 'spec.slos.freshness',
    kind: 'duration',
    read: p => p.spec?.slos?.freshness,
  },
  {
    sla: 'frequency',
    slo: 'spec.slos.intervalOfChange',
    kind: 'duration',
    read: p => p.spec?.slos?.intervalOfChange,
  },
  {
    sla: 'availability',
    slo: 'spec.slos.availability',
    kind: 'percent',
    read: p => p.spec?.slos?.availability,
  },
  {
    sla: 'retention',
    slo: 'spec.retention',
    kind: 'duration',
    read: p => p.spec?.retention,
  },
];

function slaProblems(
  product: DataProductEntity,
  ports: ContractPortFacts[],
): { problems: string[]; compared: number; unreadable: string[] } {
  const problems: string[] = [];
  const unreadable: string[] = [];
  let compared = 0;
  for (const port of ports) {
    // Properties of one element (a table, a column) say nothing of the product.
    const sla = port.contract!.sla.filter(s => !s.element);
    const differ: string[] = [];
    for (const pair of SLO_PAIRS) {
      const declared = pair.read(product);
      const promised = sla.find(
        s => s.property.trim().toLowerCase() === pair.sla,
      );
      if (declared === undefined || declared === null || !promised) continue;
      if (pair.kind === 'percent') {
        const ours = numberOf(declared);
        const theirs = slaPercent(promised);
        if (ours === undefined || theirs === undefined) {
          unreadable.push(`${pair.sla} ${showSla(promised)}`);
          continue;
        }
        compared += 1;
        if (Math.abs(ours - theirs) > 1e-9) {
          differ.push(
            `${pair.sla} is ${showSla(promised)} in the contract, ${
              pair.slo
            } is ${ours}`,
          );
        }
        continue;
      }
      const ours = isoSeconds(declared);
      const theirs = slaSeconds(promised);
      if (ours === undefined || theirs === undefined) {
        unreadable.push(`${pair.sla} ${showSla(promised)}`);
        continue;
      }
      compared += 1;
      if (
        Math.abs(ours - theirs) >
        DURATION_TOLERANCE * Math.max(ours, theirs)
      ) {
        differ.push(
          `${pair.sla} is ${showSla(promised)} in the contract, ${
            pair.slo
          } is ${String(declared)}`,
        );
      }
    }
    if (differ.length) {
      problems.push(`Output port ${port.port}: ${differ.join('; ')}`);
    }
  }
  return { problems, compared, unreadable };
}

// ---------------------------------------------------------------------------
// Version bumps.

/** The major version of `1.2.3`, `v2`, `3.0`; undefined for anything else. */
function majorOf(version: string): number | undefined {
  return parseContractVersion(version)?.major;
}

// ---------------------------------------------------------------------------
// Notice before a breaking version.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Consumers named in a message; the rest are counted. */
const CONSUMERS_SHOWN = 3;

/** `30 days`, `1 day`, `1.5 days`. */
function days(count: number): string {
  const rounded = Math.round(count * 100) / 100;
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** Epoch milliseconds of an ISO time, undefined when there is none. */
function timeOf(iso: string | undefined): number | undefined {
  const ms = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The products that read each output port of a product, declared ones first.
 * Declared: an input port names the product and the port. Observed: lineage
 * saw its runs read the product. Lineage tells products, not ports, so an
 * observed reader whose input ports name ports of the product is taken to
 * read those; one that names none may read any port and counts for each.
 */
function portReaders(
  product: DataProductEntity,
  mesh: MeshIndex,
  lineage: ProductFacts['lineage'],
): (port: string) => string[] {
  const self = prepared(product).ref;
  const declared = new Map<string, string[]>();
  const namingPorts = new Set<string>();
  for (const ref of consumersOf(prepared(product), mesh)) {
    const entity = mesh.get(ref)?.entity;
    if (ref === self || !entity || !isDataProduct(entity)) continue;
    const inputs: unknown = entity.spec?.inputPorts;
    if (!Array.isArray(inputs)) continue;
    const namespace = entity.metadata.namespace ?? 'default';
    for (const input of inputs) {
      if (upstreamRefOf(input, namespace) !== self) continue;
      const port = text(input.outputPort);
      if (!port) continue;
      namingPorts.add(ref);
      const readers = declared.get(port) ?? [];
      if (!readers.includes(ref)) readers.push(ref);
      declared.set(port, readers);
    }
  }
  const downstream = lineage?.downstream;
  const observed = [
    ...new Set((Array.isArray(downstream) ? downstream : []).map(lowerRef)),
  ].filter(ref => ref !== self && !namingPorts.has(ref));
  return port => [
    ...(declared.get(port) ?? []),
    ...observed.map(ref => `${ref} (observed)`),
  ];
}

/**
 * What consumers of a broken version keep reading: its major version where
 * the new version raised it, else (no major version to tell it by) the very
 * version broken.
 */
function previousOf(change: ContractChangeFacts): {
  major?: number;
  label: string;
} {
  const from = majorOf(change.fromVersion);
  const to = majorOf(change.toVersion);
  return from !== undefined && to !== undefined && to > from
    ? { major: from, label: `version ${from}` }
    : { label: change.fromVersion };
}

/** Whether another port serves the contract at the version that broke. */
function previousServed(
  port: ContractPortFacts,
  ports: ContractPortFacts[],
): boolean {
  const { id } = port.contract!;
  const change = port.changes!;
  const { major } = previousOf(change);
  return ports.some(
    other =>
      other !== port &&
      other.contract!.id === id &&
      (major === undefined
        ? other.contract!.version === change.fromVersion
        : majorOf(other.contract!.version) === major),
  );
}

/** Why the previous version gave no notice long enough, or undefined when it did. */
function noticeMissing(
  change: ContractChangeFacts,
  noticeDays: number,
): string | undefined {
  const from = change.fromVersion;
  const status = change.fromStatus?.trim();
  // `retired` says a version is gone, not that it is going: only
  // `deprecated` gives consumers notice.
  if (status?.toLowerCase() !== 'deprecated') {
    return `${from} was not deprecated before it (${
      status ? `its status is ${status}` : 'it declares no status'
    })`;
  }
  const deprecatedAt = timeOf(change.fromFirstSeen);
  const brokenAt = timeOf(change.toFirstSeen);
  if (deprecatedAt === undefined || brokenAt === undefined) {
    return `when ${from} was deprecated is not known`;
  }
  const gap = brokenAt - deprecatedAt;
  if (gap >= noticeDays * DAY_MS) return undefined;
  return `${from} was deprecated ${
    gap < DAY_MS ? 'less than a day' : `only ${days(Math.floor(gap / DAY_MS))}`
  } before it`;
}

function noticeFailure(
  port: ContractPortFacts,
  readers: string[],
  why: string,
  noticeDays: number,
): string {
  const change = port.changes!;
  const old = previousOf(change).label;
  const major = majorOf(change.fromVersion);
  // orders-table-v2 broke: orders-table-v1, not orders-table-v2-v1.
  const base = port.port.replace(/-v\d+$/i, '');
  const suggested =
    major === undefined ? `${base}-previous` : `${base}-v${major}`;
  const consumers =
    readers.length === 1
      ? `its consumer ${readers[0]}`
      : `its ${readers.length} consumers (${someOf(readers, CONSUMERS_SHOWN)})`;
  return `Output port ${port.port}: version ${change.toVersion} breaks ${
    change.fromVersion
  } for ${consumers}, but no other port serves ${old} and ${why}; keep serving ${old} on a port such as ${suggested} until consumers have moved, or publish ${
    change.fromVersion
  } with status: deprecated at least ${days(
    noticeDays,
  )} before the breaking version`;
}

export const contractPolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.contract-readable',
    title: 'Declared contracts are readable and valid',
    attribute: 'interoperable',
    severity: 'error',
    rationale:
      'A contract consumers cannot open, or that is not a valid ODCS document, promises nothing.',
    howToFix:
      'Make spec.outputPorts[].contract.location point at an ODCS v3 document the portal may read (a path relative to the descriptor, or a URL in backend.reading.allow), and fix what the check reports.',
    check: (_product, { facts }) => {
      const contracts = facts.contracts;
      if (!contracts) return NO_CONTRACT_FACTS;
      const ports = Array.isArray(contracts.ports) ? contracts.ports : [];
      if (!ports.length) return NO_DECLARED_CONTRACT;
      const failed = ports.filter(
        p => p.status !== 'ok' && p.status !== 'pending',
      );
      if (failed.length) return failIfAny(failed.map(readFailure));
      return ports.some(p => p.status === 'ok') ? pass() : NOT_READ_YET;
    },
  },
  {
    id: 'quanta.contract-version-matches',
    title: 'Contract version matches the descriptor',
    attribute: 'interoperable',
    severity: 'warning',
    rationale:
      'Consumers read the version in the descriptor; a contract at another version means they judge changes against the wrong promise.',
    howToFix:
      'Set spec.outputPorts[].contract.version to the version the contract document declares (or publish the contract version the descriptor names).',
    check: (_product, { facts }) => {
      const ports = readPorts(facts.contracts);
      if (isOutcome(ports)) return ports;
      const problems: string[] = [];
      for (const port of ports) {
        const actual = port.contract!.version;
        const declared = port.declaredVersion?.trim();
        if (!declared) {
          problems.push(
            `Output port ${port.port} declares no contract.version; the contract is at ${actual}`,
          );
        } else if (declared !== String(actual).trim()) {
          problems.push(
            `Output port ${port.port} declares contract version ${declared}, but ${port.location} is at ${actual}`,
          );
        }
      }
      return failIfAny(problems);
    },
  },
  {
    id: 'quanta.contract-schema-matches',
    title: 'Contract schema matches the inline schema',
    attribute: 'understandable',
    severity: 'warning',
    rationale:
      'A port whose inline schema and contract disagree tells consumers two different things about its fields.',
    howToFix:
      'Make spec.outputPorts[].schema list the same fields as the contract, with types of the same kind (string, integer, number, boolean, date, timestamp, ...), or drop the inline schema and let the contract describe the port.',
    check: (product, { facts }) => {
      const ports = readPorts(facts.contracts);
      if (isOutcome(ports)) return ports;
      const { problems, compared, skipped } = schemaProblems(product, ports);
      if (problems.length) return failIfAny(problems);
      if (compared) return pass();
      return notApplicable(
        skipped.length
          ? `No inline schema could be matched to its contract: ${skipped.join(
              '; ',
            )}`
          : 'No output port has both a readable contract and an inline schema',
      );
    },
  },
  {
    id: 'quanta.contract-sla-matches-slos',
    title: 'Contract SLA matches the SLOs',
    attribute: 'trustworthy',
    severity: 'warning',
    rationale:
      'Consumers who read the contract and those who read the scorecard should be promised the same service levels.',
    howToFix:
      'Make the contract slaProperties and the descriptor agree: latency with spec.slos.freshness, frequency with spec.slos.intervalOfChange, availability with spec.slos.availability, retention with spec.retention.',
    check: (product, { facts }) => {
      const ports = readPorts(facts.contracts);
      if (isOutcome(ports)) return ports;
      const { problems, compared, unreadable } = slaProblems(product, ports);
      if (problems.length) return failIfAny(problems);
      if (compared) return pass();
      return notApplicable(
        unreadable.length
          ? `SLA properties with values or units that cannot be compared: ${listOf(
              unreadable,
            )}`
          : 'No contract SLA property has a matching SLO in the descriptor (latency and freshness, frequency and intervalOfChange, availability, retention)',
      );
    },
  },
  {
    id: 'quanta.contract-breaking-change-major',
    title: 'Breaking contract changes come with a new major version',
    attribute: 'trustworthy',
    severity: 'error',
    rationale:
      'Consumers pin major versions; a breaking change under the same major version breaks them without warning.',
    howToFix:
      'Raise the major version of the contract and of spec.outputPorts[].contract.version (1.4.0 to 2.0.0), or undo the breaking changes.',
    check: (_product, { facts }) => {
      const ports = readPorts(facts.contracts);
      if (isOutcome(ports)) return ports;
      const changed = ports.filter(p => p.changes);
      if (!changed.length) return NOT_CHANGED;
      const problems: string[] = [];
      for (const port of changed) {
        const change = port.changes!;
        if (change.requiredVersionBump !== 'major') continue;
        const from = majorOf(change.fromVersion);
        const to = majorOf(change.toVersion);
        if (from !== undefined && to !== undefined && to > from) continue;
        const breaking = change.changes
          .filter(c => c.level === 'breaking')
          .map(c => c.message);
        const why =
          from === undefined || to === undefined
            ? `, and ${
                from === undefined ? change.fromVersion : change.toVersion
              } is not a semantic version to tell a new major version by`
            : ', but the major version did not increase';
        problems.push(
          `Output port ${port.port}: version ${change.toVersion} follows ${
            change.fromVersion
          } with breaking changes (${someOf(breaking, 3)})${why}`,
        );
      }
      return failIfAny(problems);
    },
  },
  {
    id: 'quanta.contract-breaking-change-notice',
    title:
      'Consumers of a broken contract keep the old version for a notice period',
    attribute: 'trustworthy',
    severity: 'warning',
    rationale:
      'Consumers need time to move to a new major version; one that lands with the old version gone and no deprecation ahead of it stops their pipelines. A warning, as which version a consumer still reads is inferred from its input ports and lineage.',
    howToFix:
      'Keep serving the previous major version on another port in spec.outputPorts (such as orders-table-v1, its contract.location naming the previous contract) until consumers have moved, or publish the previous version with ODCS status: deprecated at least the notice period (dataMesh.contracts.noticePeriod, 30 days by default) before the breaking one.',
    check: (product, { facts, mesh, now }) => {
      const ports = readPorts(facts.contracts);
      if (isOutcome(ports)) return ports;
      if (!ports.some(p => p.changes)) return NOT_CHANGED;
      const broken = ports.filter(
        p => p.changes?.requiredVersionBump === 'major',
      );
      if (!broken.length) return NOT_BROKEN;
      const noticeDays = facts.contracts!.noticePeriodDays;
      const readersOf = portReaders(product, mesh, facts.lineage);
      const problems: string[] = [];
      const settled: string[] = [];
      let judged = 0;
      for (const port of broken) {
        const change = port.changes!;
        const readers = readersOf(port.port);
        if (!readers.length) continue;
        // Past the notice period consumers have had the time a notice would
        // have given them, and the port serving the old version may go.
        const brokenAt = timeOf(change.toFirstSeen);
        if (
          brokenAt !== undefined &&
          now.getTime() - brokenAt >= noticeDays * DAY_MS
        ) {
          settled.push(`${change.toVersion} of output port ${port.port}`);
          continue;
        }
        judged += 1;
        if (previousServed(port, ports)) continue;
        const why = noticeMissing(change, noticeDays);
        if (why) problems.push(noticeFailure(port, readers, why, noticeDays));
      }
      if (problems.length) return failIfAny(problems);
      if (judged) return pass();
      if (settled.length) {
        return notApplicable(
          `The breaking version${settled.length === 1 ? '' : 's'} ${listOf(
            settled,
          )} ${
            settled.length === 1 ? 'was' : 'were'
          } first seen at least ${days(
            noticeDays,
          )} ago, the notice period consumers get to move`,
        );
      }
      const one = broken.length === 1;
      return notApplicable(
        `No product reads output port${one ? '' : 's'} ${listOf(
          broken.map(p => p.port),
        )}, whose contract broke: no input port names ${
          one ? 'it' : 'them'
        } and lineage shows no reader of the product`,
      );
    },
  },
];
