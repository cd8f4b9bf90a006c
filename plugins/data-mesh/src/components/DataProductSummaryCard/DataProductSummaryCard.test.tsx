import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductSummaryCard } from './DataProductSummaryCard';
import {
  DataMeshApi,
  dataMeshApiRef,
  DataMeshQualityApi,
  dataMeshQualityApiRef,
} from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi, sampleScorecard } from '../../testing/governance';
import { mockQualityApi, sampleQuality } from '../../testing/quality';

async function renderCard(
  governance: DataMeshApi = mockDataMeshApi({
    getScorecard: jest.fn(async () => sampleScorecard({ level: 'Silver' })),
  }),
  quality: DataMeshQualityApi = mockQualityApi(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dataMeshApiRef, governance],
        [dataMeshQualityApiRef, quality],
      ]}
    >
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductSummaryCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DataProductSummaryCard', () => {
  it('shows the address, owners, level, SLO status and ports together', async () => {
    await renderCard();

    expect(await screen.findByText('At a glance')).toBeInTheDocument();
    expect(
      screen.getByText('dataproduct://default/orders'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy address' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'sales-data' })).toHaveAttribute(
      'href',
      '/catalog/default/group/sales-data',
    );
    expect(screen.getByRole('link', { name: 'maria.silva' })).toHaveAttribute(
      'href',
      '/catalog/default/user/maria.silva',
    );
    expect(await screen.findByLabelText('Level Silver')).toBeInTheDocument();

    const slos = within(
      await screen.findByRole('list', { name: 'SLO status' }),
    );
    expect(slos.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'Freshness: met',
      'Completeness: breached',
      'Availability: no data',
    ]);
    expect(
      screen.getByText('1 breached, 1 no data, 1 met over 30 days'),
    ).toBeInTheDocument();

    const outputs = within(screen.getByRole('list', { name: 'Output ports' }));
    expect(outputs.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'orders-table table, iceberg iceberg://lake/sales/orders',
      'order-events topic, avro kafka://events/sales.orders.v1',
    ]);
    expect(
      outputs.getByRole('button', { name: 'Copy address of orders-table' }),
    ).toBeInTheDocument();
    const inputs = within(screen.getByRole('list', { name: 'Input ports' }));
    expect(inputs.getAllByRole('link').map(l => l.textContent)).toEqual([
      'orders-service',
      'customers',
    ]);
  });

  it('says when the product is not evaluated and has no quality results', async () => {
    await renderCard(
      mockDataMeshApi({ getScorecard: jest.fn(async () => undefined) }),
      mockQualityApi({
        getQuality: jest.fn(async () =>
          sampleQuality({
            hasResults: false,
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

    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(await screen.findByText('Freshness: no data')).toBeInTheDocument();
    expect(screen.getByText('1 no data over 30 days')).toBeInTheDocument();
  });

  it('keeps the address and owners when the level cannot be loaded', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () => {
          throw new Error('Request failed with 503 Service Unavailable');
        }),
      }),
    );

    expect(
      await screen.findByText(
        'Could not load the level: Request failed with 503 Service Unavailable',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('dataproduct://default/orders'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'sales-data' }),
    ).toBeInTheDocument();
  });
});
