import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { asAnonymous, startDataMeshBackend } from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';

jest.setTimeout(60_000);

/** The demo's own contracts, read where they are. */
const DEMO = path.resolve(__dirname, '../../../../examples');

const managedBy = (file: string) => ({
  annotations: { 'backstage.io/managed-by-location': `file:${file}` },
});

const port = (name: string, contract?: object) => ({
  name,
  type: 'table',
  format: 'parquet',
  address: `s3://lake/${name}/`,
  ...(contract ? { contract } : {}),
});

const ordersV1 = `apiVersion: v3.0.2
kind: DataContract
id: orders-contract
version: 1.0.0
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
        required: true
      - name: coupon
        logicalType: string
`;
// 2.0.0 drops a field consumers may read: a breaking change.
const ordersV2 = ordersV1
  .replace('version: 1.0.0', 'version: 2.0.0')
  .replace(/ {6}- name: coupon\n {8}logicalType: string\n/, '');

describe('GET /contracts/:namespace/:name', () => {
  let dir: string;
  let server: http.Server;
  let served: string;
  let baseUrl: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/yaml' });
      res.end(served);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-contracts-'));
    fs.mkdirSync(path.join(dir, 'products'));
    fs.mkdirSync(path.join(dir, 'contracts'));
    served = ordersV1;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const descriptor = () => path.join(dir, 'products', 'catalog-info.yaml');
  const writeContract = (name: string, text: string) =>
    fs.writeFileSync(path.join(dir, 'contracts', name), text);

  async function start(
    options: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      config?: Record<string, any>;
    } = {},
  ) {
    const tasks = new Map<
      string,
      SchedulerServiceTaskScheduleDefinition &
        SchedulerServiceTaskInvocationDefinition
    >();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task);
      },
    });
    const entities = [
      dataProduct(
        'customers',
        {
          outputPorts: [
            port('customers-table', {
              location: '../contracts/customers.odcs.yaml',
              version: '2.0.0',
            }),
            port('customer-changes', {
              location:
                'https://contracts.acme.example/customer/customer-changes.odcs.yaml',
              version: '1.0.0',
            }),
            port('no-contract'),
          ],
        },
        managedBy(path.join(DEMO, 'data-products', 'customer.yaml')),
      ),
      dataProduct(
        'orders',
        {
          outputPorts: [
            port('orders-table', {
              location: '../contracts/orders.odcs.yaml',
              version: '2.0.0',
            }),
            port('missing', { location: '../contracts/missing.odcs.yaml' }),
            port('not-odcs', { location: '../contracts/v2.odcs.yaml' }),
            port('not-yaml', { location: '../contracts/broken.odcs.yaml' }),
            port('remote', { location: `${baseUrl}/orders.odcs.yaml` }),
          ],
        },
        managedBy(descriptor()),
      ),
    ];
    const { api } = await startDataMeshBackend({
      entities,
      permission: options.permission,
      config: {
        backend: { reading: { allow: [{ host: new URL(baseUrl).host }] } },
        ...options.config,
      },
      features: [scheduler.factory],
    });
    const refresh = async () => {
      const task = tasks.get('data-mesh-contracts-refresh');
      if (!task) throw new Error('The contracts refresh was not scheduled');
      await task.fn(new AbortController().signal);
    };
    return { api, tasks, refresh };
  }

  it('reads the demo contracts relative to the descriptor, and says why others cannot be read', async () => {
    const { api } = await start();
    const res = await api.get('/contracts/default/customers');
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('dataproduct:default/customers');
    const [table, changes, none] = res.body.ports;
    expect(table).toMatchObject({
      port: 'customers-table',
      location: '../contracts/customers.odcs.yaml',
      declaredVersion: '2.0.0',
      status: 'ok',
      versions: [
        {
          contractId: '4a2d9c1e-8b77-4f06-b3a5-7e2f1c6d9b12',
          version: '2.0.0',
          apiVersion: 'v3.0.0',
          current: true,
          changes: [],
          requiredVersionBump: 'none',
        },
      ],
    });
    expect(table.versions[0].digest).toMatch(/^[0-9a-f]{64}$/);
    // Not in backend.reading.allow: refused without going to the network.
    expect(changes).toMatchObject({
      port: 'customer-changes',
      declaredVersion: '1.0.0',
      status: 'unreadable',
      reason: 'not-allowed',
      versions: [],
    });
    expect(changes.message).toMatch(/backend\.reading\.allow/);
    expect(none).toEqual({
      port: 'no-contract',
      status: 'undeclared',
      versions: [],
    });
  });

  it('keeps each version a refresh finds, with the changes from the one before', async () => {
    writeContract('orders.odcs.yaml', ordersV1);
    const { api, tasks, refresh } = await start();
    // Ten minutes by default, on one backend instance at a time.
    expect(tasks.get('data-mesh-contracts-refresh')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 10 },
    });
    await refresh();
    // The same file read again is the same version.
    await refresh();
    writeContract('orders.odcs.yaml', ordersV2);
    await refresh();

    const res = await api.get('/contracts/default/orders');
    expect(res.status).toBe(200);
    const table = res.body.ports.find((p: any) => p.port === 'orders-table');
    expect(table.status).toBe('ok');
    expect(
      table.versions.map((v: any) => [
        v.version,
        v.current,
        v.requiredVersionBump,
      ]),
    ).toEqual([
      ['2.0.0', true, 'major'],
      ['1.0.0', false, 'none'],
    ]);
    expect(table.versions[0].changes).toEqual([
      expect.objectContaining({
        rule: 'field-removed',
        level: 'breaking',
        object: 'orders',
        field: 'coupon',
      }),
    ]);
  });

  it('sends the document of the version consumers read, and the last good one while the contract is invalid', async () => {
    writeContract('orders.odcs.yaml', ordersV1);
    const { api, refresh } = await start();
    await refresh();
    writeContract('orders.odcs.yaml', ordersV2);
    await refresh();
    const table = async () =>
      (await api.get('/contracts/default/orders')).body.ports.find(
        (p: any) => p.port === 'orders-table',
      );

    const [v2, v1] = (await table()).versions;
    expect(v2.current).toBe(true);
    expect(v2.document).toMatchObject({
      id: 'orders-contract',
      version: '2.0.0',
      schema: [{ name: 'orders', properties: [{ name: 'order_id' }] }],
    });
    expect(v2.document.schema[0].properties).toHaveLength(1);
    // One document per port: older versions carry only their changes.
    expect(v1.document).toBeUndefined();

    writeContract('orders.odcs.yaml', 'kind: [DataContract\n');
    await refresh();
    const broken = await table();
    expect(broken.status).toBe('invalid');
    expect(broken.versions[0]).toMatchObject({
      version: '2.0.0',
      current: false,
      document: { version: '2.0.0' },
    });
    expect(broken.versions[1].document).toBeUndefined();
  });

  it('reports a missing, a non-ODCS, a non-YAML and a too large contract, naming the field and the fix', async () => {
    writeContract('orders.odcs.yaml', ordersV1);
    writeContract('v2.odcs.yaml', ordersV1.replace('v3.0.2', 'v2.2.2'));
    writeContract('broken.odcs.yaml', 'kind: [DataContract\n');
    served = `${ordersV1}# ${'x'.repeat(2000)}\n`;
    const { api, refresh } = await start({
      config: { dataMesh: { contracts: { maxSize: 1000 } } },
    });
    await refresh();
    const res = await api.get('/contracts/default/orders');
    const byPort = Object.fromEntries(
      res.body.ports.map((p: any) => [p.port, p]),
    );
    expect(byPort['orders-table'].status).toBe('ok');
    expect(byPort.missing).toMatchObject({
      status: 'unreadable',
      reason: 'not-found',
      message: `Contract not found at ${path.join(
        dir,
        'contracts',
        'missing.odcs.yaml',
      )}; check contract.location in the descriptor`,
      versions: [],
    });
    expect(byPort['not-odcs']).toMatchObject({
      status: 'invalid',
      message:
        'Not an ODCS v3 contract: apiVersion: found "v2.2.2", expected an ODCS v3 version such as v3.0.2 or v3.1.0',
    });
    expect(byPort['not-yaml'].status).toBe('invalid');
    expect(byPort['not-yaml'].message).toMatch(/^Not YAML: /);
    expect(byPort.remote).toMatchObject({
      status: 'unreadable',
      reason: 'too-large',
    });
    expect(byPort.remote.message).toMatch(/dataMesh\.contracts\.maxSize/);
  });

  it('reads an allowed URL through the URL reader', async () => {
    const { api } = await start();
    const res = await api.get('/contracts/default/orders');
    const remote = res.body.ports.find((p: any) => p.port === 'remote');
    expect(remote).toMatchObject({
      status: 'ok',
      versions: [{ contractId: 'orders-contract', version: '1.0.0' }],
    });
  });

  it('answers 404 for an unknown product, 401 without credentials and 403 without the read permission', async () => {
    const { api } = await start();
    const unknown = await api.get('/contracts/default/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No data product dataproduct:default/nope in the catalog',
    );
    expect(
      (await api.as(asAnonymous).get('/contracts/default/orders')).status,
    ).toBe(401);
    const denied = await start({ permission: AuthorizeResult.DENY });
    expect((await denied.api.get('/contracts/default/orders')).status).toBe(
      403,
    );
  });
});
