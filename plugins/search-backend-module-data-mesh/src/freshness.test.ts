import {
  type TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { quantaTestDatabases } from '@quanta/test-utils';
import {
  type ServiceFactory,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { Entity } from '@backstage/catalog-model';
import {
  type CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import searchPlugin from '@backstage/plugin-search-backend';
import searchPostgresEngine from '@backstage/plugin-search-backend-module-pg';
// The real data-mesh backend detects the change and announces it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test dependency only
import dataMeshPlugin from '@quanta/plugin-data-mesh-backend';
import {
  DATA_MESH_PRODUCTS_CHANGED_TOPIC,
  type DataMeshProductsChangedEvent,
} from '@quanta/plugin-data-mesh-node';
import { people, products } from './__testUtils__/mesh';
import { searchModuleDataMesh } from './module';

jest.setTimeout(240_000);

/**
 * A product added to the catalog, and one whose scorecard changes, are found
 * with their new content through the search API although the collator's
 * schedule runs once at startup and then only a day later: the data-mesh
 * backend's change detection (every 2 seconds here, every minute by
 * default) announces them on the events service, and this module starts the
 * index task. Real schedulers (global tasks in each plugin's database, as in
 * production) and one events service for all plugins, as in one backend.
 */
const databases = quantaTestDatabases();

function databasePerPlugin(databaseId: TestDatabaseId): ServiceFactory {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    async factory() {
      const knex = await databases.init(databaseId);
      return { getClient: async () => knex };
    },
  });
}

/** One catalog for every plugin, whose contents the test changes as a new descriptor would. */
function mutableCatalog(initial: Entity[]) {
  let current = initial;
  // Every method of the mock catalog, each call over the current entities.
  const methods = Object.getOwnPropertyNames(
    Object.getPrototypeOf(catalogServiceMock()),
  ).filter(name => name !== 'constructor');
  const service = Object.fromEntries(
    methods.map(name => [
      name,
      (...args: unknown[]) =>
        (catalogServiceMock({ entities: current }) as any)[name](...args),
    ]),
  ) as unknown as CatalogService;
  return {
    factory: createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => service,
    }),
    set(next: Entity[]) {
      current = next;
    },
  };
}

const withEtag = (entity: Entity, etag: string): Entity => ({
  ...entity,
  metadata: { ...entity.metadata, etag },
});

/** A product created from a template: little more than its port and a column name no other product has. */
const refunds: Entity = {
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'refunds' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'experimental',
    owner: 'group:default/sales-data',
    domain: 'domain:default/sales',
    outputPorts: [
      {
        name: 'refunds-table',
        type: 'table',
        format: 'parquet',
        address: 's3://acme-lake/sales/refunds/',
        schema: [{ name: 'refund_reason', type: 'string' }],
      },
    ],
  },
};

/** The same product after its team filled in what discovery asks for. */
const refundsDescribed: Entity = {
  ...refunds,
  metadata: {
    name: 'refunds',
    title: 'Refunds',
    description: 'Every refund granted, with its reason.',
    tags: ['sales'],
  },
};

/** The search and data-mesh APIs, as a signed-in user calls them. */
function client(port: number) {
  const apiUrl = `http://localhost:${port}/api`;
  const get = async (path: string) => {
    const res = await fetch(`${apiUrl}${path}`, {
      headers: {
        Authorization: mockCredentials.user.header('user:default/maria.silva'),
      },
    });
    return { status: res.status, body: await res.json() };
  };
  const search = async (term: string) => {
    const { status, body } = await get(
      `/search/query?types%5B0%5D=data-product&term=${term}`,
    );
    // Before the first index run the search API has no index to ask.
    return status === 200 ? (body.results as Array<{ document: any }>) : [];
  };
  return { get, search };
}

