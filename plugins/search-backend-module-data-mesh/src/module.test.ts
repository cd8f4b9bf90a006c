import {
  type TestDatabaseId,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  type BackendFeature,
  type PermissionsService,
  type SchedulerService,
  type ServiceFactory,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchPostgresEngine from '@backstage/plugin-search-backend-module-pg';
// The real data-mesh backend serves the governance this module indexes.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test dependency only
import dataMeshPlugin from '@quanta/plugin-data-mesh-backend';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { DATA_MESH_PRODUCTS_CHANGED_TOPIC } from '@quanta/plugin-data-mesh-node';
import { quantaTestDatabases } from '@quanta/test-utils';
import { people, products } from './__testUtils__/mesh';
import { searchModuleDataMesh } from './module';
import { searchModuleDataMeshLunrEngine } from './lunr/module';

jest.setTimeout(120_000);

/**
 * The whole path through the real search API: the search backend with its
 * default engine (Lunr) on SQLite, and with the PostgreSQL engine on
 * PostgreSQL; this module over a mock catalog; the real data-mesh backend
 * for governance; permissions enabled and allowing everything (and, in the
 * last test, hiding one product).
 */
const databases = quantaTestDatabases();

/** The task the search backend runs this module's collator as. */
const INDEX_TASK = 'search_index_data_product';

/** Each plugin its own fresh database of the kind under test. */
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

/**
 * The search plugin's scheduler, caught by a module of the plugin: the test
 * runs the indexing task when it is ready rather than waiting for a clock.
 */
function schedulerOfSearch() {
  let scheduler: SchedulerService | undefined;
  const feature = createBackendModule({
    pluginId: 'search',
    moduleId: 'test-scheduler',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init(deps) {
          scheduler = deps.scheduler;
        },
      });
    },
  });
  return {
    feature,
    async index() {
      if (!scheduler) throw new Error('the search plugin did not start');
      await scheduler.triggerTask(INDEX_TASK);
    },
  };
}

async function startSearch(options: {
  databaseId: TestDatabaseId;
  features: Array<BackendFeature | ServiceFactory>;
  config?: object;
}) {
  const scheduler = schedulerOfSearch();
  const engine =
    options.databaseId === 'SQLITE_3' ? [] : [searchPostgresEngine];
  const { server } = await startTestBackend({
    features: [
      searchPlugin,
      ...engine,
      searchModuleDataMesh,
      scheduler.feature,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      databasePerPlugin(options.databaseId),
      catalogServiceMock.factory({ entities: [...people, ...products] }),
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...options.config },
      }),
      ...options.features,
      mockServices.rootLogger.factory({ level: 'error' }),
    ],
  });
  const base = `http://localhost:${server.port()}`;
  return {
    index: scheduler.index,
    async fetch(path: string, init: RequestInit = {}) {
      return fetch(`${base}${path}`, {
        ...init,
        headers: {
          Authorization: mockCredentials.user.header(
            'user:default/maria.silva',
          ),
          'content-type': 'application/json',
          ...init.headers,
        },
      });
    },
    async search(query: string) {
      const res = await this.fetch(
        `/api/search/query?types%5B0%5D=data-product&${query}`,
      );
      const body = await res.json();
      if (res.status !== 200) {
        throw new Error(
          `search answered ${res.status}: ${JSON.stringify(body)}`,
        );
      }
      return body.results as Array<{ type: string; document: any }>;
    },
  };
}

type Search = Awaited<ReturnType<typeof startSearch>>;

const names = (results: Array<{ document: any }>) =>
  results.map(result => result.document.name).sort();

/**
 * The names of the first `count` results. Lunr also matches words within
 * two edits of each query word, so a short one such as `id` matches many,
 * ranked far below exact matches; PostgreSQL answers exact matches only.
 */
const first = (count: number, results: Array<{ document: any }>) =>
  names(results.slice(0, count));

/**
 * Each engine: Backstage's default Lunr; Quanta's Lunr engine module; and on
 * PostgreSQL the PostgreSQL engine, with Quanta's Lunr engine module
 * installed too, as in a backend that runs on either database.
 */
