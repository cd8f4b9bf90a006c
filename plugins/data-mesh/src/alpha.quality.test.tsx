import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { ApiBlueprint, ExtensionDataRef } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import dataMeshPlugin from './alpha';
import {
  dataMeshApiRef,
  dataMeshQualityApiRef,
  DataMeshQualityClient,
} from './api';
import { sampleDataProduct } from './testing/sampleDataProduct';
import { mockDataMeshApi, sampleAdoption } from './testing/governance';
import { mockQualityApi } from './testing/quality';
import { fakeMeshLineage, smallMesh } from './testing/lineage';

const CARD = 'entity-card:data-mesh/data-product-quality';

function outputOf<T>(id: string, ref: ExtensionDataRef<T, string, any>) {
  const tester = createExtensionTester(dataMeshPlugin.getExtension(id));
  return (tester.get as (r: unknown) => T | undefined)(ref);
}

describe('data quality in the new frontend system', () => {
  it('is a content card for DataProducts only', () => {
    const isShownFor = outputOf(
      CARD,
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(isShownFor!(sampleDataProduct())).toBe(true);
    expect(
      isShownFor!({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders-service' },
      }),
    ).toBe(false);
    expect(outputOf(CARD, EntityCardBlueprint.dataRefs.type)).toBe('content');
  });

  it('provides the quality API client', () => {
    const factory = outputOf(
      'api:data-mesh/quality',
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory?.api).toBe(dataMeshQualityApiRef);
    expect(
      factory?.factory({
        discoveryApi: { getBaseUrl: async () => '' },
        fetchApi: { fetch: jest.fn() },
      }),
    ).toBeInstanceOf(DataMeshQualityClient);
  });

  it('renders the quality card on a DataProduct page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension(CARD),
      ],
      apis: [[dataMeshQualityApiRef, mockQualityApi()]],
    });
    expect(await screen.findByText('Data quality')).toBeInTheDocument();
    expect(
      await screen.findByText('Completeness: breached'),
    ).toBeInTheDocument();
  });

  it('shows the SLO breaches on the Data Mesh page', async () => {
    renderTestApp({
      extensions: [
        dataMeshPlugin.getExtension('page:data-mesh'),
        // Gives the entity links of the breaches somewhere to point.
        createTestEntityPage({ entity: sampleDataProduct() }),
      ],
      apis: [
        [
          dataMeshApiRef,
          mockDataMeshApi({
            getAdoption: jest.fn(async () => sampleAdoption()),
            getRollups: jest.fn(async () => ({ items: [] })),
            getMeshLineage: fakeMeshLineage(...smallMesh()),
          }),
        ],
        [dataMeshQualityApiRef, mockQualityApi()],
      ],
      initialRouteEntries: ['/data-mesh'],
    });
    expect(await screen.findByText('SLO breaches now')).toBeInTheDocument();
    expect(
      await screen.findByText(/2 of 12 data products with SLOs breach one now/),
    ).toBeInTheDocument();
  });
});
