import { act, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { DataProductAboutCard } from './DataProductAboutCard';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';

/** Renders the card, with the data mesh API when given one. */
async function renderCard(entity: Entity, api?: DataMeshApi) {
  const card = (
    <EntityProvider entity={entity}>
      <DataProductAboutCard />
    </EntityProvider>
  );
  return renderInTestApp(
    api ? (
      <TestApiProvider apis={[[dataMeshApiRef, api]]}>{card}</TestApiProvider>
    ) : (
      card
    ),
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
  it('links to the descriptor in its repository, to view and to edit', async () => {
    const entity = sampleDataProduct();
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'backstage.io/view-url':
        'https://github.com/acme/orders/blob/main/catalog-info.yaml',
      'backstage.io/edit-url':
        'https://github.com/acme/orders/edit/main/catalog-info.yaml',
    };
    await renderCard(entity);

    expect(
      within(field('Descriptor')).getByRole('link', { name: /^View source/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/orders/blob/main/catalog-info.yaml',
    );
    expect(
      within(field('Descriptor')).getByRole('link', { name: /^Edit/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/orders/edit/main/catalog-info.yaml',
    );
  });

  it('names the file the catalog reads when it has no web address', async () => {
    const entity = sampleDataProduct();
    entity.metadata.annotations = {
      'backstage.io/managed-by-location':
        'file:/repos/orders/catalog-info.yaml',
    };
    await renderCard(entity);

    expect(field('Descriptor')).toHaveTextContent(
      '/repos/orders/catalog-info.yaml',
    );
    expect(within(field('Descriptor')).queryByRole('link')).toBeNull();
  });

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

describe('DataProductAboutCard, when another file declares the product', () => {
  const TITLE = 'Declared in more than one file';

  const conflict = (
    overrides: Partial<FailedDescriptor> = {},
  ): FailedDescriptor => ({
    name: 'orders',
    namespace: 'default',
    kind: 'DataProduct',
    owner: 'returns-team',
    location: 'url:https://github.com/acme/returns/blob/main/catalog-info.yaml',
    state: 'conflict',
    entityRef: 'dataproduct:default/orders',
    servedLocation: 'file:/repos/orders/catalog-info.yaml',
    lastTriedAt: '2026-12-01T09:30:00.000Z',
    errors: [
      {
        name: 'ConflictError',
        message:
          'Declares dataproduct:default/orders, which the catalog already serves from file:/repos/orders/catalog-info.yaml; the catalog ignores this file. Remove the product from one of the two files, or give this one another name',
      },
    ],
    ...overrides,
  });

  /** Waits for the card to have asked for the product's conflicts, and for the answer to render. */
  async function answered(api: jest.Mocked<DataMeshApi>) {
    await waitFor(() => expect(api.listFailedDescriptors).toHaveBeenCalled());
    await act(() => Promise.resolve());
  }

  it('warns at the top of the card, naming the ignored file and its team', async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [conflict()],
      })),
    });
    await renderCard(sampleDataProduct(), api);

    const warning = await screen.findByRole('note', { name: TITLE });
    // The product's own ref, in the form the backend checks.
    expect(api.listFailedDescriptors).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
    });
    const url = 'https://github.com/acme/returns/blob/main/catalog-info.yaml';
    // (A link's text ends with a hidden ", Opens in a new window".)
    expect(warning).toHaveTextContent(`Also declared in ${url}`);
    expect(warning).toHaveTextContent(
      /window \(by returns-team\); the catalog ignores that file\. Remove the product from one of the two files, or rename it there\. Reported 1 Dec 2026, 09:30 UTC\.$/,
    );
    expect(
      within(warning).getByRole('link', {
        name: `${url}, Opens in a new window`,
      }),
    ).toHaveAttribute('href', url);
    expect(
      within(warning).getByRole('link', { name: 'returns-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/returns-team');
    // Above the card's fields.
    expect(
      warning.compareDocumentPosition(
        screen.getByRole('heading', { level: 4, name: 'Title' }),
      ) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    // The rest of the card is there.
    expect(field('Title')).toHaveTextContent('Orders');
  });

  it('names each ignored file, a file location as text and no team when the file names none', async () => {
    await renderCard(
      sampleDataProduct(),
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: true,
          items: [
            conflict(),
            conflict({
              location: 'file:/repos/orders-copy/catalog-info.yaml',
              owner: undefined,
              lastTriedAt: undefined,
            }),
          ],
        })),
      }),
    );

    const warning = await screen.findByRole('note', { name: TITLE });
    expect(warning).toHaveTextContent(
      'Also declared in file:/repos/orders-copy/catalog-info.yaml; the catalog ignores that file. Remove the product from one of the two files, or rename it there.',
    );
    expect(warning).toHaveTextContent(/rename it there\.$/);
    expect(within(warning).getAllByRole('link')).toHaveLength(2);
  });

  it('shows nothing when no other file declares it, even with refused edits of it', async () => {
    for (const items of [
      [],
      // A refused descriptor of the same name is no second declaration.
      [
        conflict({
          state: 'failed',
          entityRef: undefined,
          servedLocation: undefined,
          errors: [{ name: 'InputError', message: 'spec.owner is missing' }],
        }),
      ],
    ]) {
      const api = mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: true,
          items,
        })),
      });
      const { unmount } = await renderCard(sampleDataProduct(), api);
      await answered(api);

      expect(field('Title')).toHaveTextContent('Orders');
      expect(screen.queryByRole('note', { name: TITLE })).toBeNull();
      expect(screen.queryByText(/Also declared in/)).toBeNull();
      unmount();
    }
  });

  it('shows the card without a warning, quietly, when the list cannot be read', async () => {
    const consoleError = jest.spyOn(console, 'error');
    const consoleWarn = jest.spyOn(console, 'warn');
    try {
      const api = mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => {
          throw new Error('Request failed with 403: Not allowed');
        }),
      });
      await renderCard(sampleDataProduct(), api);
      await answered(api);

      expect(field('Title')).toHaveTextContent('Orders');
      expect(field('Address')).toHaveTextContent(
        'dataproduct://default/orders',
      );
      expect(screen.queryByRole('note', { name: TITLE })).toBeNull();
      expect(screen.queryByText(/Not allowed/)).toBeNull();
      // Nothing about the failure in the console (React's and the router's
      // own deprecation notices may be there).
      for (const spy of [consoleError, consoleWarn]) {
        expect(JSON.stringify(spy.mock.calls)).not.toMatch(/Not allowed|403/);
      }
    } finally {
      consoleError.mockRestore();
      consoleWarn.mockRestore();
    }
  });

  it('shows the card without a warning when the app has no data mesh API', async () => {
    await renderCard(sampleDataProduct());

    expect(field('Title')).toHaveTextContent('Orders');
    expect(screen.queryByRole('note', { name: TITLE })).toBeNull();
  });
});
