import { Entity } from '@backstage/catalog-model';
import {
  mockDataMeshApi,
  sampleAdoption,
  sampleScorecard,
  sampleSummary,
} from './governance';
import { fakeMeshLineage, smallMesh } from './lineage';

/** The team that owns the sample product, for the group card. */
export const sampleGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'sales-data' },
  spec: { type: 'team', children: [] },
};

/** An entity that is no DataProduct, on whose page no product card shows. */
export const sampleComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'sales-data' },
};

/**
 * The governance API as the backend would answer for the sample product, its
 * team and a small mesh: enough for the plugin's cards and the Data Mesh page.
 */
export function sampleGovernanceApi() {
  return mockDataMeshApi({
    getScorecard: jest.fn(async () => sampleScorecard()),
    listScorecards: jest.fn(async () => ({
      totalItems: 1,
      items: [sampleSummary()],
    })),
    getAdoption: jest.fn(async () => sampleAdoption()),
    getRollups: jest.fn(async () => ({ items: [] })),
    getMeshLineage: fakeMeshLineage(...smallMesh()),
  });
}
