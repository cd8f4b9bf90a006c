import type { Entity } from '@backstage/catalog-model';
import { startDataMeshBackend } from '../__testUtils__/backend';
import { mutableCatalog } from '../__testUtils__/catalog';
import { evaluateFirstTime } from './firstEvaluation';
import { dataProduct } from '../__testUtils__/products';

jest.setTimeout(60_000);

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'sales-data' },
  spec: { type: 'team', children: [] },
};

const config = {
  dataMesh: {
    policies: [
      {
        id: 'mesh.slos',
        title: 'SLOs declared',
        attribute: 'trustworthy',
        severity: 'error',
        rationale: 'Consumers rely on promises.',
        howToFix: 'Declare spec.slos.',
        rule: { 'spec.slos': { $exists: true } },
      },
    ],
    levels: [{ name: 'Bronze', policies: ['mesh.slos'] }],
  },
};

describe('a product the mesh has not evaluated yet', () => {
  it('has its scorecard the first time its page asks, without waiting for change detection', async () => {
    const catalog = mutableCatalog([team, dataProduct('orders')]);
    const { api } = await startDataMeshBackend({
      catalog: catalog.factory,
      config,
    });
    expect((await api.post('/evaluations')).status).toBe(201);

    // A template registers a new product; nothing has evaluated it.
    catalog.add(dataProduct('returns', { slos: { freshness: 'PT1H' } }));
    const card = await api.get('/scorecards/dataproduct/default/returns');

    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({
      entityRef: 'dataproduct:default/returns',
      level: 'Bronze',
    });
    const runs = (await api.get('/runs')).body.items;
    expect(runs[0]).toMatchObject({ trigger: 'catalog', status: 'completed' });
    // Asking again reads the stored scorecard: no second evaluation.
    await api.get('/scorecards/dataproduct/default/returns');
    expect((await api.get('/runs')).body.items).toHaveLength(runs.length);
  });

  it('still answers 404, without evaluating, for what the catalog does not hold', async () => {
    const catalog = mutableCatalog([team, dataProduct('orders')]);
    const { api } = await startDataMeshBackend({
      catalog: catalog.factory,
      config,
    });

    const ghost = await api.get('/scorecards/dataproduct/default/ghost');
    const group = await api.get('/scorecards/group/default/sales-data');

    expect(ghost.status).toBe(404);
    expect(ghost.body.error.message).toMatch(
      /not a data product in the catalog/,
    );
    expect(group.status).toBe(404);
    expect((await api.get('/runs')).body.items).toEqual([]);
  });
});

describe('evaluateFirstTime', () => {
  const product = dataProduct('returns');
  const catalog = { getEntityByRef: jest.fn(async () => product) } as any;
  const credentials = {} as any;

  it('waits for the run that holds the lock, then finds the scorecard it wrote', async () => {
    const statuses = ['running', 'running', 'completed'];
    const store = {
      getRun: jest.fn(async () => ({ id: 7, status: statuses.shift() })),
      getScorecard: jest.fn(async () =>
        statuses.length === 0 ? { level: 'Bronze' } : undefined,
      ),
    } as any;
    const evaluator = {
      evaluate: jest.fn(async () => ({ started: false, run: { id: 7 } })),
    } as any;

    await expect(
      evaluateFirstTime({
        entityRef: 'dataproduct:default/returns',
        credentials,
        catalog,
        store,
        evaluator,
        pollMs: 0,
      }),
    ).resolves.toBe(true);
    // It did not start a run of its own: the running one evaluated it.
    expect(evaluator.evaluate).toHaveBeenCalledTimes(1);
    expect(store.getRun).toHaveBeenCalledTimes(3);
  });

  it('gives up when the running evaluation outlasts the wait', async () => {
    const store = {
      getRun: jest.fn(async () => ({ id: 7, status: 'running' })),
      getScorecard: jest.fn(async () => undefined),
    } as any;
    const evaluator = {
      evaluate: jest.fn(async () => ({ started: false, run: { id: 7 } })),
    } as any;

    await expect(
      evaluateFirstTime({
        entityRef: 'dataproduct:default/returns',
        credentials,
        catalog,
        store,
        evaluator,
        waitMs: 0,
        pollMs: 0,
      }),
    ).resolves.toBe(false);
  });
});
