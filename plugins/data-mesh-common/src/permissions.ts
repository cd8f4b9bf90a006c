import { createPermission } from '@backstage/plugin-permission-common';

/** Read scorecards, roll-ups, adoption figures and the policy catalog. */
export const dataMeshScorecardReadPermission = createPermission({
  name: 'data-mesh.scorecard.read',
  attributes: { action: 'read' },
});

/** Start an evaluation of one product or of the whole mesh. */
export const dataMeshEvaluatePermission = createPermission({
  name: 'data-mesh.evaluation.create',
  attributes: { action: 'create' },
});

/** Grant and revoke waivers through the API. */
export const dataMeshWaiverManagePermission = createPermission({
  name: 'data-mesh.waiver.manage',
  attributes: { action: 'update' },
});

/** Every permission of the data mesh plugins, for the permission integration router. */
export const dataMeshPermissions = [
  dataMeshScorecardReadPermission,
  dataMeshEvaluatePermission,
  dataMeshWaiverManagePermission,
];
