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

// Search: Quanta's Lunr engine on the demo's SQLite; the PostgreSQL engine
// where the database is PostgreSQL (app-config.production.yaml). Each
// registers only on its own database and steps aside on the other.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@quanta/plugin-search-backend-module-data-mesh/lunr'));
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

/**
 * Instances that start together on an empty PostgreSQL database run
 * Backstage's own migrations at the same moment, and those are not safe for
 * it: the catalog fails its start with "MigrationLocked"
 * (backstage/backstage#24284), and knex, creating a migration lock table
 * from two processes, can leave two rows in it, after which every start fails
 * with "Migration table is already locked" until someone deletes one. So
 * with PostgreSQL (app-config.production.yaml) this backend starts one
 * instance at a time: it holds an advisory lock while it starts. The lock
 * belongs to the session, so an instance that dies while starting releases
 * it; one that hangs is waited for at most START_LOCK_WAIT_MS. Quanta's own
 * migrations wait for each other without this.
 */
const START_LOCK_KEY = 4_713_524_001; // any constant shared by the instances
const START_LOCK_WAIT_MS = 10 * 60_000;

async function startOneAtATime<T>(start: () => Promise<T>): Promise<T> {
  if (!process.env.POSTGRES_HOST) return start();
  // pg comes without types; this is the part used here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as {
    Client: new (config: object) => {
      connect(): Promise<void>;
      query(
        sql: string,
        values: unknown[],
      ): Promise<{ rows: Array<Record<string, any>> }>;
      end(): Promise<void>;
    };
  };
  const client = new Client({
    host: process.env.POSTGRES_HOST,
    port: Number(process.env.POSTGRES_PORT || 5432),
    user: process.env.POSTGRES_USER,
    password: process.env.POSTGRES_PASSWORD,
    database: 'postgres',
  });
  let locked = false;
  try {
    await client.connect();
    const deadline = Date.now() + START_LOCK_WAIT_MS;
    let told = false;
    while (!locked && Date.now() < deadline) {
      const { rows } = await client.query(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [START_LOCK_KEY],
      );
      locked = rows[0].locked;
      if (!locked) {
        if (!told) {
          // eslint-disable-next-line no-console
          console.log('Waiting for another instance to finish starting');
          told = true;
        }
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
    }
    if (!locked) {
      // eslint-disable-next-line no-console
      console.warn(
        `Another instance has been starting for ${
          START_LOCK_WAIT_MS / 60_000
        } minutes; starting anyway`,
      );
    }
  } catch (error) {
    // The backend reports an unreachable database better itself.
    // eslint-disable-next-line no-console
    console.warn(`Could not take the start lock: ${error}`);
  }
  try {
    return await start();
  } finally {
    await client.end().catch(() => undefined);
  }
}

// A backend whose startup failed answers 503 forever; exiting lets the
// orchestrator start it again, which is also the way out of a migration
// race the start lock above does not cover.
startOneAtATime(() => backend.start()).catch(error => {
  // eslint-disable-next-line no-console
  // One line, so that a log search finds every plugin that failed.
  console.error(
    `Backend startup failed, exiting: ${String(error).replace(
      /\s*\n\s*/g,
      ' | ',
    )}`,
  );
  process.exit(1);
});
