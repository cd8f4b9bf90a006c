import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { CapabilityDeps } from '../shared/capability';
import type { DataMeshConfig } from '../shared/config';
import { ContractReader } from './ContractReader';
import { OfficialOdcsSchemas } from './OfficialOdcsSchemas';
import { ContractService } from './ContractService';
import { ContractStore } from './ContractStore';
import { createContractsRouter } from './router';

/**
 * Contracts: reads the ODCS contract of every output port on a schedule,
 * keeps its versions and serves them with the changes between them.
 */
export async function setupContracts(
  deps: CapabilityDeps & {
    urlReader: UrlReaderService;
    settings: DataMeshConfig['contracts'];
  },
) {
  const contracts = new ContractService({
    reader: new ContractReader({
      urlReader: deps.urlReader,
      maxSize: deps.settings.maxSize,
      schemas: deps.settings.officialSchemaUrl
        ? new OfficialOdcsSchemas({
            urlReader: deps.urlReader,
            urlTemplate: deps.settings.officialSchemaUrl,
            logger: deps.logger,
          })
        : undefined,
    }),
    store: new ContractStore(deps.knex),
    source: deps,
    logger: deps.logger,
  });
  await deps.scheduler.scheduleTask({
    id: 'data-mesh-contracts-refresh',
    // One instance reads the contracts, whatever the number of backends.
    scope: 'global',
    frequency: deps.settings.refreshInterval,
    timeout: deps.settings.refreshInterval,
    initialDelay: { seconds: 30 },
    fn: async () => {
      await contracts.refresh();
    },
  });
  const router = createContractsRouter({
    contracts,
    catalog: deps.catalog,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
  });
  return { contracts, router };
}
