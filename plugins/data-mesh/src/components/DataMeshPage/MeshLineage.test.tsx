import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { MESH_LINEAGE_MAX_PRODUCTS, MeshLineage } from './MeshLineage';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import {
  deniedMeshLineage,
  fakeMeshLineage,
  largeMesh,
  LINEAGE_DENIED,
  smallMesh,
} from '../../testing/lineage';
import { errorHeading } from '../../testing/errors';

async function renderMesh(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <Routes>
        <Route path="/" element={<MeshLineage />} />
        <Route
          path="/catalog/:namespace/:kind/:name"
          element={<div>entity page</div>}
        />
      </Routes>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const graph = () => screen.getByRole('group', { name: 'Lineage graph' });
const details = () =>
  screen.getByRole('complementary', { name: 'Lineage details' });

describe('MeshLineage', () => {
  it('draws every product of a small mesh and opens a product on click', async () => {
    const getMeshLineage = fakeMeshLineage(...smallMesh());
    await renderMesh(mockDataMeshApi({ getMeshLineage }));

    expect(
      await screen.findByRole('link', { name: 'Daily sales' }),
    ).toBeInTheDocument();
    expect(getMeshLineage).toHaveBeenCalledWith({
      groupBy: 'auto',
      maxProducts: MESH_LINEAGE_MAX_PRODUCTS,
    });
    expect(
      within(graph())
        .getAllByRole('link')
        .map(link => link.getAttribute('aria-label'))
        .sort(),
    ).toEqual(['Daily sales', 'KPIs', 'Orders', 'Revenue']);
    expect(
      screen.getByText(
        '4 data products; 4 dependencies, 1 observed, not declared.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId(
        'edge dataproduct:default/orders dataproduct:default/revenue',
      ),
    ).toHaveAttribute('data-state', 'undeclared');
    expect(
      screen.getByRole('button', { name: 'Data products' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent(
      'finance',
    );

    await userEvent.hover(screen.getByRole('link', { name: 'Revenue' }));
    expect(details()).toHaveTextContent('Revenue');
    expect(details()).toHaveTextContent('Domainfinance');
    expect(
      within(details()).getByRole('region', { name: 'Reads from' }),
    ).toHaveTextContent('Orders: observed, not declared');

    await userEvent.click(screen.getByRole('link', { name: 'Revenue' }));
    expect(await screen.findByText('entity page')).toBeInTheDocument();
  });

  it('groups a large mesh by domain, counting dependencies between domains', async () => {
    const count = MESH_LINEAGE_MAX_PRODUCTS + 10;
    const getMeshLineage = fakeMeshLineage(...largeMesh());
    await renderMesh(mockDataMeshApi({ getMeshLineage }));

    const sales = await screen.findByRole('button', {
      name: 'd0, 40 data products',
    });
    expect(sales).toBeInTheDocument();
    expect(
      within(graph())
        .getAllByRole('button')
        .map(node => node.getAttribute('aria-label')),
    ).toEqual([
      'd0, 40 data products',
      'd1, 40 data products',
      'd2, 40 data products',
      'd3, 40 data products',
    ]);
    expect(within(graph()).queryAllByRole('link')).toHaveLength(0);
    expect(
      screen.getByText(
        `Grouped by domain: the mesh has more than ${MESH_LINEAGE_MAX_PRODUCTS} data products.`,
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        `${count} data products in 4 domains; 26 dependencies between domains, 11 observed, not declared.`,
      ),
    ).toBeInTheDocument();
    // Edges say how many product dependencies they stand for, undeclared ones apart.
    expect(
      screen.getByTestId('edge count domain:default/d0 domain:default/d1'),
    ).toHaveTextContent('8 (3 undeclared)');
    expect(
      screen.getByTestId('edge domain:default/d0 domain:default/d1'),
    ).toHaveAttribute('data-state', 'undeclared');

    await userEvent.hover(
      screen.getByTestId('edge domain:default/d0 domain:default/d1'),
    );
    expect(details()).toHaveTextContent('d0 → d1');
    expect(details()).toHaveTextContent(
      'Dependencies8, 3 observed, not declared',
    );
    expect(details()).toHaveTextContent('Declared5');

    // A domain opens its products and the products they read or feed.
    await userEvent.click(
      screen.getByRole('button', { name: 'd1, 40 data products' }),
    );
    expect(
      await screen.findByRole('link', { name: 'Product 40' }),
    ).toBeInTheDocument();
    expect(getMeshLineage).toHaveBeenLastCalledWith({
      groupBy: 'product',
      maxProducts: MESH_LINEAGE_MAX_PRODUCTS,
    });
    const shown = within(graph()).getAllByRole('link');
    // d1's 40, the 8 in d0 they read and the 8 in d2 reading them.
    expect(shown).toHaveLength(56);
    expect(screen.queryByRole('link', { name: 'Product 0' })).toBeNull();
    expect(
      screen.getByText(
        '40 data products in d1, with 16 products of other domains they read from or are read by; 56 dependencies, 7 observed, not declared.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Back to the whole mesh' }),
    );
    expect(
      await screen.findByRole('button', { name: 'd1, 40 data products' }),
    ).toBeInTheDocument();
  });

  it('draws every product of a large mesh when asked', async () => {
    const count = MESH_LINEAGE_MAX_PRODUCTS + 10;
    await renderMesh(
      mockDataMeshApi({
        getMeshLineage: fakeMeshLineage(...largeMesh()),
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Data products' }),
    );
    expect(
      await screen.findByRole('link', { name: 'Product 159' }),
    ).toBeInTheDocument();
    expect(within(graph()).getAllByRole('link')).toHaveLength(count);

    await userEvent.click(screen.getByRole('button', { name: 'Domains' }));
    expect(
      await screen.findByRole('button', { name: 'd3, 40 data products' }),
    ).toBeInTheDocument();
  });

  it('says when the lineage cannot be read', async () => {
    await renderMesh(
      mockDataMeshApi({
        getMeshLineage: deniedMeshLineage(),
      }),
    );
    expect(
      await screen.findByText(...errorHeading(LINEAGE_DENIED)),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Lineage graph' })).toBeNull();
  });

  it('says when the mesh has no products yet', async () => {
    await renderMesh(
      mockDataMeshApi({ getMeshLineage: fakeMeshLineage([], []) }),
    );
    expect(
      await screen.findByText(/No data products in the lineage yet/),
    ).toBeInTheDocument();
  });
});
