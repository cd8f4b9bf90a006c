import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { LineageResponse } from '@quanta/plugin-data-mesh-common';
import { LineageGraph } from './LineageGraph';
import { LineageService } from './LineageService';
import type { LineageStore } from './LineageStore';
import { dataProduct } from '../__testUtils__/products';

const product = (name: string, reads: string[] = []) =>
  dataProduct(name, {
    outputPorts: [
      { name: 'table', type: 'table', address: `iceberg://lake/${name}` },
    ],
    inputPorts: reads.map(upstream => ({
      name: `from-${upstream}`,
      dataProduct: `dataproduct:default/${upstream}`,
      outputPort: 'table',
    })),
  });

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [] },
});

/**
 * `catalog` is what the mesh query lists; `registered` what a lookup by
 * reference finds (when given, the service asks it when a query misses).
 * `holdReads` makes each mesh read wait until `releaseReads` is called.
 */
function setup(
  options: {
    registered?: Entity[];
    lookupFails?: boolean;
    holdReads?: boolean;
    failReads?: boolean;
  } = {},
) {
  const catalog: Entity[] = [product('orders')];
  let reads = 0;
  let held: Array<() => void> = [];
  const lookups: string[] = [];
  let now = new Date('2026-11-21T10:00:00Z').getTime();
  const store = {
    revisions: async () => ({ stored: 0, mesh: 0 }),
    raiseMeshRevision: async () => 1,
    listEdges: async () => [],
    listDatasets: async () => [],
    listJobDeclarations: async () => [],
  } as unknown as LineageStore;
  const getEntity = async (ref: string) => {
    lookups.push(ref);
    if (options.lookupFails) throw new Error('catalog unavailable');
    return options.registered?.find(
      e => `${e.kind}:default/${e.metadata.name}`.toLowerCase() === ref,
    );
  };
  const logger = mockServices.logger.mock();
  const service = new LineageService({
    store,
    readMesh: async () => {
      reads += 1;
      const listed = [...catalog];
      if (options.failReads && reads > 1) throw new Error('catalog gone');
      if (options.holdReads && reads > 1) {
        await new Promise<void>(resolve => held.push(resolve));
      }
      return listed;
    },
    rules: [],
    staleAfterDays: 30,
    refreshAfterMs: 3_600_000,
    missRefreshAfterMs: 5_000,
    getEntity:
      options.registered || options.lookupFails ? getEntity : undefined,
    logger,
    now: () => new Date(now),
  });
  return {
    catalog,
    logger,
    service,
    reads: () => reads,
    lookups,
    advance: (ms: number) => {
      now += ms;
    },
    /** Lets the held mesh reads finish, then waits for their rebuild. */
    releaseReads: async () => {
      const release = held;
      held = [];
      release.forEach(resolve => resolve());
      await service.settled();
    },
  };
}

const refs = (answer: LineageResponse | undefined) =>
  answer?.nodes.map(n => n.entityRef).sort();

const depthOne = { upstream: 1, downstream: 1, limit: 100 };

