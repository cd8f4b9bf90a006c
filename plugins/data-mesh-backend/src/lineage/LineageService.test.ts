import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { LineageService } from './LineageService';
import type { LineageStore } from './LineageStore';
import { dataProduct } from '../__testUtils__/products';

const product = (name: string) =>
  dataProduct(name, {
    outputPorts: [
      { name: 'table', type: 'table', address: `iceberg://lake/${name}` },
    ],
  });

/**
 * `catalog` is what the mesh query lists; `registered` what a lookup by
 * reference finds (when given, the service asks it before reading the mesh).
 */
function setup(
  options: { registered?: Set<string>; lookupFails?: boolean } = {},
) {
  const catalog: Entity[] = [product('orders')];
  let reads = 0;
  const lookups: string[] = [];
  let now = new Date('2026-11-21T10:00:00Z').getTime();
  const store = {
    revision: async () => 0,
    listEdges: async () => [],
    listDatasets: async () => [],
    listJobDeclarations: async () => [],
  } as unknown as LineageStore;
  const lookup = async (ref: string) => {
    lookups.push(ref);
    if (options.lookupFails) throw new Error('catalog unavailable');
    return options.registered?.has(ref) ?? false;
  };
  const service = new LineageService({
    store,
    readMesh: async () => {
      reads += 1;
      return [...catalog];
    },
    rules: [],
    staleAfterDays: 30,
    refreshAfterMs: 3_600_000,
    missRefreshAfterMs: 5_000,
    inCatalog: options.registered || options.lookupFails ? lookup : undefined,
    logger: mockServices.logger.mock(),
    now: () => new Date(now),
  });
  return {
    catalog,
    service,
    reads: () => reads,
    lookups,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

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
    const { service, reads, lookups, advance } = setup({
      registered: new Set(['dataproduct:default/orders']),
    });
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

  it('reads the mesh for a registered product it does not know, and not again for it before the next refresh when the mesh still lacks it', async () => {
    const { catalog, service, reads, advance } = setup({
      registered: new Set([
        'dataproduct:default/orders',
        'dataproduct:default/unlisted',
        'dataproduct:default/just-created',
      ]),
    });
    await service.query('dataproduct:default/orders', depthOne);
    advance(6_000);
    // Registered, but the mesh query does not list it (yet).
    expect(
      await service.query('dataproduct:default/unlisted', depthOne),
    ).toBeUndefined();
    expect(reads()).toBe(2);
    advance(6_000);
    expect(
      await service.query('dataproduct:default/unlisted', depthOne),
    ).toBeUndefined();
    expect(reads()).toBe(2);
    // Another new product is still found at once.
    catalog.push(product('just-created'));
    expect(
      await service.query('dataproduct:default/just-created', depthOne),
    ).toBeDefined();
    expect(reads()).toBe(3);
    // After the refresh interval, the mesh is read for it again.
    catalog.push(product('unlisted'));
    advance(3_600_001);
    expect(
      await service.query('dataproduct:default/unlisted', depthOne),
    ).toBeDefined();
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
