import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTestApp } from '@backstage/frontend-test-utils';
import searchPlugin from '@backstage/plugin-search/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { searchApiRef, type SearchApi } from '@backstage/plugin-search-react';
import dataMeshPlugin from '../../alpha';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import { catalogEntities, componentResult, dataProductResult } from './testing';

const searchExtensionIds = [
  'search-result-list-item:data-mesh/data-product',
  'search-filter-result-type:data-mesh/data-product',
  'search-filter:data-mesh/data-product-type',
  'search-filter:data-mesh/data-product-domain',
  'search-filter:data-mesh/data-product-owner',
  'search-filter:data-mesh/data-product-level',
  'search-filter:data-mesh/data-product-classification',
  'search-filter:data-mesh/data-product-lifecycle',
  'search-filter:data-mesh/data-product-pii',
];

/** The search page of the search plugin, with the data mesh plugin installed. */
function renderSearchPage() {
  const searchApi = {
    query: jest.fn<ReturnType<SearchApi['query']>, []>(async () => ({
      results: [componentResult, dataProductResult()],
      numberOfResults: 2,
    })),
  };
  renderTestApp({
    features: [searchPlugin, dataMeshPlugin],
    apis: [
      [searchApiRef, searchApi],
      [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
      [
        dataMeshApiRef,
        mockDataMeshApi({
          getPolicies: jest.fn(async () => ({
            policies: [],
            levels: [{ name: 'Silver', policies: [] }],
          })),
        }),
      ],
    ],
    initialRouteEntries: ['/search'],
  });
  return { searchApi };
}

describe('data product search in the new frontend system', () => {
  it.each(searchExtensionIds)('provides %s', id => {
    expect(dataMeshPlugin.getExtension(id as any)).toBeDefined();
  });

  it("shows data product results with the field the search matched on the search plugin's page", async () => {
    renderSearchPage();
    // Typed rather than given in the URL: the search bar's debounce, armed
    // as the page mounts, can put back the empty term it started with.
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Search' }),
      'customer_email',
    );

    // The page queries again as the term and the type counts change, and
    // shows a progress bar in between: read one settled rendering whole.
    await waitFor(() => {
      const matched = screen.getByLabelText('Matching port or field');
      expect(matched).toHaveTextContent(
        'Field customer_email (personal data) in output port orders-table',
      );
      expect(
        within(matched).getByText('customer_email', { selector: 'mark' }),
      ).toBeInTheDocument();
      expect(screen.getByLabelText('Level Silver')).toBeInTheDocument();
      expect(screen.getByText('SLO breached: Freshness')).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Orders' })).toHaveAttribute(
        'href',
        '/catalog/default/dataproduct/orders',
      );
      // Other results keep the page's default item.
      expect(
        screen.getByRole('link', { name: 'orders-service' }),
      ).toBeInTheDocument();
      expect(screen.getAllByText(/^Domain: /)).toHaveLength(1);
    });
  });

  it('restricts the search to data products, then filters it with their facets', async () => {
    const { searchApi } = renderSearchPage();

    const types = await screen.findByRole('navigation', {
      name: 'filter by type',
    });
    // Facets show only for data products.
    expect(
      screen.queryByText('Domain', { selector: 'label' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(types).getByRole('button', { name: /Data products/ }),
    );
    const domain = await screen.findByText('Domain', { selector: 'label' });
    await userEvent.click(within(domain.parentElement!).getByRole('button'));
    await userEvent.click(await screen.findByRole('option', { name: 'Sales' }));

    await waitFor(() =>
      expect(searchApi.query).toHaveBeenCalledWith(
        expect.objectContaining({
          types: ['data-product'],
          filters: { domain: 'domain:default/sales' },
        }),
        expect.anything(),
      ),
    );
    expect(
      await screen.findByRole('checkbox', { name: 'Contains PII' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Governance level', { selector: 'label' }),
    ).toBeInTheDocument();
  });
});
