import type {
  ContractChangeFacts,
  ContractPortFacts,
  ProductFacts,
} from '../engine/types';
import {
  NOW,
  PASS,
  failWith,
  notApplicable,
  port,
  product,
  reads,
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
  contracts: { ports, noticePeriodDays: 30 },
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

describe('quanta.contract-breaking-change-notice', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const daysAgo = (days: number) =>
    new Date(NOW.getTime() - days * DAY).toISOString();
  const removed = {
    rule: 'field-removed' as const,
    level: 'breaking' as const,
    path: 'schema.orders.properties.coupon',
    message: 'Removed field coupon from orders',
  };

  /** orders-table at 2.0.0, first seen 2 days ago, breaking 1.4.0 (active, seen 40 days ago). */
  const breaking = (change: Partial<ContractChangeFacts> = {}) =>
    withContract(
      { version: '2.0.0' },
      {
        declaredVersion: '2.0.0',
        changes: {
          fromVersion: '1.4.0',
          toVersion: '2.0.0',
          requiredVersionBump: 'major',
          changes: [removed],
          fromStatus: 'active',
          fromFirstSeen: daysAgo(40),
          toFirstSeen: daysAgo(2),
          ...change,
        },
      },
    );
  /** Another port of the product, serving the contract at `version`. */
  const alsoServing = (name: string, version: string, id = 'orders-contract') =>
    withContract(
      { id, version },
      { port: name, location: `./contracts/${name}.odcs.yaml` },
    );
  const noticeOf = (days: number, ...ports: ContractPortFacts[]) => ({
    contracts: { ports, noticePeriodDays: days },
  });

  const fix =
    'keep serving version 1 on a port such as orders-table-v1 until consumers have moved, or publish 1.4.0 with status: deprecated at least 30 days before the breaking version';
  // orders-table is read by daily-sales in the fixture mesh.
  const failure = (
    why: string,
    consumers = 'its consumer dataproduct:default/daily-sales',
  ) =>
    failWith(
      `Output port orders-table: version 2.0.0 breaks 1.4.0 for ${consumers}, but no other port serves version 1 and ${why}; ${fix}`,
    );

  // Products no input port of the fixture mesh reads.
  const unread = product('returns', {
    outputPorts: [port('orders-table'), port('orders-topic')],
  });
  const reader = (name: string, portName = 'orders-table', of = 'orders') =>
    product(name, {
      type: 'aggregate',
      inputPorts: [reads(of, portName)],
    });

  it('judges the notice consumers of a broken contract had', () => {
    const { actual, expected } = runCases(
      'quanta.contract-breaking-change-notice',
      [
        ...skips('notice'),
        {
          name: 'a first version',
          product: orders,
          facts: facts(readPort()),
          expected: notApplicable(
            'No contract has changed since the portal first read it',
          ),
        },
        {
          name: 'a compatible change',
          product: orders,
          facts: facts(
            breaking({
              toVersion: '1.5.0',
              requiredVersionBump: 'minor',
              changes: [{ ...removed, level: 'compatible' }],
            }),
          ),
          expected: notApplicable(
            'No contract has breaking changes from the version before',
          ),
        },
        {
          name: 'the previous major version still served on another port',
          product: orders,
          facts: facts(breaking(), alsoServing('orders-table-v1', '1.4.2')),
          expected: PASS,
        },
        {
          name: 'breaking under the same major version, on no other port',
          product: orders,
          facts: facts(
            withContract(
              { version: '1.5.0' },
              {
                declaredVersion: '1.5.0',
                changes: {
                  fromVersion: '1.4.0',
                  toVersion: '1.5.0',
                  requiredVersionBump: 'major',
                  changes: [removed],
                  fromStatus: 'active',
                  fromFirstSeen: daysAgo(40),
                  toFirstSeen: daysAgo(2),
                },
              },
            ),
          ),
          expected: failWith(
            'Output port orders-table: version 1.5.0 breaks 1.4.0 for its consumer dataproduct:default/daily-sales, but no other port serves 1.4.0 and 1.4.0 was not deprecated before it (its status is active); keep serving 1.4.0 on a port such as orders-table-v1 until consumers have moved, or publish 1.4.0 with status: deprecated at least 30 days before the breaking version',
          ),
        },
        {
          name: 'versions without a major version, the one broken served elsewhere',
          product: orders,
          facts: facts(
            breaking({ fromVersion: 'draft', toVersion: 'final' }),
            alsoServing('orders-table-draft', 'draft'),
          ),
          expected: PASS,
        },
        {
          name: 'versions without a major version, the one broken gone',
          product: orders,
          facts: facts(
            breaking({ fromVersion: 'draft', toVersion: 'final' }),
            alsoServing('orders-table-beta', 'beta'),
          ),
          expected: failWith(
            'Output port orders-table: version final breaks draft for its consumer dataproduct:default/daily-sales, but no other port serves draft and draft was not deprecated before it (its status is active); keep serving draft on a port such as orders-table-previous until consumers have moved, or publish draft with status: deprecated at least 30 days before the breaking version',
          ),
        },
        {
          name: 'another port serves the new major version only',
          product: orders,
          facts: facts(breaking(), alsoServing('orders-table-v2', '2.0.0')),
          expected: failure(
            '1.4.0 was not deprecated before it (its status is active)',
          ),
        },
        {
          name: 'another port serves version 1 of another contract',
          product: orders,
          facts: facts(
            breaking(),
            alsoServing('customers-table', '1.4.0', 'customers-contract'),
          ),
          expected: failure(
            '1.4.0 was not deprecated before it (its status is active)',
          ),
        },
        {
          name: 'deprecated exactly the notice period before',
          product: orders,
          facts: facts(
            breaking({
              fromStatus: 'deprecated',
              fromFirstSeen: daysAgo(32),
            }),
          ),
          expected: PASS,
        },
        {
          name: 'deprecated half a day too late',
          product: orders,
          facts: facts(
            breaking({
              fromStatus: 'Deprecated',
              fromFirstSeen: daysAgo(31.5),
            }),
          ),
          expected: failure('1.4.0 was deprecated only 29 days before it'),
        },
        {
          name: 'deprecated the same hour',
          product: orders,
          facts: facts(
            breaking({ fromStatus: 'deprecated', fromFirstSeen: daysAgo(2) }),
          ),
          expected: failure('1.4.0 was deprecated less than a day before it'),
        },
        {
          name: 'deprecated early enough for a shorter notice period',
          product: orders,
          facts: noticeOf(
            7,
            breaking({ fromStatus: 'deprecated', fromFirstSeen: daysAgo(10) }),
          ),
          expected: PASS,
        },
        {
          name: 'deprecated, but when is not known',
          product: orders,
          facts: facts(
            breaking({
              fromStatus: 'deprecated',
              fromFirstSeen: undefined,
            }),
          ),
          expected: failure('when 1.4.0 was deprecated is not known'),
        },
        {
          name: 'retired, which is no notice',
          product: orders,
          facts: facts(breaking({ fromStatus: 'retired' })),
          expected: failure(
            '1.4.0 was not deprecated before it (its status is retired)',
          ),
        },
        {
          name: 'no status at all',
          product: orders,
          facts: facts(breaking({ fromStatus: undefined })),
          expected: failure(
            '1.4.0 was not deprecated before it (it declares no status)',
          ),
        },
        {
          name: 'no product reads the port',
          product: unread,
          facts: facts(breaking()),
          expected: notApplicable(
            'No product reads output port orders-table, whose contract broke: no input port names it and lineage shows no reader of the product',
          ),
        },
        {
          name: 'a reader seen in lineage only',
          product: unread,
          facts: {
            ...facts(breaking()),
            lineage: {
              upstream: [],
              downstream: ['dataproduct:default/finance-kpis'],
            },
          },
          expected: failWith(
            `Output port orders-table: version 2.0.0 breaks 1.4.0 for its consumer dataproduct:default/finance-kpis (observed), but no other port serves version 1 and 1.4.0 was not deprecated before it (its status is active); ${fix}`,
          ),
        },
        {
          name: 'a reader seen in lineage that declares another port',
          product: unread,
          extra: [reader('topic-reader', 'orders-topic', 'returns')],
          facts: {
            ...facts(breaking()),
            lineage: {
              upstream: [],
              downstream: ['dataproduct:default/topic-reader'],
            },
          },
          expected: notApplicable(
            'No product reads output port orders-table, whose contract broke: no input port names it and lineage shows no reader of the product',
          ),
        },
        {
          name: 'many readers, declared and observed',
          product: orders,
          extra: [
            reader('finance-kpis'),
            reader('churn-model'),
            reader('topic-only', 'orders-topic'),
            reader('weekly-sales'),
          ],
          facts: {
            ...facts(breaking()),
            lineage: {
              upstream: [],
              downstream: [
                'dataproduct:default/churn-model',
                'dataproduct:default/Ad-Hoc',
                'dataproduct:default/orders',
              ],
            },
          },
          expected: failure(
            '1.4.0 was not deprecated before it (its status is active)',
            'its 5 consumers (dataproduct:default/daily-sales, dataproduct:default/finance-kpis, dataproduct:default/churn-model and 2 more)',
          ),
        },
        {
          name: 'broken longer ago than the notice period',
          product: orders,
          facts: facts(breaking({ toFirstSeen: daysAgo(30) })),
          expected: notApplicable(
            'The breaking version 2.0.0 of output port orders-table was first seen at least 30 days ago, the notice period consumers get to move',
          ),
        },
      ],
    );
    expect(actual).toEqual(expected);
  });
});
