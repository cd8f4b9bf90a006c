import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';
import { DataProductAccessContent } from './DataProductAccessContent';
import { DataMeshApi, dataMeshApiRef, DataMeshResponseError } from '../../api';
import { sampleDataProduct } from '../../testing/sampleDataProduct';
import { mockDataMeshApi } from '../../testing/governance';
import { fakeDateOnly } from '@quanta/test-utils/clock';
import {
  ownedEntities,
  sampleAccessPorts,
  sampleAccessRequest,
  sampleGrants,
  sampleOtherRequests,
} from './testing';

const list = (items: AccessRequest[]) => ({
  items,
  totalItems: items.length,
});

function accessApi(overrides: Parameters<typeof mockDataMeshApi>[0] = {}) {
  return mockDataMeshApi({
    getAccessPorts: jest.fn(async () => sampleAccessPorts()),
    listAccessGrants: jest.fn(async () => list(sampleGrants())),
    listAccessRequests: jest.fn(async () =>
      list([...sampleGrants(), ...sampleOtherRequests()]),
    ),
    ...overrides,
  });
}

/** Renders the tab with a backend that refuses decisions, and clicks Approve. */
async function approveRefused(
  error: ConstructorParameters<typeof DataMeshResponseError>[0],
) {
  const api = accessApi({
    decideAccessRequest: jest.fn(async () => {
      throw new DataMeshResponseError(error);
    }),
  });
  await renderTab(api);
  await userEvent.click(
    await screen.findByRole('button', {
      name: 'Approve the access of churn-model to orders-table of orders',
    }),
  );
  return api;
}

function catalog() {
  return { getEntities: jest.fn(async () => ({ items: ownedEntities })) };
}

async function renderTab(
  api: DataMeshApi,
  options: {
    catalogApi?: ReturnType<typeof catalog>;
    permissionApi?: ReturnType<typeof mockApis.permission>;
    entity?: ReturnType<typeof sampleDataProduct>;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dataMeshApiRef, api],
        [catalogApiRef, options.catalogApi ?? catalog()],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/jane.doe',
            ownershipEntityRefs: [
              'user:default/jane.doe',
              'group:default/ml-team',
            ],
          }),
        ],
        [permissionApiRef, options.permissionApi ?? mockApis.permission()],
      ]}
    >
      <EntityProvider entity={options.entity ?? sampleDataProduct()}>
        <DataProductAccessContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const texts = (elements: HTMLElement[]) => elements.map(e => e.textContent);

describe('DataProductAccessContent: sensitivity', () => {
  it('shows each port’s classification, personal data and how requests are decided', async () => {
    const api = accessApi();
    await renderTab(api);

    const restricted = await screen.findByRole('region', {
      name: 'Sensitivity of orders-table',
    });
    expect(api.getAccessPorts).toHaveBeenCalledWith(
      'dataproduct:default/orders',
    );
    expect(restricted).toHaveTextContent(
      'Classification: RestrictedContains personal dataAn owner of the product approves each request',
    );
    expect(
      screen.getByRole('region', { name: 'Sensitivity of order-events' }),
    ).toHaveTextContent(
      'Classification: PublicNo personal dataRequests are approved at once',
    );
  });

  it('says when the product has no output port', async () => {
    await renderTab(
      accessApi({
        getAccessPorts: jest.fn(async () => ({
          entityRef: 'dataproduct:default/orders',
          ports: [],
        })),
      }),
    );
    expect(
      await screen.findByText(
        'This data product declares no output ports, so there is nothing to ask access to.',
      ),
    ).toBeInTheDocument();
  });
});

