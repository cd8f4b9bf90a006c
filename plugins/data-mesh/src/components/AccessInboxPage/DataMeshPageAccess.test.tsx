import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { DataMeshPage, DataMeshPageContent } from '../DataMeshPage';
import { sampleGovernanceApi } from '../../testing/plugin';
import { dataMeshApiRef } from '../../api';
import { sampleAccessRequest } from '../DataProductAccessContent/testing';

function api() {
  const governance = sampleGovernanceApi();
  governance.getAccessInbox.mockImplementation(async () => ({
    items: [sampleAccessRequest()],
    totalItems: 1,
  }));
  return governance;
}

describe('the Access requests tab of the Data Mesh page', () => {
  it('opens from the overview and back in the legacy page', async () => {
    const governance = api();
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, governance]]}>
        <DataMeshPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    const tabs = screen.getByRole('tablist', { name: 'Data Mesh sections' });
    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
    expect(within(tabs).getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(governance.getAccessInbox).not.toHaveBeenCalled();

    await userEvent.click(
      within(tabs).getByRole('tab', { name: 'Access requests' }),
    );
    expect(
      await screen.findByRole('table', {
        name: 'Access requests waiting for your decision',
      }),
    ).toBeInTheDocument();
    expect(
      within(tabs).getByRole('tab', { name: 'Access requests' }),
    ).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByText('The mesh today')).not.toBeInTheDocument();

    await userEvent.click(within(tabs).getByRole('tab', { name: 'Overview' }));
    expect(await screen.findByText('The mesh today')).toBeInTheDocument();
  });

  it('is at access under the page in the new frontend system', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, api()]]}>
        <DataMeshPageContent />
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        routeEntries: ['/access'],
      },
    );

    const main = screen.getByRole('main', { name: 'Data Mesh' });
    expect(
      await within(main).findByRole('button', {
        name: 'Approve the access of churn-model to orders-table of orders',
      }),
    ).toBeInTheDocument();
    expect(
      within(main).getByRole('tab', { name: 'Access requests' }),
    ).toHaveAttribute('href', '/access');
    expect(within(main).getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'href',
      '/',
    );
  });
});
