import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import dataMeshPlugin from '@quanta/plugin-data-mesh-backend';

jest.setTimeout(60_000);

/** The demo's orders contract, which the test changes version by version. */
const ORDERS = fs.readFileSync(
  path.resolve(__dirname, '../../../examples/contracts/orders.odcs.yaml'),
  'utf8',
);

/**
 * The data mesh plugin beside the real notifications backend, as the demo
 * backend runs them: a breaking contract version reaches the members of the
 * consumer's owner team through Backstage's notification API.
 */
describe('breaking contract versions in the notifications backend', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-notify-'));
    fs.mkdirSync(path.join(dir, 'contracts'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the notification for a member of the consumer owner team', async () => {
    const contract = path.join(dir, 'contracts', 'orders.odcs.yaml');
    fs.writeFileSync(contract, ORDERS);
    const product = (name: string, spec: object) => ({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            dir,
            'products',
            'catalog-info.yaml',
          )}`,
        },
      },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        domain: 'domain:default/sales',
        ...spec,
      },
    });
    const entities = [
      product('orders', {
        owner: 'group:default/sales-data',
        outputPorts: [
          {
            name: 'orders-table',
            type: 'table',
            format: 'iceberg',
            address: 'iceberg://lake/sales/orders',
            contract: { location: '../contracts/orders.odcs.yaml' },
          },
        ],
      }),
      product('daily-sales', {
        owner: 'group:default/sales-analytics',
        inputPorts: [
          {
            name: 'orders',
            dataProduct: 'dataproduct:default/orders',
            outputPort: 'orders-table',
          },
        ],
      }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'sales-analytics', namespace: 'default' },
        spec: { type: 'team', children: [] },
        relations: [{ type: 'hasMember', targetRef: 'user:default/ana.lima' }],
      },
    ];
    const tasks = new Map<
      string,
      SchedulerServiceTaskScheduleDefinition &
        SchedulerServiceTaskInvocationDefinition
    >();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task);
      },
      // The notifications backend schedules its clean-up through a runner.
      createScheduledTaskRunner: schedule => ({
        run: async task => {
          tasks.set(task.id, { ...schedule, ...task });
        },
      }),
    });
    const { server } = await startTestBackend({
      features: [
        dataMeshPlugin,
        notificationsPlugin,
        catalogServiceMock.factory({ entities }),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });
    const refresh = () =>
      tasks
        .get('data-mesh-contracts-refresh')!
        .fn(new AbortController().signal);
    const notificationsOf = async (user: string) => {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(
        `http://127.0.0.1:${port}/api/notifications/notifications`,
        { headers: { Authorization: mockCredentials.user.header(user) } },
      );
      expect(res.status).toBe(200);
      return (await res.json()).notifications as Array<{
        payload: { title: string; description: string; link: string };
      }>;
    };

    await refresh();
    fs.writeFileSync(
      contract,
      ORDERS.replace(/^version: .*$/m, 'version: 2.0.0').replace(
        /^ {6}- name: customer_email\n(?: {8}.*\n)+/m,
        '',
      ),
    );
    await refresh();
    await refresh();

    const received = await notificationsOf('user:default/ana.lima');
    expect(received).toHaveLength(1);
    expect(received[0].payload).toMatchObject({
      title:
        'Breaking contract change: dataproduct:default/orders port orders-table version 2.0.0',
      link: '/catalog/default/dataproduct/orders',
    });
    expect(received[0].payload.description).toContain(
      'Removed field customer_email from orders',
    );
    // Nobody outside the consumer's owner team is told.
    expect(await notificationsOf('user:default/maria.silva')).toEqual([]);
  });
});
