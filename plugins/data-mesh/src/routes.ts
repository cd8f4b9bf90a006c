import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The Data Mesh page. One ref serves both frontend systems.
 *
 * @public
 */
export const dataMeshRootRouteRef = createRouteRef({ id: 'data-mesh' });

/**
 * The access requests waiting for the signed-in user's decision: the
 * Access requests tab of the Data Mesh page (`/data-mesh/access` when the
 * page is at `/data-mesh`). One ref serves both frontend systems.
 *
 * @public
 */
export const dataMeshAccessInboxRouteRef = createSubRouteRef({
  id: 'data-mesh/access-inbox',
  parent: dataMeshRootRouteRef,
  path: '/access',
});
