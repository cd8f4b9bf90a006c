import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@quanta/plugin-catalog-backend-module-data-mesh'));
// Descriptors the catalog itself refuses (an invalid name, a YAML syntax
// error) never become entities; this lists them with their errors.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Governance scorecard: policies evaluated for every data product.
backend.add(import('@quanta/plugin-data-mesh-backend'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
// Data product templates: governance checks, contracts, local publishing.
backend.add(import('@quanta/plugin-scaffolder-backend-module-data-mesh'));

// Search: Lunr by default (the demo's SQLite); the PostgreSQL engine takes
// over where the database is PostgreSQL (app-config.production.yaml) and
// only logs a warning and steps aside on SQLite.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
// Catalog entities except DataProduct (search.collators.catalog.filter in
// app-config.yaml); DataProducts are indexed by Quanta's module as
// `data-product` documents.
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@quanta/plugin-search-backend-module-data-mesh'));

// Notifications: owners of consumer products are told when a contract
// version with breaking changes lands (the portal's /notifications page).
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// A backend whose startup failed answers 503 forever; exiting lets the
// orchestrator start it again. Several replicas starting together on an empty
// database need that: Backstage's catalog fails its startup with
// "MigrationLocked" when another replica holds the migration lock
// (backstage/backstage#24284), and the restarted replica finds the tables
// migrated. Quanta's plugins wait for the lock instead.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  // One line, so that a log search finds every plugin that failed.
  console.error(
    `Backend startup failed, exiting: ${String(error).replace(/\s*\n\s*/g, ' | ')}`,
  );
  process.exit(1);
});
