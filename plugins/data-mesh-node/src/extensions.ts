import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { DataMeshPolicy } from './engine/types';

/**
 * Lets a portal's own backend modules add policies written in TypeScript to
 * the data mesh plugin. Such policies may read quality and lineage facts
 * from their context.
 *
 * @public
 */
export interface DataMeshPoliciesExtensionPoint {
  /**
   * Adds policies to the catalog the engine checks; their ids must be unique.
   */
  addPolicies(...policies: DataMeshPolicy[]): void;
}

/**
 * The extension point through which backend modules add policies; see
 * {@link DataMeshPoliciesExtensionPoint}.
 *
 * @public
 */
export const dataMeshPoliciesExtensionPoint =
  createExtensionPoint<DataMeshPoliciesExtensionPoint>({
    id: 'data-mesh.policies',
  });
