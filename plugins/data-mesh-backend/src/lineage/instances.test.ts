import { mockServices } from '@backstage/backend-test-utils';
import { dataProduct } from '../__testUtils__/products';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { runEvent } from './__fixtures__/events';
import type { ConsumerGrant } from './LineageGraph';
import { LineageService } from './LineageService';
import { LineageStore } from './LineageStore';
import { DEFAULT_MAPPINGS } from './mapping';
import { parseOpenLineageEvents } from './openLineage';

jest.setTimeout(60_000);

/*
 * Several backend instances on one database, each with its own in-memory
 * index: what one stores shows through the others at their next query.
 */

const { databases, createStore } = storeTestDatabases(options =>
  LineageStore.create(options),
);

const mesh = [
  dataProduct('orders', {
    outputPorts: [
      { name: 'table', type: 'table', format: 'parquet', address: 's3://lake/orders/' },
    ],
  }),
  dataProduct('ledger', {
    outputPorts: [
      { name: 'table', type: 'table', format: 'parquet', address: 's3://lake/ledger/' },
    ],
  }),
];

/** An instance: its own service and store object over the shared database. */
function instance(
  knex: ConstructorParameters<typeof LineageStore>[0],
  grants: () => Promise<ConsumerGrant[]> = async () => [],
) {
  const service = new LineageService({
    store: new LineageStore(knex),
    readMesh: async () => mesh,
    rules: DEFAULT_MAPPINGS,
    staleAfterDays: 30,
    // An hour: no catalog rebuild during the test brings the events along.
    refreshAfterMs: 3_600_000,
    logger: mockServices.logger.mock(),
  });
  service.useGrants(grants);
  return service;
}

const downstreamOfOrders = async (service: LineageService) =>
  (
    await service.query('dataproduct:default/orders', {
      upstream: 0,
      downstream: 1,
      limit: 100,
    })
  )?.edges.map(e => ({
    to: e.to,
    observed: Boolean(e.observed),
    granted: (e.granted ?? []).map(g => g.requestId),
  }));

describe.each(databases.eachSupportedId())(
  'Lineage across instances on %s',
  databaseId => {
    it('shows events stored through one instance at the next query of another', async () => {
      const { knex } = await createStore(databaseId);
      const a = instance(knex);
      const b = instance(knex);
      expect(await downstreamOfOrders(b)).toEqual([]);
      await a.ingest(
        parseOpenLineageEvents([
          runEvent({
            inputs: [{ namespace: 's3://lake', name: 'orders/' }],
            outputs: [{ namespace: 's3://lake', name: 'ledger/' }],
          }),
        ]),
      );
      expect(await downstreamOfOrders(b)).toEqual([
        { to: 'dataproduct:default/ledger', observed: true, granted: [] },
      ]);
    });

    it('shows a grant approved through one instance at the next query of another', async () => {
      const { knex } = await createStore(databaseId);
      const stored: ConsumerGrant[] = [];
      const shared = async () => [...stored];
      const a = instance(knex, shared);
      const b = instance(knex, shared);
      expect(await downstreamOfOrders(b)).toEqual([]);
      stored.push({
        id: 'r1',
        entityRef: 'dataproduct:default/orders',
        port: 'table',
        consumer: 'dataproduct:default/ledger',
        purpose: 'monthly close',
        endDate: '2099-12-31',
        requester: 'user:default/ana',
      });
      await a.grantsChanged();
      expect(await downstreamOfOrders(b)).toEqual([
        { to: 'dataproduct:default/ledger', observed: false, granted: ['r1'] },
      ]);
    });
  },
);