describe('LineageService', () => {
  it('finds a product registered after the graph was built, without waiting for the refresh', async () => {
    const { catalog, service, reads, advance } = setup();
    expect(
      await service.query('dataproduct:default/orders', depthOne),
    ).toBeDefined();
    catalog.push(product('just-created'));
    advance(6_000);
    const answer = await service.query(
      'dataproduct:default/just-created',
      depthOne,
    );
    expect(answer?.nodes.map(n => n.entityRef)).toEqual([
      'dataproduct:default/just-created',
    ]);
    expect(reads()).toBe(2);
  });

  it('answers a reference the catalog does not have without reading the mesh', async () => {
    const { service, reads, lookups, advance } = setup({ registered: [] });
    await service.query('dataproduct:default/orders', depthOne);
    for (let i = 0; i < 5; i++) {
      advance(6_000);
      expect(
        await service.query(`dataproduct:default/made-up-${i}`, depthOne),
      ).toBeUndefined();
    }
    expect(reads()).toBe(1);
    expect(lookups).toHaveLength(5);
  });

  it('shows a product the graph lacks from one lookup, without waiting for a read of the mesh, and its relations to other new products once the background read lands', async () => {
    const registered = [
      product('refunds', ['orders']),
      product('returns', ['refunds']),
    ];
    const { catalog, service, reads, lookups, releaseReads, advance } = setup({
      registered,
      holdReads: true,
    });
    await service.query('dataproduct:default/orders', depthOne);
    catalog.push(...registered);
    advance(6_000);
    // The mesh read this miss starts is held: the answer cannot come from it.
    const answer = await service.query('dataproduct:default/refunds', depthOne);
    expect(refs(answer)).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/refunds',
    ]);
    expect(lookups).toEqual(['dataproduct:default/refunds']);
    expect(reads()).toBe(2);
    // `returns`, registered with it, is not known yet...
    expect(
      refs(await service.query('dataproduct:default/orders', depthOne)),
    ).toEqual(['dataproduct:default/orders', 'dataproduct:default/refunds']);
    // ...and is once the read finishes, with no further lookup.
    await releaseReads();
    expect(
      refs(await service.query('dataproduct:default/refunds', depthOne)),
    ).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/refunds',
      'dataproduct:default/returns',
    ]);
    expect(lookups).toHaveLength(1);
  });

  it('serves many products missed at once with one rebuild of the graph', async () => {
    const registered = Array.from({ length: 20 }, (_, i) =>
      product(`new-${i}`, ['orders']),
    );
    const { service, reads, lookups } = setup({ registered });
    await service.query('dataproduct:default/orders', depthOne);
    const rebuilds = jest.spyOn(LineageGraph.prototype, 'observe');
    const answers = await Promise.all(
      registered.map(p =>
        service.query(`dataproduct:default/${p.metadata.name}`, depthOne),
      ),
    );
    expect(answers.map(a => refs(a)?.length)).toEqual(registered.map(() => 2));
    expect(lookups).toHaveLength(20);
    expect(rebuilds).toHaveBeenCalledTimes(1);
    // Read less than the miss interval ago: no read of the mesh either.
    expect(reads()).toBe(1);
    rebuilds.mockRestore();
  });

  it('tells of a failed background read once, however many queries it served', async () => {
    const registered = Array.from({ length: 10 }, (_, i) =>
      product(`new-${i}`),
    );
    const { service, logger, advance } = setup({ registered, failReads: true });
    await service.query('dataproduct:default/orders', depthOne);
    advance(6_000);
    const answers = await Promise.all(
      registered.map(p =>
        service.query(`dataproduct:default/${p.metadata.name}`, depthOne),
      ),
    );
    expect(answers.every(Boolean)).toBe(true);
    await new Promise(resolve => setImmediate(resolve));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'its relations to other new products show after the next refresh',
      ),
      expect.objectContaining({ message: 'catalog gone' }),
    );
  });

  it('keeps a product looked up while a read of the mesh that began before it was running', async () => {
    const registered = [product('just-created')];
    const { service, reads, lookups, releaseReads, advance } = setup({
      registered,
      holdReads: true,
    });
    await service.query('dataproduct:default/orders', depthOne);
    // A regular refresh starts a read that lists the mesh as it was.
    advance(3_600_001);
    await service.query('dataproduct:default/orders', depthOne);
    expect(reads()).toBe(2);
    expect(
      await service.query('dataproduct:default/just-created', depthOne),
    ).toBeDefined();
    await releaseReads();
    expect(
      await service.query('dataproduct:default/just-created', depthOne),
    ).toBeDefined();
    expect(lookups).toHaveLength(1);
  });

  it('forgets a looked-up product that a later list of the mesh no longer has', async () => {
    const registered = [product('short-lived')];
    const { catalog, service, lookups, advance } = setup({ registered });
    await service.query('dataproduct:default/orders', depthOne);
    expect(
      await service.query('dataproduct:default/short-lived', depthOne),
    ).toBeDefined();
    // Deleted; an evaluation then hands over the mesh it read afterwards.
    registered.pop();
    advance(60_000);
    await service.factsFor([...catalog], new Date('2026-11-21T10:01:00Z'));
    expect(
      await service.query('dataproduct:default/short-lived', depthOne),
    ).toBeUndefined();
    expect(lookups).toHaveLength(2);
  });

  it('looks up a registered entity the graph has no node for once per refresh interval', async () => {
    const { service, reads, lookups, advance } = setup({
      registered: [group('sales-data')],
    });
    await service.query('dataproduct:default/orders', depthOne);
    for (let i = 0; i < 3; i++) {
      expect(
        await service.query('group:default/sales-data', depthOne),
      ).toBeUndefined();
    }
    expect(lookups).toHaveLength(1);
    advance(3_600_001);
    await service.query('group:default/sales-data', depthOne);
    expect(lookups).toHaveLength(2);
    // The regular refresh, started by that query, is the only other read.
    expect(reads()).toBe(2);
  });

  it('reads the mesh when the catalog cannot be asked for the reference', async () => {
    const { catalog, service, reads, advance } = setup({ lookupFails: true });
    await service.query('dataproduct:default/orders', depthOne);
    catalog.push(product('just-created'));
    advance(6_000);
    expect(
      await service.query('dataproduct:default/just-created', depthOne),
    ).toBeDefined();
    expect(reads()).toBe(2);
  });

  it('reads the catalog at most once per interval for references it cannot find', async () => {
    const { service, reads, advance } = setup();
    await service.query('dataproduct:default/orders', depthOne);
    advance(6_000);
    for (let i = 0; i < 5; i++) {
      expect(
        await service.query('dataproduct:default/nope', depthOne),
      ).toBeUndefined();
    }
    expect(reads()).toBe(2);
    advance(1_000);
    await service.query('dataproduct:default/nope', depthOne);
    expect(reads()).toBe(2);
  });
});
