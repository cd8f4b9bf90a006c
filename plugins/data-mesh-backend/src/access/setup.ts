import type {
  AuditorService,
  PermissionsRegistryService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  type AccessRequest,
  type DataProductEntity,
  dataMeshAccessApprovePermission,
  entityRefKey,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import {
  type AccessGrantFacts,
  type AccessProvisioner,
  dataMeshProductPermissionResourceRef,
  dataMeshProductPermissionRules,
  recordOnlyAccessProvisioner,
} from '@quanta/plugin-data-mesh-node';
import type { CapabilityDeps } from '../shared/capability';
import type { AccessFactSource, GrantListener } from '../shared/facts';
import type { DataMeshConfig } from '../shared/config';
import { AccessService } from './AccessService';
import { AccessStore } from './AccessStore';
import { ProductApprovers } from './approvers';
import { AccessNotifier } from './notifications';
import { GrantProvisioning } from './provisioning';
import { createAccessRouter } from './router';

/**
 * Access to data products: requests, decisions, grants and their
 * provisioning, the permission resource type of data products (with the
 * rule IS_PRODUCT_OWNER), the routes, and two schedules: provisioning
 * retries and expiry.
 */
export async function setupAccess(
  deps: CapabilityDeps & {
    settings: DataMeshConfig['access'];
    userInfo: UserInfoService;
    auditor: AuditorService;
    notifications: NotificationService;
    permissionsRegistry: PermissionsRegistryService;
    /** The provisioner a module set through the extension point; grants are recorded only without one. */
    provisioner?: AccessProvisioner;
    /** Lineage, which draws grants as consumer edges. */
    lineage?: GrantListener;
    now?: () => Date;
  },
) {
  const { settings, logger } = deps;
  const now = deps.now ?? (() => new Date());

  // Policies answer data-mesh.access.approve with conditions on the product;
  // the permission backend loads products through getResources to apply them.
  deps.permissionsRegistry.addResourceType({
    resourceRef: dataMeshProductPermissionResourceRef,
    permissions: [dataMeshAccessApprovePermission],
    rules: Object.values(dataMeshProductPermissionRules),
    getResources: async refs => {
      const credentials = await deps.auth.getOwnServiceCredentials();
      const { items } = await deps.catalog.getEntitiesByRefs(
        { entityRefs: refs },
        { credentials },
      );
      return items.map(entity =>
        entity && isDataProductEntity(entity)
          ? (entity as DataProductEntity)
          : undefined,
      );
    },
  });

  const store = new AccessStore(deps.knex);
  const provisioner = deps.provisioner ?? recordOnlyAccessProvisioner;
  const provisioning = new GrantProvisioning({
    store,
    provisioner,
    auditor: deps.auditor,
    logger,
    now,
  });
  const access = new AccessService({
    store,
    catalog: deps.catalog,
    auth: deps.auth,
    userInfo: deps.userInfo,
    approvers: new ProductApprovers({
      permissions: deps.permissions,
      ruleset: deps.permissionsRegistry.getPermissionRuleset(
        dataMeshProductPermissionResourceRef,
      ),
      logger,
    }),
    notifier: new AccessNotifier({
      notifications: deps.notifications,
      logger,
    }),
    provisioning,
    auditor: deps.auditor,
    logger,
    settings,
    now,
    onGrantsChanged: () => deps.lineage?.grantsChanged(),
  });
  deps.lineage?.useGrants(() => access.activeGrants());

  await deps.scheduler.scheduleTask({
    id: 'data-mesh-access-provisioning',
    // One instance retries, whatever the number of backends; attempts are
    // claimed in the database besides.
    scope: 'global',
    frequency: settings.provisioningInterval,
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      await provisioning.retryDue();
    },
  });
  await deps.scheduler.scheduleTask({
    id: 'data-mesh-access-expiry',
    scope: 'global',
    frequency: settings.expiryInterval,
    timeout: { minutes: 10 },
    initialDelay: {
      milliseconds: Math.min(
        durationToMilliseconds(settings.expiryInterval),
        60_000,
      ),
    },
    fn: async () => {
      const expired = await access.expire();
      if (expired) logger.info(`Expired ${expired} access requests`);
    },
  });

  const router = createAccessRouter({
    access,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
  });
  logger.info(`Data mesh access: provisioner ${provisioner.name}`);
  return {
    access,
    router,
    /**
     * Every approved request that has not ended: who reads which port of
     * which product, for lineage, impact and policy facts.
     */
    grants: (): Promise<AccessRequest[]> => access.activeGrants(),
    /** The grants of each product's ports, for the access policies. */
    facts: (async products => {
      const wanted = new Set(products.map(p => entityRefKey(p)));
      const byProduct = new Map<string, AccessGrantFacts[]>();
      for (const grant of await access.activeGrants()) {
        if (!wanted.has(grant.entityRef)) continue;
        const list = byProduct.get(grant.entityRef) ?? [];
        list.push({
          requestId: grant.id,
          port: grant.port,
          consumer: grant.consumer,
          endDate: grant.endDate,
          ...(grant.decidedAt ? { approvedAt: grant.decidedAt } : {}),
          ...(grant.sensitivity.classification
            ? { classification: grant.sensitivity.classification }
            : {}),
          containsPii: grant.sensitivity.containsPii,
        });
        byProduct.set(grant.entityRef, list);
      }
      return new Map([...byProduct].map(([ref, grants]) => [ref, { grants }]));
    }) satisfies AccessFactSource,
  };
}
