import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { GroupDataProductsCard } from './GroupDataProductsCard';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { mockDataMeshApi, sampleSummary } from '../../testing/governance';
import { errorHeading } from '../../testing/errors';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'Sales-Data', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

async function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <EntityProvider entity={group}>
        <GroupDataProductsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('GroupDataProductsCard', () => {
  it("lists the team's products with level, score and what blocks the next level", async () => {
    const api = mockDataMeshApi({
      listScorecards: jest.fn(async () => ({
        totalItems: 2,
        items: [
          sampleSummary(),
          sampleSummary({
            entityRef: 'dataproduct:default/returns',
            level: 'Gold',
            score: 100,
            failing: [],
            nextLevel: undefined,
          }),
        ],
      })),
    });
    await renderCard(api);

    const table = await screen.findByRole('table', {
      name: 'Data products of this team',
    });
    expect(api.listScorecards).toHaveBeenCalledWith({
      owner: 'group:default/sales-data',
      limit: 100,
    });
    const [, orders, returns] = within(table).getAllByRole('row');

    expect(
      within(orders).getByRole('link', { name: /orders/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/orders');
    expect(within(orders).getByLabelText('Level Bronze')).toBeInTheDocument();
    expect(orders).toHaveTextContent('63');
    expect(orders).toHaveTextContent(
      'Silver: Every output port has an address, SLOs are declared',
    );

    expect(
      within(returns).getByRole('link', { name: /returns/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/returns');
    expect(within(returns).getByLabelText('Level Gold')).toBeInTheDocument();
    expect(returns).toHaveTextContent('Holds the top level');
    expect(screen.queryByText(/Showing/)).not.toBeInTheDocument();
  });

  it('shows products below the first level and says when the list is cut', async () => {
    await renderCard(
      mockDataMeshApi({
        listScorecards: jest.fn(async () => ({
          totalItems: 140,
          items: [
            sampleSummary({
              level: undefined,
              nextLevel: { name: 'Bronze', blocking: ['custom.rule'] },
            }),
          ],
        })),
      }),
    );

    const row = within(
      await screen.findByRole('table', { name: 'Data products of this team' }),
    ).getAllByRole('row')[1];
    expect(within(row).getByLabelText('No level yet')).toBeInTheDocument();
    // A policy unknown to the catalog is named by its id.
    expect(row).toHaveTextContent('Bronze: custom.rule');
    expect(
      screen.getByText('Showing 1 of 140 data products.'),
    ).toBeInTheDocument();
  });

  it('says so when the team owns no evaluated product', async () => {
    await renderCard(
      mockDataMeshApi({
        listScorecards: jest.fn(async () => ({ totalItems: 0, items: [] })),
      }),
    );

    expect(
      await screen.findByRole('note', { name: 'No evaluated data products' }),
    ).toHaveTextContent('This team owns no evaluated data product.');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error when the list cannot be read', async () => {
    await renderCard(
      mockDataMeshApi({
        listScorecards: jest.fn(async () => {
          throw new Error('Request failed with 403: Not allowed');
        }),
      }),
    );

    expect(
      await screen.findByText(
        ...errorHeading('Request failed with 403: Not allowed'),
      ),
    ).toBeInTheDocument();
  });
});
