import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductContractContent } from './DataProductContractContent';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { sampleContracts } from './testing';

async function renderTab(api: DataMeshApi, path = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductContractContent />
      </EntityProvider>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent);

describe('DataProductContractContent', () => {
  it('shows the current contract of a port: description, schema, quality, service levels and support', async () => {
    const api = mockDataMeshApi({
      getContracts: jest.fn(async () => sampleContracts()),
    });
    await renderTab(api);

    const status = await screen.findByRole('status', {
      name: 'Contract status of orders-table',
    });
    expect(status).toHaveTextContent('Contract read');
    expect(status).toHaveTextContent('Last read 2 Apr 2026, 10:15 UTC');
    expect(api.getContracts).toHaveBeenCalledWith('dataproduct:default/orders');

    const current = screen.getByRole('region', { name: 'Current contract' });
    expect(current).toHaveTextContent('Version2.0.0');
    expect(current).toHaveTextContent('Statusactive');
    expect(current).toHaveTextContent(
      'UsageSales reporting. Join order lines on order_id.',
    );
    expect(current).toHaveTextContent(
      'LimitationsOrders placed before 2019 are not included.',
    );

    const table = within(current).getByRole('table', {
      name: 'Properties of orders',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(cells)).toEqual([
      [
        'order_id',
        'string',
        'varchar(32)',
        'Yes',
        'Yes',
        '',
        'Critical',
        'Order identifier.',
      ],
      [
        'customer_email',
        'string',
        'string',
        'No',
        'No',
        'confidential',
        'PII',
        'Where the confirmation went.',
      ],
      ['shipping', 'object', '', 'No', 'No', '', '', ''],
      // Nested properties are named with their parent.
      ['shipping.city', 'string', '', 'No', 'No', '', '', ''],
    ]);

    const rules = within(current).getByRole('list', {
      name: 'Quality rules of orders-table',
    });
    expect(
      within(rules)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'orders: rowCount must be greater than 0',
      'orders.customer_email: At most 1% missing (nullValues must be less than 1 percent) (completeness)',
    ]);

    const sla = within(current).getByRole('table', {
      name: 'Service levels of orders-table',
    });
    expect(within(sla).getAllByRole('row').slice(1).map(cells)).toEqual([
      ['latency', '1 hour', ''],
      ['retention', '7 years', 'orders.placed_at'],
    ]);
    expect(
      within(current).getByRole('link', { name: /#data-sales/ }),
    ).toHaveAttribute('href', 'https://chat.example/data-sales');
  });

  it('lists the versions newest first with the changes grouped by level and the bump they need', async () => {
    await renderTab(
      mockDataMeshApi({ getContracts: jest.fn(async () => sampleContracts()) }),
    );
    const history = await screen.findByRole('list', {
      name: 'Versions of the contract of orders-table',
    });
    const [v2, v1] = within(history).getAllByRole('listitem', {
      name: /^Version /,
    });
    expect(v2).toHaveAccessibleName('Version 2.0.0');
    expect(v2).toHaveTextContent('Current');
    expect(v2).toHaveTextContent('first seen 1 Apr 2026, 09:30 UTC');
    expect(v2).toHaveTextContent('Needs a major version');
    expect(
      within(v2).getByRole('group', { name: 'Breaking changes in 2.0.0' }),
    ).toHaveTextContent('Breaking (1)Removed field coupon from orders');
    expect(
      within(v2).getByRole('group', { name: 'Compatible changes in 2.0.0' }),
    ).toHaveTextContent('Added optional field shipping to orders');
    expect(
      within(v2).queryByRole('group', { name: /Needs a look/ }),
    ).not.toBeInTheDocument();
    expect(v1).toHaveAccessibleName('Version 1.0.0');
    expect(v1).toHaveTextContent('The first version read');
    expect(v1).not.toHaveTextContent('Current');
  });

  it('says why a contract cannot be read, and shows the last version read of an invalid one', async () => {
    await renderTab(
      mockDataMeshApi({ getContracts: jest.fn(async () => sampleContracts()) }),
    );
    await userEvent.click(
      await screen.findByRole('tab', { name: /order-events/ }),
    );
    const unreadable = screen.getByRole('status', {
      name: 'Contract status of order-events',
    });
    expect(unreadable).toHaveTextContent('Contract cannot be read');
    expect(unreadable).toHaveTextContent(
      'Reading https://contracts.example is not allowed; add the host to backend.reading.allow',
    );
    expect(screen.getByText('No version read yet')).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Current contract' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: /order-lines/ }));
    const invalid = screen.getByRole('status', {
      name: 'Contract status of order-lines',
    });
    expect(invalid).toHaveTextContent('Contract is not valid');
    expect(invalid).toHaveTextContent(
      'Not an ODCS v3 contract: apiVersion: found "v2.2.2", expected an ODCS v3 version such as v3.0.2 or v3.1.0',
    );
    const last = screen.getByRole('region', { name: 'Last contract read' });
    expect(last).toHaveTextContent('may no longer hold');
    expect(last).toHaveTextContent('Version0.9.0');
  });

  it('opens the port named in the address, and says when there is no contract', async () => {
    await renderTab(
      mockDataMeshApi({ getContracts: jest.fn(async () => sampleContracts()) }),
      '/?port=order-exports',
    );
    expect(
      await screen.findByRole('tab', { name: /order-exports/, selected: true }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('status', { name: 'Contract status of order-exports' }),
    ).toHaveTextContent('No contract declared');
    expect(
      screen.queryByRole('list', { name: /Versions of the contract/ }),
    ).not.toBeInTheDocument();
  });

  it('falls back to the first port when the address names an unknown one', async () => {
    await renderTab(
      mockDataMeshApi({ getContracts: jest.fn(async () => sampleContracts()) }),
      '/?port=gone',
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This data product has no output port named gone; showing orders-table.',
    );
    expect(
      screen.getByRole('tab', { name: /orders-table/, selected: true }),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderTab(
      mockDataMeshApi({
        getContracts: jest.fn(async () => {
          throw new Error('Request failed with 403 Forbidden: Not allowed');
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Error: Request failed with 403 Forbidden: Not allowed',
      ),
    ).toBeInTheDocument();
  });
});
