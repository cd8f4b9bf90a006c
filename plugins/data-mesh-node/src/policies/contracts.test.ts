import type { ContractPortFacts, ProductFacts } from '../engine/types';
import {
  PASS,
  failWith,
  notApplicable,
  port,
  product,
  runCases,
} from './__fixtures__/mesh';
import { logicalTypeOf } from './contracts';

const LOCATION = './contracts/orders-table.odcs.yaml';

/** The fixture product's port, its contract read and in agreement with the descriptor. */
function readPort(
  overrides: Partial<ContractPortFacts> = {},
): ContractPortFacts {
  return {
    port: 'orders-table',
    location: LOCATION,
    declaredVersion: '1.0.0',
    status: 'ok',
    readAt: '2026-06-15T11:00:00.000Z',
    contract: {
      id: 'orders-contract',
      version: '1.0.0',
      apiVersion: 'v3.0.2',
      schema: [
        {
          name: 'orders',
          properties: [
            { name: 'order_id', logicalType: 'string', required: true },
          ],
        },
      ],
      sla: [
        { property: 'latency', value: 1, unit: 'h' },
        { property: 'availability', value: 99.9, unit: '%' },
        { property: 'retention', value: 2, unit: 'y' },
      ],
    },
    ...overrides,
  };
}

const facts = (...ports: ContractPortFacts[]): ProductFacts => ({
  contracts: { ports },
});

const withContract = (
  changes: Partial<NonNullable<ContractPortFacts['contract']>>,
  overrides: Partial<ContractPortFacts> = {},
) =>
  readPort({
    ...overrides,
    contract: { ...readPort().contract!, ...changes },
  });

const orders = product('orders');

/** The outcomes every contract policy shares when there is nothing to check. */
const skips = (id: string) => [
  {
    name: `${id}: a portal without contract facts`,
    product: orders,
    expected: notApplicable(
      'This portal does not read contracts, so none were checked',
    ),
  },
  {
    name: `${id}: no port declares a contract`,
    product: orders,
    facts: facts(),
    expected: notApplicable('No output port declares a contract'),
  },
  {
    name: `${id}: declared, not read yet`,
    product: orders,
    facts: facts(
      readPort({ status: 'pending', contract: undefined, readAt: undefined }),
    ),
    expected: notApplicable('The declared contracts have not been read yet'),
  },
];

