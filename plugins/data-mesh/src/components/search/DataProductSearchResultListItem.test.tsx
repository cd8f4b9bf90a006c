import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  MockSearchApi,
  SearchContextProvider,
  SearchResult,
  searchApiRef,
} from '@backstage/plugin-search-react';
import type { SearchResult as SearchResultType } from '@backstage/plugin-search-common';
import { DataProductSearchResultListItem } from './extensions';
import { componentResult, dataProductResult } from './testing';

/** A legacy search page's results, with the data product item among the extensions. */
async function renderResults(term: string, results: SearchResultType[]) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [searchApiRef, new MockSearchApi({ results, numberOfResults: 1 })],
      ]}
    >
      <SearchContextProvider
        initialState={{ term, types: [], filters: {}, pageLimit: 25 }}
      >
        <SearchResult>
          <DataProductSearchResultListItem />
        </SearchResult>
      </SearchContextProvider>
    </TestApiProvider>,
  );
}

describe('DataProductSearchResultListItem', () => {
  it('shows what helps choose a data product, and the field the search matched', async () => {
    await renderResults('customer_email', [dataProductResult()]);

    const title = await screen.findByRole('link', { name: 'Orders' });
    expect(title).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/orders',
    );
    expect(
      screen.getByText('Every order placed in the web shop and the app.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Domain: Sales')).toBeInTheDocument();
    expect(screen.getByText('Owner: Sales Data')).toBeInTheDocument();
    expect(screen.getByText('Type: source-aligned')).toBeInTheDocument();
    expect(screen.getByLabelText('Level Silver')).toHaveTextContent('Silver');
    expect(screen.getByText('SLO breached: Freshness')).toBeInTheDocument();

    const matched = screen.getByLabelText('Matching port or field');
    expect(matched).toHaveTextContent(
      'Field customer_email (personal data) in output port orders-table',
    );
    expect(
      within(matched)
        .getAllByText(/./, { selector: 'mark' })
        .map(mark => mark.textContent),
    ).toEqual(['customer_email']);
  });

  it('names the port whose contract matched', async () => {
    await renderResults('odcs', [dataProductResult()]);

    expect(
      await screen.findByLabelText('Matching port or field'),
    ).toHaveTextContent(
      'Output port orders-table (table, iceberg) at iceberg://lake/sales/orders, contract ./contracts/orders.odcs.yaml',
    );
  });

  it('names the port whose address matched, and counts the others that did', async () => {
    await renderResults('sales', [dataProductResult()]);

    const matched = await screen.findByLabelText('Matching port or field');
    expect(matched).toHaveTextContent(
      'Output port orders-table (table, iceberg) at iceberg://lake/sales/orders (1 more port or field matches)',
    );
    expect(
      within(matched)
        .getAllByText(/./, { selector: 'mark' })
        .map(mark => mark.textContent),
    ).toEqual(['sales']);
  });

  it('finds the field by the word the engine marked when the search was misspelt', async () => {
    // Lunr finds near spellings and marks what it matched in the highlight.
    await renderResults('custmer_emial', [
      {
        ...dataProductResult(),
        highlight: {
          preTag: '<hl>',
          postTag: '</hl>',
          fields: {
            text: 'Fields: order_id; <hl>customer_email</hl>, personal data',
          },
        },
      },
    ]);

    const matched = await screen.findByLabelText('Matching port or field');
    expect(matched).toHaveTextContent(
      'Field customer_email (personal data) in output port orders-table',
    );
    expect(
      within(matched).getByText('customer_email', { selector: 'mark' }),
    ).toBeInTheDocument();
  });

  it('shows no matching port or field when the search matched none', async () => {
    await renderResults('web shop', [dataProductResult()]);

    expect(
      await screen.findByRole('link', { name: 'Orders' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Matching port or field'),
    ).not.toBeInTheDocument();
    // The description's words are marked instead.
    expect(
      screen
        .getAllByText(/./, { selector: 'mark' })
        .map(mark => mark.textContent),
    ).toEqual(['web', 'shop']);
  });

  it('says when no level or SLO status was indexed, and when there are no SLOs', async () => {
    await renderResults('orders', [
      dataProductResult({
        governanceLevel: 'none',
        sloStatus: 'no-slos',
        slosBreached: [],
      }),
    ]);

    expect(await screen.findByLabelText('No level yet')).toBeInTheDocument();
    expect(screen.getByText('No SLOs declared')).toBeInTheDocument();
  });

  it('leaves out the level and SLO status the index does not have', async () => {
    await renderResults('orders', [
      dataProductResult({ governanceLevel: undefined, sloStatus: undefined }),
    ]);

    expect(
      await screen.findByRole('link', { name: 'Orders' }),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Level /)).not.toBeInTheDocument();
    expect(screen.queryByLabelText('No level yet')).not.toBeInTheDocument();
    expect(screen.queryByText(/SLO/)).not.toBeInTheDocument();
  });

  it('renders only data product results', async () => {
    await renderResults('orders', [componentResult, dataProductResult()]);

    // The catalog result falls back to the default item, without chips.
    expect(
      await screen.findByRole('link', { name: 'orders-service' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/^Domain: /)).toHaveLength(1);
  });
});
