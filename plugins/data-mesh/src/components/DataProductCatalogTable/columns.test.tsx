import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CatalogTable } from '@backstage/plugin-catalog';
import {
  EntityKindFilter,
  entityRouteRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { MockEntityListContextProvider } from '@backstage/plugin-catalog-react/testUtils';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import { dataProductCatalogColumns } from './columns';

function product(
  name: string,
  fields: { title?: string; description?: string; domain: string },
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: 'default',
      title: fields.title,
      description: fields.description,
      tags: ['orders'],
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'user:default/ada',
      domain: fields.domain,
    },
  };
}

const products = [
  // Sorted by name, "zz-orders" comes last; by the title shown, first.
  product('zz-orders', {
    title: 'Alpha orders',
    description:
      'Every order placed on the web shop and in the stores, one row per order line, deduplicated and enriched with customer_id',
    domain: 'domain:default/sales',
  }),
  product('aa-refunds', { title: 'Refunds', domain: 'domain:default/finance' }),
  product('mm-campaigns', { domain: 'domain:default/marketing' }),
];

function scorecards(levels: Record<string, string | undefined>) {
  return mockDataMeshApi({
    getScorecard: jest.fn(async (ref: string) => {
      const name = ref.split('/')[1];
      if (!(name in levels)) return undefined;
      return { level: levels[name] } as any;
    }),
  });
}

async function renderTable(
  entities: Entity[],
  kind: string,
  api = scorecards({}),
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [dataMeshApiRef, api],
        [starredEntitiesApiRef, new MockStarredEntitiesApi()],
      ]}
    >
      <MockEntityListContextProvider
        value={{
          entities,
          totalItems: entities.length,
          filters: { kind: new EntityKindFilter(kind, kind) },
        }}
      >
        <CatalogTable columns={dataProductCatalogColumns} />
      </MockEntityListContextProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const columnTitles = () =>
  screen
    .getAllByRole('columnheader')
    .map(h => h.textContent?.trim())
    .filter(Boolean);

const bodyRows = () => screen.getAllByRole('row').slice(1);

describe('dataProductCatalogColumns', () => {
  it('lists DataProducts with their domain, owners, type and governance level', async () => {
    const api = await renderTable(
      products,
      'DataProduct',
      scorecards({ 'zz-orders': 'Gold', 'aa-refunds': 'none' }),
    );

    expect(columnTitles()).toEqual(
      expect.arrayContaining([
        'Name',
        'Domain',
        'Owner',
        'Type',
        'Level',
        'Lifecycle',
        'Description',
      ]),
    );
    const orders = bodyRows().find(r => r.textContent?.includes('Alpha'))!;
    expect(within(orders).getByRole('link', { name: 'sales' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/sales',
    );
    expect(within(orders).getByText('sales-data')).toBeInTheDocument();
    expect(within(orders).getByText('source-aligned')).toBeInTheDocument();
    expect(
      await within(orders).findByLabelText('Level Gold'),
    ).toBeInTheDocument();

    const refunds = bodyRows().find(r => r.textContent?.includes('Refunds'))!;
    expect(
      await within(refunds).findByLabelText('No level yet'),
    ).toBeInTheDocument();
    // No scorecard at all: evaluation has not reached the product yet.
    const campaigns = bodyRows().find(r =>
      r.textContent?.includes('mm-campaigns'),
    )!;
    expect(
      await within(campaigns).findByText('Not evaluated yet'),
    ).toBeInTheDocument();
    expect(api.getScorecard).toHaveBeenCalledWith(
      'dataproduct:default/zz-orders',
      { days: 1 },
    );
  });

  it('sorts by the title shown, not by the name behind it', async () => {
    await renderTable(products, 'DataProduct');

    const names = () =>
      bodyRows().map(r => within(r).getAllByRole('link')[0].textContent);
    expect(names()).toEqual(['Alpha orders', 'mm-campaigns', 'Refunds']);
    const nameHeader = screen
      .getAllByRole('columnheader')
      .find(h => h.textContent?.trim() === 'Name')!;
    await userEvent.click(within(nameHeader).getByText('Name'));
    expect(names()).toEqual(['Refunds', 'mm-campaigns', 'Alpha orders']);
  });

  it('wraps descriptions between words, never inside one', async () => {
    await renderTable(products, 'DataProduct');

    const cell = screen
      .getByText(/Every order placed on the web shop/)
      .closest('td')!;
    expect(cell.style.wordBreak).toBe('normal');
    expect(cell.style.overflowWrap).toBe('normal');
    // Types such as consumer-aligned are not split either.
    const type = screen.getAllByText('source-aligned')[0].closest('td')!;
    expect(type.style.wordBreak).toBe('normal');
  });

  it('keeps the catalog’s own columns for other kinds', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'checkout', namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'sales-data' },
    };
    const api = await renderTable([component], 'Component');

    expect(columnTitles()).toEqual(expect.arrayContaining(['Name', 'System']));
    expect(columnTitles()).not.toContain('Level');
    expect(columnTitles()).not.toContain('Domain');
    expect(api.getScorecard).not.toHaveBeenCalled();
  });
});
