import type { Entity } from '@backstage/catalog-model';
import { DEFAULT_MAPPINGS } from './mapping';
import { LineageGraph, type ObservedDatasetEdge } from './LineageGraph';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

function product(
  name: string,
  reads: string[] = [],
  extra: { domain?: string; sources?: string[] } = {},
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, title: name.toUpperCase() },
    spec: {
      type: reads.length ? 'aggregate' : 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/team',
      domain: `domain:default/${extra.domain ?? 'sales'}`,
      inputPorts: [
        ...reads.map(upstream => ({
          name: `from-${upstream}`,
          dataProduct: `dataproduct:default/${upstream}`,
          outputPort: 'table',
        })),
        ...(extra.sources ?? []).map(source => ({
          name: `src-${source}`,
          source: `component:default/${source}`,
        })),
      ],
      outputPorts: [
        {
          name: 'table',
          type: 'table',
          format: 'iceberg',
          address: `iceberg://lake/${name}`,
        },
      ],
    },
  };
}

function graph(entities: Entity[]) {
  return new LineageGraph(entities, DEFAULT_MAPPINGS, NOW);
}

const options = {
  upstream: 1,
  downstream: 1,
  limit: 1000,
  now: NOW,
  staleAfterDays: 30,
};

function names(refs: string[]) {
  return refs.map(ref => ref.replace(/^[a-z]+:default\//, ''));
}

function edgeNames(response: { edges: Array<{ from: string; to: string }> }) {
  return response.edges
    .map(e => `${names([e.from])[0]}>${names([e.to])[0]}`)
    .sort();
}

function observedEdge(
  from: string,
  to: string,
  lastSeen: number,
): ObservedDatasetEdge {
  return {
    inputNamespace: 'iceberg://lake',
    inputName: from,
    outputNamespace: 'iceberg://lake',
    outputName: to,
    firstSeen: lastSeen - DAY,
    lastSeen,
    runs: 3,
  };
}

describe('LineageGraph', () => {
  // a -> b -> c -> d -> e, and a source feeding a
  const chain = [
    product('a', [], { sources: ['orders-service'] }),
    product('b', ['a']),
    product('c', ['b']),
    product('d', ['c']),
    product('e', ['d']),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders-service', title: 'Orders service' },
      spec: { owner: 'group:default/checkout' },
    },
  ];

  it('answers depth 1 both ways by default, with nodes, ports and the source', () => {
    const response = graph(chain).query('dataproduct:default/c', options)!;
    expect(names(response.nodes.map(n => n.entityRef))).toEqual([
      'c',
      'b',
      'd',
    ]);
    expect(response.nodes.map(n => n.depth)).toEqual([0, -1, 1]);
    expect(response.nodes[1]).toMatchObject({
      nodeType: 'data-product',
      title: 'B',
      domain: 'domain:default/sales',
    });
    expect(response.edges).toEqual([
      {
        from: 'dataproduct:default/b',
        to: 'dataproduct:default/c',
        ports: [{ outputPort: 'table', inputPort: 'from-b' }],
        declared: true,
        undeclared: false,
        stale: false,
      },
      expect.objectContaining({ from: 'dataproduct:default/c' }),
    ]);
    expect(response.truncated).toBe(false);

    const source = graph(chain).query('component:default/orders-service', {
      ...options,
      downstream: 5,
    })!;
    expect(source.nodes[0]).toMatchObject({
      nodeType: 'source',
      title: 'Orders service',
      owner: 'group:default/checkout',
    });
    expect(names(source.nodes.map(n => n.entityRef))).toEqual([
      'orders-service',
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(graph(chain).query('dataproduct:default/nope', options)).toBe(
      undefined,
    );
  });

  it('stops at the asked depth in each direction', () => {
    const g = graph(chain);
    const up2 = g.query('dataproduct:default/e', {
      ...options,
      upstream: 2,
      downstream: 0,
    })!;
    expect(names(up2.nodes.map(n => n.entityRef))).toEqual(['e', 'd', 'c']);
    expect(up2.nodes.map(n => n.depth)).toEqual([0, -1, -2]);
    const all = g.query('dataproduct:default/e', {
      ...options,
      upstream: 5,
      downstream: 5,
    })!;
    expect(all.nodes).toHaveLength(6);
    expect(
      all.nodes.find(n => n.entityRef.endsWith('orders-service')),
    ).toMatchObject({ depth: -5, nodeType: 'source' });
  });

  it('walks a diamond once and keeps every edge between included nodes', () => {
    //    top
    //   /   \
    // left  right
    //   \   /
    //   bottom -> tail
    const g = graph([
      product('top'),
      product('left', ['top']),
      product('right', ['top', 'left']),
      product('bottom', ['left', 'right']),
      product('tail', ['bottom']),
    ]);
    const response = g.query('dataproduct:default/bottom', {
      ...options,
      upstream: 2,
    })!;
    expect(names(response.nodes.map(n => n.entityRef))).toEqual([
      'bottom',
      'left',
      'right',
      'tail',
      'top',
    ]);
    // left -> right joins two nodes at the same distance: still shown.
    expect(edgeNames(response)).toEqual([
      'bottom>tail',
      'left>bottom',
      'left>right',
      'right>bottom',
      'top>left',
      'top>right',
    ]);
  });

  it('survives cycles, and gives a node on both sides the nearer depth', () => {
    const g = graph([
      product('x', ['z']),
      product('y', ['x']),
      product('z', ['y']),
    ]);
    const response = g.query('dataproduct:default/x', {
      ...options,
      upstream: 5,
      downstream: 5,
    })!;
    expect(names(response.nodes.map(n => n.entityRef))).toEqual([
      'x',
      'z',
      'y',
    ]);
    expect(response.nodes.map(n => n.depth)).toEqual([0, -1, 1]);
    expect(edgeNames(response)).toEqual(['x>y', 'y>z', 'z>x']);
  });

  it('caps the nodes level by level, and says it truncated', () => {
    const readers = Array.from({ length: 10 }, (_, i) =>
      product(`reader-${i}`, ['hub']),
    );
    const feeders = Array.from({ length: 10 }, (_, i) =>
      product(`feeder-${i}`),
    );
    const hub = product(
      'hub',
      feeders.map(f => f.metadata.name),
    );
    const g = graph([hub, ...feeders, ...readers]);
    const capped = g.query('dataproduct:default/hub', {
      ...options,
      limit: 7,
    })!;
    expect(capped.nodes).toHaveLength(7);
    expect(capped.truncated).toBe(true);
    expect(capped.nodes.filter(n => n.depth < 0)).toHaveLength(6);
    const capped2 = g.query('dataproduct:default/hub', {
      ...options,
      upstream: 0,
      limit: 21,
    })!;
    expect(capped2.nodes).toHaveLength(11);
    expect(capped2.truncated).toBe(false);
    // Edges only join nodes that made it in.
    for (const edge of capped.edges) {
      expect(capped.nodes.map(n => n.entityRef)).toEqual(
        expect.arrayContaining([edge.from, edge.to]),
      );
    }
  });

  it('calls no declared input stale before runs were watched for the whole period', () => {
    // sales was first written by an observed run two days ago and has not
    // read payments since: too early to say payments is no longer read.
    const g = graph([
      product('orders'),
      product('payments'),
      product('sales', ['orders', 'payments']),
    ]).observe(
      [
        {
          ...observedEdge('orders', 'sales', NOW.getTime()),
          firstSeen: NOW.getTime() - 2 * DAY,
        },
      ],
      [
        {
          namespace: 'iceberg://lake',
          name: 'sales',
          firstSeen: NOW.getTime() - 2 * DAY,
          lastSeen: NOW.getTime(),
          lastWritten: NOW.getTime(),
        },
      ],
    );
    const edges = g.query('dataproduct:default/sales', options)!.edges;
    expect(edges.map(e => [names([e.from])[0], e.stale])).toEqual([
      ['orders', false],
      ['payments', false],
    ]);
    expect(
      g.facts(NOW, 30).get('dataproduct:default/sales')!.staleUpstream,
    ).toEqual([]);
    // Forty days on without a run reading either, both are stale.
    const later = new Date(NOW.getTime() + 40 * DAY);
    expect(
      g.facts(later, 30).get('dataproduct:default/sales')!.staleUpstream,
    ).toEqual(['dataproduct:default/orders', 'dataproduct:default/payments']);
  });

  it('marks edges declared, observed, undeclared and stale', () => {
    // sales reads orders and payments; runs read orders (recently),
    // customers (undeclared) but not payments for 40 days (stale).
    const g = graph([
      product('orders'),
      product('payments'),
      product('customers'),
      product('sales', ['orders', 'payments']),
      product('report', ['sales']),
    ]).observe(
      [
        observedEdge('orders', 'sales', NOW.getTime() - DAY),
        observedEdge('customers', 'sales', NOW.getTime() - 2 * DAY),
        observedEdge('payments', 'sales', NOW.getTime() - 40 * DAY),
        observedEdge('unknown_table', 'sales', NOW.getTime()),
      ],
      [
        {
          namespace: 'iceberg://lake',
          name: 'sales',
          firstSeen: 0,
          lastSeen: NOW.getTime(),
          lastWritten: NOW.getTime(),
        },
        {
          namespace: 'iceberg://lake',
          name: 'unknown_table',
          firstSeen: 0,
          lastSeen: NOW.getTime(),
        },
      ],
    );
    const response = g.query('dataproduct:default/sales', options)!;
    const byFrom = new Map(
      response.edges.map(e => [`${names([e.from])[0]}>${names([e.to])[0]}`, e]),
    );
    expect(byFrom.get('orders>sales')).toMatchObject({
      declared: true,
      undeclared: false,
      stale: false,
      observed: {
        runs: 3,
        outputPorts: ['table'],
        lastSeen: new Date(NOW.getTime() - DAY).toISOString(),
      },
    });
    expect(byFrom.get('customers>sales')).toMatchObject({
      declared: false,
      undeclared: true,
      stale: false,
      ports: [],
    });
    expect(byFrom.get('payments>sales')).toMatchObject({
      declared: true,
      stale: true,
    });
    // report is not written by any observed run: its inputs cannot be stale.
    expect(byFrom.get('sales>report')).toMatchObject({
      declared: true,
      stale: false,
    });
    expect(byFrom.get('sales>report')!.observed).toBeUndefined();

    expect(
      g.unmapped([
        { namespace: 'iceberg://lake', name: 'unknown_table' },
        { namespace: 'iceberg://lake/', name: 'sales/' },
      ]),
    ).toEqual([{ namespace: 'iceberg://lake', name: 'unknown_table' }]);

    const facts = g.facts(NOW, 30);
    expect(facts.get('dataproduct:default/sales')).toEqual({
      upstream: [
        'dataproduct:default/orders',
        'dataproduct:default/payments',
        'dataproduct:default/customers',
      ],
      downstream: [],
      undeclaredUpstream: ['dataproduct:default/customers'],
      staleUpstream: ['dataproduct:default/payments'],
      staleAfterDays: 30,
    });
    expect(facts.get('dataproduct:default/orders')).toMatchObject({
      downstream: ['dataproduct:default/sales'],
      undeclaredUpstream: [],
    });
    expect(facts.has('dataproduct:default/report')).toBe(false);
    // A longer period makes payments fresh again.
    expect(
      g.facts(NOW, 60).get('dataproduct:default/sales')!.staleUpstream,
    ).toEqual([]);
  });

  it('aggregates the mesh by domain when it has more products than asked', () => {
    const g = graph([
      product('orders', [], { domain: 'sales' }),
      product('daily', ['orders'], { domain: 'sales' }),
      product('revenue', ['daily', 'orders'], { domain: 'finance' }),
      product('kpis', ['revenue'], { domain: 'finance' }),
    ]);
    const byProduct = g.mesh({
      groupBy: 'auto',
      maxProducts: 10,
      now: NOW,
      staleAfterDays: 30,
    });
    expect(byProduct.groupBy).toBe('product');
    expect(byProduct.nodes).toHaveLength(4);
    expect(byProduct.edges).toHaveLength(4);
    const byDomain = g.mesh({
      groupBy: 'auto',
      maxProducts: 3,
      now: NOW,
      staleAfterDays: 30,
    });
    expect(byDomain.groupBy).toBe('domain');
    expect(byDomain.nodes).toEqual([
      {
        id: 'domain:default/sales',
        domain: 'domain:default/sales',
        products: 2,
      },
      {
        id: 'domain:default/finance',
        domain: 'domain:default/finance',
        products: 2,
      },
    ]);
    expect(byDomain.edges).toEqual([
      {
        from: 'domain:default/sales',
        to: 'domain:default/finance',
        count: 2,
        declared: 2,
        undeclared: 0,
        stale: 0,
        pipelineOnly: 0,
        grantedOnly: 0,
      },
    ]);
  });
});

describe('building the graph in slices', () => {
  it('gives the graph the constructor gives, for a mesh larger than a slice, reads across slices included', async () => {
    // 1,000 products in a chain: each reads the one before it, and every
    // tenth also reads one 500 places back, in an earlier slice.
    const entities: Entity[] = [];
    for (let i = 0; i < 1000; i++) {
      const reads = i === 0 ? [] : [`p${i - 1}`];
      if (i >= 500 && i % 10 === 0) reads.push(`p${i - 500}`);
      entities.push(
        product(`p${i}`, reads, {
          domain: `d${i % 7}`,
          sources: i % 250 === 0 ? [`feed-${i}`] : [],
        }),
      );
    }
    const whole = graph(entities);
    const sliced = await LineageGraph.built(entities, DEFAULT_MAPPINGS, NOW);
    const meshOptions = {
      groupBy: 'product' as const,
      maxProducts: 5000,
      now: NOW,
      staleAfterDays: 30,
    };
    expect(sliced.mesh(meshOptions)).toEqual(whole.mesh(meshOptions));
    // Between products: the chain and the reads 500 back (sources are no products).
    expect(sliced.mesh(meshOptions).edges).toHaveLength(999 + 50);
    for (const ref of ['p0', 'p499', 'p500', 'p750', 'p999']) {
      expect(sliced.query(`dataproduct:default/${ref}`, options)).toEqual(
        whole.query(`dataproduct:default/${ref}`, options),
      );
    }
    expect(
      names(
        sliced
          .query('dataproduct:default/p750', options)!
          .edges.map(e => e.from),
      ).sort(),
    ).toEqual(['feed-750', 'p250', 'p749', 'p750']);
  });
});

describe('lineage pipelines declare in JobEvents', () => {
  const lake = (name: string) => ({ namespace: 'iceberg://lake', name });
  const declaration = (
    job: string,
    inputs: string[],
    outputs: string[],
    declaredAt: number,
  ) => ({
    jobNamespace: 'airflow://prod',
    jobName: job,
    declaredAt,
    inputs: inputs.map(lake),
    outputs: outputs.map(lake),
  });

  it('adds them to edges apart from runs: neither observed nor undeclared, and kept out of the facts', () => {
    const g = graph([
      product('orders'),
      product('payments'),
      product('revenue', ['orders']),
    ])
      .observe([], [])
      .declare([
        declaration(
          'revenue_dag',
          ['orders', 'payments'],
          ['revenue'],
          NOW.getTime() - DAY,
        ),
        declaration(
          'revenue_backfill',
          ['orders'],
          ['revenue'],
          NOW.getTime() - 2 * DAY,
        ),
        // A dataset no product serves maps to nothing, and adds no edge.
        declaration('scratch', ['tmp.scratch'], ['revenue'], NOW.getTime()),
      ]);
    const lineage = g.query('dataproduct:default/revenue', options)!;
    const edges = new Map(lineage.edges.map(e => [names([e.from])[0], e]));
    expect([...edges.keys()].sort()).toEqual(['orders', 'payments']);
    // Declared by its input port and by two jobs.
    expect(edges.get('orders')).toMatchObject({
      declared: true,
      undeclared: false,
      pipeline: {
        jobs: ['airflow://prod/revenue_backfill', 'airflow://prod/revenue_dag'],
        declaredAt: new Date(NOW.getTime() - DAY).toISOString(),
        outputPorts: ['table'],
      },
    });
    expect(edges.get('orders')!.observed).toBeUndefined();
    // Only the pipeline says revenue reads payments: no input port, no run.
    expect(edges.get('payments')).toMatchObject({
      declared: false,
      undeclared: false,
      stale: false,
      ports: [],
      pipeline: { jobs: ['airflow://prod/revenue_dag'] },
    });
    expect(edges.get('payments')!.observed).toBeUndefined();

    // Policies read runs only: a declaration is no observation.
    expect(g.facts(NOW, 30).size).toBe(0);
    expect(
      g.mesh({
        groupBy: 'product',
        maxProducts: 100,
        now: NOW,
        staleAfterDays: 30,
      }).edges,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          from: 'dataproduct:default/payments',
          to: 'dataproduct:default/revenue',
          declared: 0,
          undeclared: 0,
          pipelineOnly: 1,
        }),
        expect.objectContaining({
          from: 'dataproduct:default/orders',
          declared: 1,
          pipelineOnly: 0,
        }),
      ]),
    );
  });
});

