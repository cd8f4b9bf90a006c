import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The Data Mesh page. One ref serves both frontend systems.
 *
 * @public
 */
export const dataMeshRootRouteRef = createRouteRef({ id: 'data-mesh' });
