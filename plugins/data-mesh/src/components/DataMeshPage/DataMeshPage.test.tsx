import { useLocation } from 'react-router-dom';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  DataMeshOverview,
  DataMeshPage,
  DataMeshPageContent,
} from './DataMeshPage';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import {
  mockDataMeshApi,
  sampleAdoption,
  sampleDomainRollup,
  sampleSummary,
} from '../../testing/governance';
import {
  deniedMeshLineage,
  fakeMeshLineage,
  LINEAGE_DENIED,
  smallMesh,
} from '../../testing/lineage';
import { errorHeading } from '../../testing/errors';

function meshApi(overrides: Parameters<typeof mockDataMeshApi>[0] = {}) {
  return mockDataMeshApi({
    getAdoption: jest.fn(async () => sampleAdoption()),
    getRollups: jest.fn(async () => ({
      items: [
        // An older day is ignored in favour of the latest one.
        sampleDomainRollup({ day: '2026-11-19', score: 10 }),
        sampleDomainRollup(),
        sampleDomainRollup({
          key: 'domain:finance/ledger',
          products: 2,
          score: 35,
          attributes: { ownership: 50, trustworthy: 20 },
        }),
      ],
    })),
    listRuns: jest.fn(async () => ({
      items: [
        {
          id: 7,
          trigger: 'schedule' as const,
          status: 'completed' as const,
          startedAt: '2026-11-20T10:00:00.000Z',
        },
      ],
    })),
    listScorecards: jest.fn(async () => ({
      totalItems: 2,
      items: [
        sampleSummary(),
        sampleSummary({
          entityRef: 'dataproduct:default/customers',
          owner: 'group:default/crm',
          level: 'Silver',
          score: 88,
          attributes: { ownership: 100, trustworthy: 20 },
          failing: [],
          nextLevel: { name: 'Gold', blocking: ['quanta.description'] },
        }),
      ],
    })),
    getMeshLineage: fakeMeshLineage(...smallMesh()),
    ...overrides,
  });
}

/** Where the page's address is now, as the browser's location bar shows it. */
function Address() {
  const location = useLocation();
  return <span data-testid="address">{location.search}</span>;
}

async function renderOverview(api: DataMeshApi, address = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[dataMeshApiRef, api]]}>
      <DataMeshOverview />
      <Address />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [address],
    },
  );
}

