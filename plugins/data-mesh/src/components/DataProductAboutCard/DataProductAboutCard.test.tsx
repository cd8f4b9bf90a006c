import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { DataProductAboutCard } from './DataProductAboutCard';
import { sampleDataProduct } from '../../testing/sampleDataProduct';

async function renderCard(entity: Entity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProductAboutCard />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The value shown under a field label. */
function field(label: string): HTMLElement {
  const heading = screen.getByRole('heading', {
    level: 4,
    name: new RegExp(`^${label}(\\s|$)`),
  });
  return heading.nextElementSibling as HTMLElement;
}

describe('DataProductAboutCard', () => {
  it('shows what the data product is, who owns it and where to find it', async () => {
    await renderCard(sampleDataProduct());

    expect(screen.getByText('About this data product')).toBeInTheDocument();
    expect(field('Title')).toHaveTextContent('Orders');
    expect(field('Description')).toHaveTextContent(
      'Every order placed in the web shop and the app, one row per order.',
    );
    expect(field('Type')).toHaveTextContent('source-aligned');
    expect(field('Lifecycle')).toHaveTextContent('production');
    expect(field('Classification')).toHaveTextContent('confidential');
    expect(field('Address')).toHaveTextContent('dataproduct://default/orders');
    expect(
      within(field('Address')).getByRole('button', { name: 'Copy address' }),
    ).toBeInTheDocument();
    expect(field('Tags')).toHaveTextContent('sales');
    expect(field('Tags')).toHaveTextContent('orders');

    expect(
      within(field('Owner')).getByRole('link', { name: /sales-data/ }),
    ).toHaveAttribute('href', '/catalog/default/group/sales-data');
    expect(
      within(field('Product owner')).getByRole('link', {
        name: /maria\.silva/,
      }),
    ).toHaveAttribute('href', '/catalog/default/user/maria.silva');
    expect(
      within(field('Domain')).getByRole('link', { name: /sales/ }),
    ).toHaveAttribute('href', '/catalog/default/domain/sales');
    expect(
      within(field('System')).getByRole('link', { name: /checkout/ }),
    ).toHaveAttribute('href', '/catalog/default/system/checkout');
    expect(screen.queryByText('No product owner')).not.toBeInTheDocument();
  });

  it('warns when no one is accountable for the product', async () => {
    await renderCard(
      sampleDataProduct({
        spec: { productOwner: undefined },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/sales-data' }],
      }),
    );

    expect(
      within(field('Product owner')).getByText('No product owner'),
    ).toBeInTheDocument();
    expect(
      within(field('Product owner')).queryByRole('link'),
    ).not.toBeInTheDocument();
  });

  it('derives the address and reads short references before stitching', async () => {
    await renderCard(
      sampleDataProduct({
        metadata: {
          name: 'payments',
          namespace: 'finance',
          title: undefined,
          annotations: {},
        },
        spec: {
          owner: 'payments-team',
          productOwner: 'jo',
          domain: 'billing',
          system: undefined,
          classification: undefined,
        },
        relations: [],
      }),
    );

    expect(field('Title')).toHaveTextContent('payments');
    expect(field('Address')).toHaveTextContent(
      'dataproduct://finance/payments',
    );
    expect(within(field('Owner')).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/finance/group/payments-team',
    );
    expect(within(field('Product owner')).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/finance/user/jo',
    );
    expect(within(field('Domain')).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/finance/domain/billing',
    );
    expect(field('System')).toHaveTextContent('No system');
    expect(field('Classification')).toHaveTextContent('Not classified');
  });
});
