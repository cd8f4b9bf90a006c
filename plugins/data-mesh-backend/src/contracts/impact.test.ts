import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AuditorService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  type NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseAllDocuments } from 'yaml';
import {
  asAnonymous,
  asPipeline,
  expectBadRequest,
  startDataMeshBackend,
} from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';
import { runEvent } from '../lineage/__fixtures__/events';

jest.setTimeout(60_000);

const DEMO = path.resolve(__dirname, '../../../../examples');

/** Every entity of the demo, each managed by the file it is written in. */
function demoMesh(): Entity[] {
  const files = [
    ...['org.yaml', 'domains.yaml', 'sources.yaml'].map(f =>
      path.join(DEMO, f),
    ),
    ...fs
      .readdirSync(path.join(DEMO, 'data-products'))
      .filter(f => f !== 'broken-example.yaml')
      .map(f => path.join(DEMO, 'data-products', f)),
  ];
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(doc => doc.toJS() as Entity | null)
      .filter((e): e is Entity => Boolean(e?.kind))
      .map(entity => ({
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            'backstage.io/managed-by-location': `file:${file}`,
          },
        },
      })),
  );
}

const ordersContract = fs.readFileSync(
  path.join(DEMO, 'contracts', 'orders.odcs.yaml'),
  'utf8',
);

/** The demo's orders contract without `field`, at `version`. */
function withoutField(text: string, field: string, version: string) {
  const lines = text.split('\n');
  const first = lines.findIndex(l => l === `      - name: ${field}`);
  if (first < 0) throw new Error(`No field ${field} in the contract`);
  let end = first + 1;
  while (end < lines.length && lines[end].startsWith('        ')) end++;
  lines.splice(first, end - first);
  return lines.join('\n').replace(/^version: .*$/m, `version: ${version}`);
}

type Scheduled = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

async function start(
  options: {
    entities?: Entity[];
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: Record<string, any>;
    failSending?: boolean;
  } = {},
) {
  const tasks = new Map<string, Scheduled>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: async task => {
      tasks.set(task.id, task);
    },
  });
  const sent: NotificationSendOptions[] = [];
  let failSending = options.failSending ?? false;
  const notifications = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (notification: NotificationSendOptions) => {
        if (failSending) throw new Error('notifications backend is down');
        sent.push(notification);
      },
    }),
  });
  const audited: Array<{ eventId: string; meta?: unknown; ok?: boolean }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: (async (event: { eventId: string; meta?: unknown }) => {
      const entry: { eventId: string; meta?: unknown; ok?: boolean } = {
        eventId: event.eventId,
        meta: event.meta,
      };
      audited.push(entry);
      return {
        success: async () => {
          entry.ok = true;
        },
        fail: async () => {
          entry.ok = false;
        },
      };
    }) as unknown as AuditorService['createEvent'],
  });
  const { api } = await startDataMeshBackend({
    entities: options.entities ?? demoMesh(),
    permission: options.permission,
    config: options.config,
    features: [scheduler.factory, notifications, auditor.factory],
  });
  const refresh = async () => {
    const task = tasks.get('data-mesh-contracts-refresh');
    if (!task) throw new Error('The contracts refresh was not scheduled');
    await task.fn(new AbortController().signal);
  };
  return {
    api,
    refresh,
    sent,
    audited,
    setFailSending: (fail: boolean) => {
      failSending = fail;
    },
  };
}

const DECLARED = [
  'dataproduct:default/customer-360',
  'dataproduct:default/daily-sales',
  'dataproduct:default/delivery-performance',
  'dataproduct:default/marketing-attribution',
  'dataproduct:default/product-funnel',
];

