import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { DataProductQualityCard } from './DataProductQualityCard';
import {
  DataMeshQualityApi,
  dataMeshQualityApiRef,
} from '../../api/DataMeshQualityApi';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockQualityApi, sampleQuality } from '../../testing/quality';

async function renderCard(api: DataMeshQualityApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshQualityApiRef, api]]}>
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductQualityCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('DataProductQualityCard', () => {
  it('shows SLO status, the latest run with its link, failing checks and the trend', async () => {
    const api = mockQualityApi();
    await renderCard(api);

    expect(await screen.findByText('Data quality')).toBeInTheDocument();
    expect(api.getQuality).toHaveBeenCalledWith('dataproduct:default/orders');

    const chips = within(screen.getByRole('list', { name: 'SLO status' }));
    expect(chips.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Freshness: met',
      'Completeness: breached',
      'Availability: no data',
    ]);
    expect(
      chips.getByText('Freshness: met').closest('[title]'),
    ).toHaveAttribute(
      'title',
      'The newest data arrived 1 hour 55 minutes ago; the objective is PT6H. Error budget: missed for 3 h of the 7 h 12 min the 99% target allows in 30 days; 4 h 12 min left',
    );
    // What is not met is explained in words, not only on hover.
    const why = within(screen.getByRole('list', { name: 'Why' }));
    expect(why.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Completeness: 9 of 600 completeness check results failed in the last 30 days: 98.5% good, the target is 99.5%. Error budget: 9 of the 3 failing results the 99.5% target allows in 30 days; spent, 6 over',
      'Availability: No runs in the last 30 days',
    ]);

    const run = screen.getByRole('group', { name: 'Latest run' });
    expect(run).toHaveTextContent(
      'dbt, run 5f0c6b1e, finished 15 Jun 2026 at 10:04 UTC: 20 checks, 17 passed, 1 with warnings, 1 failed, 1 could not run.',
    );
    expect(
      within(run).getByRole('link', { name: /^Open the run/ }),
    ).toHaveAttribute(
      'href',
      'https://ci.acme.example/sales/orders/pipelines/4711',
    );

    const failing = within(
      screen.getByRole('list', { name: 'Failing checks' }),
    );
    const items = failing.getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'accepted_values_orders_status failed Got 3 results, configured to fail if != 0',
    );
    expect(items[0]).toHaveTextContent('measured 3, threshold fail if != 0');
    expect(items[1]).toHaveTextContent(
      'snapshot orders_snapshot builds error canceling statement due to statement timeout',
    );
    expect(items[1]).toHaveTextContent(
      'on analytics.snapshots.orders_snapshot',
    );

    expect(
      screen.getByRole('img', {
        name: /^Pass rate per day over 30 days: 100% on 2026-05-27, 90% on 2026-06-15$/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('99.5% of 400 results passed in 30 days'),
    ).toBeInTheDocument();
  });

  it('says so when no results were posted, instead of looking healthy', async () => {
    await renderCard(
      mockQualityApi({
        getQuality: jest.fn(async () =>
          sampleQuality({
            hasResults: false,
            latestRun: undefined,
            failing: [],
            passRate: [],
            slos: [
              {
                slo: 'freshness',
                objective: 'PT6H',
                status: 'no-data',
                message: 'No quality results have been posted for this product',
              },
            ],
          }),
        ),
      }),
    );
    expect(
      await screen.findByRole('note', { name: 'No quality results yet' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Freshness: no data')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Latest run' })).toBeNull();
    expect(screen.queryByText(/passed in 30 days/)).toBeNull();
  });

  it('shows the notes about left-out results and a product without SLOs', async () => {
    await renderCard(
      mockQualityApi({
        getQuality: jest.fn(async () =>
          sampleQuality({
            slos: [],
            failing: [],
            notes: [
              "1 run finishes more than 5 minutes after now and is left out: check the pipeline's clock and time zone",
            ],
          }),
        ),
      }),
    );
    expect(
      await screen.findByRole('note', { name: 'Some results are left out' }),
    ).toHaveTextContent('check the pipeline');
    expect(
      screen.getByText(/The product declares no SLOs \(spec\.slos\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No check fails in the latest runs.'),
    ).toBeInTheDocument();
  });

  it('shows the error of a failed request', async () => {
    await renderCard(
      mockQualityApi({
        getQuality: jest.fn(async () => {
          throw new Error('Request failed with 403 Forbidden: Not allowed');
        }),
      }),
    );
    expect(
      (await screen.findAllByText(/Request failed with 403 Forbidden/))[0],
    ).toBeInTheDocument();
  });
});
