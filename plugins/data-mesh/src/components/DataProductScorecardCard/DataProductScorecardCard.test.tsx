import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DataProductScorecardCard } from './DataProductScorecardCard';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi, sampleScorecard } from '../../testing/governance';
import { errorHeading } from '../../testing/errors';

async function renderCard(api: DataMeshApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <EntityProvider entity={sampleDataProduct()}>
        <DataProductScorecardCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('DataProductScorecardCard', () => {
  it("shows the product's level, score and score per attribute", async () => {
    const api = mockDataMeshApi({
      getScorecard: jest.fn(async () => sampleScorecard()),
    });
    await renderCard(api);

    expect(await screen.findByText('Governance scorecard')).toBeInTheDocument();
    expect(api.getScorecard).toHaveBeenCalledWith(
      'dataproduct:default/orders',
      { days: 90 },
    );
    expect(screen.getByLabelText('Level Bronze')).toHaveTextContent('Bronze');
    expect(screen.getByText(/^Score 63/)).toHaveTextContent('Score 63 / 100');
    expect(
      screen.getByText('Evaluated 20 Nov 2026, 10:00 UTC'),
    ).toBeInTheDocument();

    const attributes = section('Score per attribute');
    expect(
      within(attributes).getByRole('meter', { name: 'natively accessible' }),
    ).toHaveAttribute('aria-valuenow', '50');
    expect(
      within(attributes).getByRole('meter', { name: 'valuable on its own' }),
    ).toHaveAttribute('aria-valuenow', '75');
    expect(
      within(attributes).getByRole('meter', { name: 'trustworthy' }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(
      within(attributes).queryByRole('meter', { name: 'secure' }),
    ).not.toBeInTheDocument();
  });

  it('lists failing policies, errors first, with message and how to fix', async () => {
    await renderCard(
      mockDataMeshApi({ getScorecard: jest.fn(async () => sampleScorecard()) }),
    );

    const failing = await screen.findByRole('list', {
      name: 'Failing policies',
    });
    const items = within(failing).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Every output port has an address');
    expect(items[0]).toHaveTextContent('error');
    expect(items[0]).toHaveTextContent(
      'Output port order-events has no address',
    );
    expect(items[0]).toHaveTextContent(
      'How to fix: Give each output port an address such as iceberg://lake/x.',
    );
    expect(items[1]).toHaveTextContent('SLOs are declared');
    expect(items[1]).toHaveTextContent('spec.slos declares no freshness');
    expect(within(failing).queryByText('Has a description')).toBeNull();
  });

  it('says what blocks the next level', async () => {
    await renderCard(
      mockDataMeshApi({ getScorecard: jest.fn(async () => sampleScorecard()) }),
    );

    const blocking = await screen.findByRole('list', {
      name: 'What blocks Silver',
    });
    expect(
      within(blocking)
        .getAllByRole('listitem')
        .map(item => item.firstChild?.textContent),
    ).toEqual(['Every output port has an address', 'SLOs are declared']);
    expect(blocking).toHaveTextContent(
      'How to fix: Declare freshness and availability in spec.slos.',
    );
  });

  it('shows active waivers with reason, expiry and who granted them', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () =>
          sampleScorecard({
            waivers: [
              ...sampleScorecard().waivers,
              {
                id: 4,
                entityRef: 'dataproduct:default/orders',
                policyId: 'quanta.slos-declared',
                reason: 'Pilot in one fulfilment centre',
                expiresAt: '2027-01-15T00:00:00Z',
                grantedBy: 'catalog',
                grantedAt: '2026-11-01T00:00:00Z',
                source: 'catalog',
              },
            ],
          }),
        ),
      }),
    );

    const waivers = within(
      await screen.findByRole('list', { name: 'Active waivers' }),
    ).getAllByRole('listitem');
    expect(waivers[0]).toHaveTextContent('Has a description');
    expect(waivers[0]).toHaveTextContent(
      'The description is being rewritten with the data team',
    );
    expect(waivers[0]).toHaveTextContent('Expires 31 Mar 2027');
    expect(
      within(waivers[0]).getByRole('link', { name: /marcus\.weber/ }),
    ).toHaveAttribute('href', '/catalog/default/user/marcus.weber');
    expect(waivers[1]).toHaveTextContent('SLOs are declared');
    expect(waivers[1]).toHaveTextContent("granted by the product's descriptor");
  });

  it('draws the score trend', async () => {
    await renderCard(
      mockDataMeshApi({ getScorecard: jest.fn(async () => sampleScorecard()) }),
    );

    expect(
      await screen.findByRole('img', {
        name: 'Score over the last 90 days: 40 on 2026-11-18, 63 on 2026-11-20',
      }),
    ).toBeInTheDocument();
  });

  it('says a product at the top of the ladder holds it', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () =>
          sampleScorecard({ level: 'Gold', nextLevel: undefined, waivers: [] }),
        ),
      }),
    );

    expect(
      await screen.findByText('This product holds the top level, Gold.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Waivers' }),
    ).not.toBeInTheDocument();
  });

  it('shows "No level yet" below the first level', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () =>
          sampleScorecard({
            level: undefined,
            nextLevel: { name: 'Bronze', blocking: ['quanta.owner-exists'] },
          }),
        ),
      }),
    );

    expect(await screen.findByLabelText('No level yet')).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'What blocks Bronze' }),
    ).toHaveTextContent('Owner exists in the catalog');
  });

  it('explains a product that has not been evaluated yet, and evaluates it', async () => {
    const getScorecard = jest
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(sampleScorecard());
    const evaluate = jest.fn(async () => ({
      started: true,
      run: {
        id: 9,
        trigger: 'api' as const,
        status: 'completed' as const,
        startedAt: '2026-11-20T10:00:00Z',
      },
    }));
    await renderCard(mockDataMeshApi({ getScorecard, evaluate }));

    const note = await screen.findByRole('note', { name: 'Not evaluated yet' });
    expect(note).toHaveTextContent(
      'This data product has not been evaluated yet.',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await userEvent.click(
      within(note).getByRole('button', { name: 'Evaluate now' }),
    );

    expect(evaluate).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
    });
    expect(await screen.findByLabelText('Level Bronze')).toBeInTheDocument();
    expect(getScorecard).toHaveBeenCalledTimes(2);
  });

  it('says so when an evaluation is already running', async () => {
    const evaluate = jest.fn(async () => ({ started: false }));
    const api = mockDataMeshApi({
      getScorecard: jest.fn(async () => sampleScorecard()),
      evaluate,
    });
    await renderCard(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate' }),
    );

    expect(await screen.findByRole('status')).toHaveTextContent(
      'An evaluation is running already',
    );
    expect(api.getScorecard).toHaveBeenCalledTimes(1);
  });

  it('shows why a re-evaluation was refused', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () => sampleScorecard()),
        evaluate: jest.fn(async () => {
          throw new Error('Not allowed: data-mesh.evaluate');
        }),
      }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-evaluate' }),
    );

    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Could not evaluate: Not allowed: data-mesh.evaluate',
      ),
    );
  });

  it('shows an error when the scorecard cannot be read', async () => {
    await renderCard(
      mockDataMeshApi({
        getScorecard: jest.fn(async () => {
          throw new Error('Request failed with 500: database is down');
        }),
      }),
    );

    expect(
      await screen.findByText(
        ...errorHeading('Request failed with 500: database is down'),
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });
});