type Engine = {
  label: string;
  databaseId: TestDatabaseId;
  quantaLunr: boolean;
};
const engines = databases.eachSupportedId().flatMap(([databaseId]): Engine[] =>
  databaseId === 'SQLITE_3'
    ? [
        { label: 'Lunr on SQLite', databaseId, quantaLunr: false },
        {
          label: "Quanta's Lunr engine on SQLite",
          databaseId,
          quantaLunr: true,
        },
      ]
    : [{ label: `PostgreSQL on ${databaseId}`, databaseId, quantaLunr: true }],
);

describe.each(engines)(
  'search for data products: $label',
  ({ databaseId, quantaLunr }) => {
    let search: Search;

    beforeAll(async () => {
      search = await startSearch({
        databaseId,
        features: [
          ...(quantaLunr ? [searchModuleDataMeshLunrEngine] : []),
          dataMeshPlugin,
          // Every permission allowed. (The permission backend itself
          // refuses the search backend's conditional request here: the mock
          // auth service drops the acting plugin from on-behalf-of tokens,
          // so the request looks like a user's own.)
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ],
      });
      // A pipeline reports a failed completeness check for orders, and the
      // mesh is evaluated, so both scorecards and SLO status are there.
      const posted = await search.fetch(
        '/api/data-mesh/quality/results?entityRef=dataproduct:default/orders',
        {
          method: 'POST',
          headers: {
            Authorization: mockCredentials.service.header({
              onBehalfOf: mockCredentials.service('external:orders-pipeline'),
              targetPluginId: 'data-mesh',
            }),
          },
          body: JSON.stringify({
            source: 'orders-nightly',
            runId: 'run-1',
            finishedAt: new Date(Date.now() - 60_000).toISOString(),
            checks: [
              {
                checkId: 'orders-have-customer',
                name: 'Every order has a customer',
                status: 'fail',
                dimension: 'completeness',
              },
            ],
          }),
        },
      );
      if (posted.status !== 201) {
        throw new Error(
          `quality results: ${posted.status} ${await posted.text()}`,
        );
      }
      const evaluated = await search.fetch('/api/data-mesh/evaluations', {
        method: 'POST',
        body: '{}',
      });
      if (evaluated.status !== 201) {
        throw new Error(
          `evaluation: ${evaluated.status} ${await evaluated.text()}`,
        );
      }

      await search.index();
    });

    it('finds a product by a column name', async () => {
      expect(first(2, await search.search('term=customer_id'))).toEqual([
        'customers',
        'orders',
      ]);
      expect(first(1, await search.search('term=loyalty_tier'))).toEqual([
        'customers',
      ]);
    });

    // Backstage's Lunr translator does not: no test of it for that engine.
    if (quantaLunr) {
      it('finds by a column name only the products that have it', async () => {
        // Backstage's Lunr translator also matches the words of the name
        // within two edits, so its results go on with others.
        expect(names(await search.search('term=customer_id'))).toEqual([
          'customers',
          'orders',
        ]);
        expect(names(await search.search('term=loyalty_tier'))).toEqual([
          'customers',
        ]);
      });
    }

    it('finds a product by a word of its description, its format or its owner', async () => {
      expect(names(await search.search('term=consent'))).toEqual(['customers']);
      expect(names(await search.search('term=iceberg'))).toEqual(['orders']);
      expect(names(await search.search('term=Maria'))).toEqual(['orders']);
    });

    it('finds a product by what only its text holds: field descriptions, regulations', async () => {
      expect(names(await search.search('term=unique'))).toEqual(['orders']);
      expect(names(await search.search('term=GDPR'))).toEqual(['orders']);
    });

    it('narrows results with filters on document fields', async () => {
      expect(
        names(
          await search.search(
            `term=customer&filters%5Bdomain%5D=${encodeURIComponent(
              'domain:default/sales',
            )}`,
          ),
        ),
      ).toEqual(['orders']);
      expect(
        names(
          await search.search('term=customer&filters%5BcontainsPii%5D=true'),
        ),
      ).toEqual(['orders']);
      expect(
        names(
          await search.search('term=customer&filters%5BsloStatus%5D=breached'),
        ),
      ).toEqual(['orders']);
      expect(
        names(
          await search.search(
            'term=customer&filters%5BsloStatus%5D=unbreached',
          ),
        ),
      ).toEqual(['customers']);
    });

    // Backstage's Lunr translator lists the facet's other products after
    // those holding a word, and ranks by a facet's several values rather
    // than filtering: no test of it for that engine.
    if (quantaLunr) {
      it('with filters, finds only the products of one of the values that hold a word of the query', async () => {
        const types =
          'filters%5Btype%5D%5B0%5D=source-aligned&filters%5Btype%5D%5B1%5D=consumer-aligned';
        expect(names(await search.search(`term=&${types}`)).sort()).toEqual([
          'ledger',
          'orders',
        ]);
        // `ledger`, of one of the types, holds neither word; `customers`
        // holds `consent` but is of neither type.
        expect(names(await search.search(`term=iceberg&${types}`))).toEqual([
          'orders',
        ]);
        expect(names(await search.search(`term=consent&${types}`))).toEqual([]);
      });
    }

    it('returns the data-product documents with governance from the data-mesh backend', async () => {
      const [result] = await search.search('term=iceberg');
      const scorecard = await (
        await search.fetch(
          '/api/data-mesh/scorecards/dataproduct/default/orders',
        )
      ).json();
      expect(typeof scorecard.score).toBe('number');

      expect(result.type).toBe('data-product');
      expect(result.document).toMatchObject({
        title: 'Orders',
        location: '/catalog/default/dataproduct/orders',
        entityRef: 'dataproduct:default/orders',
        domain: 'domain:default/sales',
        domainTitle: 'Sales and Commerce',
        ownerName: 'Sales Data Team',
        governanceLevel: scorecard.level ?? 'none',
        sloStatus: 'breached',
      });
      expect(result.document.slosBreached).toContain('completeness');
      expect(result.document.outputPorts[0]).toMatchObject({
        name: 'orders-table',
        address: 'iceberg://lake/sales/orders',
      });
      expect(result.document.outputPorts[0].fields).toContain('customer_id');
      expect(result.document.outputPorts[0].piiFields).toEqual(['customer_id']);
      expect(result.document.text).toContain(`score ${scorecard.score}`);
      // The search API never hands out what permissions are checked on.
      expect(result.document.authorization).toBeUndefined();
    });
  },
);