describe('POST /contracts/impact', () => {
  it('lists the demo consumers of orders-table, each affected by a removed column, and the version the change needs', async () => {
    const { api, refresh } = await start();
    await refresh();
    const res = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: withoutField(ordersContract, 'customer_email', '1.3.0'),
    });
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('dataproduct:default/orders');
    expect(res.body.current).toEqual({
      version: '1.2.0',
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.proposed).toEqual({
      version: '1.3.0',
      apiVersion: 'v3.0.0',
      problems: [],
    });
    expect(res.body.changes).toEqual([
      expect.objectContaining({
        rule: 'field-removed',
        level: 'breaking',
        field: 'customer_email',
      }),
    ]);
    expect(res.body.requiredVersionBump).toBe('major');
    expect(res.body.versionProblem).toBe(
      'breaking changes need a new major version: 1.2.0 -> 1.3.0 is not one',
    );
    const removed = res.body.changes[0].message;
    expect(res.body.consumers.map((c: any) => c.entityRef)).toEqual(DECLARED);
    for (const consumer of res.body.consumers) {
      expect(consumer.via).toEqual(['declared']);
      expect(consumer.affectedBy).toEqual([removed]);
      expect(consumer.fields).toBeUndefined();
    }
    expect(
      res.body.consumers.find(
        (c: any) => c.entityRef === 'dataproduct:default/customer-360',
      ),
    ).toMatchObject({
      title: 'Customer 360',
      owner: { ref: 'group:default/customer-data', title: 'Customer Data' },
    });
    expect(res.body.summary).toEqual({
      breaking: 1,
      warning: 0,
      compatible: 0,
      consumers: 5,
      affectedConsumers: 5,
    });

    // A new major version is what breaking changes need.
    const major = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: withoutField(ordersContract, 'customer_email', '2.0.0'),
    });
    expect(major.body.versionProblem).toBeUndefined();
    expect(major.body.summary.affectedConsumers).toBe(5);
  });

  it('adds a product observed reading the port through OpenLineage, and takes the proposal as an object from a pipeline', async () => {
    const { api, refresh } = await start();
    await refresh();
    const lake = (name: string) => ({ namespace: 'iceberg://lake', name });
    const ingest = await api.as(asPipeline()).post('/openlineage', [
      runEvent({
        inputs: [lake('sales/orders')],
        outputs: [lake('finance/ledger_entries')],
      }),
      // A declared consumer seen reading it too.
      runEvent({
        inputs: [lake('sales/orders')],
        outputs: [
          {
            namespace: 'snowflake://acme.eu-west-1',
            name: 'ANALYTICS.CUSTOMER.CUSTOMER_360',
          },
        ],
      }),
    ]);
    expect(ingest.status).toBeLessThan(300);
    const contract = parseAllDocuments(
      ordersContract.replace(/^version: .*$/m, 'version: 1.2.1'),
    )[0].toJS();
    const res = await api
      .as(asPipeline('contracts-ci'))
      .post('/contracts/impact', {
        entityRef: 'dataproduct:default/orders',
        port: 'orders-table',
        contract,
      });
    expect(res.status).toBe(200);
    // The same contract: nothing changes, nobody is affected.
    expect(res.body.changes).toEqual([]);
    expect(res.body.requiredVersionBump).toBe('none');
    const byRef = new Map(res.body.consumers.map((c: any) => [c.entityRef, c]));
    expect(byRef.get('dataproduct:default/ledger-entries')).toMatchObject({
      via: ['observed'],
      affectedBy: [],
    });
    expect(byRef.get('dataproduct:default/customer-360')).toMatchObject({
      via: ['declared', 'observed'],
    });
    expect(res.body.summary).toMatchObject({
      consumers: 6,
      affectedConsumers: 0,
    });
  });

  it('narrows the affected consumers to those column lineage shows reading the changed field', async () => {
    const { api, refresh } = await start();
    await refresh();
    const orders = { namespace: 'iceberg://lake', name: 'sales/orders' };
    const ingest = await api.as(asPipeline()).post('/openlineage', [
      // The ledger reads the order, its amount and currency: never the email.
      runEvent({
        inputs: [orders],
        outputs: [
          { namespace: 'iceberg://lake', name: 'finance/ledger_entries' },
        ],
        columns: {
          order_ref: ['order_id'],
          amount: ['total_amount', 'currency'],
        },
      }),
      // Customer 360 is seen reading the email.
      runEvent({
        inputs: [orders],
        outputs: [
          {
            namespace: 'snowflake://acme.eu-west-1',
            name: 'ANALYTICS.CUSTOMER.CUSTOMER_360',
          },
        ],
        columns: { EMAIL: ['customer_email'], CUSTOMER_ID: ['customer_id'] },
      }),
    ]);
    expect(ingest.status).toBe(201);
    expect(ingest.body.fieldReads).toBe(5);
    const res = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: withoutField(ordersContract, 'customer_email', '2.0.0'),
    });
    expect(res.status).toBe(200);
    const removed = res.body.changes[0].message;
    const byRef = new Map(res.body.consumers.map((c: any) => [c.entityRef, c]));
    expect(byRef.get('dataproduct:default/ledger-entries')).toMatchObject({
      via: ['observed'],
      fields: ['currency', 'order_id', 'total_amount'],
      affectedBy: [],
    });
    expect(byRef.get('dataproduct:default/customer-360')).toMatchObject({
      via: ['declared', 'observed'],
      fields: ['customer_email', 'customer_id'],
      affectedBy: [removed],
    });
    // Declared consumers without column lineage may read anything.
    const daily = byRef.get('dataproduct:default/daily-sales') as any;
    expect(daily.fields).toBeUndefined();
    expect(daily.affectedBy).toEqual([removed]);
    expect(res.body.summary).toMatchObject({
      consumers: 6,
      affectedConsumers: 5,
    });
  });

  it('reports the structural problems of a proposal instead of changes', async () => {
    const { api, refresh } = await start();
    await refresh();
    const res = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: ordersContract.replace(/^version: .*$/m, 'version: 2'),
    });
    expect(res.status).toBe(200);
    expect(res.body.proposed.problems).toEqual([
      'contract.version: found the number 2, expected a string; quote it, such as "1.0.0"',
    ]);
    expect(res.body.changes).toEqual([]);
    const yaml = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: 'kind: [DataContract\n',
    });
    expect(yaml.body.proposed.problems[0]).toMatch(/^contract: not YAML: /);
  });

  it('has no current version for a port never read', async () => {
    const { api } = await start();
    const res = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: ordersContract,
    });
    expect(res.status).toBe(200);
    expect(res.body.current).toBeNull();
    expect(res.body.changes).toEqual([]);
    expect(res.body.consumers).toHaveLength(5);
  });

  it('answers 400 naming the field, 404 for an unknown product or port, 401 and 403', async () => {
    const { api } = await start();
    expectBadRequest(
      await api.post('/contracts/impact', {
        entityRef: 'orders',
        port: 'orders-table',
        contract: ordersContract,
      }),
      'body.entityRef: expected an entity reference such as dataproduct:default/orders',
    );
    expectBadRequest(
      await api.post('/contracts/impact', {
        entityRef: 'dataproduct:default/orders',
        contract: ordersContract,
      }),
      "body.port: expected the name of one of the product's output ports, such as orders-table",
    );
    expectBadRequest(
      await api.post('/contracts/impact', {
        entityRef: 'dataproduct:default/orders',
        port: 'orders-table',
        contract: 42,
      }),
      'body.contract: expected the proposed ODCS contract, as an object or as its YAML text',
    );
    const unknown = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/nope',
      port: 'orders-table',
      contract: ordersContract,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No data product dataproduct:default/nope in the catalog',
    );
    const port = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-tabel',
      contract: ordersContract,
    });
    expect(port.status).toBe(404);
    expect(port.body.error.message).toBe(
      'dataproduct:default/orders has no output port orders-tabel; name one of its spec.outputPorts',
    );
    expect(
      (
        await api.as(asAnonymous).post('/contracts/impact', {
          entityRef: 'dataproduct:default/orders',
          port: 'orders-table',
          contract: ordersContract,
        })
      ).status,
    ).toBe(401);
    const denied = await start({ permission: AuthorizeResult.DENY });
    expect(
      (
        await denied.api.post('/contracts/impact', {
          entityRef: 'dataproduct:default/orders',
          port: 'orders-table',
          contract: ordersContract,
        })
      ).status,
    ).toBe(403);
  });

  it('refuses a contract over dataMesh.contracts.maxSize', async () => {
    const { api } = await start({
      config: { dataMesh: { contracts: { maxSize: 1000 } } },
    });
    expectBadRequest(
      await api.post('/contracts/impact', {
        entityRef: 'dataproduct:default/orders',
        port: 'orders-table',
        contract: `${ordersContract}#${'x'.repeat(1000)}\n`,
      }),
      /^body\.contract: the contract text is over 1000 bytes; keep it smaller or raise dataMesh\.contracts\.maxSize/,
    );
    const huge = await api.post('/contracts/impact', {
      entityRef: 'dataproduct:default/orders',
      port: 'orders-table',
      contract: 'x'.repeat(200_000),
    });
    expect(huge.status).toBe(413);
  });
});

