import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { GroupFailedDescriptorsCard } from './GroupFailedDescriptorsCard';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import { errorHeading } from '../../testing/errors';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'Sales-Data', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const TITLE = 'Data product descriptors that failed to load';

async function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <EntityProvider entity={group}>
        <GroupFailedDescriptorsCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const refused = (overrides: Partial<FailedDescriptor>): FailedDescriptor => ({
  name: 'returns',
  namespace: 'default',
  kind: 'DataProduct',
  owner: 'sales-data',
  state: 'failed',
  errors: [{ name: 'InputError', message: 'kind is not allowed' }],
  ...overrides,
});

describe('GroupFailedDescriptorsCard', () => {
  it("lists the team's refused descriptors with where each is and why", async () => {
    const api = mockDataMeshApi({
      listFailedDescriptors: jest.fn(async () => ({
        available: true,
        items: [
          refused({
            name: 'Returns Forecast',
            location:
              'url:https://github.com/acme/returns/blob/main/catalog-info.yaml',
            errors: [
              { name: 'InputError', message: '"metadata.name" is not valid' },
              {
                name: 'InputError',
                message: 'spec.owner: <img src=x onerror="alert(1)">',
              },
            ],
          }),
          refused({
            name: 'orders',
            kind: 'dataProduct',
            location: 'file:/repos/orders/catalog-info.yaml',
            state: 'pending',
          }),
          refused({
            name: 'stock',
            location: 'url:javascript:alert(1)',
          }),
        ],
      })),
    });
    await renderCard(api);

    const list = await screen.findByRole('list', {
      name: 'Refused descriptors of this team',
    });
    // The team's own ref, as the other team card asks.
    expect(api.listFailedDescriptors).toHaveBeenCalledWith({
      owner: 'group:default/sales-data',
    });
    expect(screen.getByText(TITLE)).toBeInTheDocument();
    expect(
      screen.getByText(
        '3 data product descriptors were refused by the catalog and have no page; fix the file and the catalog reads it again.',
      ),
    ).toBeInTheDocument();

    const [forecast, orders, stock] = within(list).getAllByRole('listitem');
    // A location read from a URL links to the file, in a new window.
    const url = 'https://github.com/acme/returns/blob/main/catalog-info.yaml';
    expect(
      within(forecast).getByRole('link', {
        name: `${url}, Opens in a new window`,
      }),
    ).toHaveAttribute('href', url);
    expect(forecast).toHaveTextContent(
      /^Returns Forecast in https:\/\/github\.com\//,
    );
    // The catalog's reasons are text, never markup.
    expect(forecast).toHaveTextContent(
      /: "metadata\.name" is not valid; spec\.owner: <img src=x onerror="alert\(1\)">$/,
    );
    expect(forecast.querySelector('img')).toBeNull();

    // A file location is no link.
    expect(orders).toHaveTextContent(
      'orders in file:/repos/orders/catalog-info.yaml: kind is not allowed',
    );
    expect(within(orders).queryByRole('link')).not.toBeInTheDocument();
    // Nor is a URL of another scheme.
    expect(stock).toHaveTextContent(
      'stock in url:javascript:alert(1): kind is not allowed',
    );
    expect(within(stock).queryByRole('link')).not.toBeInTheDocument();
  });

  it('says one descriptor in the singular', async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: true,
          items: [refused({})],
        })),
      }),
    );

    expect(
      await screen.findByText(
        '1 data product descriptor was refused by the catalog and has no page; fix the file and the catalog reads it again.',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Refused descriptors of this team' }),
      ).getByRole('listitem'),
    ).toHaveTextContent('returns: kind is not allowed');
  });

  it('says so when the catalog refused none of the team', async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: true,
          items: [],
        })),
      }),
    );

    expect(
      await screen.findByRole('note', { name: 'No refused descriptors' }),
    ).toHaveTextContent('No refused descriptors for this team.');
    expect(screen.getByText(TITLE)).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('names the backend module to install when the catalog cannot list them', async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: false,
          reason: 'The catalog lists no unprocessed entities',
          items: [],
        })),
      }),
    );

    expect(
      await screen.findByRole('note', {
        name: 'Refused descriptors cannot be listed',
      }),
    ).toHaveTextContent(
      'Install @backstage/plugin-catalog-backend-module-unprocessed in the backend to see the descriptors the catalog refused.',
    );
    expect(
      screen.queryByText('No refused descriptors for this team.'),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it("tells the team's ignored files from its refused descriptors, with when the catalog last read each", async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: true,
          items: [
            refused({ lastTriedAt: '2026-12-01T09:30:00Z' }),
            refused({
              name: 'orders',
              location: 'file:/repos/shop/orders.yaml',
              state: 'conflict',
              entityRef: 'dataproduct:default/orders',
              servedLocation: 'file:/repos/orders/catalog-info.yaml',
              lastTriedAt: '2026-12-02T17:45:00Z',
              errors: [
                {
                  name: 'ConflictError',
                  message:
                    'Declares dataproduct:default/orders, which the catalog already serves from file:/repos/orders/catalog-info.yaml; the catalog ignores this file. Remove the product from one of the two files, or give this one another name',
                },
              ],
            }),
          ],
        })),
      }),
    );

    expect(
      await screen.findByText(
        '1 data product descriptor was refused by the catalog and has no page; 1 file declares a product already served from another file and is ignored.',
      ),
    ).toBeInTheDocument();
    const [returns, orders] = within(
      screen.getByRole('list', { name: 'Refused descriptors of this team' }),
    ).getAllByRole('listitem');
    expect(returns).toHaveTextContent(
      /^returns: kind is not allowed\s*last read 1 Dec 2026, 09:30 UTC$/,
    );
    expect(orders).toHaveTextContent(
      /^orders in file:\/repos\/shop\/orders\.yaml: the catalog ignores this file, as orders is already served from file:\/repos\/orders\/catalog-info\.yaml\. .*reported 2 Dec 2026, 17:45 UTC$/,
    );
    expect(
      within(orders).getByRole('link', { name: 'orders' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/orders');
  });

  it("lists the team's ignored files when the catalog cannot list what it refused", async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => ({
          available: false,
          reason: 'The catalog lists no unprocessed entities',
          items: [
            refused({
              name: 'orders',
              state: 'conflict',
              entityRef: 'dataproduct:default/orders',
              servedLocation: 'file:/repos/orders/catalog-info.yaml',
            }),
          ],
        })),
      }),
    );

    expect(
      await screen.findByRole('note', {
        name: 'Refused descriptors cannot be listed',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '1 file declares a product already served from another file and is ignored; remove the product from one of the two files, or rename it there.',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'Refused descriptors of this team' }),
      ).getByRole('link', { name: 'orders' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/orders');
  });

  it('shows an error when the list cannot be read', async () => {
    await renderCard(
      mockDataMeshApi({
        listFailedDescriptors: jest.fn(async () => {
          throw new Error('Request failed with 403: Not allowed');
        }),
      }),
    );

    expect(
      await screen.findByText(
        ...errorHeading('Request failed with 403: Not allowed'),
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(TITLE)).toBeInTheDocument();
  });
});
