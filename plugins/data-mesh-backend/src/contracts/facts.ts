import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  compareContracts,
  entityRefKey,
  requiredVersionBump,
} from '@quanta/plugin-data-mesh-common';
import type {
  ContractFacts,
  ContractObjectFacts,
  ContractPortFacts,
  ContractPropertyFacts,
  ContractSlaFacts,
} from '@quanta/plugin-data-mesh-node';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';
import type { Knex } from 'knex';
import { DEFAULT_CONTRACT_NOTICE_PERIOD } from '../shared/config';
import type { ContractFactSource } from '../shared/facts';
import { chunks } from '../shared/sql';
import { declarations } from './ContractService';
import { PORTS, type PortRow, VERSIONS, type VersionMeta } from './rows';

/*
 * The contract facts the policy engine receives: for each product, every
 * output port that declares a contract, with the last read of it, the
 * current version's schema and SLA, and the changes from the version before
 * (with when each of the two was first seen and the status the older one
 * declares, for the notice consumers got), and the configured notice period.
 * Read straight from ContractStore's tables in bulk, as an evaluation asks
 * for the whole mesh at once; nothing is read from the contracts' sources.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Depth of nested properties kept; deeper ones say nothing the policies use. */
const MAX_DEPTH = 5;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

const isoTime = (epochMs: number | string) =>
  new Date(Number(epochMs)).toISOString();

function propertiesOf(value: unknown, depth: number): ContractPropertyFacts[] {
  const out: ContractPropertyFacts[] = [];
  for (const item of list(value)) {
    if (!isObject(item)) continue;
    const name = text(item.name);
    if (!name) continue;
    const logicalType = text(item.logicalType);
    const physicalType = text(item.physicalType);
    const nested =
      depth < MAX_DEPTH ? propertiesOf(item.properties, depth + 1) : [];
    out.push({
      name,
      ...(logicalType ? { logicalType } : {}),
      ...(physicalType ? { physicalType } : {}),
      required: item.required === true,
      ...(nested.length ? { properties: nested } : {}),
    });
  }
  return out;
}

/** The schema objects of an ODCS document, read as they are: what is malformed is left out. */
export function contractSchemaOf(document: unknown): ContractObjectFacts[] {
  if (!isObject(document)) return [];
  const out: ContractObjectFacts[] = [];
  for (const item of list(document.schema)) {
    if (!isObject(item)) continue;
    const name = text(item.name);
    if (!name) continue;
    const physicalName = text(item.physicalName);
    out.push({
      name,
      ...(physicalName ? { physicalName } : {}),
      properties: propertiesOf(item.properties, 1),
    });
  }
  return out;
}

/** The SLA properties of an ODCS document (`slaProperties`). */
export function contractSlaOf(document: unknown): ContractSlaFacts[] {
  if (!isObject(document)) return [];
  const out: ContractSlaFacts[] = [];
  for (const item of list(document.slaProperties)) {
    if (!isObject(item)) continue;
    const property = text(item.property);
    if (!property) continue;
    const { value } = item;
    const unit = text(item.unit);
    const element = text(item.element);
    out.push({
      property,
      ...(typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
        ? { value }
        : {}),
      ...(unit ? { unit } : {}),
      ...(element ? { element } : {}),
    });
  }
  return out;
}

const portKey = (ref: string, port: string) => JSON.stringify([ref, port]);

/** What the contract facts carry from the plugin's settings. */
export type ContractFactSettings = {
  /** `dataMesh.contracts.noticePeriod`; 30 days when not given. */
  noticePeriod?: HumanDuration;
};

/**
 * Contract facts of the given products, keyed by lower-case entity ref.
 * Every product gets an entry (no ports when none declares a contract), so
 * that policies tell "not read yet" from "the portal reads no contracts".
 */