describe('notifications of breaking contract versions', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-impact-'));
    fs.mkdirSync(path.join(dir, 'contracts'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeContract = (text: string) =>
    fs.writeFileSync(path.join(dir, 'contracts', 'orders.odcs.yaml'), text);

  /** Orders with its demo contract, a declared consumer and one that is not. */
  function mesh(): Entity[] {
    const managedBy = {
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          dir,
          'products',
          'catalog-info.yaml',
        )}`,
      },
    };
    return [
      dataProduct(
        'orders',
        {
          outputPorts: [
            {
              name: 'orders-table',
              type: 'table',
              format: 'iceberg',
              address: 'iceberg://lake/sales/orders',
              contract: { location: '../contracts/orders.odcs.yaml' },
            },
          ],
        },
        managedBy,
      ),
      dataProduct('daily-sales', {
        owner: 'group:default/sales-analytics',
        inputPorts: [
          {
            name: 'orders',
            dataProduct: 'dataproduct:default/orders',
            outputPort: 'orders-table',
          },
        ],
      }),
      dataProduct('returns', { owner: 'group:default/returns-team' }),
    ];
  }

  it('tells the owners of affected consumers once per breaking version, with an audit event', async () => {
    writeContract(ordersContract);
    const { refresh, sent, audited } = await start({ entities: mesh() });
    await refresh();
    // The first version seen breaks nobody.
    expect(sent).toEqual([]);
    // A compatible version tells nobody either.
    writeContract(ordersContract.replace(/^version: .*$/m, 'version: 1.2.1'));
    await refresh();
    expect(sent).toEqual([]);

    writeContract(withoutField(ordersContract, 'customer_email', '2.0.0'));
    await refresh();
    await refresh();
    expect(sent).toHaveLength(1);
    const [notification] = sent;
    expect(notification.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/sales-analytics'],
    });
    expect(notification.payload).toMatchObject({
      title:
        'Breaking contract change: dataproduct:default/orders port orders-table version 2.0.0',
      link: '/catalog/default/dataproduct/orders',
      severity: 'high',
      topic: 'data-contract-breaking-change',
    });
    expect(notification.payload.description).toBe(
      'Your products dataproduct:default/daily-sales read orders-table of dataproduct:default/orders, whose contract version 2.0.0 has breaking changes:\n- Removed field customer_email from orders',
    );
    expect(audited).toEqual([
      expect.objectContaining({
        eventId: 'contract-breaking-change-notify',
        ok: true,
        meta: expect.objectContaining({
          entityRef: 'dataproduct:default/orders',
          port: 'orders-table',
          version: '2.0.0',
          recipients: ['group:default/sales-analytics'],
        }),
      }),
    ]);
  });

  it('tries again on the next refresh when sending failed', async () => {
    writeContract(ordersContract);
    const { refresh, sent, audited, setFailSending } = await start({
      entities: mesh(),
      failSending: true,
    });
    await refresh();
    writeContract(withoutField(ordersContract, 'customer_id', '2.0.0'));
    await refresh();
    expect(sent).toEqual([]);
    expect(audited.map(a => a.ok)).toEqual([false]);
    setFailSending(false);
    await refresh();
    await refresh();
    expect(sent).toHaveLength(1);
    expect(sent[0].payload.title).toMatch(/version 2\.0\.0$/);
  });
});
