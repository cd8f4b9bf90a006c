import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
import { ContractReader } from './ContractReader';
import { ContractService } from './ContractService';
import { ContractStore } from './ContractStore';
import { OfficialOdcsSchemas } from './OfficialOdcsSchemas';

const { databases, createStore } = storeTestDatabases(
  async ({ database }) => new ContractStore(await openDatabase({ database })),
);

const REF = 'dataproduct:default/orders';

const contract = (version: string, fields: string[]) => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'orders-contract',
  version,
  status: 'active',
  schema: [
    {
      name: 'orders',
      properties: fields.map(name => ({ name, logicalType: 'string' })),
    },
  ],
});

/** A product with two ports whose contracts are files beside its descriptor. */
function mesh() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-refresh-'));
  const write = (file: string, body: object) =>
    fs.writeFileSync(path.join(dir, file), stringify(body));
  write('a.odcs.yaml', contract('1.0.0', ['order_id', 'customer_id']));
  write('b.odcs.yaml', contract('1.0.0', ['order_id']));
  const entity: Entity = {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'orders',
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          dir,
          'catalog-info.yaml',
        )}`,
      },
    },
    spec: {
      outputPorts: [
        {
          name: 'a',
          contract: { location: './a.odcs.yaml', version: '1.0.0' },
        },
        {
          name: 'b',
          contract: { location: './b.odcs.yaml', version: '1.0.0' },
        },
      ],
    },
  };
  return { dir, entity, write };
}

function source(entities: Entity[]) {
  return {
    auth: mockServices.auth(),
    catalog: {
      queryEntities: async () => ({
        items: entities,
        totalItems: entities.length,
        pageInfo: {},
      }),
    } as any,
  };
}

describe.each(databases.eachSupportedId())(
  'refreshing contracts on %s',
  databaseId => {
    it('parses and validates a file again only when its bytes changed, and still records when it was read', async () => {
      const { store } = await createStore(databaseId);
      const { dir, entity, write } = mesh();
      const reader = new ContractReader({
        urlReader: {} as any,
        maxSize: 1024 * 1024,
      });
      const read = jest.spyOn(reader, 'read');
      let minute = 0;
      const service = new ContractService({
        reader,
        store,
        source: source([entity]),
        logger: mockServices.logger.mock(),
        now: () => new Date(Date.UTC(2026, 11, 1, 10, minute)),
      });

      await service.refresh();
      expect(read).toHaveBeenCalledTimes(2);

      minute = 10;
      read.mockClear();
      await service.refresh();
      expect(read).not.toHaveBeenCalled();
      const states = await store.getStates(REF);
      expect(states.get('a')?.readAt.toISOString()).toBe(
        '2026-12-01T10:10:00.000Z',
      );
      const [version] = await store.getVersions(REF, 'a');
      expect(version.lastSeenAt.toISOString()).toBe('2026-12-01T10:10:00.000Z');

      // One file changes: that one alone is read, and its new version kept.
      minute = 20;
      write('a.odcs.yaml', contract('2.0.0', ['order_id']));
      await service.refresh();
      expect(read.mock.calls.map(([, location]) => location)).toEqual([
        './a.odcs.yaml',
      ]);
      expect(
        (await store.getVersions(REF, 'a')).map(v => v.contractVersion),
      ).toEqual(['2.0.0', '1.0.0']);

      // A file that became unreadable is read, so its status says so.
      read.mockClear();
      fs.rmSync(path.join(dir, 'b.odcs.yaml'));
      await service.refresh();
      expect(read.mock.calls.map(([, location]) => location)).toEqual([
        './b.odcs.yaml',
      ]);
      expect((await store.getStates(REF)).get('b')).toMatchObject({
        status: 'unreadable',
        reason: 'not-found',
      });
    });

    it('reads again a contract the official schema could not be applied to', async () => {
      const { store } = await createStore(databaseId);
      const { entity } = mesh();
      const reader = new ContractReader({
        urlReader: {
          readUrl: async () => {
            throw new Error('getaddrinfo ENOTFOUND github.com');
          },
        } as any,
        maxSize: 1024 * 1024,
        schemas: new OfficialOdcsSchemas({
          urlReader: {
            readUrl: async () => {
              throw new Error('getaddrinfo ENOTFOUND github.com');
            },
          } as any,
          urlTemplate: 'https://schemas.example/{version}.json',
          logger: mockServices.logger.mock(),
        }),
      });
      const read = jest.spyOn(reader, 'read');
      const service = new ContractService({
        reader,
        store,
        source: source([entity]),
        logger: mockServices.logger.mock(),
      });
      await service.refresh();
      expect((await store.getStates(REF)).get('a')).toMatchObject({
        status: 'ok',
        reason: 'schema-unchecked',
      });
      read.mockClear();
      await service.refresh();
      expect(read).toHaveBeenCalledTimes(2);
    });
  },
);