describe('mapping datasets regardless of case', () => {
  const withAddress = (name: string, address: string): Entity => {
    const entity = product(name);
    (entity.spec as any).outputPorts[0].address = address;
    return entity;
  };
  const entities = [
    withAddress('daily', 'snowflake://acme.eu-west-1/analytics/sales/daily'),
    withAddress('orders', 's3://lake/sales/orders'),
  ];

  it('where the system compares names so: Snowflake, BigQuery, SQL engines', () => {
    const g = graph(entities);
    // One tool writes Snowflake's upper case, the port was declared in lower.
    expect(
      g.mapDataset('snowflake://acme.eu-west-1', 'ANALYTICS.SALES.DAILY'),
    ).toEqual({ entityRef: 'dataproduct:default/daily', port: 'table' });
    expect(
      g.mapDataset('SNOWFLAKE://ACME.EU-WEST-1', 'Analytics.Sales.Daily'),
    ).toEqual({ entityRef: 'dataproduct:default/daily', port: 'table' });
  });

  it('not where names are case-sensitive, as in object stores', () => {
    const g = graph(entities);
    expect(g.mapDataset('s3://lake', 'sales/orders')).toEqual({
      entityRef: 'dataproduct:default/orders',
      port: 'table',
    });
    expect(g.mapDataset('s3://lake', 'Sales/Orders')).toBeUndefined();
  });

  it('as a configured rule says, whatever the system', () => {
    const exact = new LineageGraph(
      entities,
      [{ address: '{namespace}/{namePath}', ignoreCase: false }],
      NOW,
    );
    expect(
      exact.mapDataset('snowflake://acme.eu-west-1', 'ANALYTICS.SALES.DAILY'),
    ).toBeUndefined();
    const loose = new LineageGraph(
      entities,
      [{ address: '{namespace}/{name}', ignoreCase: true }],
      NOW,
    );
    expect(loose.mapDataset('s3://lake', 'Sales/Orders')).toEqual({
      entityRef: 'dataproduct:default/orders',
      port: 'table',
    });
  });
});

