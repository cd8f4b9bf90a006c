import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type TestDatabaseId,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogModelExtensionPoint } from '@backstage/plugin-catalog-node/alpha';
import { catalogModuleDataMesh } from './module';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import {
  fetchEntities,
  fetchUnprocessed,
  relationsOf,
  startCatalog,
  waitForProducts,
} from './__testUtils__/catalog';
import { quantaTestDatabases } from '@quanta/test-utils';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../..');
const demoMesh = path.join(repoRoot, 'examples/all.yaml');

/** Every entity the demo mesh declares, read straight from its YAML files. */
function readDemoMesh(): Entity[] {
  const location = parseAllDocuments(
    fs.readFileSync(demoMesh, 'utf8'),
  )[0].toJS();
  return (location.spec.targets as string[]).flatMap(target =>
    parseAllDocuments(
      fs.readFileSync(path.resolve(path.dirname(demoMesh), target), 'utf8'),
    )
      .map(doc => doc.toJS())
      .filter(Boolean),
  );
}

const databases = quantaTestDatabases();

describe.each(databases.eachSupportedId())(
  'catalog with the data mesh module on %s',
  (databaseId: TestDatabaseId) => {
    it('serves the demo mesh with ownership, domain and dependency relations both ways', async () => {
      const declared = readDemoMesh();
      const declaredProducts = declared.filter(e => e.kind === 'DataProduct');
      expect(declaredProducts.length).toBeGreaterThanOrEqual(30);

      const server = await startCatalog(await databases.init(databaseId), [
        demoMesh,
      ]);
      const products = await waitForProducts(server, declaredProducts.length);
      const byRef = new Map<string, Entity>();
      for (const kind of ['Group', 'Domain', 'User']) {
        for (const e of await fetchEntities(server, `kind=${kind}`)) {
          byRef.set(`${kind.toLowerCase()}:default/${e.metadata.name}`, e);
        }
      }
      for (const p of products) {
        byRef.set(`dataproduct:default/${p.metadata.name}`, p);
      }

      for (const declaredProduct of declaredProducts) {
        const spec = declaredProduct.spec as any;
        const ref = `dataproduct:default/${declaredProduct.metadata.name}`;
        const served = byRef.get(ref);
        expect({ ref, found: Boolean(served) }).toEqual({ ref, found: true });

        // A well-formed demo product carries no processing errors; the one
        // broken on purpose carries one per mistake and is served all the same.
        const errors = ((served as any).status?.items ?? []).map(
          (item: any) => item.error?.message,
        );
        expect({ ref, errors }).toEqual({
          ref,
          errors:
            declaredProduct.metadata.name === 'broken-example-refunds'
              ? [
                  'spec.outputPorts[0].type: found "tabel", expected one of table, view, topic, file, api',
                  'spec.slos.freshness: found "1 day", expected an ISO-8601 duration such as PT1H, P1D or P2Y',
                  'spec.slos.completeness: found number 120, expected a percentage from 0 to 100',
                ]
              : [],
        });
        expect(served!.metadata.annotations?.['quanta.dev/address']).toBe(
          `dataproduct://default/${declaredProduct.metadata.name}`,
        );

        // The demo descriptors spell out full references, so they are the
        // expected relation targets as written.
        expect({ ref, ownedBy: relationsOf(served, 'ownedBy') }).toEqual({
          ref,
          ownedBy: [spec.owner],
        });
        expect({ ref, partOf: relationsOf(served, 'partOf') }).toEqual({
          ref,
          partOf: [spec.domain, spec.system].filter(Boolean).sort(),
        });
        const upstream = (spec.inputPorts ?? []).map(
          (p: any) => p.dataProduct ?? p.source,
        );
        expect({ ref, dependsOn: relationsOf(served, 'dependsOn') }).toEqual({
          ref,
          dependsOn: [...new Set<string>(upstream)].sort(),
        });
        expect(relationsOf(served, 'hasProductOwner')).toEqual(
          spec.productOwner ? [spec.productOwner] : [],
        );

        // Reverse directions: the team, the product owner, the domain and
        // the upstream products all see it.
        const reverse: Array<[string, string]> = [
          [spec.owner, 'ownerOf'],
          [spec.domain, 'hasPart'],
          ...(spec.productOwner
            ? [[spec.productOwner, 'productOwnerOf'] as [string, string]]
            : []),
          ...(spec.inputPorts ?? [])
            .filter((p: any) => p.dataProduct)
            .map(
              (p: any) => [p.dataProduct, 'dependencyOf'] as [string, string],
            ),
        ];
        const missing = reverse
          .filter(
            ([target, type]) =>
              !relationsOf(byRef.get(target), type).includes(ref),
          )
          .map(([target, type]) => `${target} ${type} ${ref}`);
        expect(missing).toEqual([]);
      }
    });

    it('keeps a malformed product visible with its errors, next to a valid one', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-catalog-'));
      const file = path.join(dir, 'catalog-info.yaml');
      fs.writeFileSync(
        file,
        `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sales-data }
spec: { type: team, children: [] }
---
apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata: { name: good-orders }
spec:
  type: source-aligned
  lifecycle: production
  owner: group:default/sales-data
  domain: domain:default/sales
  outputPorts:
    - { name: table, type: table, format: parquet, address: 's3://lake/good-orders/' }
---
apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata: { name: bad-orders }
spec:
  type: source-aligned
  lifecycle: production
  owner: group:default/sales-data
  domain: domain:default/sales
  outputPorts:
    - { name: table, type: tabel, format: parquet, address: 's3://lake/bad-orders/' }
  slos: { freshness: 1 hour }
`,
      );
      try {
        const server = await startCatalog(await databases.init(databaseId), [
          file,
        ]);
        const products = await waitForProducts(server, 2);
        const good = products.find(p => p.metadata.name === 'good-orders');
        const bad = products.find(p => p.metadata.name === 'bad-orders');
        expect((good as any).status).toBeUndefined();
        expect(
          (bad as any).status.items.map((i: any) => [
            i.type,
            i.level,
            i.error.message,
          ]),
        ).toEqual([
          [
            'backstage.io/catalog-processing',
            'error',
            'spec.outputPorts[0].type: found "tabel", expected one of table, view, topic, file, api',
          ],
          [
            'backstage.io/catalog-processing',
            'error',
            'spec.slos.freshness: found "1 hour", expected an ISO-8601 duration such as PT1H, P1D or P2Y',
          ],
        ]);
        // The team still sees the broken product it owns.
        const [group] = await fetchEntities(server, 'kind=Group');
        expect(relationsOf(group, 'ownerOf')).toEqual([
          'dataproduct:default/bad-orders',
          'dataproduct:default/good-orders',
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('keeps the previous version of a product whose descriptor grows over the size limit, with the error on it', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-catalog-'));
      const file = path.join(dir, 'catalog-info.yaml');
      const group = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: sales-data }
spec: { type: team, children: [] }
`;
      const product = (name: string, extra = '') => `---
apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
${extra}spec:
  type: source-aligned
  lifecycle: production
  owner: group:default/sales-data
  domain: domain:default/sales
  outputPorts:
    - { name: table, type: table, format: parquet, address: 's3://lake/${name}/' }
`;
      // A YAML file of 3 KB whose aliases make a descriptor of 40 KB.
      const aliases = `  description: &text "${'x'.repeat(2000)}"
  annotations: { ${Array.from({ length: 20 }, (_, i) => `a${i}: *text`).join(
    ', ',
  )} }
`;
      fs.writeFileSync(file, group + product('orders'));
      try {
        const server = await startCatalog(
          await databases.init(databaseId),
          [file],
          {
            catalog: { processingInterval: { seconds: 1 } },
            dataMesh: { catalog: { maxDescriptorSize: '16kb' } },
          },
        );
        await waitForProducts(server, 1);

        fs.writeFileSync(
          file,
          group +
            product('orders', aliases) +
            product('huge', aliases) +
            product('fresh'),
        );
        const deadline = Date.now() + 60_000;
        let orders: any;
        let products: Entity[] = [];
        while (Date.now() < deadline) {
          products = await fetchEntities(server, 'kind=DataProduct');
          orders = products.find(p => p.metadata.name === 'orders');
          const fresh = products.some(p => p.metadata.name === 'fresh');
          if (fresh && orders?.status?.items?.length) break;
          await new Promise(resolve => setTimeout(resolve, 500));
        }
        // The previous version stays, relations and all, with the error.
        expect(orders.metadata.description).toBeUndefined();
        expect(relationsOf(orders, 'ownedBy')).toEqual([
          'group:default/sales-data',
        ]);
        const messages = orders.status.items.map((i: any) => i.error.message);
        expect(messages).toEqual([
          expect.stringContaining(
            'DataProduct refused, nothing of it was read: metadata.annotations.a',
          ),
        ]);
        expect(messages[0]).toContain('larger than 16 KiB as JSON');
        expect(messages[0]).toContain('dataMesh.catalog.maxDescriptorSize');
        // A new product over the limit never enters the catalog; its
        // neighbour in the same file does.
        expect(products.map(p => p.metadata.name).sort()).toEqual([
          'fresh',
          'orders',
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses files of any kind the database would lose, with the error on their location', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-catalog-'));
      const component = (name: string, extra = '') => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
${extra}spec: { type: service, lifecycle: production, owner: team-a }
`;
      const files = {
        nul: path.join(dir, 'nul.yaml'),
        cycle: path.join(dir, 'cycle.yaml'),
        fine: path.join(dir, 'fine.yaml'),
      };
      fs.writeFileSync(
        files.nul,
        component('with-nul', '  description: "a\\0b"\n'),
      );
      fs.writeFileSync(
        files.cycle,
        component('looped', '  labels: &l { again: *l }\n') +
          component('beside-loop'),
      );
      fs.writeFileSync(files.fine, component('fine'));
      try {
        const server = await startCatalog(
          await databases.init(databaseId),
          Object.values(files),
          {},
          { unprocessed: true },
        );
        const deadline = Date.now() + 60_000;
        let errorsOf: Record<string, string[]> = {};
        let names: string[] = [];
        while (Date.now() < deadline) {
          names = (await fetchEntities(server, 'kind=Component')).map(
            e => e.metadata.name,
          );
          const unprocessed = await fetchUnprocessed(server);
          errorsOf = Object.fromEntries(
            Object.entries(files).map(([key, file]) => [
              key,
              unprocessed
                .filter(
                  e =>
                    e.unprocessed_entity?.kind === 'Location' &&
                    (e.unprocessed_entity.spec as any)?.target === file,
                )
                .flatMap(e =>
                  Array.isArray(e.errors) ? e.errors.map(x => x.message) : [],
                ),
            ]),
          );
          if (
            names.includes('fine') &&
            errorsOf.nul.length &&
            errorsOf.cycle.length
          ) {
            break;
          }
          await new Promise(resolve => setTimeout(resolve, 500));
        }
        expect(names).toEqual(['fine']);
        expect(errorsOf.nul).toEqual([
          expect.stringContaining(
            'refused: metadata.description is "a\\u{0000}b", which has U+0000 NULL at character 2',
          ),
        ]);
        expect(errorsOf.cycle).toEqual([
          expect.stringContaining(
            '(metadata.labels.again) repeats the anchor &l of a node that holds it: a cycle',
          ),
        ]);
        expect(errorsOf.fine).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('the file parser the module installs', () => {
  /** A module that installs a portal's own file parser. */
  const ownParser = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'own-parser',
    register(env) {
      env.registerInit({
        deps: { model: catalogModelExtensionPoint },
        async init({ model }) {
          model.setEntityDataParser(async function* none() {});
        },
      });
    },
  });
  const start = (catalog: Record<string, boolean | string>, own = true) =>
    startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataMesh,
        ...(own ? [ownParser] : []),
        mockServices.rootConfig.factory({
          data: { dataMesh: { catalog } },
        }),
      ],
    });

  it.each([
    ['fileParser: false', { fileParser: false }],
    [
      'reportEmptyFiles: false alone, as before it bounded anything',
      { reportEmptyFiles: false },
    ],
  ])(
    "leaves a portal's own parser in place with %s",
    async (_title, catalog) => {
      const backend = await start(catalog);
      expect(backend.server.port()).toBeGreaterThan(0);
      await backend.stop();
    },
  );

  it("is installed by default, so a portal's own parser conflicts with it", async () => {
    await expect(start({})).rejects.toThrow(/EntityDataParser/);
  });

  it('stops the backend on a document size that is no size, naming the key', async () => {
    await expect(start({ maxDocumentSize: 'huge' }, false)).rejects.toThrow(
      /Invalid dataMesh\.catalog\.maxDocumentSize: found "huge", expected a positive number of bytes or a size such as '512kb' or '1mb'/,
    );
  });
});
