import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EntityDataProductAccessContent,
  dataMeshAccessInboxRouteRef,
  dataMeshApiRef,
  dataMeshPlugin,
} from './index';
import {
  sampleAccessPorts,
  sampleOtherRequests,
} from './components/DataProductAccessContent/testing';
import { mockDataMeshApi } from './testing/governance';
import { sampleDataProduct } from './testing/sampleDataProduct';

describe('EntityDataProductAccessContent', () => {
  it('loads the Access tab lazily from the legacy exports', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            dataMeshApiRef,
            mockDataMeshApi({
              getAccessPorts: jest.fn(async () => sampleAccessPorts()),
              listAccessGrants: jest.fn(async () => ({
                items: [],
                totalItems: 0,
              })),
              listAccessRequests: jest.fn(async () => ({
                items: sampleOtherRequests(),
                totalItems: 2,
              })),
            }),
          ],
          [catalogApiRef, { getEntities: async () => ({ items: [] }) }],
          [identityApiRef, mockApis.identity()],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={sampleDataProduct()}>
          <EntityDataProductAccessContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByRole('region', {
        name: 'Sensitivity of order-events',
      }),
    ).toHaveTextContent('Requests are approved at once');
    expect(
      await screen.findByRole('list', {
        name: 'Access requests of orders-table',
      }),
    ).toHaveTextContent('Use the anonymised customer port for campaigns');
    expect(screen.getByText('No one has access yet.')).toBeInTheDocument();
  });

  it('names the inbox route among the plugin’s routes', () => {
    expect(dataMeshPlugin.routes.accessInbox).toBe(dataMeshAccessInboxRouteRef);
  });
});
