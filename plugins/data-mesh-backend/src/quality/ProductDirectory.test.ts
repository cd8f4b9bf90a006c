import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { dataProduct } from '../__testUtils__/products';
import { ProductDirectory } from './ProductDirectory';

/**
 * A catalog whose entities a test changes, which counts list reads and
 * single lookups, and whose list reads a test can hold or fail.
 */
function fakeCatalog(initial: Entity[]) {
  const state = {
    entities: initial,
    reads: 0,
    lookups: 0,
    hold: undefined as Promise<void> | undefined,
  };
  const catalog = {
    queryEntities: async (
      ...args: Parameters<CatalogService['queryEntities']>
    ) => {
      const request = (args[0] ?? {}) as { cursor?: string };
      if (!request.cursor) state.reads += 1;
      await state.hold;
      return catalogServiceMock({ entities: state.entities }).queryEntities(
        ...args,
      );
    },
    getEntityByRef: async (
      ...args: Parameters<CatalogService['getEntityByRef']>
    ) => {
      state.lookups += 1;
      return catalogServiceMock({ entities: state.entities }).getEntityByRef(
        ...args,
      );
    },
  } as unknown as CatalogService;
  return { catalog, state };
}

function held() {
  let release!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return { promise, release, fail };
}

/** What a promise settled to by the time pending I/O callbacks ran, or 'waiting'. */
async function settledNow<T>(promise: Promise<T>): Promise<T | 'waiting'> {
  return Promise.race([
    promise,
    new Promise<'waiting'>(resolve => setImmediate(() => resolve('waiting'))),
  ]);
}

const flush = () => new Promise(resolve => setImmediate(resolve));

function setup(entities: Entity[]) {
  const { catalog, state } = fakeCatalog(entities);
  const clock = { now: 0 };
  const logger = mockServices.logger.mock();
  const directory = new ProductDirectory({
    catalog,
    auth: mockServices.auth(),
    logger,
    maxAgeMs: 60_000,
    minRereadMs: 5_000,
    now: () => clock.now,
  });
  return { directory, state, clock, logger };
}

describe('ProductDirectory', () => {
  it('answers from the list it has while a stale one is read again, then follows the catalog', async () => {
    const { directory, state, clock } = setup([
      dataProduct('orders'),
      dataProduct('customers'),
    ]);
    expect((await directory.byRef('dataproduct:default/orders'))?.domain).toBe(
      'domain:default/sales',
    );
    expect(state.reads).toBe(1);

    // A minute on, the catalog is slow to list the mesh: a quality read
    // must not wait for it.
    clock.now = 61_000;
    const gate = held();
    state.hold = gate.promise;
    state.entities = [dataProduct('customers')];
    expect(
      (await settledNow(directory.byRef('dataproduct:default/orders'))) as any,
    ).toMatchObject({ entityRef: 'dataproduct:default/orders' });
    expect(state.reads).toBe(2);
    // Others meeting the stale list share the read in flight.
    await settledNow(directory.byRef('dataproduct:default/customers'));
    expect(state.reads).toBe(2);

    gate.release();
    state.hold = undefined;
    await flush();
    // The new list no longer has the deleted product, and the catalog,
    // asked for it alone, neither.
    expect(await directory.byRef('dataproduct:default/orders')).toBeUndefined();
    expect(await directory.byAddress('s3://lake/orders/')).toEqual([]);
    expect(
      (await directory.byAddress('s3://lake/customers/')).map(
        s => s.product.entityRef,
      ),
    ).toEqual(['dataproduct:default/customers']);
  });

  it('looks up a product registered since the list was read by itself, and finds its addresses after', async () => {
    const { directory, state } = setup([dataProduct('orders')]);
    await directory.all();
    state.entities = [
      dataProduct('orders'),
      dataProduct('leads', {
        outputPorts: [
          {
            name: 'leads-table',
            type: 'table',
            format: 'iceberg',
            address: 's3://lake/crm/leads/',
          },
        ],
      }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'sales-data' },
        spec: { type: 'team', children: [] },
      },
    ];

    expect(await directory.byRef('DataProduct:default/Leads')).toMatchObject({
      entityRef: 'dataproduct:default/leads',
      outputPorts: [{ name: 'leads-table', address: 's3://lake/crm/leads/' }],
    });
    expect(state).toMatchObject({ reads: 1, lookups: 1 });
    // Results posted for its address now resolve without a read.
    expect(await directory.byAddress('S3://lake/crm/leads')).toEqual([
      expect.objectContaining({ port: 'leads-table' }),
    ]);
    expect(await directory.byRef('dataproduct:default/leads')).toBeDefined();
    expect(state).toMatchObject({ reads: 1, lookups: 1 });

    // Not a data product, or nothing at all: no product, and no list read.
    expect(
      await directory.byRef('dataproduct:default/sales-data'),
    ).toBeUndefined();
    expect(await directory.byRef('group:default/sales-data')).toBeUndefined();
    expect(state).toMatchObject({ reads: 1, lookups: 3 });
  });

  it('keeps the list it has when reading it again fails, and says so once', async () => {
    const { directory, state, clock, logger } = setup([dataProduct('orders')]);
    await directory.all();

    clock.now = 61_000;
    const gate = held();
    state.hold = gate.promise;
    await directory.byRef('dataproduct:default/orders');
    gate.fail(new Error('catalog unavailable'));
    await flush();
    state.hold = undefined;

    // Requests a moment later keep answering and do not retry at once.
    clock.now = 62_000;
    for (let i = 0; i < 3; i++) {
      expect(await directory.byRef('dataproduct:default/orders')).toBeDefined();
    }
    expect(state.reads).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /Could not read the data products of the catalog again/,
    );

    // Once the catalog answers again, the list is read.
    clock.now = 67_000;
    state.entities = [];
    await directory.byRef('dataproduct:default/orders');
    await flush();
    expect(state.reads).toBe(3);
    expect(await directory.all()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
