import { screen, within } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import dataMeshPlugin from './alpha';
import { dataMeshApiRef } from './api';
import { dataMeshAccessInboxRouteRef } from './routes';
import {
  sampleAccessPorts,
  sampleAccessRequest,
  sampleGrants,
} from './components/DataProductAccessContent/testing';
import { sampleGovernanceApi, sampleComponent } from './testing/plugin';
import { mockDataMeshApi } from './testing/governance';
import { sampleDataProduct } from './testing/sampleDataProduct';

const ID = 'entity-content:data-mesh/data-product-access';

describe('the Access tab for the new frontend system', () => {
  it('is a tab at access, titled Access, on DataProduct pages only', () => {
    const tester = createExtensionTester(dataMeshPlugin.getExtension(ID));
    // Read untyped: the plugin is typed loosely (see alpha.tsx).
    const get = tester.get.bind(tester) as (ref: unknown) => any;
    expect(get(coreExtensionData.routePath)).toBe('access');
    expect(get(EntityContentBlueprint.dataRefs.title)).toBe('Access');
    const isShownFor = get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(isShownFor(sampleDataProduct())).toBe(true);
    expect(isShownFor(sampleComponent)).toBe(false);
  });

  it("renders the product's ports and grants on its page", async () => {
    const api = mockDataMeshApi({
      getAccessPorts: jest.fn(async () => sampleAccessPorts()),
      listAccessGrants: jest.fn(async () => ({
        items: sampleGrants(),
        totalItems: 2,
      })),
      listAccessRequests: jest.fn(async () => ({ items: [], totalItems: 0 })),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: sampleDataProduct() }),
        dataMeshPlugin.getExtension(ID),
      ],
      apis: [
        [dataMeshApiRef, api],
        [catalogApiRef, { getEntities: async () => ({ items: [] }) } as any],
        mockApis.permission(),
      ],
    });

    expect(
      await screen.findByRole('region', {
        name: 'Sensitivity of orders-table',
      }),
    ).toHaveTextContent('Contains personal data');
    expect(
      await screen.findByRole('table', { name: 'Grants' }),
    ).toHaveTextContent('customer-360');
    expect(api.getAccessPorts).toHaveBeenCalledWith(
      'dataproduct:default/orders',
    );
    expect(api.listAccessGrants).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
    });
  });
});

describe('the access inbox for the new frontend system', () => {
  it('is the Access requests tab of the Data Mesh page, at /data-mesh/access', async () => {
    const api = sampleGovernanceApi();
    api.getAccessInbox.mockImplementation(async () => ({
      items: [sampleAccessRequest()],
      totalItems: 1,
    }));
    expect(dataMeshPlugin.routes.accessInbox).toBe(dataMeshAccessInboxRouteRef);
    renderTestApp({
      extensions: [
        dataMeshPlugin.getExtension('page:data-mesh'),
        createTestEntityPage({ entity: sampleDataProduct() }),
      ],
      apis: [[dataMeshApiRef, api]],
      initialRouteEntries: ['/data-mesh/access'],
    });

    const table = await screen.findByRole('table', {
      name: 'Access requests waiting for your decision',
    });
    expect(
      within(table).getByRole('button', {
        name: 'Approve the access of churn-model to orders-table of orders',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Access requests' }),
    ).toHaveAttribute('href', '/data-mesh/access');
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'href',
      '/data-mesh',
    );
  });
});
