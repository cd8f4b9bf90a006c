import type {
  LineageEdge,
  LineageResponse,
} from '@quanta/plugin-data-mesh-common';

const edge = (
  from: string,
  to: string,
  extra: Partial<LineageEdge> = {},
): LineageEdge => ({
  from,
  to,
  ports: [{ outputPort: 'table', inputPort: from.split('/')[1] }],
  declared: true,
  undeclared: false,
  stale: false,
  ...extra,
});

/** Orders at the centre: one source and two products upstream, two readers. */
export function sampleLineage(): LineageResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    upstream: 1,
    downstream: 1,
    limit: 1000,
    truncated: false,
    indexedAt: '2026-11-20T10:00:00.000Z',
    staleAfterDays: 30,
    nodes: [
      {
        entityRef: 'dataproduct:default/orders',
        nodeType: 'data-product',
        title: 'Orders',
        domain: 'domain:default/sales',
        productType: 'source-aligned',
        depth: 0,
      },
      {
        entityRef: 'resource:default/orders-db',
        nodeType: 'source',
        depth: -1,
      },
      {
        entityRef: 'dataproduct:default/customers',
        nodeType: 'data-product',
        title: 'Customers',
        domain: 'domain:default/customer',
        depth: -1,
      },
      {
        entityRef: 'dataproduct:default/payments',
        nodeType: 'data-product',
        title: 'Payments',
        domain: 'domain:default/sales',
        depth: -1,
      },
      {
        entityRef: 'dataproduct:default/daily-sales',
        nodeType: 'data-product',
        title: 'Daily sales',
        domain: 'domain:default/sales',
        depth: 1,
      },
      {
        entityRef: 'dataproduct:default/revenue',
        nodeType: 'data-product',
        title: 'Revenue',
        domain: 'domain:default/finance',
        depth: 1,
      },
    ],
    edges: [
      edge('resource:default/orders-db', 'dataproduct:default/orders', {
        ports: [{ inputPort: 'orders-db' }],
      }),
      edge('dataproduct:default/customers', 'dataproduct:default/orders', {
        ports: [],
        declared: false,
        undeclared: true,
        observed: {
          firstSeen: '2026-11-01T00:00:00.000Z',
          lastSeen: '2026-11-19T00:00:00.000Z',
          runs: 12,
          outputPorts: ['table'],
        },
      }),
      edge('dataproduct:default/payments', 'dataproduct:default/orders', {
        stale: true,
      }),
      edge('dataproduct:default/orders', 'dataproduct:default/daily-sales', {
        observed: {
          firstSeen: '2026-10-01T00:00:00.000Z',
          lastSeen: '2026-11-19T00:00:00.000Z',
          runs: 50,
          outputPorts: ['table'],
        },
      }),
      edge('dataproduct:default/orders', 'dataproduct:default/revenue'),
    ],
  };
}
