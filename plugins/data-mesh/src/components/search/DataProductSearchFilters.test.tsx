import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  MockSearchApi,
  SearchContextProvider,
  searchApiRef,
  useSearch,
} from '@backstage/plugin-search-react';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import { DataProductSearchFilters } from './extensions';
import { catalogEntities } from './testing';

function policies() {
  return {
    policies: [],
    levels: [
      { name: 'Bronze', policies: [] },
      { name: 'Silver', policies: [] },
    ],
  };
}

/** The type buttons a search page has, and the filters the search sends. */
function SearchState() {
  const { filters: current, setTypes } = useSearch();
  return (
    <>
      <button onClick={() => setTypes(['data-product'])}>Data products</button>
      <button onClick={() => setTypes(['software-catalog'])}>Catalog</button>
      <output aria-label="Filters">{JSON.stringify(current)}</output>
    </>
  );
}

async function renderFilters(options: {
  types: string[];
  /** As without the data-mesh backend: its API answers 404. */
  withoutDataMeshBackend?: boolean;
}) {
  const searchApi = new MockSearchApi({ results: [] });
  jest.spyOn(searchApi, 'query');
  const dataMeshApi = mockDataMeshApi({
    getPolicies: jest.fn(async () => {
      if (options.withoutDataMeshBackend) {
        throw new Error('Request failed with 404 Not Found');
      }
      return policies();
    }),
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [searchApiRef, searchApi],
        [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
        [dataMeshApiRef, dataMeshApi],
      ]}
    >
      <SearchContextProvider
        initialState={{ term: '', types: options.types, filters: {} }}
      >
        <DataProductSearchFilters />
        <SearchState />
      </SearchContextProvider>
    </TestApiProvider>,
  );
  return { searchApi, dataMeshApi };
}

function filters(): unknown {
  return JSON.parse(screen.getByLabelText('Filters').textContent ?? '{}');
}

/** Opens a facet's select and returns the options it offers. */
async function optionsOf(label: string): Promise<string[]> {
  const labelElement = await screen.findByText(label, { selector: 'label' });
  await userEvent.click(
    within(labelElement.parentElement!).getByRole('button'),
  );
  const options = await screen.findAllByRole('option');
  return options.map(option => option.textContent ?? '');
}

describe('DataProductSearchFilters', () => {
  it('offers the values of the catalog data products, with names for teams and domains', async () => {
    await renderFilters({ types: ['data-product'] });

    expect(await optionsOf('Domain')).toEqual(['All', 'marketing', 'Sales']);
    await userEvent.keyboard('{Escape}');
    expect(await optionsOf('Owner')).toEqual([
      'All',
      'marketing-analytics',
      'Sales Data',
    ]);
    await userEvent.keyboard('{Escape}');
    expect(await optionsOf('Type')).toEqual([
      'All',
      'consumer-aligned',
      'source-aligned',
    ]);
    await userEvent.keyboard('{Escape}');
    expect(await optionsOf('Governance level')).toEqual([
      'All',
      'No level yet',
      'Bronze',
      'Silver',
    ]);
    await userEvent.keyboard('{Escape}');
    expect(await optionsOf('Classification')).toEqual([
      'All',
      'confidential',
      'internal',
    ]);
    await userEvent.keyboard('{Escape}');
    // Lifecycles of data products only, not of the component.
    expect(
      screen.getByRole('checkbox', { name: 'experimental' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'production' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('checkbox', { name: 'deprecated' }),
    ).not.toBeInTheDocument();
  });

  it('filters the search by the domain reference and by PII as the documents hold them', async () => {
    const { searchApi } = await renderFilters({ types: ['data-product'] });

    await optionsOf('Domain');
    await userEvent.click(screen.getByRole('option', { name: 'Sales' }));
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Contains PII' }),
    );

    expect(filters()).toEqual({
      domain: 'domain:default/sales',
      containsPii: ['true'],
    });
    await waitFor(() =>
      expect(searchApi.query).toHaveBeenLastCalledWith(
        expect.objectContaining({
          types: ['data-product'],
          filters: { domain: 'domain:default/sales', containsPii: ['true'] },
        }),
        expect.anything(),
      ),
    );
  });

  it('shows only while the search is restricted to data products, and drops its filters when it leaves them', async () => {
    await renderFilters({ types: [] });

    // Other result types have no such fields.
    expect(await screen.findByLabelText('Filters')).toBeInTheDocument();
    expect(
      screen.queryByText('Domain', { selector: 'label' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Data products' }),
    );
    await optionsOf('Governance level');
    await userEvent.click(screen.getByRole('option', { name: 'Silver' }));
    expect(filters()).toEqual({ governanceLevel: 'Silver' });

    await userEvent.click(screen.getByRole('button', { name: 'Catalog' }));
    await waitFor(() => expect(filters()).toEqual({}));
    expect(
      screen.queryByText('Domain', { selector: 'label' }),
    ).not.toBeInTheDocument();
  });

  it('leaves out the level without the data-mesh backend, and keeps the others', async () => {
    const { dataMeshApi } = await renderFilters({
      types: ['data-product'],
      withoutDataMeshBackend: true,
    });
    await waitFor(() => expect(dataMeshApi.getPolicies).toHaveBeenCalled());

    expect(
      await screen.findByText('Domain', { selector: 'label' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Governance level', { selector: 'label' }),
    ).not.toBeInTheDocument();
  });
});