describe('DataProductAccessContent: requesting access', () => {
  // "Today" is 10 March 2026 (UTC) in these tests; only Date is faked, so
  // timers and promises run as usual.
  beforeEach(() =>
    fakeDateOnly(new Date('2026-03-10T12:00:00.000Z'), { advanceTimers: true }),
  );
  afterEach(() => jest.useRealTimers());

  async function openForm(port = 'orders-table') {
    await userEvent.click(
      await screen.findByRole('button', { name: `Request access to ${port}` }),
    );
    return screen.getByRole('form', { name: `Request access to ${port}` });
  }

  it('offers the team’s products and components, ends in 90 days, and posts exactly what was entered', async () => {
    const requested = sampleAccessRequest({
      id: 'req-new',
      purpose: 'Score churn risk for the retention team',
      endDate: '2026-04-30',
    });
    const api = accessApi({
      requestAccess: jest.fn(async () => requested),
    });
    const catalogApi = catalog();
    await renderTab(api, { catalogApi });

    const form = await openForm();
    expect(catalogApi.getEntities).toHaveBeenCalledWith({
      filter: {
        kind: ['DataProduct', 'Component'],
        'relations.ownedBy': ['user:default/jane.doe', 'group:default/ml-team'],
      },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    const forField = within(form).getByRole('combobox', { name: /^For/ });
    // Opened by a click, the form takes the focus.
    expect(forField).toHaveFocus();
    // The product itself is not offered.
    await waitFor(() =>
      expect(texts(within(forField).getAllByRole('option'))).toEqual([
        'Choose a data product or component',
        'Churn Model (component churn-model)',
        'Customer 360 (data product customer-360)',
      ]),
    );
    const endDate = within(form).getByLabelText(/^Last day of access/);
    expect(endDate).toHaveValue('2026-06-08');
    expect(endDate).toHaveAttribute('min', '2026-03-11');
    // The sensitivity, again where the request is sent.
    expect(form).toHaveTextContent(
      'Restricted data with personal information: an owner must approve',
    );

    await userEvent.selectOptions(forField, 'component:default/churn-model');
    await userEvent.type(
      within(form).getByRole('textbox', { name: /^Purpose/ }),
      '  Score churn risk for the retention team ',
    );
    await userEvent.clear(endDate);
    await userEvent.type(endDate, '2026-04-30');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send the request' }),
    );

    expect(
      await screen.findByText(
        'Request sent for churn-model: an owner of the product decides. It is listed under “Who consumes this”.',
      ),
    ).toBeInTheDocument();
    expect(api.requestAccess).toHaveBeenCalledTimes(1);
    expect(api.requestAccess).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      consumer: 'component:default/churn-model',
      purpose: 'Score churn risk for the retention team',
      endDate: '2026-04-30',
    });
    // The lists reload to show the new request.
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledTimes(2),
    );
    expect(
      screen.queryByRole('form', { name: 'Request access to orders-table' }),
    ).not.toBeInTheDocument();
  });

  it('says so when a request is approved at once', async () => {
    const api = accessApi({
      requestAccess: jest.fn(async input => ({
        ...sampleAccessRequest(input),
        status: 'approved' as const,
      })),
    });
    await renderTab(api);
    const form = await openForm('order-events');
    expect(form).toHaveTextContent('Public data: approved at once');
    const forField = within(form).getByRole('combobox', { name: /^For/ });
    await waitFor(() =>
      expect(within(forField).getAllByRole('option')).toHaveLength(3),
    );
    await userEvent.selectOptions(forField, 'dataproduct:default/customer-360');
    await userEvent.type(
      within(form).getByRole('textbox', { name: /^Purpose/ }),
      'Live order counts per customer',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send the request' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Access approved at once: customer-360 may read order-events until 8 Jun 2026.',
    );
  });

  it('names each field to fix before anything is sent, and clears a message once fixed', async () => {
    const api = accessApi({ requestAccess: jest.fn() });
    await renderTab(api);
    const form = await openForm();
    const endDate = within(form).getByLabelText(/^Last day of access/);
    const purpose = within(form).getByRole('textbox', { name: /^Purpose/ });
    await userEvent.type(purpose, 'for ML');
    await userEvent.clear(endDate);
    await userEvent.type(endDate, '2026-03-10');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send the request' }),
    );

    expect(form).toHaveTextContent(
      'For: choose the data product or component the data is for',
    );
    expect(form).toHaveTextContent(
      'Purpose: say why the data is needed in at least 10 characters (6 so far)',
    );
    expect(form).toHaveTextContent(
      'Last day of access: pick a day after today (2026-03-10, UTC)',
    );
    expect(within(form).getByRole('combobox', { name: /^For/ })).toHaveFocus();
    expect(api.requestAccess).not.toHaveBeenCalled();

    await userEvent.type(purpose, ' training');
    expect(form).not.toHaveTextContent(/Purpose: say why/);
    await userEvent.clear(endDate);
    expect(form).toHaveTextContent('Last day of access: pick a date');
  });

  it('shows the backend’s refusal as it says it', async () => {
    const api = accessApi({
      requestAccess: jest.fn(async () => {
        throw new DataMeshResponseError({
          name: 'ConflictError',
          statusCode: 409,
          message:
            'Request failed with 409 Conflict: churn-model already has an open request for orders-table (req-pending)',
        });
      }),
    });
    await renderTab(api);
    const form = await openForm();
    const forField = within(form).getByRole('combobox', { name: /^For/ });
    await waitFor(() =>
      expect(within(forField).getAllByRole('option')).toHaveLength(3),
    );
    await userEvent.selectOptions(forField, 'component:default/churn-model');
    await userEvent.type(
      within(form).getByRole('textbox', { name: /^Purpose/ }),
      'Train the churn model again',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Send the request' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Request failed with 409 Conflict: churn-model already has an open request for orders-table (req-pending)',
    );
  });

  it('says when the signed-in user’s teams own nothing to ask access for', async () => {
    await renderTab(accessApi(), {
      catalogApi: { getEntities: jest.fn(async () => ({ items: [] })) },
    });
    const form = await openForm();
    expect(
      await within(form).findByText(
        'None of your teams owns a data product or component in the catalog; access is asked for one of them.',
      ),
    ).toBeInTheDocument();
  });
});