describe('permissions on data product results', () => {
  it('shows only the products the user may read in the catalog', async () => {
    const requests: EvaluatePermissionRequest[] = [];
    const search = await startSearch({
      databaseId: 'SQLITE_3',
      features: [
        // Catalog read is conditional: each result is checked on its own,
        // and the user may not read ledger.
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: (): PermissionsService => ({
            async authorizeConditional(queries) {
              return queries.map(
                (): PolicyDecision => ({
                  result: AuthorizeResult.CONDITIONAL,
                  pluginId: 'catalog',
                  resourceType: 'catalog-entity',
                  conditions: {
                    rule: 'IS_ENTITY_KIND',
                    resourceType: 'catalog-entity',
                    params: { kinds: ['DataProduct'] },
                  },
                }),
              );
            },
            async authorize(queries) {
              requests.push(...queries);
              return queries.map(query => ({
                result:
                  'resourceRef' in query &&
                  query.resourceRef === 'dataproduct:default/ledger'
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              }));
            },
          }),
        }),
      ],
    });
    await search.index();

    // `default` is in every product's reference.
    expect(names(await search.search('term=default'))).toEqual([
      'customers',
      'orders',
    ]);
    expect(requests).toContainEqual(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'catalog.entity.read' }),
        resourceRef: 'dataproduct:default/ledger',
      }),
    );
    expect(await search.search('term=finance')).toEqual([]);
  });
});

