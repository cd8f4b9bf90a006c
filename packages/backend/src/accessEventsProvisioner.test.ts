import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import dataMeshPlugin from '@quanta/plugin-data-mesh-backend';
import type { AccessGrant } from '@quanta/plugin-data-mesh-node';
import {
  ACCESS_PROVISIONING_TOPIC,
  accessEventsProvisionerModule,
  eventsAccessProvisioner,
} from './accessEventsProvisioner';

jest.setTimeout(60_000);

const MARIA = 'user:default/maria.silva';
// Requests are decided by someone other than the requester.
const JOAO = 'user:default/joao.pereira';
const TEAM_OF: Record<string, string> = {
  [MARIA]: 'group:default/customer-data',
  [JOAO]: 'group:default/sales-data',
};

const entities = [
  {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'default' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      domain: 'domain:default/sales',
      classification: 'restricted',
      containsPii: true,
      outputPorts: [
        {
          name: 'orders-table',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
        },
      ],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'churn-model', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/customer-data' },
  },
];

describe('the events access provisioner', () => {
  it('publishes a grant and a revocation, and fails when publishing fails so that the plugin retries', async () => {
    const published: unknown[] = [];
    let down = false;
    const provisioner = eventsAccessProvisioner({
      publish: async event => {
        if (down) throw new Error('event bus unreachable');
        published.push(event);
      },
      subscribe: async () => {},
    });
    const grant = { requestId: 'r1', port: 'orders-table' } as AccessGrant;
    await provisioner.grant(grant);
    await provisioner.revoke(grant);
    expect(published).toEqual([
      {
        topic: ACCESS_PROVISIONING_TOPIC,
        eventPayload: { action: 'grant', grant },
      },
      {
        topic: ACCESS_PROVISIONING_TOPIC,
        eventPayload: { action: 'revoke', grant },
      },
    ]);
    down = true;
    await expect(provisioner.grant(grant)).rejects.toThrow(
      'event bus unreachable',
    );
  });

  it('is the provisioner of the data mesh plugin: an approval publishes the grant with the port address', async () => {
    const published: Array<{ topic: string; eventPayload: any }> = [];
    const events = mockServices.events.mock({
      publish: async event => {
        published.push(event as any);
      },
    });
    const { server } = await startTestBackend({
      features: [
        dataMeshPlugin,
        accessEventsProvisionerModule,
        events.factory,
        catalogServiceMock.factory({ entities }),
        // Maria is in Customer Data, which owns the churn model; João is in
        // Sales Data, which owns the orders product.
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            getUserInfo: async credentials => {
              const user = (credentials.principal as { userEntityRef: string })
                .userEntityRef;
              return {
                userEntityRef: user,
                ownershipEntityRefs: [user, TEAM_OF[user]],
              };
            },
          }),
        }),
      ],
    });
    const { port } = server.address() as AddressInfo;
    const post = async (path: string, body: object, user = MARIA) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/data-mesh${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          Authorization: mockCredentials.user.header(user),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const endDate = new Date(Date.now() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const created = await post('/access/requests', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      consumer: 'component:default/churn-model',
      purpose: 'churn model training data',
      endDate,
    });
    expect(created.status).toBe(201);
    const approved = await post(
      `/access/requests/${created.body.id}/approve`,
      {},
      JOAO,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.provisioning).toMatchObject({
      status: 'granted',
      provisioner: 'events',
    });
    expect(
      published.filter(e => e.topic === ACCESS_PROVISIONING_TOPIC),
    ).toEqual([
      {
        topic: ACCESS_PROVISIONING_TOPIC,
        eventPayload: {
          action: 'grant',
          grant: expect.objectContaining({
            requestId: created.body.id,
            entityRef: 'dataproduct:default/orders',
            port: 'orders-table',
            address: 'iceberg://lake/sales/orders',
            consumer: 'component:default/churn-model',
            endDate,
            status: 'approved',
          }),
        },
      },
    ]);
  });
});
