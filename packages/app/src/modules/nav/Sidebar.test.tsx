import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import searchPlugin from '@backstage/plugin-search/alpha';
import { navModule } from '.';

/** A DataProduct as the search backend returns it. */
const ordersResult = {
  type: 'data-product',
  document: {
    title: 'Orders',
    text: 'Every order placed in the web shop.',
    location: '/catalog/default/dataproduct/orders',
    description: 'Every order placed in the web shop.',
    type: 'source-aligned',
    domain: 'domain:default/sales',
    domainTitle: 'Sales',
    owner: 'group:default/sales-data',
    ownerName: 'Sales Data',
    governanceLevel: 'Silver',
    sloStatus: 'unbreached',
    slosBreached: [],
    outputPorts: [
      {
        name: 'orders-table',
        type: 'table',
        format: 'iceberg',
        address: 'iceberg://lake/sales/orders',
        fields: ['customer_id'],
        piiFields: [],
      },
    ],
  },
};

/** The search backend, answering every query with the orders product. */
function searchBackend() {
  const fetch = jest.fn(
    async (_input: RequestInfo | URL) =>
      new Response(
        JSON.stringify({ results: [ordersResult], numberOfResults: 1 }),
        {
          headers: { 'Content-Type': 'application/json' },
        },
      ),
  );
  return { fetch, api: mockApis.fetch({ baseImplementation: fetch }) };
}

describe('Sidebar', () => {
  it('opens search in a modal', async () => {
    renderTestApp({ features: [navModule, searchPlugin] });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Search' }),
    );

    // The dialog's root carries the label, its paper the dialog role.
    const modal = await screen.findByLabelText('Search Modal');
    expect(within(modal).getByRole('dialog')).toBeInTheDocument();
    expect(within(modal).getByRole('textbox')).toBeInTheDocument();
    expect(
      within(modal).getByRole('button', { name: /view full results/i }),
    ).toBeInTheDocument();
    // The modal stands for the search page's own entry.
    expect(
      screen.queryByRole('link', { name: 'Search' }),
    ).not.toBeInTheDocument();
  });

  it('shows data products in the modal with the column the search matched', async () => {
    const backend = searchBackend();
    renderTestApp({
      features: [navModule, searchPlugin],
      apis: [backend.api],
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Search' }),
    );
    const modal = await screen.findByLabelText('Search Modal');
    await userEvent.type(within(modal).getByRole('textbox'), 'customer_id');

    await waitFor(() =>
      expect(backend.fetch).toHaveBeenCalledWith(
        expect.stringContaining('term=customer_id'),
        expect.anything(),
      ),
    );
    const matched = await within(modal).findByLabelText(
      'Matching port or field',
    );
    expect(matched).toHaveTextContent(
      'Field customer_id in output port orders-table',
    );
    expect(within(modal).getByRole('link', { name: 'Orders' })).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/orders',
    );
    expect(within(modal).getByText('Domain: Sales')).toBeInTheDocument();
    expect(within(modal).getByLabelText('Level Silver')).toBeInTheDocument();
  });

  it('has no search entry without the search plugin', async () => {
    renderTestApp({ features: [navModule] });

    expect(await screen.findByLabelText('sidebar nav')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Search' }),
    ).not.toBeInTheDocument();
  });

  it('offers "Skip to content" as the first stop of the keyboard', async () => {
    renderTestApp({ features: [navModule] });
    await screen.findByLabelText('sidebar nav');

    await userEvent.tab();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(skip).toHaveFocus();
    // It comes before the sidebar in the page.
    expect(
      skip.compareDocumentPosition(screen.getByLabelText('sidebar nav')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });
});