it('quanta.contract-readable', () => {
  const { actual, expected } = runCases('quanta.contract-readable', [
    ...skips('readable'),
    {
      name: 'read and valid',
      product: orders,
      facts: facts(readPort()),
      expected: PASS,
    },
    {
      name: 'one read, one still pending',
      product: orders,
      facts: facts(
        readPort(),
        readPort({
          port: 'orders-topic',
          status: 'pending',
          contract: undefined,
        }),
      ),
      expected: PASS,
    },
    {
      name: 'unreadable',
      product: orders,
      facts: facts(
        readPort({
          status: 'unreadable',
          reason: 'not-found',
          message: 'No file at /repo/contracts/orders-table.odcs.yaml',
          contract: undefined,
        }),
      ),
      expected: failWith(
        'Output port orders-table: the contract at ./contracts/orders-table.odcs.yaml cannot be read (not-found): No file at /repo/contracts/orders-table.odcs.yaml',
      ),
    },
    {
      name: 'invalid, next to a valid one',
      product: orders,
      facts: facts(
        readPort(),
        readPort({
          port: 'orders-topic',
          location: 'https://contracts.example/orders.yaml',
          status: 'invalid',
          message: 'schema[0].properties must be a list',
          contract: undefined,
        }),
      ),
      expected: failWith(
        'Output port orders-topic: the contract at https://contracts.example/orders.yaml is not a valid ODCS contract: schema[0].properties must be a list',
      ),
    },
    {
      name: 'a status this version does not know',
      product: orders,
      facts: facts(
        readPort({
          status: 'nonconforming',
          reason: 'official-schema',
          message: '/slaProperties/0 must have required property value',
          contract: undefined,
        }),
      ),
      expected: failWith(
        'Output port orders-table: the contract at ./contracts/orders-table.odcs.yaml did not pass its check (nonconforming, official-schema): /slaProperties/0 must have required property value',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.contract-version-matches', () => {
  const { actual, expected } = runCases('quanta.contract-version-matches', [
    ...skips('version'),
    {
      name: 'only unreadable contracts',
      product: orders,
      facts: facts(
        readPort({
          status: 'unreadable',
          reason: 'not-found',
          contract: undefined,
        }),
      ),
      expected: notApplicable('No declared contract could be read'),
    },
    {
      name: 'same version',
      product: orders,
      facts: facts(readPort()),
      expected: PASS,
    },
    {
      name: 'the contract moved on',
      product: orders,
      facts: facts(withContract({ version: '1.1.0' })),
      expected: failWith(
        'Output port orders-table declares contract version 1.0.0, but ./contracts/orders-table.odcs.yaml is at 1.1.0',
      ),
    },
    {
      name: 'no version declared',
      product: orders,
      facts: facts(readPort({ declaredVersion: undefined })),
      expected: failWith(
        'Output port orders-table declares no contract.version; the contract is at 1.0.0',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

describe('quanta.contract-schema-matches', () => {
  const inline = (schema: Array<{ name: string; type: string }>) =>
    product('orders', { outputPorts: [port('orders-table', { schema })] });
  const properties = (
    ...list: Array<{
      name: string;
      logicalType?: string;
      physicalType?: string;
    }>
  ) => [
    { name: 'orders', properties: list.map(p => ({ ...p, required: false })) },
  ];

  it('compares fields and kinds of types', () => {
    const { actual, expected } = runCases('quanta.contract-schema-matches', [
      ...skips('schema'),
      {
        name: 'same fields',
        product: orders,
        facts: facts(readPort()),
        expected: PASS,
      },
      {
        name: 'types of the same kind, names in another case',
        product: inline([
          { name: 'ORDER_ID', type: 'VARCHAR(36)' },
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'placed_at', type: 'timestamp' },
          { name: 'items', type: 'bigint' },
        ]),
        facts: facts(
          withContract({
            schema: properties(
              { name: 'order_id', logicalType: 'string' },
              { name: 'amount', logicalType: 'number' },
              // ODCS v3.0 writes date-times as date.
              { name: 'placed_at', logicalType: 'date' },
              // No logical type: the physical one is read instead.
              { name: 'items', physicalType: 'INTEGER' },
            ),
          }),
        ),
        expected: PASS,
      },
      {
        name: 'fields missing on both sides and a type that differs',
        product: inline([
          { name: 'order_id', type: 'string' },
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'coupon', type: 'string' },
        ]),
        facts: facts(
          withContract({
            schema: properties(
              { name: 'order_id', logicalType: 'string' },
              { name: 'amount', logicalType: 'integer' },
              { name: 'customer_id', logicalType: 'string' },
            ),
          }),
        ),
        expected: failWith(
          "Output port orders-table: coupon not in the contract's orders; customer_id not in the inline schema; types differ for amount (decimal(10,2), number inline; integer in the contract)",
        ),
      },
      {
        name: 'a type Quanta does not know is not compared',
        product: inline([{ name: 'order_id', type: 'geography' }]),
        facts: facts(readPort()),
        expected: PASS,
      },
      {
        name: 'no inline schema',
        product: product('orders', {
          outputPorts: [port('orders-table', { schema: undefined })],
        }),
        facts: facts(readPort()),
        expected: notApplicable(
          'No output port has both a readable contract and an inline schema',
        ),
      },
      {
        name: 'several objects, none named like the port',
        product: orders,
        facts: facts(
          withContract({
            schema: [
              { name: 'orders', properties: [] },
              { name: 'order_lines', properties: [] },
            ],
          }),
        ),
        expected: notApplicable(
          'No inline schema could be matched to its contract: output port orders-table: the contract describes 2 schema objects and none is named orders-table',
        ),
      },
    ]);
    expect(actual).toEqual(expected);
  });

  it('maps inline types to ODCS logical types', () => {
    expect(
      [
        'VARCHAR(255)',
        'character varying',
        'BIGINT',
        'int64',
        'NUMERIC(14, 2)',
        'double precision',
        'bool',
        'DATE',
        'TIMESTAMP_NTZ',
        'datetime',
        'array<string>',
        'struct<a:int>',
        'geography',
        '',
      ].map(logicalTypeOf),
    ).toEqual([
      'string',
      'string',
      'integer',
      'integer',
      'number',
      'number',
      'boolean',
      'date',
      'timestamp',
      'timestamp',
      'array',
      'object',
      undefined,
      undefined,
    ]);
  });
});

it('quanta.contract-sla-matches-slos', () => {
  const sla = (...list: NonNullable<ContractPortFacts['contract']>['sla']) =>
    facts(withContract({ sla: list }));
  const { actual, expected } = runCases('quanta.contract-sla-matches-slos', [
    ...skips('sla'),
    {
      name: 'the same promises in other units',
      // PT1H = 60 min, 99.9 = "99.9%", P2Y = 24 months.
      product: orders,
      facts: sla(
        { property: 'latency', value: 60, unit: 'minutes' },
        { property: 'availability', value: '99.9%' },
        { property: 'retention', value: 24, unit: 'mo' },
      ),
      expected: PASS,
    },
    {
      name: 'a day is P1D, a year of days is P365D',
      product: product('orders', {
        slos: { freshness: 'P1D', intervalOfChange: 'PT24H' },
        retention: 'P365D',
      }),
      facts: sla(
        { property: 'latency', value: 1, unit: 'd' },
        { property: 'frequency', value: 'P1D' },
        { property: 'retention', value: 1, unit: 'y' },
      ),
      expected: PASS,
    },
    {
      name: 'everything disagrees',
      product: product('orders', {
        slos: { freshness: 'P1D', availability: 99.5 },
        retention: 'P1Y',
      }),
      facts: sla(
        { property: 'latency', value: 2, unit: 'd' },
        { property: 'availability', value: 99.9, unit: 'percent' },
        { property: 'retention', value: 6, unit: 'months' },
      ),
      expected: failWith(
        'Output port orders-table: latency is 2 d in the contract, spec.slos.freshness is P1D; availability is 99.9 percent in the contract, spec.slos.availability is 99.5; retention is 6 months in the contract, spec.retention is P1Y',
      ),
    },
    {
      name: 'an SLA of one element is not the product SLO',
      product: orders,
      facts: sla({
        property: 'latency',
        value: 4,
        unit: 'd',
        element: 'orders.placed_at',
      }),
      expected: notApplicable(
        'No contract SLA property has a matching SLO in the descriptor (latency and freshness, frequency and intervalOfChange, availability, retention)',
      ),
    },
    {
      name: 'a unit that cannot be compared',
      product: orders,
      facts: sla({ property: 'latency', value: 2, unit: 'fortnights' }),
      expected: notApplicable(
        'SLA properties with values or units that cannot be compared: latency 2 fortnights',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.contract-breaking-change-major', () => {
  const removed = {
    rule: 'field-removed' as const,
    level: 'breaking' as const,
    path: 'schema.orders.properties.coupon',
    message: 'Removed field coupon from orders',
  };
  const added = {
    rule: 'field-added' as const,
    level: 'compatible' as const,
    path: 'schema.orders.properties.channel',
    message: 'Added optional field channel to orders',
  };
  const changed = (
    fromVersion: string,
    toVersion: string,
    changes: Array<typeof removed | typeof added>,
    bump: 'major' | 'minor' = changes.some(c => c.level === 'breaking')
      ? 'major'
      : 'minor',
  ) =>
    facts(
      withContract(
        { version: toVersion },
        {
          declaredVersion: toVersion,
          changes: {
            fromVersion,
            toVersion,
            requiredVersionBump: bump,
            changes,
          },
        },
      ),
    );
  const { actual, expected } = runCases(
    'quanta.contract-breaking-change-major',
    [
      ...skips('breaking'),
      {
        name: 'a first version',
        product: orders,
        facts: facts(readPort()),
        expected: notApplicable(
          'No contract has changed since the portal first read it',
        ),
      },
      {
        name: 'breaking, new major version',
        product: orders,
        facts: changed('1.4.0', '2.0.0', [removed, added]),
        expected: PASS,
      },
      {
        name: 'compatible, new minor version',
        product: orders,
        facts: changed('1.4.0', '1.5.0', [added]),
        expected: PASS,
      },
      {
        name: 'breaking, new minor version',
        product: orders,
        facts: changed('1.4.0', '1.5.0', [removed, added]),
        expected: failWith(
          'Output port orders-table: version 1.5.0 follows 1.4.0 with breaking changes (Removed field coupon from orders), but the major version did not increase',
        ),
      },
      {
        name: 'breaking, versions Quanta cannot order',
        product: orders,
        facts: changed('draft', 'final', [removed]),
        expected: failWith(
          'Output port orders-table: version final follows draft with breaking changes (Removed field coupon from orders), and draft is not a semantic version to tell a new major version by',
        ),
      },
    ],
  );
  expect(actual).toEqual(expected);
});
