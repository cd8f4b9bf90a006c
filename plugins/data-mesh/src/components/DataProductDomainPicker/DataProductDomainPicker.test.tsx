import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityKindFilter,
  EntityListProvider,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  MockEntityListContextProvider,
} from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { DataProductDomainPicker } from './DataProductDomainPicker';
import { DataProductDomainFilter } from './DataProductDomainFilter';

function product(name: string, domain: string): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: { domain, type: 'source-aligned' },
  };
}

const entities = [
  product('orders', 'sales'),
  product('refunds', 'domain:default/sales'),
  product('campaigns', 'marketing'),
  product('invoices', 'domain:finance/billing'),
];

function EntityNames() {
  const { entities: listed, loading } = useEntityList();
  if (loading) {
    return null;
  }
  return (
    <ul aria-label="Listed entities">
      {listed.map(entity => (
        <li key={entity.metadata.name}>{entity.metadata.name}</li>
      ))}
    </ul>
  );
}

async function renderCatalog(routeEntries?: string[]) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <EntityListProvider>
        <DataProductDomainPicker />
        <EntityNames />
      </EntityListProvider>
    </TestApiProvider>,
    { routeEntries },
  );
}

async function listedNames(): Promise<string[]> {
  const list = await screen.findByRole('list', { name: 'Listed entities' });
  return within(list)
    .queryAllByRole('listitem')
    .map(item => item.textContent ?? '');
}

describe('DataProductDomainPicker', () => {
  it('offers the domains in the catalog and filters the list by spec.domain', async () => {
    await renderCatalog();

    await userEvent.click(await screen.findByTestId('domain-picker-expand'));
    const options = (await screen.findAllByRole('option')).map(
      option => option.textContent,
    );
    // Short and full references to the same domain are one option.
    expect(options).toEqual([
      'finance/billing (1)',
      'marketing (1)',
      'sales (2)',
    ]);

    await userEvent.click(screen.getByRole('option', { name: 'sales (2)' }));

    await waitFor(async () =>
      expect(await listedNames()).toEqual(['orders', 'refunds']),
    );

    await userEvent.click(
      screen.getByRole('option', { name: 'marketing (1)' }),
    );

    await waitFor(async () =>
      expect(await listedNames()).toEqual(['campaigns', 'orders', 'refunds']),
    );
  });

  it('takes the selection from the URL', async () => {
    await renderCatalog(['/?filters[domain]=domain:finance/billing']);

    await waitFor(async () =>
      expect(await listedNames()).toEqual(['invoices']),
    );
    expect(
      screen.getByRole('button', { name: 'finance/billing' }),
    ).toBeInTheDocument();
  });

  it('counts the domains within the selected kind and sets the filter', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntityFacets: jest.fn().mockResolvedValue({
        facets: { 'spec.domain': [{ value: 'sales', count: 3 }] },
      }),
    });
    const updateFilters = jest.fn();

    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <MockEntityListContextProvider
          value={{
            filters: {
              kind: new EntityKindFilter('dataproduct', 'DataProduct'),
            },
            updateFilters,
          }}
        >
          <DataProductDomainPicker label="Data product domain" />
        </MockEntityListContextProvider>
      </TestApiProvider>,
    );

    expect(await screen.findByText('Data product domain')).toBeInTheDocument();
    expect(catalogApi.getEntityFacets).toHaveBeenCalledWith({
      facets: ['spec.domain'],
      filter: { kind: 'dataproduct' },
    });
    expect(updateFilters).toHaveBeenLastCalledWith({ domain: undefined });

    await userEvent.click(screen.getByTestId('domain-picker-expand'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'sales (3)' }),
    );

    const { domain } = updateFilters.mock.calls.at(-1)[0];
    expect(domain).toBeInstanceOf(DataProductDomainFilter);
    expect(domain.values).toEqual(['domain:default/sales']);
  });

  it('renders nothing when no entity has a domain', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntityFacets: jest.fn().mockResolvedValue({
        facets: { 'spec.domain': [] },
      }),
    });

    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <MockEntityListContextProvider>
          <DataProductDomainPicker />
        </MockEntityListContextProvider>
      </TestApiProvider>,
    );

    await waitFor(() => expect(catalogApi.getEntityFacets).toHaveBeenCalled());
    expect(screen.queryByText('Domain')).not.toBeInTheDocument();
  });
});