/** Polls until `found` holds: the test waits on what a user sees, not on a clock. */
async function until<T>(
  read: () => Promise<T>,
  found: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (found(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Waited in vain for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** The document of the `refunds` product, found by the column only it has. */
async function findRefunds(
  search: ReturnType<typeof client>['search'],
): Promise<any> {
  return (await search('refund_reason')).find(
    r => r.document.name === 'refunds',
  )?.document;
}

/** The governance score a document's text states, or undefined. */
function scoreIn(document: any): number | undefined {
  const found = /Governance (?:level \S+, )?score (\d+(?:\.\d+)?)/.exec(
    document?.text ?? '',
  );
  return found ? Number(found[1]) : undefined;
}

describe.each(databases.eachSupportedId())(
  'a changed data product in search on %s',
  databaseId => {
    it('is found with its new content and scorecard without waiting for the schedule', async () => {
      const base = [...people, ...products].map(e => withEtag(e, 'v1'));
      const catalog = mutableCatalog(base);
      const { server } = await startTestBackend({
        features: [
          searchPlugin,
          ...(databaseId === 'SQLITE_3' ? [] : [searchPostgresEngine]),
          searchModuleDataMesh,
          dataMeshPlugin,
          schedulerServiceFactory,
          eventsServiceFactory,
          databasePerPlugin(databaseId),
          catalog.factory,
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              search: {
                collators: {
                  dataMesh: {
                    schedule: {
                      frequency: { days: 1 },
                      timeout: { minutes: 5 },
                    },
                    refreshMinimumGap: { seconds: 1 },
                  },
                },
              },
              dataMesh: {
                evaluation: {
                  frequency: { days: 1 },
                  changeDetection: { frequency: { seconds: 2 } },
                },
              },
            },
          }),
          mockServices.rootLogger.factory({ level: 'error' }),
        ],
      });
      const { get, search } = client(server.port());
      const refundsDocument = () => findRefunds(search);

      // The scheduled run at startup indexes the mesh.
      await until(
        () => search('loyalty_tier'),
        results => results.some(r => r.document.name === 'customers'),
        'the first index',
      );
      expect(await refundsDocument()).toBeUndefined();

      // A product created from a template reaches the catalog.
      catalog.set([...base, withEtag(refunds, 'r1')]);
      const created = await until(
        refundsDocument,
        document => document !== undefined,
        'the new product in search',
      );
      const card = await get(
        '/data-mesh/scorecards/dataproduct/default/refunds',
      );
      expect(card.status).toBe(200);
      expect(created).toMatchObject({
        entityRef: 'dataproduct:default/refunds',
        domainTitle: 'Sales and Commerce',
        ownerName: 'Sales Data Team',
        governanceLevel: card.body.level ?? 'none',
      });
      expect(scoreIn(created)).toBe(card.body.score);

      // Its team describes it: the catalog entry and the score change.
      catalog.set([...base, withEtag(refundsDescribed, 'r2')]);
      const rescored = await until(
        () => get('/data-mesh/scorecards/dataproduct/default/refunds'),
        ({ body }) => body.score !== card.body.score,
        'the new scorecard',
      );
      const updated = await until(
        refundsDocument,
        document => scoreIn(document) === rescored.body.score,
        'the new score in search',
      );
      expect(updated).toMatchObject({
        title: 'Refunds',
        description: 'Every refund granted, with its reason.',
        tags: ['sales'],
        governanceLevel: rescored.body.level ?? 'none',
      });
      expect(rescored.body.score).toBeGreaterThan(card.body.score);
    });
  },
);

describe('a changed data product in search on a local schedule', () => {
  it('is indexed again in this process when any plugin announces the change', async () => {
    // The demo's setting: Lunr in memory, the index task local to each
    // backend instance. The announcement comes from a plugin of its own, as
    // the data-mesh backend's does.
    let events: EventsService | undefined;
    const announcer = createBackendPlugin({
      pluginId: 'announcer',
      register(env) {
        env.registerInit({
          deps: { events: eventsServiceRef },
          async init(deps) {
            events = deps.events;
          },
        });
      },
    });
    const base = [...people, ...products];
    const catalog = mutableCatalog(base);
    const { server } = await startTestBackend({
      features: [
        searchPlugin,
        searchModuleDataMesh,
        announcer,
        schedulerServiceFactory,
        eventsServiceFactory,
        databasePerPlugin('SQLITE_3'),
        catalog.factory,
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                dataMesh: {
                  schedule: {
                    frequency: { days: 1 },
                    timeout: { minutes: 5 },
                    scope: 'local',
                  },
                  refreshMinimumGap: { seconds: 1 },
                },
              },
            },
          },
        }),
        mockServices.rootLogger.factory({ level: 'error' }),
      ],
    });
    const { search } = client(server.port());
    await until(
      () => search('loyalty_tier'),
      results => results.some(r => r.document.name === 'customers'),
      'the first index',
    );

    catalog.set([...base, refunds]);
    // Without the announcement the next run is a day away.
    expect(await findRefunds(search)).toBeUndefined();
    const eventPayload: DataMeshProductsChangedEvent = {
      trigger: 'catalog',
      runId: 1,
      products: [
        {
          entityRef: 'dataproduct:default/refunds',
          catalog: 'updated',
          scorecardChanged: true,
        },
      ],
    };
    await events!.publish({
      topic: DATA_MESH_PRODUCTS_CHANGED_TOPIC,
      eventPayload,
    });
    const created = await until(
      () => findRefunds(search),
      document => document !== undefined,
      'the new product in search',
    );
    expect(created).toMatchObject({
      entityRef: 'dataproduct:default/refunds',
      domainTitle: 'Sales and Commerce',
      ownerName: 'Sales Data Team',
    });
  });
});
