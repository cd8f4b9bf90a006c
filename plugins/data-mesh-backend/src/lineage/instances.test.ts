import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
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
      {
        name: 'table',
        type: 'table',
        format: 'parquet',
        address: 's3://lake/orders/',
      },
    ],
  }),
  dataProduct('ledger', {
    outputPorts: [
      {
        name: 'table',
        type: 'table',
        format: 'parquet',
        address: 's3://lake/ledger/',
      },
    ],
  }),
];

/** An instance: its own service and store object over the shared database. */
function instance(
  knex: ConstructorParameters<typeof LineageStore>[0],
  grants: () => Promise<ConsumerGrant[]> = async () => [],
  catalog: { entities: Entity[]; now?: () => Date } = { entities: mesh },
) {
  const service = new LineageService({
    store: new LineageStore(knex),
    readMesh: async () => [...catalog.entities],
    now: catalog.now,
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

    it('shows lineage declared since its last read once an evaluation on another instance read it, a minute after its own read at most', async () => {
      const { knex } = await createStore(databaseId);
      let now = Date.parse('2026-12-07T09:00:00Z');
      const catalog = { entities: [...mesh], now: () => new Date(now) };
      const a = instance(knex, undefined, catalog);
      const b = instance(knex, undefined, catalog);
      expect(await downstreamOfOrders(b)).toEqual([]);
      // The ledger now declares that it reads the orders product.
      catalog.entities = [
        mesh[0],
        dataProduct('ledger', {
          ...mesh[1].spec,
          inputPorts: [
            {
              name: 'orders',
              dataProduct: 'dataproduct:default/orders',
              outputPort: 'table',
            },
          ],
        }),
      ];
      now += 10_000;
      await a.factsFor([...catalog.entities], new Date(now));
      const declared = [
        { to: 'dataproduct:default/ledger', observed: false, granted: [] },
      ];
      expect(await downstreamOfOrders(a)).toEqual(declared);
      // Read 10 s ago: b answers from what it has.
      expect(await downstreamOfOrders(b)).toEqual([]);
      now += 60_000;
      // This query starts the read in the background; a later one shows it.
      expect(await downstreamOfOrders(b)).toEqual([]);
      let shown: unknown;
      for (let i = 0; i < 500 && !shown; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
        const edges = await downstreamOfOrders(b);
        if (edges?.length) shown = edges;
      }
      expect(shown).toEqual(declared);
    });

    it('counts evaluations apart from stored changes', async () => {
      const { knex } = await createStore(databaseId);
      const store = new LineageStore(knex);
      expect(await store.revisions()).toEqual({ stored: 0, mesh: 0 });
      expect(await store.raiseMeshRevision()).toBe(1);
      expect(await store.raiseMeshRevision()).toBe(2);
      await store.raiseRevision();
      expect(await store.revisions()).toEqual({ stored: 1, mesh: 2 });
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
