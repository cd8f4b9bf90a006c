import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { startDataMeshBackend } from '../__testUtils__/backend';
import { dataProduct } from '../__testUtils__/products';

jest.setTimeout(60_000);

/*
 * The contract policies on a scorecard: the refresh reads the contracts,
 * the next evaluation judges what it read.
 */

const contract = (version: string, fields: string[]) => `apiVersion: v3.0.2
kind: DataContract
id: orders-contract
version: ${version}
schema:
  - name: orders
    properties:
${fields
  .map(f => `      - name: ${f}\n        logicalType: string\n`)
  .join('')}slaProperties:
  - property: latency
    value: 1
    unit: h
`;

describe('contract policies on the scorecard', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-contract-facts-'));
    fs.mkdirSync(path.join(dir, 'contracts'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeContract = (text: string) =>
    fs.writeFileSync(path.join(dir, 'contracts', 'orders.odcs.yaml'), text);

  async function start() {
    const tasks = new Map<string, () => Promise<void>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task.fn as () => Promise<void>);
      },
    });
    const orders = dataProduct(
      'orders',
      {
        slos: { freshness: 'PT1H' },
        outputPorts: [
          {
            name: 'orders-table',
            type: 'table',
            format: 'parquet',
            address: 's3://lake/orders/',
            contract: {
              location: './contracts/orders.odcs.yaml',
              version: '1.0.0',
            },
            schema: [
              { name: 'order_id', type: 'string' },
              { name: 'coupon', type: 'varchar(20)' },
            ],
          },
        ],
      },
      {
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            dir,
            'catalog-info.yaml',
          )}`,
        },
      },
    );
    // Reads the port, so a breaking version of its contract reaches a consumer.
    const dailySales = dataProduct('daily-sales', {
      type: 'aggregate',
      inputPorts: [
        {
          name: 'orders',
          dataProduct: 'dataproduct:default/orders',
          outputPort: 'orders-table',
        },
      ],
    });
    const { api } = await startDataMeshBackend({
      entities: [orders, dailySales],
      features: [scheduler.factory],
    });
    const run = async (id: string) => {
      const fn = tasks.get(id);
      if (!fn) throw new Error(`No task ${id} was scheduled`);
      await fn();
    };
    const results = async () => {
      expect((await api.post('/evaluations', {})).status).toBe(201);
      const card = await api.get('/scorecards/dataproduct/default/orders');
      expect(card.status).toBe(200);
      return Object.fromEntries(
        card.body.results
          .filter((r: any) => r.policyId.startsWith('quanta.contract-'))
          .map((r: any) => [r.policyId, [r.status, r.message]]),
      );
    };
    return { run, results };
  }

  it('skips until the contract is read, then judges it and its changes', async () => {
    writeContract(contract('1.0.0', ['order_id', 'coupon']));
    const { run, results } = await start();

    expect(await results()).toMatchObject({
      'quanta.contract-readable': [
        'not-applicable',
        'The declared contracts have not been read yet',
      ],
      'quanta.contract-breaking-change-major': [
        'not-applicable',
        'The declared contracts have not been read yet',
      ],
    });

    await run('data-mesh-contracts-refresh');
    expect(await results()).toMatchObject({
      'quanta.contract-readable': ['pass', undefined],
      'quanta.contract-version-matches': ['pass', undefined],
      'quanta.contract-schema-matches': ['pass', undefined],
      'quanta.contract-sla-matches-slos': ['pass', undefined],
      'quanta.contract-breaking-change-major': [
        'not-applicable',
        'No contract has changed since the portal first read it',
      ],
      'quanta.contract-breaking-change-notice': [
        'not-applicable',
        'No contract has changed since the portal first read it',
      ],
    });

    // 1.1.0 drops a field consumers read: it needed 2.0.0.
    writeContract(contract('1.1.0', ['order_id']));
    await run('data-mesh-contracts-refresh');
    expect(await results()).toMatchObject({
      'quanta.contract-readable': ['pass', undefined],
      'quanta.contract-version-matches': [
        'fail',
        'Output port orders-table declares contract version 1.0.0, but ./contracts/orders.odcs.yaml is at 1.1.0',
      ],
      'quanta.contract-schema-matches': [
        'fail',
        "Output port orders-table: coupon not in the contract's orders",
      ],
      'quanta.contract-breaking-change-major': [
        'fail',
        'Output port orders-table: version 1.1.0 follows 1.0.0 with breaking changes (Removed field coupon from orders), but the major version did not increase',
      ],
      'quanta.contract-breaking-change-notice': [
        'fail',
        'Output port orders-table: version 1.1.0 breaks 1.0.0 for its consumer dataproduct:default/daily-sales, but no other port serves 1.0.0 and 1.0.0 was not deprecated before it (it declares no status); keep serving 1.0.0 on a port such as orders-table-v1 until consumers have moved, or publish 1.0.0 with status: deprecated at least 30 days before the breaking version',
      ],
    });

    fs.rmSync(path.join(dir, 'contracts', 'orders.odcs.yaml'));
    await run('data-mesh-contracts-refresh');
    const [status, message] = (await results())['quanta.contract-readable'];
    expect(status).toBe('fail');
    expect(message).toMatch(
      /^Output port orders-table: the contract at \.\/contracts\/orders\.odcs\.yaml cannot be read \(not-found\)/,
    );
  });
});
