import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/**
 * Read scorecards, roll-ups, adoption figures and the policy catalog.
 *
 * @public
 */
export const dataMeshScorecardReadPermission = createPermission({
  name: 'data-mesh.scorecard.read',
  attributes: { action: 'read' },
});

/**
 * Start an evaluation of one product or of the whole mesh.
 *
 * @public
 */
export const dataMeshEvaluatePermission = createPermission({
  name: 'data-mesh.evaluation.create',
  attributes: { action: 'create' },
});

/**
 * Grant and revoke waivers through the API.
 *
 * @public
 */
export const dataMeshWaiverManagePermission = createPermission({
  name: 'data-mesh.waiver.manage',
  attributes: { action: 'update' },
});

/**
 * Read declared and observed lineage, and the datasets no product serves.
 *
 * @public
 */
export const dataMeshLineageReadPermission = createPermission({
  name: 'data-mesh.lineage.read',
  attributes: { action: 'read' },
});

/**
 * Send OpenLineage events; meant for pipelines with a static access token.
 *
 * @public
 */
export const dataMeshLineageIngestPermission = createPermission({
  name: 'data-mesh.lineage.ingest',
  attributes: { action: 'create' },
});

/**
 * Read quality results and SLO status.
 *
 * @public
 */
export const dataMeshQualityReadPermission = createPermission({
  name: 'data-mesh.quality.read',
  attributes: { action: 'read' },
});

/**
 * Post quality results; meant for pipelines with a static access token.
 *
 * @public
 */
export const dataMeshQualityIngestPermission = createPermission({
  name: 'data-mesh.quality.ingest',
  attributes: { action: 'create' },
});

/**
 * The resource type of a data product for conditional decisions: rules such
 * as "is owner of the product" apply to it.
 *
 * @public
 */
export const DATA_MESH_PRODUCT_RESOURCE_TYPE = 'data-mesh-product';

/**
 * Ask for access to an output port, for a product or component of one's team.
 *
 * @public
 */
export const dataMeshAccessRequestPermission = createPermission({
  name: 'data-mesh.access.request',
  attributes: { action: 'create' },
});

/**
 * See access requests and grants: who consumes a product, for what, until when.
 *
 * @public
 */
export const dataMeshAccessReadPermission = createPermission({
  name: 'data-mesh.access.read',
  attributes: { action: 'read' },
});

/**
 * Approve, deny and revoke access to a product's ports. A resource
 * permission: a policy may answer it with the condition "is owner of the
 * product" (its owner team's members and its product owner).
 *
 * @public
 */
export const dataMeshAccessApprovePermission = createPermission({
  name: 'data-mesh.access.approve',
  attributes: { action: 'update' },
  resourceType: DATA_MESH_PRODUCT_RESOURCE_TYPE,
});

/**
 * Every permission of the data mesh plugins, for the permission integration router.
 * Typed as a plain list: an inferred union's member order follows the
 * compiler's type ids, which made the API report differ between builds.
 *
 * @public
 */
export const dataMeshPermissions: Permission[] = [
  dataMeshScorecardReadPermission,
  dataMeshEvaluatePermission,
  dataMeshWaiverManagePermission,
  dataMeshLineageReadPermission,
  dataMeshLineageIngestPermission,
  dataMeshQualityReadPermission,
  dataMeshQualityIngestPermission,
  dataMeshAccessRequestPermission,
  dataMeshAccessReadPermission,
  dataMeshAccessApprovePermission,
];
