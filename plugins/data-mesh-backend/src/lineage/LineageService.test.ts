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

function setup() {
  const catalog: Entity[] = [product('orders')];
  let reads = 0;
  let now = new Date('2026-11-21T10:00:00Z').getTime();
  const store = {
    revision: async () => 0,
    listEdges: async () => [],
    listDatasets: async () => [],
    listJobDeclarations: async () => [],
  } as unknown as LineageStore;
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
    logger: mockServices.logger.mock(),
    now: () => new Date(now),
  });
  return {
    catalog,
    service,
    reads: () => reads,
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
