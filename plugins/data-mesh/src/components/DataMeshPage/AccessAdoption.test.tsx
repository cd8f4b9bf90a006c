import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { AccessAdoption, formatHours } from './AccessAdoption';
import { dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';

async function renderCard(api: ReturnType<typeof mockDataMeshApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <Grid container>
        <AccessAdoption days={30} />
      </Grid>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('AccessAdoption', () => {
  it('shows grants, consumers, waiting requests and the time to approve, per product and domain', async () => {
    const api = mockDataMeshApi({
      getAccessAdoption: jest.fn(async () => ({
        days: 30,
        grants: 3,
        consumers: 2,
        pending: 1,
        products: [
          {
            entityRef: 'dataproduct:default/orders',
            title: 'Orders',
            domain: 'domain:default/sales',
            grants: 2,
            consumers: 2,
          },
          {
            entityRef: 'dataproduct:default/holidays',
            domain: 'domain:default/sales',
            grants: 1,
            consumers: 1,
          },
        ],
        domains: [
          {
            domain: 'domain:default/sales',
            products: 2,
            grants: 3,
            consumers: 2,
          },
        ],
        timeToApprove: {
          approved: 2,
          autoApproved: 1,
          medianHours: 6,
          p90Hours: 60,
        },
      })),
    });
    await renderCard(api);
    expect(await screen.findByText('Access to data')).toBeInTheDocument();
    expect(api.getAccessAdoption).toHaveBeenCalledWith({ days: 30 });
    const figure = (label: string) =>
      screen.getByRole('group', { name: label }).textContent;
    expect(figure('Grants now')).toBe('3Grants now');
    expect(figure('Consumers holding them')).toBe('2Consumers holding them');
    expect(figure('Requests waiting')).toBe('1Requests waiting');
    expect(figure('Median time to approve (30 days)')).toBe(
      '6 hMedian time to approve (30 days)',
    );
    expect(
      screen.getByText(
        /^2 requests approved by an owner in the last 30 days; 9 in 10 within 2.5 days\. 1 approved at once \(public data\)\./,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'See the requests waiting for a decision.',
      }),
    ).toBeInTheDocument();
    const products = within(
      screen.getByRole('table', { name: 'Consumers per data product' }),
    );
    expect(products.getAllByRole('row').map(r => r.textContent)).toEqual([
      'Data productDomainConsumersGrants',
      'Orderssales22',
      'holidayssales11',
    ]);
    expect(products.getByRole('link', { name: 'Orders' })).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/orders',
    );
    const domains = within(
      screen.getByRole('table', { name: 'Consumers per domain' }),
    );
    expect(domains.getAllByRole('row')[1].textContent).toBe('sales22');
  });

  it('says so when nobody holds a grant yet', async () => {
    await renderCard(mockDataMeshApi());
    expect(
      await screen.findByText(
        "No consumer holds a grant yet: consumers ask for access on a data product's Access tab.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Median time to approve (90 days)' }),
    ).toHaveTextContent('–');
  });

  it('writes waits in hours, and in days beyond two', () => {
    expect(formatHours(0.25)).toBe('0.3 h');
    expect(formatHours(47)).toBe('47 h');
    expect(formatHours(60)).toBe('2.5 days');
  });
});
