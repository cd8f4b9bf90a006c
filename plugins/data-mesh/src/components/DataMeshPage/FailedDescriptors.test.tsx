import { act, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { FailedDescriptors } from './FailedDescriptors';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

const render = (api: ReturnType<typeof mockDataMeshApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <Grid container>
        <FailedDescriptors />
      </Grid>
    </TestApiProvider>,
    mountedRoutes,
  );

describe('FailedDescriptors', () => {
  it('lists the descriptors the catalog refused by the team each file names, with the reasons', async () => {
    const longReason = `spec.outputPorts: ${'x'.repeat(400)}`;
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [
          {
            name: 'Returns Forecast',
            namespace: 'default',
            kind: 'DataProduct',
            owner: 'sales-data',
            location: 'file:/repos/returns/catalog-info.yaml',
            state: 'pending' as const,
            errors: [
              {
                name: 'InputError',
                message: '"metadata.name" is not valid',
              },
              { name: 'InputError', message: longReason },
            ],
          },
          {
            name: 'orphan',
            namespace: 'default',
            kind: 'dataProduct',
            state: 'failed' as const,
            errors: [{ name: 'Error', message: 'kind is not allowed' }],
          },
        ],
      })),
    });
    await render(api);
    expect(
      await screen.findByText('Descriptors that failed to load'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '2 data product descriptors were refused by the catalog and have no page; fix the file and the catalog reads it again.',
      ),
    ).toBeInTheDocument();
    const sales = within(
      screen.getByRole('region', {
        name: 'Failed descriptors of sales-data',
      }),
    );
    // The team as the file names it, a link to the team's page.
    expect(sales.getByRole('link', { name: 'sales-data' })).toHaveAttribute(
      'href',
      '/catalog/default/group/sales-data',
    );
    const item = sales.getByRole('listitem');
    expect(item).toHaveTextContent(
      'Returns Forecast in file:/repos/returns/catalog-info.yaml: "metadata.name" is not valid; spec.outputPorts: x',
    );
    // Long catalog messages are cut.
    expect(item.textContent).toContain(`${'x'.repeat(282)}…`);
    expect(item.textContent).not.toContain('x'.repeat(283));
    expect(
      within(
        screen.getByRole('region', { name: 'Failed descriptors of no owner' }),
      ).getByRole('listitem'),
    ).toHaveTextContent('orphan: kind is not allowed');
  });

  it('shows nothing when no descriptor failed, or the catalog cannot say', async () => {
    for (const answer of [
      { available: true, items: [] },
      { available: false, reason: 'no module', items: [] },
    ]) {
      const api = mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => answer),
      });
      const { container } = await render(api);
      await waitFor(() => expect(api.listFailedDescriptors).toHaveBeenCalled());
      // Let the answer render.
      await act(() => Promise.resolve());
      expect(container).not.toHaveTextContent(
        'Descriptors that failed to load',
      );
    }
  });
});