describe('DataMeshOverview', () => {
  it('summarises the mesh today', async () => {
    const api = meshApi();
    await renderOverview(api);

    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
    expect(api.getAdoption).toHaveBeenCalledWith({ days: 90 });
    expect(api.getRollups).toHaveBeenCalledWith('domain', { days: 7 });
    expect(
      screen.getByRole('group', { name: 'Data products' }),
    ).toHaveTextContent('8');
    expect(
      screen.getByRole('group', { name: 'Average score' }),
    ).toHaveTextContent('64');
    expect(
      screen.getByRole('group', { name: 'Created from a template' }),
    ).toHaveTextContent('50%');
    expect(
      screen.getByText('Last evaluated 20 Nov 2026, 10:00 UTC'),
    ).toBeInTheDocument();
  });

  it('shows the current level distribution', async () => {
    await renderOverview(meshApi());

    const levels = await screen.findByRole('list', {
      name: 'Products per level',
    });
    // Each button's name starts with what it shows, for speech input.
    const buttons = within(levels).getAllByRole('button');
    [
      'No level yet 2 products, list them',
      'Bronze 4 products, list them',
      'Silver 2 products, list them',
      'Gold 0 products, list them',
    ].forEach((name, i) => expect(buttons[i]).toHaveAccessibleName(name));
  });

  it('colours a domain by attribute heatmap and shows each score', async () => {
    await renderOverview(meshApi());

    const heatmap = await screen.findByRole('table', {
      name: 'Score per domain and attribute',
    });
    const headers = within(heatmap)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Domain',
      'Products',
      'Score',
      'trustworthy',
      'natively accessible',
      'ownership',
    ]);
    const [, ledger, sales] = within(heatmap).getAllByRole('row');
    expect(within(ledger).getByRole('rowheader')).toHaveTextContent(
      'finance/ledger',
    );
    const cell = within(sales).getByRole('button', {
      name: 'sales, natively accessible: 88',
    });
    expect(cell).toHaveTextContent('88');
    expect(cell).toHaveStyle({ backgroundColor: 'hsl(106, 70%, 78%)' });
    expect(
      within(sales).getByRole('button', { name: 'sales, overall score: 71' }),
    ).toBeInTheDocument();
    expect(
      within(ledger).getByRole('button', {
        name: 'finance/ledger, trustworthy: 20',
      }),
    ).toHaveStyle({ backgroundColor: 'hsl(24, 70%, 78%)' });
    // No applicable policy: no number, no button.
    expect(
      within(ledger).queryByRole('button', { name: /natively accessible/ }),
    ).not.toBeInTheDocument();
    expect(
      within(ledger).getByTitle(
        'finance/ledger, natively accessible: no applicable policy',
      ),
    ).toHaveTextContent('–');
  });

  it('lists the worst policies with their titles and how to fix them', async () => {
    await renderOverview(meshApi());

    const worst = await screen.findByRole('list', {
      name: 'Policies failing most',
    });
    const [item] = within(worst).getAllByRole('listitem');
    expect(item).toHaveTextContent('SLOs are declared');
    expect(item).toHaveTextContent('Fails for 5 of 8 products (63%)');
    expect(item).toHaveTextContent(
      'How to fix: Declare freshness and availability in spec.slos.',
    );
  });

  it('charts adoption over time', async () => {
    await renderOverview(meshApi());

    expect(
      await screen.findByRole('img', {
        name: 'Data products over the last 90 days: 5 on 2026-11-18, 8 on 2026-11-20, 4 of them created from a template',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Share of data products created from a template: 20% on 2026-11-18, 50% on 2026-11-20',
      }),
    ).toBeInTheDocument();
    const levels = screen.getByRole('img', {
      name: 'Products per level over the last 90 days; on 2026-11-20: No level yet 2, Bronze 4, Silver 2',
    });
    expect(levels.querySelectorAll('rect')).toHaveLength(8);
    expect(
      [...levels.querySelectorAll('rect > title')].map(t => t.textContent),
    ).toContain('2026-11-19, Silver: 1');
    // Only failing policies are drawn; the one always passing is not.
    const passRates = screen.getByRole('img', {
      name: 'Pass rate over the last 90 days of the policies failing most: SLOs are declared 38%',
    });
    expect(
      [...passRates.querySelectorAll('circle > title')].map(t => t.textContent),
    ).toEqual([
      'SLOs are declared, 2026-11-18: 20%',
      'SLOs are declared, 2026-11-20: 38%',
    ]);
  });

  it('gives the figures of each chart as a table', async () => {
    await renderOverview(meshApi());

    const levels = await screen.findByRole('table', {
      name: /^Figures: Products per level over the last 90 days/,
    });
    const rows = within(levels).getAllByRole('row');
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['Day', 'No level yet', 'Bronze', 'Silver', 'Total']);
    expect(
      within(rows[rows.length - 1])
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['2', '4', '2', '8']);
    expect(
      screen.getAllByRole('button', { name: 'Show the figures' }),
    ).toHaveLength(4);
  });

  it('opens a heatmap cell from the keyboard', async () => {
    await renderOverview(meshApi());

    const cell = await screen.findByRole('button', {
      name: 'sales, trustworthy: 43',
    });
    cell.focus();
    await userEvent.keyboard('{Enter}');
    expect(
      await screen.findByRole('table', {
        name: 'Data products in sales, by trustworthy',
      }),
    ).toBeInTheDocument();
  });

  it('lists the products of a domain when its cell is clicked', async () => {
    const api = meshApi();
    await renderOverview(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'sales, trustworthy: 43' }),
    );

    const table = await screen.findByRole('table', {
      name: 'Data products in sales, by trustworthy',
    });
    expect(api.listScorecards).toHaveBeenCalledWith({
      domain: 'domain:default/sales',
      limit: 500,
      offset: 0,
    });
    const rows = within(table).getAllByRole('row');
    // Worst first on the chosen attribute.
    expect(rows[1]).toHaveTextContent('customers');
    expect(
      within(rows[1]).getByRole('link', { name: /customers/ }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/customers');
    expect(rows[2]).toHaveTextContent('orders');
    expect(rows[2]).toHaveTextContent(
      'Silver: Every output port has an address, SLOs are declared',
    );
  });

  it('lists the products of a level when it is clicked', async () => {
    const api = meshApi();
    await renderOverview(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'No level yet 2 products, list them',
      }),
    );

    expect(
      await screen.findByRole('table', {
        name: 'Data products without a level',
      }),
    ).toBeInTheDocument();
    expect(api.listScorecards).toHaveBeenCalledWith({
      level: 'none',
      limit: 500,
      offset: 0,
    });
    // The drill-down is in the address, for Back and for sharing.
    expect(screen.getByTestId('address')).toHaveTextContent('?level=none');

    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(
      screen.queryByRole('table', { name: 'Data products without a level' }),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('address')).toBeEmptyDOMElement();
  });

  it('opens the drill-down its address names, as after Back from a product', async () => {
    await renderOverview(
      meshApi(),
      '/?domain=domain%3Adefault%2Fsales&attribute=secure',
    );

    expect(
      await screen.findByRole('table', { name: /sales/i }),
    ).toBeInTheDocument();
  });

  it('exports the listed products as CSV', async () => {
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((blob: Blob) => {
        blobs.push(blob);
        return 'blob:products';
      }),
      revokeObjectURL: jest.fn(),
    });
    const downloads: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        downloads.push(this.download);
      });
    await renderOverview(meshApi());

    await userEvent.click(
      await screen.findByRole('button', { name: 'List all data products' }),
    );
    await screen.findByRole('table', { name: 'All data products' });
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));

    expect(downloads).toEqual([
      expect.stringMatching(/^data-products-all-\d{4}-\d{2}-\d{2}\.csv$/),
    ]);
    const text = await blobs[0].text();
    const lines = text.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toMatch(/^entityRef,domain,owner,level,score,/);
    // Rows in table order, worst score first.
    expect(lines[1]).toMatch(
      /^dataproduct:default\/orders,domain:default\/sales,group:default\/sales-data,Bronze,62\.5,/,
    );
    expect(lines[1]).toContain(
      ',SLOs are declared; Every output port has an address,Silver,',
    );
    expect(lines[2]).toMatch(/^dataproduct:default\/customers,.*,Silver,88,/);
    expect(lines).toHaveLength(3);
    click.mockRestore();
  });

  it('explains an empty mesh and offers to evaluate it', async () => {
    const getAdoption = jest
      .fn()
      .mockResolvedValueOnce(sampleAdoption({ days: [], topFailing: [] }))
      .mockResolvedValueOnce(sampleAdoption());
    const evaluate = jest.fn(async () => ({ started: true }));
    const api = meshApi({
      getAdoption,
      getRollups: jest.fn(async () => ({ items: [] })),
      evaluate,
    });
    await renderOverview(api);

    const note = await screen.findByRole('note', { name: 'No evaluation yet' });
    expect(note).toHaveTextContent('The mesh has not been evaluated yet');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();

    await userEvent.click(
      within(note).getByRole('button', { name: 'Evaluate the mesh now' }),
    );

    expect(evaluate).toHaveBeenCalledWith();
    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
  });

  it('says when an evaluation is already running', async () => {
    await renderOverview(
      meshApi({
        getAdoption: jest.fn(async () =>
          sampleAdoption({ days: [], topFailing: [] }),
        ),
        evaluate: jest.fn(async () => ({ started: false })),
      }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Evaluate the mesh now' }),
    );

    expect(await screen.findByRole('status')).toHaveTextContent(
      'An evaluation is running already',
    );
  });

  it('shows an error when the adoption cannot be read', async () => {
    await renderOverview(
      meshApi({
        getAdoption: jest.fn(async () => {
          throw new Error('Request failed with 500: boom');
        }),
      }),
    );

    expect(
      await screen.findByText(...errorHeading('Request failed with 500: boom')),
    ).toBeInTheDocument();
    expect(screen.queryByText('The mesh today')).not.toBeInTheDocument();
  });

  it('draws the lineage between the data products of the mesh', async () => {
    const api = meshApi();
    await renderOverview(api);

    expect(await screen.findByText('Mesh lineage')).toBeInTheDocument();
    const graph = within(
      await screen.findByRole('group', { name: 'Lineage graph' }),
    );
    expect(
      graph
        .getAllByRole('link')
        .map(link => link.getAttribute('aria-label'))
        .sort(),
    ).toEqual(['Daily sales', 'KPIs', 'Orders', 'Revenue']);
    expect(api.getMeshLineage).toHaveBeenCalledWith({
      groupBy: 'auto',
      maxProducts: 150,
    });
  });

  it('keeps the rest of the page when the mesh lineage cannot be read', async () => {
    await renderOverview(
      meshApi({
        getMeshLineage: deniedMeshLineage(),
      }),
    );

    expect(
      await screen.findByText(...errorHeading(LINEAGE_DENIED)),
    ).toBeInTheDocument();
    expect(screen.getByText('The mesh today')).toBeInTheDocument();
  });

  it('works without the run list', async () => {
    await renderOverview(
      meshApi({
        listRuns: jest.fn(async () => {
          throw new Error('Not allowed');
        }),
      }),
    );

    expect(await screen.findByText('As of 2026-11-20')).toBeInTheDocument();
  });
});

describe('DataMeshPage', () => {
  it('has its own header in the legacy frontend system', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, meshApi()]]}>
        <DataMeshPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      screen.getByRole('heading', { level: 1, name: 'Data Mesh' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
  });

  it('is the main landmark and names the browser tab in the new frontend system', async () => {
    const previous = document.title;
    const { unmount } = await renderInTestApp(
      <TestApiProvider
        apis={[
          [dataMeshApiRef, meshApi()],
          [
            configApiRef,
            mockApis.config({ data: { app: { title: 'Quanta data mesh' } } }),
          ],
        ]}
      >
        <DataMeshPageContent />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(
      within(screen.getByRole('main', { name: 'Data Mesh' })).getByText(
        'The mesh today',
      ),
    ).toBeInTheDocument();
    expect(document.title).toBe('Data Mesh | Quanta data mesh');
    unmount();
    expect(document.title).toBe(previous);
  });
});
