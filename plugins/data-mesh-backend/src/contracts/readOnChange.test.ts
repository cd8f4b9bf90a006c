import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { startDataMeshBackend } from '../__testUtils__/backend';
import { mutableCatalog } from '../__testUtils__/catalog';
import { dataProduct } from '../__testUtils__/products';

jest.setTimeout(60_000);

/*
 * A descriptor edited in the catalog (a new contract file, a new declared
 * version) is judged on the contract it points at now: change detection reads
 * the changed products' contracts before evaluating them, without waiting for
 * the contracts refresh.
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
  .join('')}`;

describe('contracts read when a descriptor changes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-contract-change-'));
    fs.mkdirSync(path.join(dir, 'contracts'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text: string) =>
    fs.writeFileSync(path.join(dir, 'contracts', file), text);

  /** The orders product pointing at `file` at `version`, as catalog revision `etag`. */
  const orders = (file: string, version: string, etag: string): Entity => {
    const entity = dataProduct(
      'orders',
      {
        outputPorts: [
          {
            name: 'orders-table',
            type: 'table',
            format: 'parquet',
            address: 's3://lake/orders/',
            contract: { location: `./contracts/${file}`, version },
          },
        ],
      },
      {
        etag,
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            dir,
            'catalog-info.yaml',
          )}`,
        },
      },
    );
    return entity;
  };

  async function start(initial: Entity[]) {
    const tasks = new Map<string, () => Promise<void>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task.fn as () => Promise<void>);
      },
    });
    // Two more products, so that one edit is a partial run, not a full one.
    const others = ['leads', 'returns'].map(name => ({
      ...dataProduct(name),
      metadata: { name, etag: 'x' },
    }));
    const catalog = mutableCatalog([...initial, ...others]);
    const { api } = await startDataMeshBackend({
      catalog: catalog.factory,
      features: [scheduler.factory],
    });
    const run = async (id: string) => {
      const fn = tasks.get(id);
      if (!fn) throw new Error(`No task ${id} was scheduled`);
      await fn();
    };
    const policy = async (id: string) => {
      const card = await api.get('/scorecards/dataproduct/default/orders');
      expect(card.status).toBe(200);
      const result = card.body.results.find((r: any) => r.policyId === id);
      return [result.status, result.message];
    };
    const current = async () => {
      const res = await api.get('/contracts/default/orders');
      expect(res.status).toBe(200);
      const port = res.body.ports[0];
      return port.versions.find((v: any) => v.current)?.version;
    };
    return {
      api,
      catalog: { set: (next: Entity[]) => catalog.set([...next, ...others]) },
      run,
      policy,
      current,
    };
  }

  it('judges an edited product on its new contract at the next change detection', async () => {
    write('orders.odcs.yaml', contract('1.0.0', ['order_id', 'coupon']));
    const { catalog, run, policy, current } = await start([
      orders('orders.odcs.yaml', '1.0.0', 'e1'),
    ]);
    await run('data-mesh-contracts-refresh');
    await run('data-mesh-change-detection');
    expect(await policy('quanta.contract-version-matches')).toEqual([
      'pass',
      undefined,
    ]);

    // The producer's pull request adds a v2 contract without coupon and
    // points the port at it; the catalog picks the descriptor up.
    write('orders-v2.odcs.yaml', contract('2.0.0', ['order_id']));
    catalog.set([orders('orders-v2.odcs.yaml', '2.0.0', 'e2')]);
    await run('data-mesh-change-detection');
    // Judged on 2.0.0, read before the evaluation (asked first: viewing the
    // contracts would read a new location itself).
    expect(await policy('quanta.contract-version-matches')).toEqual([
      'pass',
      undefined,
    ]);
    expect(await policy('quanta.contract-breaking-change-major')).toEqual([
      'pass',
      undefined,
    ]);
    expect(await current()).toBe('2.0.0');

    // Same file, edited in place with the descriptor's declared version:
    // the descriptor changed, so the file is read again too.
    write('orders-v2.odcs.yaml', contract('2.1.0', ['order_id', 'channel']));
    catalog.set([orders('orders-v2.odcs.yaml', '2.1.0', 'e3')]);
    await run('data-mesh-change-detection');
    expect(await current()).toBe('2.1.0');
    expect(await policy('quanta.contract-version-matches')).toEqual([
      'pass',
      undefined,
    ]);
  });

  it('leaves a contract file edited without a descriptor change to the refresh', async () => {
    write('orders.odcs.yaml', contract('1.0.0', ['order_id']));
    const { run, current } = await start([
      orders('orders.odcs.yaml', '1.0.0', 'e1'),
    ]);
    await run('data-mesh-contracts-refresh');
    await run('data-mesh-change-detection');
    write('orders.odcs.yaml', contract('1.1.0', ['order_id', 'channel']));
    // Nothing changed in the catalog: no evaluation, no read.
    await run('data-mesh-change-detection');
    expect(await current()).toBe('1.0.0');
    await run('data-mesh-contracts-refresh');
    expect(await current()).toBe('1.1.0');
  });

  it('reads the contract of a product evaluated on demand', async () => {
    write('orders.odcs.yaml', contract('1.0.0', ['order_id']));
    const { api, policy } = await start([
      orders('orders.odcs.yaml', '1.0.0', 'e1'),
    ]);
    // Never refreshed: the on-demand evaluation of the product reads it.
    const res = await api.post('/evaluations', {
      entityRef: 'dataproduct:default/orders',
    });
    expect(res.status).toBe(201);
    expect(await policy('quanta.contract-readable')).toEqual([
      'pass',
      undefined,
    ]);
  });
});
