import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { QualityBreaches } from './QualityBreaches';
import { dataMeshQualityApiRef } from '../../api/DataMeshQualityApi';
import { mockQualityApi } from '../../testing/quality';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('QualityBreaches', () => {
  it('lists the products breaching an SLO now, by domain', async () => {
    const api = mockQualityApi();
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshQualityApiRef, api]]}>
        <Grid container>
          <QualityBreaches />
        </Grid>
      </TestApiProvider>,
      mountedRoutes,
    );
    expect(await screen.findByText('SLO breaches now')).toBeInTheDocument();
    expect(
      screen.getByText(
        '2 of 12 data products with SLOs breach one now; 3 have no quality results yet.',
      ),
    ).toBeInTheDocument();
    const sales = within(
      screen.getByRole('region', { name: 'Breaches in sales' }),
    );
    expect(sales.getByRole('link', { name: 'Orders' })).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/orders',
    );
    expect(sales.getByRole('listitem')).toHaveTextContent(
      'Orders: Completeness: 9 of 600 completeness check results failed in the last 30 days',
    );
    const none = within(
      screen.getByRole('region', { name: 'Breaches in no domain' }),
    );
    expect(none.getByRole('listitem')).toHaveTextContent(
      'clickstream: Freshness: The newest data arrived 9 hours ago; the objective is 1 hour',
    );
  });

  it('is left out where the app has no quality API', async () => {
    await renderInTestApp(
      <Grid container>
        <QualityBreaches />
      </Grid>,
    );
    expect(screen.queryByText('SLO breaches now')).toBeNull();
  });
});
