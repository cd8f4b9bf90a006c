import { screen, within } from '@testing-library/react';
import {
  createExtensionTester,
  mockApis,
} from '@backstage/frontend-test-utils';
import {
  coreExtensionData,
  routeResolutionApiRef,
} from '@backstage/frontend-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import {
  catalogApiRef,
  EntityKindPicker,
  entityRouteRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogDataMeshModule } from './alpha';
import { dataMeshCatalogPage } from './catalogPageModule';
import { DataMeshCatalogPage } from './components/DataProductCatalogTable/DataMeshCatalogPage';
import { dataMeshApiRef } from './api';
import { mockDataMeshApi } from './testing/governance';

const entities: Entity[] = [
  {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'orders',
      namespace: 'default',
      title: 'Orders',
      description: 'Every order placed on the web shop',
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'sales-data' },
  },
];

async function renderPage(kind: string) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities })],
        [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        [permissionApiRef, mockApis.permission()],
        [routeResolutionApiRef, { resolve: () => () => '/create' }],
        [
          dataMeshApiRef,
          mockDataMeshApi({
            getScorecard: jest.fn(async () => ({ level: 'Silver' } as any)),
          }),
        ],
      ]}
    >
      <DataMeshCatalogPage
        filters={<EntityKindPicker initialFilter={kind} />}
        pagination={false}
        createComponent={catalogPlugin.externalRoutes.createComponent}
      />
    </TestApiProvider>,
    {
      routeEntries: [`/catalog?filters[kind]=${kind}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('catalogDataMeshModule', () => {
  it('takes the place of the catalog page at /catalog', () => {
    expect(catalogDataMeshModule.pluginId).toBe('catalog');
    const tester = createExtensionTester(dataMeshCatalogPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/catalog');
    expect(tester.get(coreExtensionData.routeRef)).toBe(
      catalogPlugin.routes.catalogIndex,
    );
  });

  it('shows the data mesh columns when the catalog lists DataProducts', async () => {
    await renderPage('dataproduct');

    const row = (await screen.findByText('Orders')).closest('tr')!;
    expect(
      await within(row).findByLabelText('Level Silver'),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'sales' }),
    ).toBeInTheDocument();
    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual(expect.arrayContaining(['Domain', 'Level']));
    // The filters the page is given are shown.
    expect(screen.getByText('Kind')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create' })).toHaveAttribute(
      'href',
      '/create',
    );
  });

  it('keeps Backstage’s columns for other kinds', async () => {
    await renderPage('component');

    expect(await screen.findByText('checkout')).toBeInTheDocument();
    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual(expect.arrayContaining(['System']));
    expect(headers).not.toContain('Level');
  });
});
