import { screen, within } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { DataProductQualityCard } from './DataProductQualityCard';
import {
  DataMeshQualityApi,
  dataMeshQualityApiRef,
} from '../../api/DataMeshQualityApi';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockQualityApi, sampleQuality } from '../../testing/quality';

/** The demo's guest: signed in, member of no team. */
const guest = mockApis.identity({
  userEntityRef: 'user:development/guest',
  ownershipEntityRefs: ['user:development/guest'],
});

/** A member of the team that owns the sample product. */
const salesEngineer = mockApis.identity({
  userEntityRef: 'user:default/ana',
  ownershipEntityRefs: ['user:default/ana', 'group:default/sales-data'],
});

async function renderCard(
  api: DataMeshQualityApi,
  options: {
    identity?: ReturnType<typeof mockApis.identity>;
    docsBaseUrl?: string;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dataMeshQualityApiRef, api],
        [identityApiRef, options.identity ?? guest],
      ]}
    >
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductQualityCard docsBaseUrl={options.docsBaseUrl} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** No results at all: every declared SLO is without data. */
const noResults = () =>
  sampleQuality({
    hasResults: false,
    latestRun: undefined,
    failing: [],
    passRate: [],
    slos: (['freshness', 'completeness', 'availability'] as const).map(slo => ({
      slo,
      objective: slo === 'freshness' ? 'PT6H' : 99.5,
      status: 'no-data' as const,
      message: 'No quality results have been posted for this product',
    })),
  });

describe('DataProductQualityCard', () => {
  it('shows SLO status, the latest run with its link, failing checks and the trend', async () => {
    const api = mockQualityApi();
    await renderCard(api);

    expect(await screen.findByText('Data quality')).toBeInTheDocument();
    expect(api.getQuality).toHaveBeenCalledWith('dataproduct:default/orders');

    // One line per SLO: its status, then what it rests on, in words rather
    // than only on hover.
    const slos = within(screen.getByRole('list', { name: 'SLO status' }));
    expect(slos.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Freshness: met The newest data arrived 1 hour 55 minutes ago; the objective is 6 hours. Error budget: missed for 3 h of the 7 h 12 min the 99% target allows in 30 days; 4 h 12 min left',
      'Completeness: breached 9 of 600 completeness check results failed in the last 30 days: 98.5% good, the target is 99.5%. Error budget: 9 of the 3 failing results the 99.5% target allows in 30 days; spent, 6 over',
      'Availability: no data No runs in the last 30 days',
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

  it('says once that no results were posted, with one "no data" per SLO and no API path', async () => {
    await renderCard(
      mockQualityApi({ getQuality: jest.fn(async () => noResults()) }),
    );

    expect(
      await screen.findByRole('note', { name: 'No quality results yet' }),
    ).toHaveTextContent('none of its SLOs can be judged');
    const slos = within(screen.getByRole('list', { name: 'SLO status' }));
    expect(slos.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Freshness: no data',
      'Completeness: no data',
      'Availability: no data',
    ]);
    // Each SLO says "no data" once, and the shared reason is not repeated.
    expect(screen.getAllByText(/no data/i)).toHaveLength(3);
    expect(
      screen.queryByText(/No quality results have been posted/),
    ).toBeNull();
    // Consumers read about the data, not about the backend's routes.
    expect(document.body.textContent).not.toMatch(/\/api\//);
    expect(document.body.textContent).not.toMatch(/POST/);
    expect(screen.queryByRole('group', { name: 'Latest run' })).toBeNull();
    expect(screen.queryByText(/passed in 30 days/)).toBeNull();
  });

  it('links the docs on connecting a pipeline for the owning team only', async () => {
    const api = mockQualityApi({
      getQuality: jest.fn(async () => noResults()),
    });
    const docsBaseUrl = 'https://github.com/acme/quanta/blob/main/';

    const { unmount } = await renderCard(api, {
      identity: salesEngineer,
      docsBaseUrl,
    });
    expect(
      await screen.findByRole('link', { name: /^How to connect a pipeline/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/quanta/blob/main/README.md#data-quality',
    );
    unmount();

    await renderCard(api, { identity: guest, docsBaseUrl });
    expect(
      await screen.findByRole('note', { name: 'No quality results yet' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/connect a pipeline/)).toBeNull();
  });

  it('tells owners where the docs are when no docs address is configured', async () => {
    await renderCard(
      mockQualityApi({ getQuality: jest.fn(async () => noResults()) }),
      { identity: salesEngineer },
    );
    expect(
      await screen.findByRole('note', { name: "For this product's owners" }),
    ).toHaveTextContent(
      'How to connect a pipeline: see “Data quality” in the Quanta README.',
    );
    expect(
      screen.queryByRole('link', { name: /connect a pipeline/ }),
    ).toBeNull();
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
      screen.getByText(/This product declares no SLOs/),
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
