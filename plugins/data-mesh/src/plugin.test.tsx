import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  dataMeshPlugin,
  EntityDataProductAboutCard,
  EntityDataProductPortsCard,
  EntityDataProductSlosCard,
  EntityDataProductScorecardCard,
  EntityDataProductLineageCard,
  EntityGroupDataProductsCard,
  EntityGroupFailedDescriptorsCard,
  DataMeshPage,
  DataMeshClient,
  dataMeshApiRef,
  dataMeshRootRouteRef,
  isDataProductEntity,
} from './index';
import { sampleDataProduct } from './testing/sampleDataProduct';
import { mockDataMeshApi } from './testing/governance';
import { sampleLineage } from './testing/lineage';
import {
  sampleComponent,
  sampleGovernanceApi,
  sampleGroup,
} from './testing/plugin';

describe('legacy data mesh plugin', () => {
  it('is the data-mesh plugin', () => {
    expect(dataMeshPlugin.getId()).toBe('data-mesh');
  });

  it('registers the governance API client and the page route', () => {
    const factory = [...dataMeshPlugin.getApis()].find(
      api => api.api.id === dataMeshApiRef.id,
    );
    expect(
      factory?.factory({
        discoveryApi: { getBaseUrl: async () => '' },
        fetchApi: { fetch: jest.fn() },
      }),
    ).toBeInstanceOf(DataMeshClient);
    expect(dataMeshPlugin.routes.root).toBe(dataMeshRootRouteRef);
  });

  it('tells DataProducts apart for EntitySwitch', () => {
    expect(isDataProductEntity(sampleDataProduct())).toBe(true);
    expect(isDataProductEntity(sampleComponent)).toBe(false);
  });

  it('loads the cards lazily as plugin extensions', async () => {
    await renderInTestApp(
      <EntityProvider entity={sampleDataProduct()}>
        <EntityDataProductAboutCard />
        <EntityDataProductPortsCard />
        <EntityDataProductSlosCard />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    // The test app has no backend address, so the data mesh API cannot be
    // made: the about card's conflict warning shows nothing, and the card
    // still renders.
    expect(
      await screen.findByText('About this data product'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('note', { name: 'Declared in more than one file' }),
    ).not.toBeInTheDocument();
    expect(await screen.findByText('Output ports')).toBeInTheDocument();
    expect(
      await screen.findByText('SLOs and classification'),
    ).toBeInTheDocument();
  });

  it('loads the scorecard card lazily', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, sampleGovernanceApi()]]}>
        <EntityProvider entity={sampleDataProduct()}>
          <EntityDataProductScorecardCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('Governance scorecard')).toBeInTheDocument();
    expect(await screen.findByLabelText('Level Bronze')).toBeInTheDocument();
  });

  it('loads the lineage card lazily', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            dataMeshApiRef,
            mockDataMeshApi({
              getLineage: jest.fn(async () => sampleLineage()),
            }),
          ],
        ]}
      >
        <EntityProvider entity={sampleDataProduct()}>
          <EntityDataProductLineageCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('Lineage')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Revenue' }),
    ).toBeInTheDocument();
  });

  it('loads the group card lazily', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, sampleGovernanceApi()]]}>
        <EntityProvider entity={sampleGroup}>
          <EntityGroupDataProductsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByRole('table', { name: 'Data products of this team' }),
    ).toHaveTextContent('orders');
  });

  it("loads the team's refused descriptors card lazily", async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [],
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, api]]}>
        <EntityProvider entity={sampleGroup}>
          <EntityGroupFailedDescriptorsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      await screen.findByRole('note', { name: 'No refused descriptors' }),
    ).toHaveTextContent('No refused descriptors for this team.');
    expect(api.listFailedDescriptors).toHaveBeenCalledWith({
      owner: 'group:default/sales-data',
    });
  });

  it('mounts the Data Mesh page on its route', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, sampleGovernanceApi()]]}>
        <Routes>
          <Route path="/data-mesh" element={<DataMeshPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/data-mesh'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Data Mesh' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
    expect(screen.getByText('Mesh lineage')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Daily sales' }),
    ).toBeInTheDocument();
  });
});
