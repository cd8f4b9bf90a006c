import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@quanta/plugin-catalog-backend-module-data-mesh';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
import { dataMeshPlugin } from '../plugin';
import { dataMeshApi } from '../__testUtils__/backend';

// The same product in two files, through a real catalog: the catalog serves
// one and reports the other once, on the events service; the data mesh API
// must show it on the served product until one of the files changes.
jest.setTimeout(120_000);

const { databases } = storeTestDatabases(async ({ database }) =>
  openDatabase({ database }),
);

const group = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sales-data }
spec: { type: team, children: [] }
`;
const product = (name: string, owner = 'group:default/sales-data') => `---
apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata: { name: ${name} }
spec:
  type: source-aligned
  lifecycle: production
  owner: ${owner}
  domain: domain:default/sales
  outputPorts:
    - { name: table, type: table, format: parquet, address: 's3://lake/${name}/' }
`;

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 90_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`Waited in vain for ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 300));
    value = await read();
  }
  return value;
}

describe.each(databases.eachSupportedId())(
  'a product declared in two files, in a real catalog on %s',
  (databaseId: TestDatabaseId) => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-twice-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is shown on the served product and its team until the second file changes', async () => {
      const first = path.join(dir, 'a.yaml');
      const second = path.join(dir, 'b.yaml');
      fs.writeFileSync(first, group + product('orders'));
      // Each plugin its own database, as in a real backend: both keep
      // their migrations in a table of the same name.
      const database = createServiceFactory({
        service: coreServices.database,
        deps: {},
        async factory() {
          const knex = await databases.init(databaseId);
          return { getClient: async () => knex };
        },
      });
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleDataMesh,
          dataMeshPlugin,
          database,
          // One events service for both plugins, as in a real backend (the
          // test backend gives each plugin a mock of its own).
          eventsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['Group', 'Location', 'DataProduct'] }],
                locations: [first, second].map(target => ({
                  type: 'file',
                  target,
                })),
              },
            },
          }),
        ],
      });
      const api = dataMeshApi(server);
      const listed = async (query: string) => {
        const res = await api.get(`/descriptors/failed${query}`);
        expect(res.status).toBe(200);
        return res.body.items as any[];
      };
      // Served first from a.yaml, then declared again, by another team, in b.yaml.
      await until(
        () =>
          fetch(
            `http://localhost:${server.port()}/api/catalog/entities/by-name/dataproduct/default/orders`,
            { headers: { Authorization: mockCredentials.user.header() } },
          ).then(r => r.status),
        status => status === 200,
        'orders served from a.yaml',
      );
      fs.writeFileSync(second, product('orders', 'group:default/marketing'));

      const items = await until(
        () => listed('?entityRef=dataproduct:default/orders'),
        found => found.length > 0,
        'the conflict',
      );
      expect(items).toEqual([
        expect.objectContaining({
          name: 'orders',
          state: 'conflict',
          owner: 'group:default/marketing',
          location: `file:${second}`,
          servedLocation: `file:${first}`,
          entityRef: 'dataproduct:default/orders',
          errors: [
            expect.objectContaining({
              name: 'ConflictError',
              message: expect.stringContaining(
                `the catalog already serves from file:${first}; the catalog ignores this file`,
              ),
            }),
          ],
        }),
      ]);
      // The team the ignored file names sees it too.
      expect(
        (await listed('?owner=group:default/marketing')).map(i => i.state),
      ).toEqual(['conflict']);

      // Renamed in the second file: resolved, and the new product is served.
      fs.writeFileSync(second, product('orders-v2', 'group:default/marketing'));
      expect(await listed('?entityRef=dataproduct:default/orders')).toEqual([]);
    });
  },
);