export async function readContractFacts(
  knex: Knex,
  products: Entity[],
  settings: ContractFactSettings = {},
): Promise<Map<string, ContractFacts>> {
  const noticePeriodDays =
    durationToMilliseconds(
      settings.noticePeriod ?? DEFAULT_CONTRACT_NOTICE_PERIOD,
    ) / DAY_MS;
  const declared = products.map(entity => ({
    ref: entityRefKey(stringifyEntityRef(entity)),
    declarations: declarations(entity),
  }));
  const refs = [
    ...new Set(declared.filter(d => d.declarations.length).map(d => d.ref)),
  ];

  const states = new Map<string, PortRow>();
  const versions = new Map<string, VersionMeta[]>();
  for (const chunk of chunks(refs)) {
    const rows = await knex<PortRow>(PORTS)
      .whereIn('entity_ref', chunk)
      .select();
    for (const row of rows) states.set(portKey(row.entity_ref, row.port), row);
    // Without the documents: only the two a port's facts need are read below.
    const metas = await knex<VersionMeta>(VERSIONS)
      .whereIn('entity_ref', chunk)
      .select(
        'id',
        'entity_ref',
        'port',
        'digest',
        'contract_id',
        'contract_version',
        'api_version',
        'first_seen_at',
      );
    for (const meta of metas) {
      const key = portKey(meta.entity_ref, meta.port);
      const forPort = versions.get(key) ?? [];
      forPort.push(meta);
      versions.set(key, forPort);
    }
  }

  // The current version of each port read ok, and the one seen before it
  // (the order ContractService shows versions in: newest first seen first).
  const wanted = new Map<
    string,
    { current: VersionMeta; previous?: VersionMeta }
  >();
  for (const { ref, declarations: ports } of declared) {
    for (const declaration of ports) {
      const key = portKey(ref, declaration.port);
      const state = states.get(key);
      if (
        !state ||
        state.location !== declaration.location ||
        state.status !== 'ok'
      ) {
        continue;
      }
      const ordered = (versions.get(key) ?? []).sort(
        (a, b) =>
          Number(b.first_seen_at) - Number(a.first_seen_at) || b.id - a.id,
      );
      const at = ordered.findIndex(v => v.digest === state.digest);
      if (at < 0) continue;
      wanted.set(key, { current: ordered[at], previous: ordered[at + 1] });
    }
  }
  const documents = new Map<number, unknown>();
  const ids = [...wanted.values()].flatMap(w =>
    w.previous ? [w.current.id, w.previous.id] : [w.current.id],
  );
  for (const chunk of chunks(ids)) {
    const rows = await knex<{ id: number; document: string }>(VERSIONS)
      .whereIn('id', chunk)
      .select('id', 'document');
    for (const row of rows) documents.set(row.id, JSON.parse(row.document));
  }

  const result = new Map<string, ContractFacts>();
  for (const { ref, declarations: ports } of declared) {
    const facts: ContractPortFacts[] = ports.map(declaration => {
      const key = portKey(ref, declaration.port);
      const state = states.get(key);
      const base = {
        port: declaration.port,
        location: declaration.location,
        ...(declaration.version !== undefined
          ? { declaredVersion: declaration.version }
          : {}),
      };
      // Never read, or read at a location the descriptor no longer names.
      if (!state || state.location !== declaration.location) {
        return { ...base, status: 'pending' };
      }
      const port: ContractPortFacts = {
        ...base,
        status: state.status,
        ...(state.reason ? { reason: state.reason } : {}),
        ...(state.message ? { message: state.message } : {}),
        readAt: isoTime(state.read_at),
      };
      const found = wanted.get(key);
      if (!found) return port;
      const document = documents.get(found.current.id);
      port.contract = {
        id: found.current.contract_id,
        version: found.current.contract_version,
        apiVersion: found.current.api_version,
        schema: contractSchemaOf(document),
        sla: contractSlaOf(document),
      };
      if (found.previous) {
        const before = documents.get(found.previous.id);
        const changes = compareContracts(before, document);
        const fromStatus = isObject(before) ? text(before.status) : undefined;
        port.changes = {
          fromVersion: found.previous.contract_version,
          toVersion: found.current.contract_version,
          requiredVersionBump: requiredVersionBump(changes),
          changes: changes.map(({ rule, level, path, message }) => ({
            rule,
            level,
            path,
            message,
          })),
          ...(fromStatus ? { fromStatus } : {}),
          fromFirstSeen: isoTime(found.previous.first_seen_at),
          toFirstSeen: isoTime(found.current.first_seen_at),
        };
      }
      return port;
    });
    result.set(ref, { ports: facts, noticePeriodDays });
  }
  return result;
}

/** The fact source governance receives, over the contracts' tables. */
export function contractFactSource(
  knex: Knex,
  settings: ContractFactSettings = {},
): ContractFactSource {
  return products => readContractFacts(knex, products, settings);
}
