/*
 * An example permission policy for the data mesh, for portals that replace
 * the demo's allow-all policy. Copy it, adapt WAIVER_MANAGERS, and register
 * the module below in place of the allow-all module:
 *
 *   backend.add(dataMeshPermissionPolicyModule);
 *
 * The demo keeps allow-all so that its guest can try everything; this file
 * is type-checked and tested with the demo so that the example stays right.
 */
import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  dataMeshAccessApprovePermission,
  dataMeshLineageIngestPermission,
  dataMeshQualityIngestPermission,
  dataMeshWaiverManagePermission,
} from '@quanta/plugin-data-mesh-common';
import {
  createDataMeshProductConditionalDecision,
  dataMeshProductConditions,
} from '@quanta/plugin-data-mesh-node';

/** Who may grant and revoke waivers: members of these groups. */
export const WAIVER_MANAGERS = ['group:default/data-platform'];

/**
 * - `data-mesh.waiver.manage`: members of a waiver manager group only, since
 *   a waiver exempts a product from a policy;
 * - `data-mesh.lineage.ingest` and `data-mesh.quality.ingest`: refused to
 *   people; pipelines post with a static token from
 *   `backend.auth.externalAccess`, a service principal, which the permission
 *   framework does not send to the policy;
 * - `data-mesh.access.approve` (approve, deny and revoke access to a
 *   product's ports): the product's owners only, its owner team's members
 *   and its product owner, through the condition "is owner of the product";
 * - everything else (`data-mesh.scorecard.read`, `data-mesh.lineage.read`,
 *   `data-mesh.quality.read`, `data-mesh.evaluation.create`,
 *   `data-mesh.access.read`, `data-mesh.access.request`) and every other
 *   plugin's permission: allowed, as a starting point.
 */
export class DataMeshPermissionPolicy implements PermissionPolicy {
  private readonly waiverManagers: Set<string>;

  constructor(options: { waiverManagers: string[] }) {
    this.waiverManagers = new Set(
      options.waiverManagers.map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, dataMeshWaiverManagePermission)) {
      const refs = user?.info.ownershipEntityRefs ?? [];
      const manager = refs.some(ref =>
        this.waiverManagers.has(ref.toLocaleLowerCase('en-US')),
      );
      return { result: manager ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (isPermission(permission, dataMeshAccessApprovePermission)) {
      return createDataMeshProductConditionalDecision(
        permission,
        dataMeshProductConditions.isProductOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    if (
      isPermission(permission, dataMeshLineageIngestPermission) ||
      isPermission(permission, dataMeshQualityIngestPermission)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Registers {@link DataMeshPermissionPolicy} as the portal's policy. */
export const dataMeshPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'data-mesh-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, logger: coreServices.logger },
      async init({ policy, logger }) {
        logger.info(
          `Data mesh permission policy: waivers managed by ${WAIVER_MANAGERS.join(
            ', ',
          )}`,
        );
        policy.setPolicy(
          new DataMeshPermissionPolicy({ waiverManagers: WAIVER_MANAGERS }),
        );
      },
    });
  },
});
