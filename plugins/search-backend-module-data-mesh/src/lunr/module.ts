import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { isPostgres } from '../postgres/documentStorage';
import { DataMeshLunrSearchEngine } from './DataMeshLunrSearchEngine';

/**
 * Registers {@link DataMeshLunrSearchEngine}, Backstage's Lunr engine with
 * a query translator for data products, as the search engine: for a portal
 * that searches with Lunr, in place of the default Lunr engine the search
 * backend makes when no module registers one.
 *
 * When the search plugin's database is PostgreSQL it registers nothing and
 * leaves the engine to `@backstage/plugin-search-backend-module-pg`, which
 * registers its own only then: a backend with both modules has Lunr on
 * SQLite and PostgreSQL's full-text search on PostgreSQL.
 *
 * @public
 */
export const searchModuleDataMeshLunrEngine = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-mesh-lunr-engine',
  register(env) {
    env.registerInit({
      deps: {
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
        database: coreServices.database,
        logger: coreServices.logger,
      },
      async init({ searchEngineRegistry, database, logger }) {
        if (isPostgres(await database.getClient())) {
          logger.info(
            'The search database is PostgreSQL: the data-mesh Lunr engine leaves search to the PostgreSQL engine module',
          );
          return;
        }
        searchEngineRegistry.setSearchEngine(
          new DataMeshLunrSearchEngine({ logger }),
        );
      },
    });
  },
});
