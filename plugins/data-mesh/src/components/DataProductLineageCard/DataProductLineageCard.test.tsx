import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductLineageCard } from './DataProductLineageCard';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { sampleLineage } from '../../testing/lineage';

async function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <Routes>
        <Route
          path="/"
          element={
            <EntityProvider entity={sampleDataProduct()}>
              <DataProductLineageCard />
            </EntityProvider>
          }
        />
        <Route
          path="/catalog/:namespace/:kind/:name"
          element={<div>entity page</div>}
        />
      </Routes>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DataProductLineageCard', () => {
  it('draws one hop each way, declared solid, observed-only dashed and highlighted', async () => {
    const api = mockDataMeshApi({
      getLineage: jest.fn(async () => sampleLineage()),
    });
    await renderCard(api);

    expect(await screen.findByText('Lineage')).toBeInTheDocument();
    expect(api.getLineage).toHaveBeenCalledWith('dataproduct:default/orders', {
      upstream: 1,
      downstream: 1,
    });
    expect(
      screen.getByText('Reads 3 upstreams; read by 2 consumers.'),
    ).toBeInTheDocument();
    const alerts = screen.getAllByRole('alert').map(a => a.textContent);
    expect(alerts).toEqual([
      '1 dependency is observed in runs but not declared as input ports.',
      '1 declared input was not read in the last 30 days.',
    ]);

    for (const name of [
      'Orders',
      'orders-db',
      'Customers',
      'Payments',
      'Daily sales',
      'Revenue',
    ]) {
      expect(screen.getByRole('link', { name })).toBeInTheDocument();
    }
    const undeclared = screen.getByTestId(
      'edge dataproduct:default/customers dataproduct:default/orders',
    );
    expect(undeclared).toHaveAttribute('data-state', 'undeclared');
    expect(undeclared).toHaveAttribute('stroke-dasharray', '6 4');
    expect(undeclared).toHaveAttribute('stroke', '#fb8c00');
    const declared = screen.getByTestId(
      'edge dataproduct:default/orders dataproduct:default/revenue',
    );
    expect(declared).toHaveAttribute('data-state', 'declared');
    expect(declared).not.toHaveAttribute('stroke-dasharray');
    expect(
      screen.getByTestId(
        'edge dataproduct:default/orders dataproduct:default/daily-sales',
      ),
    ).toHaveAttribute('data-state', 'declared-observed');
    expect(
      screen.getByTestId(
        'edge dataproduct:default/payments dataproduct:default/orders',
      ),
    ).toHaveAttribute('data-state', 'stale');

    // Nodes are coloured by domain: the two sales products share a colour.
    const stroke = (ref: string) =>
      screen
        .getByTestId(`node ${ref}`)
        .querySelector('rect')!
        .getAttribute('stroke');
    expect(stroke('dataproduct:default/payments')).toBe(
      stroke('dataproduct:default/daily-sales'),
    );
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent(
      'observed, not declared',
    );
  });

  it('draws a component reading through an access grant as its own kind of edge', async () => {
    const lineage = sampleLineage();
    lineage.nodes.push({
      entityRef: 'component:default/churn-model',
      nodeType: 'consumer',
      title: 'Churn model',
      owner: 'group:default/data-science',
      depth: 1,
    });
    lineage.edges.push({
      from: 'dataproduct:default/orders',
      to: 'component:default/churn-model',
      ports: [],
      declared: false,
      undeclared: false,
      stale: false,
      granted: [
        {
          requestId: 'r1',
          outputPort: 'orders-table',
          purpose: 'Train the churn model',
          endDate: '2027-03-31',
          requester: 'user:default/ana',
        },
      ],
    });
    await renderCard(
      mockDataMeshApi({ getLineage: jest.fn(async () => lineage) }),
    );
    expect(
      await screen.findByText(
        'Reads 3 upstreams; read by 3 consumers, 1 with an access grant.',
      ),
    ).toBeInTheDocument();
    const granted = screen.getByTestId(
      'edge dataproduct:default/orders component:default/churn-model',
    );
    expect(granted).toHaveAttribute('data-state', 'granted');
    expect(granted).toHaveAttribute('stroke-dasharray', '8 3 2 3');
    expect(
      screen.getByRole('link', { name: 'Churn model' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent(
      'access granted only',
    );
  });

  it('opens the entity page of a clicked node, and dims what is off its paths on hover', async () => {
    await renderCard(
      mockDataMeshApi({ getLineage: jest.fn(async () => sampleLineage()) }),
    );
    const revenue = await screen.findByRole('link', { name: 'Revenue' });
    await userEvent.hover(revenue);
    expect(
      screen.getByTestId('node dataproduct:default/daily-sales'),
    ).toHaveAttribute('opacity', '0.3');
    expect(
      screen.getByTestId('node dataproduct:default/orders'),
    ).toHaveAttribute('opacity', '1');
    await userEvent.click(revenue);
    expect(await screen.findByText('entity page')).toBeInTheDocument();
  });

  it('draws the graph at its natural size, centred, neither stretched nor shrunk', async () => {
    const lineage = sampleLineage();
    lineage.nodes = lineage.nodes.filter(n =>
      ['dataproduct:default/orders', 'dataproduct:default/revenue'].includes(
        n.entityRef,
      ),
    );
    lineage.edges = lineage.edges.filter(
      e => e.to === 'dataproduct:default/revenue',
    );
    await renderCard(
      mockDataMeshApi({ getLineage: jest.fn(async () => lineage) }),
    );

    await screen.findByRole('link', { name: 'Revenue' });
    const svg = screen.getByRole('group', { name: 'Lineage graph' });
    const [, , width, height] = svg
      .getAttribute('viewBox')!
      .split(' ')
      .map(Number);
    // Two compact boxes and the gap between them, plus the padding.
    expect(width).toBe(150 * 2 + 50 + 16);
    expect(svg).toHaveAttribute('width', String(width));
    expect(svg).toHaveAttribute('height', String(height));
    // Never shrunk, so no label is under 11 px: what is wider scrolls.
    expect(svg).toHaveStyle({ maxWidth: 'none', marginLeft: 'auto' });
    const labelSizes = Array.from(svg.querySelectorAll('text')).map(t =>
      Number(t.getAttribute('font-size')),
    );
    expect(Math.min(...labelSizes)).toBeGreaterThanOrEqual(11);
    expect(screen.getByTestId('lineage-scroll')).toHaveStyle({
      overflowX: 'auto',
    });
    expect(screen.getByTestId('lineage-scroll')).toContainElement(svg);
  });

  it('says so when there is no lineage', async () => {
    await renderCard(
      mockDataMeshApi({ getLineage: jest.fn(async () => undefined) }),
    );
    expect(await screen.findByText(/No lineage yet/)).toBeInTheDocument();
  });
});
