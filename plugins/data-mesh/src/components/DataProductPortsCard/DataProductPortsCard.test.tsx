import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { DataProductPortsCard } from './DataProductPortsCard';
import { sampleDataProduct } from '../../testing/sampleDataProduct';

async function renderCard(entity: Entity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProductPortsCard />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function cells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent ?? '');
}

describe('DataProductPortsCard', () => {
  it('lists the output ports with type, format, address and contract', async () => {
    await renderCard(sampleDataProduct());

    const table = screen.getByRole('table', { name: 'Output ports' });
    const header = within(table).getAllByRole('columnheader');
    expect(header.map(h => h.textContent)).toEqual([
      '',
      'Name',
      'Type',
      'Format',
      'Address',
      'Contract',
    ]);

    const orders = screen.getByTestId('output-port-orders-table');
    expect(cells(orders).slice(1, 5)).toEqual([
      'orders-tableCurated orders table',
      'table',
      'iceberg',
      'iceberg://lake/sales/orders',
    ]);
    // A relative contract is resolved against the descriptor's source location.
    expect(
      within(orders).getByRole('link', {
        name: /contracts\/orders\.odcs\.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/data-products/tree/main/orders/contracts/orders.odcs.yaml',
    );
    expect(orders).toHaveTextContent('version 1.2.0');
    expect(
      within(orders).getByRole('button', {
        name: 'Copy address of orders-table',
      }),
    ).toBeInTheDocument();

    const events = screen.getByTestId('output-port-order-events');
    expect(cells(events).slice(2, 5)).toEqual([
      'topic',
      'avro',
      'kafka://events/sales.orders.v1',
    ]);
    expect(
      within(events).getByRole('link', { name: /order-events\.yaml/ }),
    ).toHaveAttribute(
      'href',
      'https://contracts.example.com/order-events.yaml',
    );
    expect(events).toHaveTextContent('version 2.0.0');
  });

  it('links each declared contract to the Contract tab, opened at that port', async () => {
    await renderCard(sampleDataProduct());

    for (const port of ['orders-table', 'order-events']) {
      expect(
        within(screen.getByTestId(`output-port-${port}`)).getByRole('link', {
          name: `Contract details of ${port}`,
        }),
      ).toHaveAttribute(
        'href',
        `/catalog/default/dataproduct/orders/contract?port=${port}`,
      );
    }
  });

  it('shows a relative contract as text when the source is not a URL', async () => {
    const entity = sampleDataProduct();
    entity.metadata.annotations = {
      'backstage.io/source-location': 'file:/repos/data-products/orders/',
    };
    await renderCard(entity);

    const orders = screen.getByTestId('output-port-orders-table');
    expect(orders).toHaveTextContent('./contracts/orders.odcs.yaml');
    expect(
      within(orders).queryByRole('link', { name: /orders\.odcs\.yaml/ }),
    ).not.toBeInTheDocument();
    // The portal read it all the same: the Contract tab shows it.
    expect(
      within(orders).getByRole('link', {
        name: 'Contract details of orders-table',
      }),
    ).toBeInTheDocument();
  });

  it('lists the input ports with what each one reads', async () => {
    await renderCard(sampleDataProduct());

    const source = screen.getByTestId('input-port-orders-db');
    expect(within(source).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service',
    );
    expect(source).toHaveTextContent('external source (component)');

    const upstream = screen.getByTestId('input-port-customers');
    expect(upstream).toHaveTextContent('Customer master data');
    expect(within(upstream).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customers',
    );
    expect(upstream).toHaveTextContent('output port customers-table');
  });

  it('expands the inline schema of an output port', async () => {
    await renderCard(sampleDataProduct());

    expect(
      screen.queryByRole('table', { name: 'Schema of orders-table' }),
    ).not.toBeInTheDocument();
    // Ports without an inline schema have nothing to expand.
    expect(
      screen.queryByRole('button', { name: 'Show schema of order-events' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show schema of orders-table' }),
    );

    const schema = await screen.findByRole('table', {
      name: 'Schema of orders-table',
    });
    const rows = within(schema).getAllByRole('row').slice(1).map(cells);
    expect(rows).toEqual([
      ['order_id', 'string', 'No', '', 'Order identifier'],
      ['customer_email', 'string', 'PII', 'confidential', ''],
    ]);
    expect(
      screen.getByRole('button', { name: 'Hide schema of orders-table' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('says so when there are no input ports', async () => {
    await renderCard(sampleDataProduct({ spec: { inputPorts: undefined } }));

    expect(screen.getByText('No input ports declared')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Input ports' }),
    ).not.toBeInTheDocument();
  });
});
