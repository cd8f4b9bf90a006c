import type {
  AuditorService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { LineageService } from '../lineage/LineageService';
import type { CapabilityDeps } from '../shared/capability';
import type { DataMeshConfig } from '../shared/config';
import { ContractReader } from './ContractReader';
import { OfficialOdcsSchemas } from './OfficialOdcsSchemas';
import { ContractService } from './ContractService';
import { ContractStore } from './ContractStore';
import { createContractsRouter } from './router';
import { contractFactSource } from './facts';
import { ContractImpact } from './impact';
import { BreakingChangeNotifier } from './notifications';

/**
 * Contracts: reads the ODCS contract of every output port on a schedule,
 * keeps its versions and serves them with the changes between them.
 */
export async function setupContracts(
  deps: CapabilityDeps & {
    urlReader: UrlReaderService;
    settings: DataMeshConfig['contracts'];
    /** Declared and observed consumers of each port, for impact and notifications. */
    lineage: LineageService;
    notifications: NotificationService;
    auditor: AuditorService;
  },
) {
  const store = new ContractStore(deps.knex);
  const impact = new ContractImpact({
    store,
    lineage: deps.lineage,
    catalog: deps.catalog,
    fields: ({ entityRef, port }) => deps.lineage.fieldsRead(entityRef, port),
  });
  const notifier = new BreakingChangeNotifier({
    store,
    impact,
    notifications: deps.notifications,
    auditor: deps.auditor,
    logger: deps.logger,
  });
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
    store,
    source: deps,
    logger: deps.logger,
    onVersionRead: (entityRef, port, digest) =>
      notifier.versionRead(entityRef, port, digest),
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
    impact,
    maxSize: deps.settings.maxSize,
    catalog: deps.catalog,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
  });
  // What the last reads found reaches the policy engine as facts.
  const facts = contractFactSource(deps.knex);
  return { contracts, facts, router };
}
