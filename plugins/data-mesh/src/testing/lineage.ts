import type {
  LineageEdge,
  LineageResponse,
  MeshLineageResponse,
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
        owner: 'group:default/sales-data',
        productType: 'source-aligned',
        lifecycle: 'production',
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
          firstSeen: '2026-11-01T12:00:00.000Z',
          lastSeen: '2026-11-19T12:00:00.000Z',
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
          lastSeen: '2026-11-19T12:00:00.000Z',
          runs: 50,
          outputPorts: ['table'],
        },
      }),
      edge('dataproduct:default/orders', 'dataproduct:default/revenue'),
    ],
  };
}

export type MeshProduct = { id: string; title?: string; domain?: string };
export type MeshDependency = {
  from: string;
  to: string;
  /** Observed in runs but declared by no input port. */
  undeclared?: boolean;
  stale?: boolean;
};

/**
 * The mesh grouped by domain, written out by hand: the fake does not group
 * (that is the backend's `mesh()`, tested there), so tests read the numbers
 * they assert here.
 */
export type MeshByDomain = Pick<MeshLineageResponse, 'nodes' | 'edges'>;

/**
 * `getMeshLineage` answering as the backend does: the products and
 * dependencies one by one, or `byDomain` when asked to group by domain or
 * above `maxProducts`. Fails when grouped without a `byDomain`.
 */
export function fakeMeshLineage(
  products: MeshProduct[],
  dependencies: MeshDependency[],
  byDomain?: MeshByDomain,
) {
  return jest.fn(
    async (
      options: {
        groupBy?: 'auto' | 'product' | 'domain';
        maxProducts?: number;
      } = {},
    ): Promise<MeshLineageResponse> => {
      let groupBy = options.groupBy ?? 'auto';
      if (groupBy === 'auto') {
        groupBy =
          products.length > (options.maxProducts ?? 300) ? 'domain' : 'product';
      }
      const indexedAt = '2026-11-20T10:00:00.000Z';
      if (groupBy === 'domain') {
        if (!byDomain) throw new Error('fake mesh: no by-domain answer given');
        return { groupBy, ...byDomain, indexedAt };
      }
      return {
        groupBy,
        nodes: products.map(p => ({
          id: p.id,
          ...(p.title ? { title: p.title } : {}),
          ...(p.domain ? { domain: p.domain } : {}),
          products: 1,
        })),
        edges: dependencies.map(d => ({
          from: d.from,
          to: d.to,
          count: 1,
          declared: d.undeclared ? 0 : 1,
          undeclared: d.undeclared ? 1 : 0,
          stale: d.stale ? 1 : 0,
        })),
        indexedAt,
      };
    },
  );
}

/** Four products in two domains: sales feeds finance, one read undeclared. */
export function smallMesh(): [MeshProduct[], MeshDependency[]] {
  return [
    [
      {
        id: 'dataproduct:default/orders',
        title: 'Orders',
        domain: 'domain:default/sales',
      },
      {
        id: 'dataproduct:default/daily-sales',
        title: 'Daily sales',
        domain: 'domain:default/sales',
      },
      {
        id: 'dataproduct:default/revenue',
        title: 'Revenue',
        domain: 'domain:default/finance',
      },
      {
        id: 'dataproduct:default/kpis',
        title: 'KPIs',
        domain: 'domain:default/finance',
      },
    ],
    [
      {
        from: 'dataproduct:default/orders',
        to: 'dataproduct:default/daily-sales',
      },
      {
        from: 'dataproduct:default/daily-sales',
        to: 'dataproduct:default/revenue',
      },
      {
        from: 'dataproduct:default/orders',
        to: 'dataproduct:default/revenue',
        undeclared: true,
      },
      { from: 'dataproduct:default/revenue', to: 'dataproduct:default/kpis' },
    ],
  ];
}

/**
 * 160 products (ten above what the Data Mesh page draws one by one), 40 in
 * each of the domains `domain:default/d0` to `d3`, each reading the product
 * before it; every fifth product is also read by the one 40 further on, in
 * the next domain, and every other such read is undeclared.
 */
export function largeMesh(): [MeshProduct[], MeshDependency[], MeshByDomain] {
  const perDomain = 40;
  const count = 4 * perDomain;
  const products = Array.from({ length: count }, (_, i) => ({
    id: `dataproduct:default/p${i}`,
    title: `Product ${i}`,
    domain: `domain:default/d${Math.floor(i / perDomain)}`,
  }));
  const dependencies: MeshDependency[] = [];
  for (let i = 1; i < count; i++) {
    dependencies.push({ from: products[i - 1].id, to: products[i].id });
    if (i % 5 === 0 && i + perDomain < count) {
      dependencies.push({
        from: products[i].id,
        to: products[i + perDomain].id,
        undeclared: i % 10 === 0,
      });
    }
  }
  const domain = (d: number) => `domain:default/d${d}`;
  // Between neighbouring domains: the read along the chain and the every-fifth
  // reads (7 out of d0, 8 out of d1 and d2), every other one undeclared.
  const byDomain: MeshByDomain = {
    nodes: [0, 1, 2, 3].map(d => ({
      id: domain(d),
      domain: domain(d),
      products: perDomain,
    })),
    edges: [
      {
        from: domain(0),
        to: domain(1),
        count: 8,
        declared: 5,
        undeclared: 3,
        stale: 0,
      },
      {
        from: domain(1),
        to: domain(2),
        count: 9,
        declared: 5,
        undeclared: 4,
        stale: 0,
      },
      {
        from: domain(2),
        to: domain(3),
        count: 9,
        declared: 5,
        undeclared: 4,
        stale: 0,
      },
    ],
  };
  return [products, dependencies, byDomain];
}

/** What the backend answers a reader without permission to see lineage. */
export const LINEAGE_DENIED = 'Not allowed: data-mesh.lineage.read';

/** `getMeshLineage` failing as it does for a reader without permission. */
export function deniedMeshLineage() {
  return jest.fn(async (): Promise<MeshLineageResponse> => {
    throw new Error(LINEAGE_DENIED);
  });
}