describe('the indexing schedule', () => {
  it('is read from search.collators.dataMesh.schedule', async () => {
    const scheduler = mockServices.scheduler.mock({
      createScheduledTaskRunner: jest.fn(() => ({ run: jest.fn() })),
    });
    await startTestBackend({
      features: [
        searchPlugin,
        searchModuleDataMesh,
        scheduler.factory,
        catalogServiceMock.factory({ entities: products }),
        mockServices.rootConfig.factory({
          data: {
            search: {
              collators: {
                dataMesh: {
                  schedule: {
                    frequency: { minutes: 30 },
                    timeout: { minutes: 5 },
                    initialDelay: { seconds: 0 },
                  },
                },
              },
            },
          },
        }),
      ],
    });

    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 0 },
    });
    const [runner] = scheduler.createScheduledTaskRunner.mock.results;
    expect(runner.value.run).toHaveBeenCalledWith(
      expect.objectContaining({ id: INDEX_TASK }),
    );
  });
});

describe('indexing again on changes', () => {
  async function subscriptions(dataMesh: object) {
    const events = mockServices.events.mock();
    await startTestBackend({
      features: [
        searchPlugin,
        searchModuleDataMesh,
        events.factory,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities: products }),
        mockServices.rootConfig.factory({
          data: { search: { collators: { dataMesh } } },
        }),
      ],
    });
    return events.subscribe.mock.calls.map(([options]) => options.topics);
  }

  it('listens for the products the data-mesh backend announces as changed', async () => {
    expect(await subscriptions({})).toEqual([
      [DATA_MESH_PRODUCTS_CHANGED_TOPIC],
    ]);
  });

  it('leaves changes to the schedule with refreshOnChange: false', async () => {
    expect(await subscriptions({ refreshOnChange: false })).toEqual([]);
  });

  it('stops the backend at startup on a setting it cannot read', async () => {
    await expect(subscriptions({ refreshMinimumGap: 'often' })).rejects.toThrow(
      /search\.collators\.dataMesh\.refreshMinimumGap/,
    );
  });
});

describe('keeping the PostgreSQL engine documents in its table', () => {
  /** The search plugin's own database client, as its modules get it. */
  function databaseOfSearch() {
    let client: (() => Promise<any>) | undefined;
    const feature = createBackendModule({
      pluginId: 'search',
      moduleId: 'test-database',
      register(env) {
        env.registerInit({
          deps: { database: coreServices.database },
          async init({ database }) {
            client = () => database.getClient();
          },
        });
      },
    });
    return {
      feature,
      async storage() {
        const knex = await client!();
        const { rows } = await knex.raw(
          `SELECT attstorage FROM pg_attribute WHERE attrelid = to_regclass('documents') AND attname = 'document'`,
        );
        return rows[0]?.attstorage as string | undefined;
      },
    };
  }

  const onPostgres = databases.supports('POSTGRES_17')
    ? describe
    : describe.skip;

  onPostgres('on PostgreSQL', () => {
    it('sets it at startup with pg.documentsInTable: true, after the engine made its table', async () => {
      const search = databaseOfSearch();
      await startSearch({
        databaseId: 'POSTGRES_17',
        features: [search.feature],
        config: {
          search: {
            collators: { dataMesh: { pg: { documentsInTable: true } } },
          },
        },
      });
      // 'm': main, compressed in the row; PostgreSQL's default for jsonb is 'x'.
      expect(await search.storage()).toBe('m');
    });

    it('leaves the table as the engine made it by default', async () => {
      const search = databaseOfSearch();
      await startSearch({
        databaseId: 'POSTGRES_17',
        features: [search.feature],
      });
      expect(await search.storage()).toBe('x');
    });
  });

  it('stops the backend at startup on a value that is not true or false', async () => {
    await expect(
      startTestBackend({
        features: [
          searchPlugin,
          searchModuleDataMesh,
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({ entities: products }),
          mockServices.rootConfig.factory({
            data: {
              search: {
                collators: { dataMesh: { pg: { documentsInTable: 'main' } } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'Invalid search.collators.dataMesh.pg.documentsInTable: expected true or false, found "main"',
    );
  });
});
