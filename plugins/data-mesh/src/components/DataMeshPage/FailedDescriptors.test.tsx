import { act, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { FailedDescriptors } from './FailedDescriptors';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';

const ORDERS_CONFLICT =
  'Declares dataproduct:default/orders, which the catalog already serves from file:/repos/orders/a.yaml; the catalog ignores this file. Remove the product from one of the two files, or give this one another name';

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

  it('tells refused descriptors from files the catalog ignores, linking the product served instead', async () => {
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
            state: 'failed' as const,
            lastTriedAt: '2026-12-01T09:30:41.000Z',
            errors: [
              { name: 'InputError', message: '"metadata.name" is not valid' },
            ],
          },
          {
            name: 'stock',
            namespace: 'default',
            kind: 'dataProduct',
            owner: 'sales-data',
            state: 'pending' as const,
            errors: [{ name: 'Error', message: 'kind is not allowed' }],
          },
          {
            name: 'orders',
            namespace: 'default',
            kind: 'DataProduct',
            owner: 'sales-data',
            location: 'file:/repos/orders/b.yaml',
            state: 'conflict' as const,
            entityRef: 'dataproduct:default/orders',
            servedLocation: 'file:/repos/orders/a.yaml',
            lastTriedAt: '2026-11-30T23:05:00.000Z',
            errors: [{ name: 'ConflictError', message: ORDERS_CONFLICT }],
          },
        ],
      })),
    });
    await render(api);

    // Counted apart: refused ones have no page, the ignored file's product has one.
    expect(
      await screen.findByText(
        '2 data product descriptors were refused by the catalog and have no page; 1 file declares a product already served from another file and is ignored.',
      ),
    ).toBeInTheDocument();
    const [forecast, stock, orders] = within(
      screen.getByRole('region', { name: 'Failed descriptors of sales-data' }),
    ).getAllByRole('listitem');

    // When the catalog last read the file, in UTC whatever the machine's zone.
    expect(forecast).toHaveTextContent(
      /^Returns Forecast in file:\/repos\/returns\/catalog-info\.yaml: "metadata\.name" is not valid\s*last read 1 Dec 2026, 09:30 UTC$/,
    );
    expect(stock).toHaveTextContent(/^stock: kind is not allowed$/);

    // The ignored file: the product it declares is served, with a page.
    expect(orders).toHaveTextContent(
      /^orders in file:\/repos\/orders\/b\.yaml: the catalog ignores this file, as orders is already served from file:\/repos\/orders\/a\.yaml\. Remove the product from one of the two files, or give this one another name\.\s*reported 30 Nov 2026, 23:05 UTC$/,
    );
    expect(
      within(orders).getByRole('link', { name: 'orders' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/orders');
    expect(within(orders).getAllByRole('link')).toHaveLength(1);
  });

  it('lists the files the catalog ignores even when it cannot list what it refused, and says what to install', async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: false,
        reason: 'The catalog lists no unprocessed entities',
        items: [
          {
            name: 'orders',
            namespace: 'default',
            kind: 'DataProduct',
            location: 'url:https://github.com/acme/shop/blob/main/orders.yaml',
            state: 'conflict' as const,
            entityRef: 'dataproduct:default/orders',
            servedLocation:
              'url:https://github.com/acme/orders/blob/main/catalog-info.yaml',
            errors: [{ name: 'ConflictError', message: ORDERS_CONFLICT }],
          },
        ],
      })),
    });
    await render(api);

    expect(
      await screen.findByText(
        '1 file declares a product already served from another file and is ignored; remove the product from one of the two files, or rename it there.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('note', {
        name: 'Refused descriptors cannot be listed',
      }),
    ).toHaveTextContent(
      'Install @backstage/plugin-catalog-backend-module-unprocessed in the backend',
    );
    const item = within(
      screen.getByRole('region', { name: 'Failed descriptors of no owner' }),
    ).getByRole('listitem');
    // Both files are links, and so is the product.
    expect(
      within(item)
        .getAllByRole('link')
        .map(link => link.getAttribute('href')),
    ).toEqual([
      'https://github.com/acme/shop/blob/main/orders.yaml',
      '/catalog/default/dataproduct/orders',
      'https://github.com/acme/orders/blob/main/catalog-info.yaml',
    ]);
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
