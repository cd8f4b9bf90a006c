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

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.start();
