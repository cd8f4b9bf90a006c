import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityDataProductContractContent, dataMeshApiRef } from './index';
import { sampleContracts } from './components/DataProductContractContent/testing';
import { mockDataMeshApi } from './testing/governance';
import { sampleDataProduct } from './testing/sampleDataProduct';

describe('EntityDataProductContractContent', () => {
  it('loads the Contract tab lazily from the legacy exports', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            dataMeshApiRef,
            mockDataMeshApi({
              getContracts: jest.fn(async () => sampleContracts()),
            }),
          ],
        ]}
      >
        <EntityProvider entity={sampleDataProduct()}>
          <EntityDataProductContractContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByRole('tab', { name: /order-events/ }),
    ).toHaveTextContent('Contract cannot be read');
    expect(
      screen.getByRole('region', { name: 'Current contract' }),
    ).toHaveTextContent('Version2.0.0');
  });
});
