import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { DATA_MESH_PRODUCTS_CHANGED_TOPIC } from '@quanta/plugin-data-mesh-node';
import { readCollatorSchedule, readRefreshOnChange } from './collator/config';
import { DataProductCollatorFactory } from './collator/DataProductCollatorFactory';
import { IndexRefresher } from './refresh/IndexRefresher';
import {
  DOCUMENTS_IN_TABLE_KEY,
  keepDocumentsInTable,
  readDocumentsInTable,
} from './postgres/documentStorage';

/**
 * Indexes every DataProduct for search, as documents of type `data-product`
 * (see {@link DataProductSearchDocument}), on the schedule in
 * `search.collators.dataMesh.schedule`, and again soon after the data-mesh
 * backend announces changed products (`search.collators.dataMesh.refreshOnChange`).
 * With `search.collators.dataMesh.pg.documentsInTable`, it keeps the
 * PostgreSQL engine's documents in its table at startup, so that queries
 * with facets use the engine's index.
 *
 * @public
 */
export const searchModuleDataMesh = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-mesh',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init({
        auth,
        config,
        database,
        discovery,
        logger,
        lifecycle,
        scheduler,
        indexRegistry,
        catalog,
        events,
      }) {
        const refresh = readRefreshOnChange(config);
        if (readDocumentsInTable(config)) {
          // At startup, when every module of the search plugin has run its
          // init and the PostgreSQL engine has made its table.
          lifecycle.addStartupHook(async () => {
            try {
              const outcome = await keepDocumentsInTable(
                await database.getClient(),
              );
              if (outcome.status === 'applied') {
                logger.info(
                  `Search documents are now kept in their table (${DOCUMENTS_IN_TABLE_KEY}); ${outcome.rows} rewritten`,
                );
              } else if (outcome.status === 'not-postgres') {
                logger.warn(
                  `${DOCUMENTS_IN_TABLE_KEY} applies to the PostgreSQL search engine only; the search database here is not PostgreSQL, so it does nothing`,
                );
              } else if (outcome.status === 'no-table') {
                logger.warn(
                  `${DOCUMENTS_IN_TABLE_KEY} is set, but the search database has no documents table: add @backstage/plugin-search-backend-module-pg to the backend, or remove the setting`,
                );
              }
            } catch (error) {
              // Search works as before; only filtered queries stay slower.
              logger.error(
                `Could not keep search documents in their table (${DOCUMENTS_IN_TABLE_KEY}); run "ALTER TABLE documents ALTER COLUMN document SET STORAGE MAIN" and then "UPDATE documents SET document = document || '{}'::jsonb" in the search database as the table's owner: ${
                  error instanceof Error ? error.message : error
                }`,
              );
            }
          });
        }
        let schedule = scheduler.createScheduledTaskRunner(
          readCollatorSchedule(config),
        );
        if (refresh.enabled) {
          // The search plugin's scheduler, shared by its modules, runs the
          // index task: a trigger from here starts it.
          const refresher = new IndexRefresher({
            scheduler,
            logger,
            minimumGapMs: refresh.minimumGapMs,
          });
          schedule = refresher.runnerFor(schedule);
          await events.subscribe({
            id: 'data-mesh-products-changed',
            topics: [DATA_MESH_PRODUCTS_CHANGED_TOPIC],
            async onEvent({ eventPayload }) {
              const products = (eventPayload as { products?: unknown })
                ?.products;
              refresher.changed(Array.isArray(products) ? products.length : 1);
            },
          });
          lifecycle.addShutdownHook(() => refresher.stop());
        }
        indexRegistry.addCollator({
          schedule,
          factory: new DataProductCollatorFactory({
            auth,
            catalog,
            discovery,
            logger,
          }),
        });
      },
    });
  },
});
