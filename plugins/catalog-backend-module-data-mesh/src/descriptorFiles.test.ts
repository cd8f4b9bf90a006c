import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { quantaTestDatabases } from '@quanta/test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import { catalogModuleDataMesh } from './module';

// What the catalog does with descriptor files over time: a broken edit of a
// valid product, and files that hold no entity. Run on a real catalog, since
// both rest on how the catalog keeps a version when processing fails.
jest.setTimeout(120_000);

const databases = quantaTestDatabases();

async function startCatalog(knex: any, targets: string[]) {
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      unprocessedModule,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Group', 'Location', 'DataProduct'] }],
            locations: targets.map(target => ({ type: 'file', target })),
          },
        },
      }),
    ],
  });
  const read = async (url: string) => {
    const res = await fetch(`http://localhost:${server.port()}${url}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  const get = async (filter: string): Promise<Entity[]> =>
    (
      await read(
        `/api/catalog/entities/by-query?filter=${encodeURIComponent(
          filter,
        )}&limit=1000`,
      )
    ).items;
  /** Entities the catalog never served, with their errors (the unprocessed-entities module). */
  const pending = async (): Promise<
    Array<{ unprocessed_entity: Entity; errors?: Array<{ message: string }> }>
  > => (await read('/api/catalog/entities/unprocessed/pending')).entities;
  return { get, pending };
}

/** Polls the catalog until `done` holds for what `read` returns. */
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

const group = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sales-data }
spec: { type: team, children: [] }
`;
const product = (name: string, fields: string) => `---
apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
${fields}`;
const spec = (owner: string, portType: string, description = '') => `${
  description ? `  description: ${description}\n` : ''
}spec:
  type: source-aligned
  lifecycle: production
  owner: ${owner}
  domain: domain:default/sales
  outputPorts:
    - { name: table, type: ${portType}, format: parquet, address: 's3://lake/x/' }
`;

const messages = (entity: any): string[] =>
  (entity?.status?.items ?? []).map((i: any) => i.error.message);
const ownerRefs = (entity: Entity | undefined) =>
  (entity?.relations ?? [])
    .filter(r => r.type === 'ownedBy')
    .map(r => r.targetRef);

describe.each(databases.eachSupportedId())(
  'descriptor files in a real catalog on %s',
  (databaseId: TestDatabaseId) => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-files-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('keeps serving the last valid version of a product through a broken edit, with the edit errors on it, until it is fixed', async () => {
      const file = path.join(dir, 'catalog-info.yaml');
      fs.writeFileSync(
        file,
        group +
          product('orders', spec('group:default/sales-data', 'table')) +
          product('draft', spec('group:default/sales-data', 'tabel')),
      );
      const catalog = await startCatalog(await databases.init(databaseId), [
        file,
      ]);
      const byName = async () =>
        new Map(
          (await catalog.get('kind=DataProduct')).map(p => [
            p.metadata.name,
            p,
          ]),
        );
      await until(
        byName,
        m => ownerRefs(m.get('orders')).length === 1 && m.has('draft'),
        'both products with their owner',
      );

      // The owner becomes unreadable and a port type is misspelled; the new
      // product, never valid, gets an edit with problems too.
      fs.writeFileSync(
        file,
        group +
          product('orders', spec('42', 'tabel', 'Orders, edited')) +
          product(
            'draft',
            spec('group:default/sales-data', 'tabel', 'Draft, edited'),
          ),
      );
      const edited = await until(
        byName,
        m =>
          messages(m.get('orders')).length > 0 &&
          m.get('draft')?.metadata.description === 'Draft, edited',
        'the broken edit to be reported',
      );
      const orders = edited.get('orders')!;
      // Still the last valid version: description, port, owner relation.
      expect(orders.metadata.description).toBeUndefined();
      expect((orders.spec as any).outputPorts[0].type).toBe('table');
      expect(ownerRefs(orders)).toEqual(['group:default/sales-data']);
      expect(messages(orders)).toEqual([
        expect.stringContaining(
          'This edit of dataproduct:default/orders was not applied',
        ),
        expect.stringMatching(/^spec\.owner: /),
        expect.stringMatching(/^spec\.outputPorts\[0\]\.type: found "tabel"/),
      ]);
      // The team page still lists it.
      const [team] = await catalog.get('kind=Group');
      expect(
        team.relations?.filter(r => r.type === 'ownerOf').map(r => r.targetRef),
      ).toContain('dataproduct:default/orders');
      // A product that was never valid shows its latest edit, with errors.
      expect(messages(edited.get('draft'))).toEqual([
        expect.stringMatching(/^spec\.outputPorts\[0\]\.type/),
      ]);

      // Fixed: the edit is served and the errors are gone.
      fs.writeFileSync(
        file,
        group +
          product(
            'orders',
            spec('group:default/sales-data', 'table', 'Orders, fixed'),
          ),
      );
      const fixed = await until(
        byName,
        m => m.get('orders')?.metadata.description === 'Orders, fixed',
        'the fixed edit',
      );
      expect(messages(fixed.get('orders'))).toEqual([]);
    });

    it('says so on the location of a file that holds no entity, and serves its neighbours', async () => {
      const files = {
        'empty.yaml': '',
        'comments.yaml': '# owner: sales-data\n# to do: the descriptor\n',
        'tilde.yaml': '~\n',
        'good.yaml':
          group + product('orders', spec('group:default/sales-data', 'table')),
      };
      for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
      }
      const catalog = await startCatalog(
        await databases.init(databaseId),
        Object.keys(files).map(name => path.join(dir, name)),
      );
      // A location whose file holds nothing never becomes an entity; the
      // catalog keeps it with its error, listed as pending.
      const pending = await until(
        () => catalog.pending(),
        all => all.filter(e => e.errors?.length).length >= 3,
        'three locations with errors',
      );
      const errorsByFile = Object.fromEntries(
        pending
          .filter(e => e.errors?.length)
          .map(e => [
            path.basename((e.unprocessed_entity.spec as any).target),
            e.errors!.map(error => error.message),
          ]),
      );
      expect(errorsByFile).toEqual(
        Object.fromEntries(
          ['empty.yaml', 'comments.yaml', 'tilde.yaml'].map(name => [
            name,
            [
              expect.stringMatching(
                new RegExp(
                  `^No entity in file:.*/${name.replace(
                    '.',
                    '\\.',
                  )}: the file is empty, or holds only comments or empty documents`,
                ),
              ),
            ],
          ]),
        ),
      );
      const products = await until(
        () => catalog.get('kind=DataProduct'),
        all => all.length === 1,
        'the product of the good file',
      );
      expect(messages(products[0])).toEqual([]);
    });
  },
);
