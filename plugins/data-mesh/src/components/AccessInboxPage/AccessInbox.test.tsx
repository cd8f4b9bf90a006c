import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';
import { AccessInbox } from './AccessInbox';
import { DataMeshApi, dataMeshApiRef } from '../../api';
import { mockDataMeshApi } from '../../testing/governance';
import { errorHeading } from '../../testing/errors';
import { sampleAccessRequest } from '../DataProductAccessContent/testing';

/** Two requests for two products, the newer one first as the backend may list them. */
function inbox(): AccessRequest[] {
  return [
    sampleAccessRequest({
      id: 'req-ledger',
      entityRef: 'dataproduct:finance/ledger',
      port: 'ledger-daily',
      consumer: 'dataproduct:default/customer-360',
      requester: 'user:default/li.wei',
      purpose: 'Revenue per customer segment',
      endDate: '2026-12-31',
      sensitivity: {
        classification: 'confidential',
        containsPii: false,
        autoApproved: false,
      },
      createdAt: '2026-03-05T09:00:00.000Z',
    }),
    sampleAccessRequest(),
  ];
}

/** The catalog's presentation of entities, as a portal with the catalog has it. */
function presentation(titles: Record<string, string>) {
  return {
    forEntity(ref: string) {
      const snapshot = {
        entityRef: ref,
        primaryTitle: titles[ref],
        secondaryTitle: ref,
      };
      return { snapshot, promise: Promise.resolve(snapshot) };
    },
  };
}

async function renderInbox(api: DataMeshApi, titles?: Record<string, string>) {
  const inboxPage = <AccessInbox />;
  return renderInTestApp(
    titles ? (
      <TestApiProvider
        apis={[
          [dataMeshApiRef, api],
          [entityPresentationApiRef, presentation(titles)],
        ]}
      >
        {inboxPage}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[dataMeshApiRef, api]]}>
        {inboxPage}
      </TestApiProvider>
    ),
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(cell => cell.textContent);

describe('AccessInbox', () => {
  it('lists the requests waiting for the user, oldest first, with what an approver needs', async () => {
    const api = mockDataMeshApi({
      getAccessInbox: jest.fn(async () => ({ items: inbox(), totalItems: 2 })),
    });
    await renderInbox(api);

    const table = await screen.findByRole('table', {
      name: 'Access requests waiting for your decision',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => cells(row).slice(0, 6))).toEqual([
      [
        'ordersorders-table',
        'churn-model',
        'jane.doeon 2 Mar 2026',
        'Train the churn model on a year of orders',
        '30 Jun 2026',
        'Classification: RestrictedContains personal data',
      ],
      [
        'finance/ledgerledger-daily',
        'customer-360',
        'li.weion 5 Mar 2026',
        'Revenue per customer segment',
        '31 Dec 2026',
        'Classification: ConfidentialNo personal data',
      ],
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'finance/ledger' }),
    ).toHaveAttribute('href', '/catalog/finance/dataproduct/ledger');
  });

  it('names products and consumers by their titles and requesters by their names, as the catalog presents them', async () => {
    const api = mockDataMeshApi({
      getAccessInbox: jest.fn(async () => ({ items: inbox(), totalItems: 2 })),
    });
    await renderInbox(api, {
      'dataproduct:default/orders': 'Orders',
      'component:default/churn-model': 'Churn prediction model',
      'user:default/jane.doe': 'Jane Doe',
      'dataproduct:finance/ledger': 'General ledger',
      'dataproduct:default/customer-360': 'Customer 360',
      'user:default/li.wei': 'Li Wei',
    });

    const table = await screen.findByRole('table', {
      name: 'Access requests waiting for your decision',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => cells(row).slice(0, 3))).toEqual([
      ['Ordersorders-table', 'Churn prediction model', 'Jane Doeon 2 Mar 2026'],
      ['General ledgerledger-daily', 'Customer 360', 'Li Weion 5 Mar 2026'],
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'Churn prediction model' }),
    ).toHaveAttribute('href', '/catalog/default/component/churn-model');
  });

  it('approves a request and reloads the inbox', async () => {
    let left = inbox();
    const api = mockDataMeshApi({
      getAccessInbox: jest.fn(async () => ({
        items: left,
        totalItems: left.length,
      })),
      decideAccessRequest: jest.fn(async (id: string) => {
        const decided = left.find(r => r.id === id)!;
        left = left.filter(r => r.id !== id);
        return { ...decided, status: 'approved' as const };
      }),
    });
    await renderInbox(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Approve the access of customer-360 to ledger-daily of finance/ledger',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Approved: customer-360 may read ledger-daily of finance/ledger until 31 Dec 2026.',
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith(
      'req-ledger',
      'approve',
      {},
    );
    const table = screen.getByRole('table', {
      name: 'Access requests waiting for your decision',
    });
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(2),
    );
    expect(api.getAccessInbox).toHaveBeenCalledTimes(2);
  });

  it('denies with a reason, and says when nothing waits any more', async () => {
    let left = [sampleAccessRequest()];
    const api = mockDataMeshApi({
      getAccessInbox: jest.fn(async () => ({
        items: left,
        totalItems: left.length,
      })),
      decideAccessRequest: jest.fn(async () => {
        const decided = { ...left[0], status: 'denied' as const };
        left = [];
        return decided;
      }),
    });
    await renderInbox(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deny the access of churn-model to orders-table of orders',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Deny the access of churn-model to orders-table of orders',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Ask for the anonymised port',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deny' }));

    expect(
      await screen.findByText('No request waits for your decision.'),
    ).toBeInTheDocument();
    expect(api.decideAccessRequest).toHaveBeenCalledWith(
      'req-pending',
      'deny',
      {
        reason: 'Ask for the anonymised port',
      },
    );
  });

  it('keeps the dialog and the reason when the call fails for another reason', async () => {
    const api = mockDataMeshApi({
      getAccessInbox: jest.fn(async () => ({
        items: [sampleAccessRequest()],
        totalItems: 1,
      })),
      decideAccessRequest: jest.fn(async () => {
        throw new Error('Request failed with 502 Bad Gateway');
      }),
    });
    await renderInbox(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deny the access of churn-model to orders-table of orders',
      }),
    );
    const dialog = screen.getByRole('dialog');
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    await userEvent.type(reason, 'Not for campaigns');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deny' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Request failed with 502 Bad Gateway',
    );
    expect(reason).toHaveValue('Not for campaigns');
  });

  it('shows why the inbox cannot be read', async () => {
    await renderInbox(
      mockDataMeshApi({
        getAccessInbox: jest.fn(async () => {
          throw new Error(
            'Request failed with 403: Not allowed: data-mesh.access.read',
          );
        }),
      }),
    );
    expect(
      await screen.findByText(
        ...errorHeading(
          'Request failed with 403: Not allowed: data-mesh.access.read',
        ),
      ),
    ).toBeInTheDocument();
  });
});
