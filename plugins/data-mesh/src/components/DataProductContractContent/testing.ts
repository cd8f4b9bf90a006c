import type {
  ContractsResponse,
  ContractVersionView,
} from '@quanta/plugin-data-mesh-common';

const ordersV2 = {
  apiVersion: 'v3.0.2',
  kind: 'DataContract',
  id: 'orders-contract',
  version: '2.0.0',
  status: 'active',
  description: {
    purpose: 'Every order placed in the web shop, one row per order.',
    usage: 'Sales reporting. Join order lines on order_id.',
    limitations: 'Orders placed before 2019 are not included.',
  },
  schema: [
    {
      name: 'orders',
      physicalName: 'lake.sales.orders',
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
      properties: [
        {
          name: 'order_id',
          logicalType: 'string',
          physicalType: 'varchar(32)',
          required: true,
          primaryKey: true,
          criticalDataElement: true,
          description: 'Order identifier.',
        },
        {
          name: 'customer_email',
          logicalType: 'string',
          physicalType: 'string',
          classification: 'confidential',
          tags: ['PII'],
          description: 'Where the confirmation went.',
          quality: [
            {
              description: 'At most 1% missing',
              metric: 'nullValues',
              mustBeLessThan: 1,
              unit: 'percent',
              dimension: 'completeness',
            },
          ],
        },
        {
          name: 'shipping',
          logicalType: 'object',
          properties: [{ name: 'city', logicalType: 'string' }],
        },
      ],
    },
  ],
  slaProperties: [
    { property: 'latency', value: 1, unit: 'h' },
    { property: 'retention', value: 7, unit: 'y', element: 'orders.placed_at' },
  ],
  support: [
    {
      channel: '#data-sales',
      tool: 'slack',
      url: 'https://chat.example/data-sales',
    },
  ],
};

const version = (
  overrides: Partial<ContractVersionView>,
): ContractVersionView => ({
  digest: 'a'.repeat(64),
  contractId: 'orders-contract',
  version: '1.0.0',
  apiVersion: 'v3.0.2',
  firstSeenAt: '2026-03-01T08:00:00.000Z',
  lastSeenAt: '2026-03-01T08:00:00.000Z',
  current: false,
  changes: [],
  requiredVersionBump: 'none',
  ...overrides,
});

/** The contracts API's answer for a product with one port of each status. */
export function sampleContracts(): ContractsResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    ports: [
      {
        port: 'orders-table',
        location: '../contracts/orders.odcs.yaml',
        declaredVersion: '2.0.0',
        status: 'ok',
        readAt: '2026-04-02T10:15:00.000Z',
        versions: [
          version({
            digest: 'b'.repeat(64),
            version: '2.0.0',
            firstSeenAt: '2026-04-01T09:30:00.000Z',
            lastSeenAt: '2026-04-02T10:15:00.000Z',
            current: true,
            requiredVersionBump: 'major',
            document: ordersV2,
            changes: [
              {
                rule: 'field-removed',
                level: 'breaking',
                path: 'schema.orders.properties.coupon',
                object: 'orders',
                field: 'coupon',
                message: 'Removed field coupon from orders',
              },
              {
                rule: 'field-added',
                level: 'compatible',
                path: 'schema.orders.properties.shipping',
                object: 'orders',
                field: 'shipping',
                message: 'Added optional field shipping to orders',
              },
            ],
          }),
          version({}),
        ],
      },
      {
        port: 'order-events',
        location: 'https://contracts.example/order-events.odcs.yaml',
        status: 'unreadable',
        reason: 'not-allowed',
        message:
          'Reading https://contracts.example is not allowed; add the host to backend.reading.allow',
        readAt: '2026-04-02T10:15:00.000Z',
        versions: [],
      },
      {
        port: 'order-lines',
        location: '../contracts/lines.odcs.yaml',
        status: 'invalid',
        message:
          'Not an ODCS v3 contract: apiVersion: found "v2.2.2", expected an ODCS v3 version such as v3.0.2 or v3.1.0',
        readAt: '2026-04-02T10:15:00.000Z',
        versions: [
          version({
            digest: 'c'.repeat(64),
            version: '0.9.0',
            document: { ...ordersV2, version: '0.9.0' },
          }),
        ],
      },
      { port: 'order-exports', status: 'undeclared', versions: [] },
    ],
  };
}
