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
import type { ContractFactSource } from '../shared/facts';

/**
 * Most changed products whose contracts are read before their evaluation;
 * a change touching more (a bulk import) leaves them to the refresh, so an
 * evaluation never waits on thousands of reads through the URL reader.
 */
const MAX_READ_ON_CHANGE = 100;

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
  // What the last reads found reaches the policy engine as facts; products
  // evaluated because their descriptor changed are read first.
  const stored = contractFactSource(deps.knex, deps.settings);
  const facts: ContractFactSource = async (products, options) => {
    if (options?.refresh && products.length) {
      if (products.length <= MAX_READ_ON_CHANGE) {
        await contracts.refreshEntities(products);
      } else {
        deps.logger.info(
          `${products.length} changed products: their contracts are read by the next refresh, not before this evaluation`,
        );
      }
    }
    return stored(products, options);
  };
  return { contracts, facts, router };
}