describe('DataProductAccessContent: who consumes this', () => {
  it('lists the grants with their provisioning, and the other requests per port with status and reason', async () => {
    await renderTab(accessApi());

    const grants = await screen.findByRole('table', { name: 'Grants' });
    const rows = within(grants).getAllByRole('row').slice(1);
    expect(
      rows.map(row => texts(within(row).getAllByRole('cell')).slice(0, 6)),
    ).toEqual([
      [
        'fraud-alerts',
        'order-events',
        'sam.okafor',
        'Flag suspicious orders as they happen',
        '31 May 2026',
        'Failed: kafka-acls: topic sales.orders.v1 not found; next attempt 2 Mar 2026, 10:15 UTC (3 attempts so far)',
      ],
      [
        'customer-360',
        'orders-table',
        'li.wei',
        'Order counts per customer',
        '31 Oct 2026',
        'Granted: since 1 Feb 2026, 10:00 UTC',
      ],
    ]);
    expect(
      within(rows[0]).getByRole('link', { name: 'fraud-alerts' }),
    ).toHaveAttribute('href', '/catalog/default/component/fraud-alerts');

    const requests = screen.getByRole('list', {
      name: 'Access requests of orders-table',
    });
    const [pending, denied] = within(requests).getAllByRole('listitem');
    expect(pending).toHaveTextContent(
      /^Pendingchurn-model, asked by jane\.doe on 2 Mar 2026, until 30 Jun 2026Purpose: Train the churn model on a year of orders/,
    );
    expect(denied).toHaveTextContent(
      'Deniedmarketing-mailer, asked by tom.berg on 2 Mar 2026, until 30 Jun 2026Purpose: Email every customer about the spring saleReason: Use the anonymised customer port for campaigns (maria.silva, 20 Feb 2026)',
    );
    // Grants are not listed again among the requests.
    expect(
      screen.queryByRole('list', { name: 'Access requests of order-events' }),
    ).not.toBeInTheDocument();
  });

  it('approves a pending request and reloads the lists', async () => {
    const pending = sampleAccessRequest();
    const approved = { ...pending, status: 'approved' as const };
    let decided = false;
    const api = accessApi({
      listAccessGrants: jest.fn(async () =>
        list(decided ? [...sampleGrants(), approved] : sampleGrants()),
      ),
      listAccessRequests: jest.fn(async () =>
        list(decided ? [approved] : [pending]),
      ),
      decideAccessRequest: jest.fn(async () => {
        decided = true;
        return approved;
      }),
    });
    await renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Approve the access of churn-model to orders-table of orders',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Approved: churn-model may read orders-table of orders until 30 Jun 2026.',
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith(
      'req-pending',
      'approve',
      {},
    );
    const grants = screen.getByRole('table', { name: 'Grants' });
    await waitFor(() =>
      expect(within(grants).getAllByRole('row')).toHaveLength(4),
    );
    expect(
      within(grants).getByRole('link', { name: 'churn-model' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No pending or past requests.'),
    ).toBeInTheDocument();
  });

  it('asks for a reason to deny, and sends it', async () => {
    const api = accessApi({
      decideAccessRequest: jest.fn(async () =>
        sampleAccessRequest({ status: 'denied' }),
      ),
    });
    await renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deny the access of churn-model to orders-table of orders',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Deny the access of churn-model to orders-table of orders',
    });
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    await waitFor(() => expect(reason).toHaveFocus());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(dialog).toHaveTextContent('Reason: say why; the requester reads it');
    expect(api.decideAccessRequest).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Use the anonymised port',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deny' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith(
      'req-pending',
      'deny',
      {
        reason: 'Use the anonymised port',
      },
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Denied the access of churn-model to orders-table of orders.',
    );
    expect(api.listAccessRequests).toHaveBeenCalledTimes(2);
  });

  it('revokes a grant with a reason', async () => {
    const api = accessApi({
      decideAccessRequest: jest.fn(async (id: string) => ({
        ...sampleGrants().find(grant => grant.id === id)!,
        status: 'revoked' as const,
      })),
    });
    await renderTab(api);

    const grants = await screen.findByRole('table', { name: 'Grants' });
    await userEvent.click(
      within(grants).getByRole('button', {
        name: 'Revoke the access of customer-360 to orders-table of orders',
      }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Customer 360 was retired',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Revoked the access of customer-360 to orders-table of orders.',
    );
    expect(api.decideAccessRequest).toHaveBeenCalledWith('grant-ok', 'revoke', {
      reason: 'Customer 360 was retired',
    });
    expect(api.listAccessGrants).toHaveBeenCalledTimes(2);
  });

  it('says only the owners can decide when the backend refuses', async () => {
    await approveRefused({
      name: 'NotAllowedError',
      statusCode: 403,
      message:
        'Request failed with 403 Forbidden: user:default/jane.doe may not decide on dataproduct:default/orders',
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Only the product's owners can decide.");
    expect(alert).toHaveTextContent(
      'user:default/jane.doe may not decide on dataproduct:default/orders',
    );
  });

  it('says another approver decides when the backend refuses a self-approval', async () => {
    await approveRefused({
      name: 'NotAllowedError',
      statusCode: 403,
      message:
        'Not allowed: you asked for access request r-1 yourself, so another approver of dataproduct:default/orders decides on it (dataMesh.access.allowSelfApproval is off)',
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'You asked for this access yourself: another approver of the product decides.',
    );
    expect(alert).not.toHaveTextContent("Only the product's owners");
  });

  it('reloads when the request changed meanwhile', async () => {
    const api = await approveRefused({
      name: 'ConflictError',
      statusCode: 409,
      message: 'Request failed with 409 Conflict: the request is denied',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone changed this request meanwhile; the list now shows where it stands.',
    );
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledTimes(2),
    );
  });

  it('leaves the decisions out when the permission API says no', async () => {
    // Another product than the other tests: permission answers are cached per product.
    const entity = sampleDataProduct({ metadata: { name: 'payments' } });
    // AuthorizeResult.DENY, without a dependency on the permission common package.
    const authorize = jest.fn(() => 'DENY' as any);
    await renderTab(accessApi(), {
      entity,
      permissionApi: mockApis.permission({ authorize }),
    });

    await screen.findByRole('table', { name: 'Grants' });
    await waitFor(() => expect(authorize).toHaveBeenCalled());
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'data-mesh.access.approve',
        }),
        resourceRef: 'dataproduct:default/payments',
      }),
    );
    expect(
      screen.queryByRole('button', { name: /^(Approve|Deny|Revoke) / }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Access requests of orders-table' }),
    ).toHaveTextContent(/^Pending/);
  });
});
