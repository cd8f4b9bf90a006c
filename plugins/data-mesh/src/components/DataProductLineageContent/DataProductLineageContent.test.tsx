import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductLineageContent } from './DataProductLineageContent';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { sampleLineage } from '../../testing/lineage';

async function renderExplorer(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductLineageContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const choose = async (control: RegExp, option: string) => {
  await userEvent.click(screen.getByRole('button', { name: control }));
  await userEvent.click(within(screen.getByRole('listbox')).getByText(option));
};

describe('DataProductLineageContent', () => {
  it('asks for the chosen depth and filters nodes by domain and type', async () => {
    const api = mockDataMeshApi({
      getLineage: jest.fn(async () => sampleLineage()),
    });
    await renderExplorer(api);
    expect(
      await screen.findByRole('link', { name: 'Revenue' }),
    ).toBeInTheDocument();
    expect(api.getLineage).toHaveBeenLastCalledWith(
      'dataproduct:default/orders',
      {
        upstream: 2,
        downstream: 2,
      },
    );

    await userEvent.click(screen.getByRole('button', { name: /^Upstream/ }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('4 hops'),
    );
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(
        'dataproduct:default/orders',
        { upstream: 4, downstream: 2 },
      ),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: /^Domain/ }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByText('finance'),
    );
    expect(
      await screen.findByRole('link', { name: 'Revenue' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Daily sales' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Orders' })).toBeInTheDocument();

    // The graph is drawn at its natural size, never smaller, so that no
    // label is under 11 px; zooming in scales it, zooming out stops there.
    const svg = screen.getByRole('group', { name: 'Lineage graph' });
    const natural = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
    expect(svg).toHaveAttribute('width', String(natural));
    expect(svg).toHaveStyle({ maxWidth: 'none' });
    expect(screen.getByRole('button', { name: 'Actual size' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(svg).toHaveAttribute('width', String(natural * 1.25));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    expect(svg).toHaveAttribute('width', String(natural));
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    await userEvent.click(screen.getByRole('button', { name: 'Actual size' }));
    expect(svg).toHaveAttribute('width', String(natural));
    const labelSizes = Array.from(svg.querySelectorAll('text')).map(t =>
      Number(t.getAttribute('font-size')),
    );
    expect(Math.min(...labelSizes)).toBeGreaterThanOrEqual(11);
  });

  it('follows one direction only, keeping the depth of the other for later', async () => {
    const api = mockDataMeshApi({
      getLineage: jest.fn(async () => sampleLineage()),
    });
    await renderExplorer(api);
    await screen.findByRole('link', { name: 'Revenue' });

    await choose(/^Direction/, 'Upstream only');
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(
        'dataproduct:default/orders',
        { upstream: 2, downstream: 0 },
      ),
    );
    expect(screen.queryByRole('button', { name: /^Downstream/ })).toBeNull();

    await choose(/^Direction/, 'Downstream only');
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(
        'dataproduct:default/orders',
        { upstream: 0, downstream: 2 },
      ),
    );
    expect(screen.queryByRole('button', { name: /^Upstream/ })).toBeNull();
    await choose(/^Downstream/, '3 hops');
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(
        'dataproduct:default/orders',
        { upstream: 0, downstream: 3 },
      ),
    );
    // Depth 0 is what the direction is for; it is not offered.
    await userEvent.click(screen.getByRole('button', { name: /^Downstream/ }));
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['1 hop', '2 hops', '3 hops', '4 hops', '5 hops']);
    await userEvent.keyboard('{Escape}');

    await choose(/^Direction/, 'Upstream and downstream');
    await waitFor(() =>
      expect(api.getLineage).toHaveBeenLastCalledWith(
        'dataproduct:default/orders',
        { upstream: 2, downstream: 3 },
      ),
    );
    expect(screen.getByRole('button', { name: /^Upstream/ })).toHaveTextContent(
      '2 hops',
    );
  });

  it('shows what a hovered or focused node is, its ports and edges, and what runs showed of an edge', async () => {
    await renderExplorer(
      mockDataMeshApi({ getLineage: jest.fn(async () => sampleLineage()) }),
    );
    const details = () =>
      screen.getByRole('complementary', { name: 'Lineage details' });
    await screen.findByRole('link', { name: 'Orders' });
    expect(details()).toHaveTextContent(/Hover over or focus a node/);

    await userEvent.hover(screen.getByRole('link', { name: 'Orders' }));
    expect(
      within(details()).getByRole('heading', { level: 3 }),
    ).toHaveTextContent('Orders');
    expect(details()).toHaveTextContent('dataproduct:default/orders');
    for (const field of [
      'KindData product',
      'Typesource-aligned',
      'Lifecycleproduction',
      'Domainsales',
      'Ownersales-data',
      'Input portsorders-db, payments',
      'Output portstable',
    ]) {
      expect(details()).toHaveTextContent(field);
    }
    const reads = within(details()).getByRole('region', { name: 'Reads from' });
    expect(reads).toHaveTextContent('Reads from (3)');
    expect(reads).toHaveTextContent(
      'Customers: observed, not declared, last seen 19 Nov 2026',
    );
    expect(reads).toHaveTextContent(
      'Payments: declared, not observed lately (table → payments)',
    );
    expect(
      within(details()).getByRole('region', { name: 'Read by' }),
    ).toHaveTextContent(
      'Daily sales: declared and observed, last seen 19 Nov 2026 (table → orders)',
    );

    // Keyboard focus shows a node too; a source is grey and has no type of product.
    screen.getByRole('link', { name: 'orders-db' }).focus();
    await waitFor(() =>
      expect(
        within(details()).getByRole('heading', { level: 3 }),
      ).toHaveTextContent('orders-db'),
    );
    expect(details()).toHaveTextContent('KindResource');
    expect(details()).toHaveTextContent('Typesource');

    await userEvent.hover(
      screen.getByTestId(
        'edge dataproduct:default/customers dataproduct:default/orders',
      ),
    );
    expect(
      within(details()).getByRole('heading', { level: 3 }),
    ).toHaveTextContent('Customers → Orders');
    for (const field of [
      'Statusobserved, not declared',
      'First seen1 Nov 2026',
      'Last seen19 Nov 2026',
      'Runs12',
      'Output ports readtable',
    ]) {
      expect(details()).toHaveTextContent(field);
    }
    // Moving away keeps the details on screen to be read.
    await userEvent.unhover(
      screen.getByTestId(
        'edge dataproduct:default/customers dataproduct:default/orders',
      ),
    );
    expect(details()).toHaveTextContent('Customers → Orders');
  });

  it('draws an edge only a pipeline declares apart, dotted, and says which jobs declared it', async () => {
    const lineage = sampleLineage();
    lineage.nodes.push({
      entityRef: 'dataproduct:default/refunds',
      nodeType: 'data-product',
      title: 'Refunds',
      domain: 'domain:default/sales',
      depth: -1,
    });
    lineage.edges.push({
      from: 'dataproduct:default/refunds',
      to: 'dataproduct:default/orders',
      ports: [],
      declared: false,
      undeclared: false,
      stale: false,
      pipeline: {
        jobs: ['airflow://prod/orders_dag'],
        declaredAt: '2026-11-18T09:00:00.000Z',
        outputPorts: ['table'],
      },
    });
    await renderExplorer(
      mockDataMeshApi({ getLineage: jest.fn(async () => lineage) }),
    );
    await screen.findByRole('link', { name: 'Refunds' });
    expect(
      screen.getByText(
        '1 dependency is declared by a pipeline but not as input ports.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent(
      'declared by a pipeline only',
    );
    const edge = screen.getByTestId(
      'edge dataproduct:default/refunds dataproduct:default/orders',
    );
    // Dotted: neither the solid of a declared edge nor the dashes of runs.
    expect(edge.getAttribute('stroke-dasharray')).toBe('2 3');

    await userEvent.hover(edge);
    const details = screen.getByRole('complementary', {
      name: 'Lineage details',
    });
    expect(
      within(details).getByRole('heading', { level: 3 }),
    ).toHaveTextContent('Refunds → Orders');
    for (const field of [
      'Statusdeclared by a pipeline only',
      'Declared by pipelineairflow://prod/orders_dag',
      'Pipeline declared18 Nov 2026',
    ]) {
      expect(details).toHaveTextContent(field);
    }
    expect(details).not.toHaveTextContent('Runs');
  });
});
