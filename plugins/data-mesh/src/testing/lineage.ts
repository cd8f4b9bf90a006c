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

export type MeshProduct = { id: string; title?: string; domain?: string };
export type MeshDependency = {
  from: string;
  to: string;
  /** Observed in runs but declared by no input port. */
  undeclared?: boolean;
  stale?: boolean;
};

/**
 * `getMeshLineage` answering as the backend does for these products and
 * dependencies: listed, or grouped by domain when asked or above `maxProducts`.
 */
export function fakeMeshLineage(
  products: MeshProduct[],
  dependencies: MeshDependency[],
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
      const domainOf = new Map(products.map(p => [p.id, p.domain ?? 'none']));
      const keyOf = (id: string) =>
        groupBy === 'product' ? id : domainOf.get(id) ?? 'none';
      const nodes = new Map<string, MeshLineageResponse['nodes'][number]>();
      for (const product of products) {
        const id = keyOf(product.id);
        const node = nodes.get(id);
        if (node) node.products++;
        else {
          nodes.set(id, {
            id,
            ...(groupBy === 'product' && product.title
              ? { title: product.title }
              : {}),
            ...(product.domain ? { domain: product.domain } : {}),
            products: 1,
          });
        }
      }
      const edges = new Map<string, MeshLineageResponse['edges'][number]>();
      for (const dependency of dependencies) {
        const from = keyOf(dependency.from);
        const to = keyOf(dependency.to);
        if (from === to) continue;
        const sum = edges.get(`${from}>${to}`) ?? {
          from,
          to,
          count: 0,
          declared: 0,
          undeclared: 0,
          stale: 0,
        };
        sum.count++;
        if (dependency.undeclared) sum.undeclared++;
        else sum.declared++;
        if (dependency.stale) sum.stale++;
        edges.set(`${from}>${to}`, sum);
      }
      return {
        groupBy,
        nodes: [...nodes.values()],
        edges: [...edges.values()],
        indexedAt: '2026-11-20T10:00:00.000Z',
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
 * `count` products spread over `domains` domains (`domain:default/d0`, ...),
 * each reading the product before it; every fifth read crosses into the next
 * domain, and of those every other one is undeclared.
 */
export function largeMesh(
  count: number,
  domains: number,
): [MeshProduct[], MeshDependency[]] {
  const perDomain = Math.ceil(count / domains);
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
  return [products, dependencies];
}