describe('access grants as consumer edges', () => {
  const model: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'churn-model', title: 'Churn model' },
    spec: { type: 'service', owner: 'group:default/data-science' },
  };
  const grant = (consumer: string, port = 'table') => ({
    id: `req-${consumer}`,
    entityRef: 'dataproduct:default/orders',
    port,
    consumer,
    purpose: 'Train the churn model on order history',
    endDate: '2027-03-31',
    requester: 'user:default/ana',
  });

  it('adds a grant as its own edge kind, to products and to components, and counts grant-only edges in the mesh', () => {
    const g = graph([product('orders'), product('daily', ['orders']), model])
      .observe([], [])
      .declare([])
      .grant([
        grant('component:default/churn-model'),
        grant('dataproduct:default/daily'),
        // A grant of a product the catalog no longer has is left out.
        {
          ...grant('component:default/churn-model'),
          entityRef: 'dataproduct:default/gone',
        },
      ]);
    const answer = g.query('dataproduct:default/orders', options)!;
    const consumer = answer.nodes.find(
      n => n.entityRef === 'component:default/churn-model',
    );
    expect(consumer).toMatchObject({
      nodeType: 'consumer',
      title: 'Churn model',
      owner: 'group:default/data-science',
      depth: 1,
    });
    const toModel = answer.edges.find(
      e => e.to === 'component:default/churn-model',
    )!;
    expect(toModel).toMatchObject({
      from: 'dataproduct:default/orders',
      declared: false,
      undeclared: false,
      stale: false,
      granted: [
        {
          requestId: 'req-component:default/churn-model',
          outputPort: 'table',
          purpose: 'Train the churn model on order history',
          endDate: '2027-03-31',
          requester: 'user:default/ana',
        },
      ],
    });
    expect(toModel.observed).toBeUndefined();
    // A declared consumer holding a grant: one edge, both said.
    const toDaily = answer.edges.filter(
      e => e.to === 'dataproduct:default/daily',
    );
    expect(toDaily).toHaveLength(1);
    expect(toDaily[0]).toMatchObject({ declared: true });
    expect(toDaily[0].granted).toHaveLength(1);
    expect(g.has('dataproduct:default/gone')).toBe(false);
    // Only the grant makes the product-to-product edge to the model: the
    // mesh view counts it apart.
    const mesh = g.mesh({
      groupBy: 'product',
      maxProducts: 100,
      now: NOW,
      staleAfterDays: 30,
    });
    expect(mesh.edges).toEqual([
      expect.objectContaining({
        from: 'dataproduct:default/orders',
        to: 'dataproduct:default/daily',
        declared: 1,
        grantedOnly: 0,
      }),
    ]);
    // A grant alone between two products is counted as such.
    const granted = graph([product('orders'), product('daily')])
      .grant([grant('dataproduct:default/daily')])
      .mesh({
        groupBy: 'product',
        maxProducts: 100,
        now: NOW,
        staleAfterDays: 30,
      });
    expect(granted.edges).toEqual([
      expect.objectContaining({ declared: 0, grantedOnly: 1, count: 1 }),
    ]);
  });
});
