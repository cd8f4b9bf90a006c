import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductLineageContent } from './DataProductLineageContent';
import { dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { sampleLineage } from '../../testing/lineage';

describe('DataProductLineageContent', () => {
  it('asks for the chosen depth and filters nodes by domain and type', async () => {
    const api = mockDataMeshApi({
      getLineage: jest.fn(async () => sampleLineage()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, api]]}>
        <EntityProvider entity={sampleDataProduct()}>
          <DataProductLineageContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
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

    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(
      screen.getByRole('group', { name: 'Lineage graph' }),
    ).not.toHaveAttribute('width', '100%');
  });
});
