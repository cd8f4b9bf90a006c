import { ConfigReader } from '@backstage/config';
import { dataProduct } from '../__testUtils__/products';
import { readDataMeshConfig } from '../shared/config';
import type { ContractDocument } from './ContractReader';
import {
  LOCATION,
  REF,
  at,
  contract,
  contractStores,
  ok,
} from './__testUtils__/fixtures';
import {
  contractFactSource,
  contractSchemaOf,
  contractSlaOf,
  readContractFacts,
} from './facts';

const { databases, createStore } = contractStores();

const port = (name: string, declared?: object) => ({
  name,
  type: 'table',
  format: 'parquet',
  address: `s3://lake/${name}/`,
  ...(declared ? { contract: declared } : {}),
});

const orders = dataProduct('orders', {
  outputPorts: [
    port('table', { location: LOCATION, version: '2.0.0' }),
    port('topic', {
      location: 'https://contracts.example/orders.yaml',
      version: '1.0.0',
    }),
    port('new', { location: '../contracts/new.odcs.yaml', version: '1.0.0' }),
    port('moved', {
      location: '../contracts/moved-here.odcs.yaml',
      version: '1.0.0',
    }),
    port('plain'),
  ],
});

describe.each(databases.eachSupportedId())(
  'contract facts on %s',
  databaseId => {
    it('gives each declared port its last read, the current contract and the changes from the version before', async () => {
      const { knex, store } = await createStore(databaseId);
      const digestA = 'a'.repeat(64);
      const digestB = 'b'.repeat(64);
      await store.record(
        REF,
        'table',
        LOCATION,
        ok(digestA, contract('1.0.0')),
        at(0),
      );
      await store.record(
        REF,
        'table',
        LOCATION,
        ok(digestB, contract('1.1.0', { withCoupon: false })),
        at(10),
      );
      await store.record(
        REF,
        'topic',
        'https://contracts.example/orders.yaml',
        {
          status: 'unreadable',
          location: 'https://contracts.example/orders.yaml',
          reason: 'not-allowed',
          message: 'Add contracts.example to backend.reading.allow',
        },
        at(10),
      );
      // Read where the descriptor pointed before: stale until the next read.
      await store.record(
        REF,
        'moved',
        '../contracts/moved.odcs.yaml',
        ok('c'.repeat(64), contract('1.0.0')),
        at(10),
      );

      const facts = await readContractFacts(knex, [
        orders,
        dataProduct('leads'),
      ]);

      expect(facts.get('dataproduct:default/leads')).toEqual({
        ports: [],
        noticePeriodDays: 30,
      });
      expect(facts.get(REF)).toEqual({
        noticePeriodDays: 30,
        ports: [
          {
            port: 'table',
            location: LOCATION,
            declaredVersion: '2.0.0',
            status: 'ok',
            readAt: at(10).toISOString(),
            contract: {
              id: 'orders-contract',
              version: '1.1.0',
              apiVersion: 'v3.0.2',
              schema: [
                {
                  name: 'orders',
                  physicalName: 'SALES.ORDERS',
                  properties: [
                    {
                      name: 'order_id',
                      logicalType: 'string',
                      physicalType: 'VARCHAR(36)',
                      required: true,
                    },
                    {
                      name: 'customer',
                      logicalType: 'object',
                      required: false,
                      properties: [
                        { name: 'id', logicalType: 'string', required: false },
                      ],
                    },
                  ],
                },
              ],
              sla: [
                { property: 'latency', value: 1, unit: 'd' },
                {
                  property: 'retention',
                  value: 3,
                  unit: 'y',
                  element: 'orders',
                },
              ],
            },
            changes: {
              fromVersion: '1.0.0',
              toVersion: '1.1.0',
              requiredVersionBump: 'major',
              changes: [
                {
                  rule: 'field-removed',
                  level: 'breaking',
                  path: 'schema.orders.properties.coupon',
                  message: 'Removed field coupon from orders',
                },
              ],
              fromFirstSeen: at(0).toISOString(),
              toFirstSeen: at(10).toISOString(),
            },
          },
          {
            port: 'topic',
            location: 'https://contracts.example/orders.yaml',
            declaredVersion: '1.0.0',
            status: 'unreadable',
            reason: 'not-allowed',
            message: 'Add contracts.example to backend.reading.allow',
            readAt: at(10).toISOString(),
          },
          {
            port: 'new',
            location: '../contracts/new.odcs.yaml',
            declaredVersion: '1.0.0',
            status: 'pending',
          },
          {
            port: 'moved',
            location: '../contracts/moved-here.odcs.yaml',
            declaredVersion: '1.0.0',
            status: 'pending',
          },
        ],
      });
    });

    it('gives no contract once the last read fails, and no changes for a first version', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.record(
        REF,
        'table',
        LOCATION,
        ok('a'.repeat(64), contract('1.0.0')),
        at(0),
      );
      let facts = await readContractFacts(knex, [orders]);
      const [first] = facts.get(REF)!.ports;
      expect(first).toMatchObject({
        status: 'ok',
        contract: { version: '1.0.0' },
      });
      expect(first.changes).toBeUndefined();

      await store.record(
        REF,
        'table',
        LOCATION,
        {
          status: 'invalid',
          location: LOCATION,
          message: 'version is missing',
        },
        at(5),
      );
      facts = await readContractFacts(knex, [orders]);
      expect(facts.get(REF)!.ports[0]).toEqual({
        port: 'table',
        location: LOCATION,
        declaredVersion: '2.0.0',
        status: 'invalid',
        message: 'version is missing',
        readAt: at(5).toISOString(),
      });
    });

    it('tells the status the version before declares and when each was first seen, with the configured notice period', async () => {
      const { knex, store } = await createStore(databaseId);
      const record = (
        digest: string,
        document: ContractDocument,
        minute: number,
      ) =>
        store.record(REF, 'table', LOCATION, ok(digest, document), at(minute));
      await record(
        'a'.repeat(64),
        { ...contract('1.4.0'), status: 'active' },
        0,
      );
      // The same version published again as deprecated: its notice starts
      // when the portal first reads it, not at later reads.
      const deprecated = { ...contract('1.4.0'), status: ' deprecated ' };
      await record('b'.repeat(64), deprecated, 20);
      await record('b'.repeat(64), deprecated, 30);
      await record(
        'c'.repeat(64),
        { ...contract('2.0.0', { withCoupon: false }), status: 'active' },
        50,
      );

      const settings = readDataMeshConfig(
        new ConfigReader({ dataMesh: { contracts: { noticePeriod: 'P2W' } } }),
      ).contracts;
      const facts = await contractFactSource(knex, settings)([orders]);

      expect(facts.get(REF)!.noticePeriodDays).toBe(14);
      expect(facts.get(REF)!.ports[0].changes).toEqual({
        fromVersion: '1.4.0',
        toVersion: '2.0.0',
        requiredVersionBump: 'major',
        changes: [
          {
            rule: 'field-removed',
            level: 'breaking',
            path: 'schema.orders.properties.coupon',
            message: 'Removed field coupon from orders',
          },
        ],
        fromStatus: 'deprecated',
        fromFirstSeen: at(20).toISOString(),
        toFirstSeen: at(50).toISOString(),
      });
    });

    it('reads a mesh larger than one query', async () => {
      const { knex, store } = await createStore(databaseId);
      const products = Array.from({ length: 1201 }, (_, i) =>
        dataProduct(`p${i}`, {
          outputPorts: [
            port('table', { location: LOCATION, version: '1.0.0' }),
          ],
        }),
      );
      for (const i of [0, 700, 1200]) {
        await store.record(
          `dataproduct:default/p${i}`,
          'table',
          LOCATION,
          ok(String(i).padStart(64, '0'), contract(`1.0.${i}`)),
          at(0),
        );
      }
      const facts = await readContractFacts(knex, products);
      expect(facts.size).toBe(1201);
      const read = [...facts]
        .filter(([, f]) => f.ports[0].status === 'ok')
        .map(([ref, f]) => [ref, f.ports[0].contract?.version]);
      expect(read).toEqual([
        ['dataproduct:default/p0', '1.0.0'],
        ['dataproduct:default/p700', '1.0.700'],
        ['dataproduct:default/p1200', '1.0.1200'],
      ]);
    });
  },
);

describe('contract documents as facts', () => {
  it('keeps what is well formed and drops the rest', () => {
    const document = {
      schema: [
        null,
        { properties: [] },
        {
          name: ' orders ',
          properties: [
            'x',
            { name: '' },
            { name: 'id', logicalType: 7, required: 'yes' },
          ],
        },
      ],
      slaProperties: [
        { value: 1 },
        { property: 'availability', value: { at: 99 }, unit: '%' },
      ],
    };
    expect(contractSchemaOf(document)).toEqual([
      { name: 'orders', properties: [{ name: 'id', required: false }] },
    ]);
    expect(contractSlaOf(document)).toEqual([
      { property: 'availability', unit: '%' },
    ]);
    expect(contractSchemaOf('not a contract')).toEqual([]);
    expect(contractSlaOf(undefined)).toEqual([]);
  });
});
