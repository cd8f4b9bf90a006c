/*
 * A small mesh the policy tests run against: the Sales Data team, its people,
 * one domain, the sources it reads and a handful of data products in every
 * lifecycle stage.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  entityRefKey,
  type DataProductEntity,
  type OutputPort,
} from '@quanta/plugin-data-mesh-common';
import { createMeshIndex } from '../../engine/meshIndex';
import type {
  DataMeshPolicy,
  PolicyCheck,
  ProductFacts,
} from '../../engine/types';
import { builtInPolicies } from '../index';

export const NOW = new Date('2026-06-15T12:00:00Z');

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
});

const simple = (kind: string, name: string, spec = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

type Spec = DataProductEntity['spec'];

/** An output port that passes every port policy; tests change one thing about it. */
export function port(
  name: string,
  overrides: Partial<OutputPort> = {},
): OutputPort {
  return {
    name,
    description: 'Curated table, one row per order.',
    type: 'table',
    format: 'iceberg',
    address: `iceberg://lake/sales/${name}`,
    contract: { location: `./contracts/${name}.odcs.yaml`, version: '1.0.0' },
    schema: [
      { name: 'order_id', type: 'string', description: 'Order identifier' },
    ],
    ...overrides,
  };
}
type Metadata = Partial<DataProductEntity['metadata']>;

/**
 * A product that passes every built-in policy in the fixture mesh (the
 * quality policies are not applicable without facts). Tests change one
 * thing about it at a time.
 */
export function product(
  name: string,
  spec: Partial<Spec> = {},
  metadata: Metadata = {},
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: 'default',
      title: 'Orders',
      description: 'Every order placed in the web shop, one row per order.',
      tags: ['sales'],
      links: [{ url: 'https://wiki.example.com/orders', title: 'Runbook' }],
      ...metadata,
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      domain: 'domain:default/sales',
      inputPorts: [{ name: 'orders-db', source: 'resource:default/orders-db' }],
      outputPorts: [port(`${name}-table`)],
      slos: {
        freshness: 'PT1H',
        completeness: 99.5,
        availability: 99.9,
      },
      classification: 'internal',
      containsPii: false,
      retention: 'P2Y',
      ...spec,
    },
  };
}

/** An upstream product read through its `<name>-table` port. */
const upstream = (
  name: string,
  lifecycle: Spec['lifecycle'],
  inputPorts: Spec['inputPorts'] = [
    { name: 'orders-db', source: 'resource:default/orders-db' },
  ],
): DataProductEntity =>
  product(name, {
    lifecycle,
    inputPorts,
    type: inputPorts.some(p => p.dataProduct) ? 'aggregate' : 'source-aligned',
  });

/** Reads `dataproduct:default/<name>` through its `<name>-table` port. */
export const reads = (name: string, portName = `${name}-table`) => ({
  name,
  dataProduct: `dataproduct:default/${name}`,
  outputPort: portName,
});

export const baseEntities: Entity[] = [
  group('acme'),
  group('sales-data', 'group:default/acme'),
  group('sales-analysts', 'sales-data'),
  group('marketing-data', 'group:default/acme'),
  user('maria.silva', ['group:default/sales-data']),
  user('tom.becker', ['sales-analysts']),
  user('eve.adams', ['group:default/marketing-data']),
  user('nils.alone', []),
  simple('Domain', 'sales', { owner: 'group:default/sales-data' }),
  simple('Component', 'orders-service', { type: 'service' }),
  simple('Resource', 'orders-db', { type: 'database' }),
  simple('API', 'order-events', { type: 'asyncapi' }),
  product('orders'),
  // Reads orders, so orders has a consumer.
  upstream('daily-sales', 'production', [reads('orders')]),
  upstream('customers', 'production'),
  upstream('legacy-extract', 'deprecated'),
  upstream('old-feed', 'retired'),
  upstream('pilot-picks', 'experimental'),
  // Still reads legacy-extract.
  upstream('tax-report', 'production', [reads('legacy-extract')]),
];

const refOf = (entity: Entity) => entityRefKey(entity);

/** The fixture mesh with `extra` added (replacing entities of the same ref). */
export function meshWith(...extra: Entity[]) {
  const replaced = new Set(extra.map(refOf));
  return createMeshIndex([
    ...baseEntities.filter(e => !replaced.has(refOf(e))),
    ...extra,
  ]);
}

export function policy(id: string): DataMeshPolicy {
  const found = builtInPolicies.find(p => p.id === id);
  if (!found) throw new Error(`No built-in policy ${id}`);
  return found;
}

/** Runs one built-in policy for a product, in the fixture mesh with the product in it. */
export function check(
  id: string,
  subject: DataProductEntity,
  options: { facts?: ProductFacts; now?: Date; extra?: Entity[] } = {},
): PolicyCheck {
  return policy(id).check(subject, {
    mesh: meshWith(...(options.extra ?? []), subject),
    now: options.now ?? NOW,
    facts: options.facts ?? {},
  });
}

export type Case = {
  name: string;
  product: DataProductEntity;
  facts?: ProductFacts;
  now?: Date;
  extra?: Entity[];
  expected: PolicyCheck;
};

/**
 * Runs one policy over a table of cases. Returns what the policy said and
 * what the cases expect, each keyed by case name, for one `toEqual` that
 * shows every case that differs. Every policy is tested with at least one
 * product that passes and one that fails.
 */
export function runCases(
  id: string,
  cases: Case[],
): {
  actual: Record<string, PolicyCheck>;
  expected: Record<string, PolicyCheck>;
} {
  const statuses = cases.map(c => c.expected.status);
  if (!statuses.includes('pass') || !statuses.includes('fail')) {
    throw new Error(`The cases of ${id} need a passing and a failing product`);
  }
  const actual: Record<string, PolicyCheck> = {};
  const expected: Record<string, PolicyCheck> = {};
  for (const c of cases) {
    if (c.name in expected) throw new Error(`Two cases named "${c.name}"`);
    expected[c.name] = c.expected;
    actual[c.name] = check(id, c.product, {
      facts: c.facts,
      now: c.now,
      extra: c.extra,
    });
  }
  return { actual, expected };
}

export const PASS: PolicyCheck = { status: 'pass' };
export const failWith = (message: string): PolicyCheck => ({
  status: 'fail',
  message,
});
export const notApplicable = (message: string): PolicyCheck => ({
  status: 'not-applicable',
  message,
});
