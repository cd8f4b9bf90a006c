import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { datasetEvent, jobEvent, runEvent } from './__fixtures__/events';
import { LineageStore } from './LineageStore';
import { parseOpenLineageEvents } from './openLineage';

jest.setTimeout(60_000);

const { databases, createStore } = storeTestDatabases(options =>
  LineageStore.create(options),
);

/** Makes the database refuse edges read from one dataset, as a failing write would. */
async function refuseEdgesFrom(
  knex: Knex,
  databaseId: TestDatabaseId,
  inputName: string,
) {
  if (databaseId.startsWith('POSTGRES')) {
    await knex.raw(`
      CREATE FUNCTION refuse_edge() RETURNS trigger AS $$
      BEGIN
        IF NEW.input_name = '${inputName}' THEN RAISE EXCEPTION 'refused'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(
      'CREATE TRIGGER refuse_edge BEFORE INSERT ON dm_lineage_edges FOR EACH ROW EXECUTE FUNCTION refuse_edge()',
    );
  } else {
    await knex.raw(`
      CREATE TRIGGER refuse_edge BEFORE INSERT ON dm_lineage_edges
      WHEN NEW.input_name = '${inputName}'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  }
}

const orders = { namespace: 'iceberg://lake', name: 'sales.orders' };
const payments = { namespace: 'iceberg://lake', name: 'sales.payments' };
const daily = { namespace: 's3://acme-lake', name: 'sales/daily' };

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`;
const ms = (day: number) => Date.parse(at(day));

describe.each(databases.eachSupportedId())('LineageStore on %s', databaseId => {
  it('stores edges and datasets, and widens first and last seen on each sighting', async () => {
    const { store } = await createStore(databaseId);
    const first = await store.ingest(
      parseOpenLineageEvents([
        runEvent({
          inputs: [orders, payments],
          outputs: [daily],
          eventTime: at(10),
          eventType: 'START',
          job: 'first-job',
        }),
        runEvent({
          inputs: [orders, payments],
          outputs: [daily],
          eventTime: at(10),
        }),
      ]),
    );
    expect(first).toEqual({
      events: 2,
      jobEvents: 0,
      datasetEvents: 0,
      edges: 2,
      datasets: 3,
      fieldReads: 0,
    });

    // Seen again later, and once with an older event arriving late.
    await store.ingest(
      parseOpenLineageEvents([
        runEvent({
          inputs: [orders],
          outputs: [daily],
          eventTime: at(12),
          job: 'renamed-job',
        }),
      ]),
    );
    await store.ingest(
      parseOpenLineageEvents([
        runEvent({ inputs: [orders], outputs: [daily], eventTime: at(2) }),
      ]),
    );
    const edges = (await store.listEdges()).sort((a, b) =>
      a.inputName.localeCompare(b.inputName),
    );
    expect(edges).toEqual([
      {
        inputNamespace: 'iceberg://lake',
        inputName: 'sales.orders',
        outputNamespace: 's3://acme-lake',
        outputName: 'sales/daily',
        firstSeen: ms(2),
        lastSeen: ms(12),
        runs: 3,
      },
      expect.objectContaining({
        inputName: 'sales.payments',
        firstSeen: ms(10),
        lastSeen: ms(10),
        runs: 1,
      }),
    ]);
    const datasets = (await store.listDatasets()).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    expect(datasets).toEqual([
      {
        namespace: 'iceberg://lake',
        name: 'sales.orders',
        firstSeen: ms(2),
        lastSeen: ms(12),
      },
      expect.objectContaining({ name: 'sales.payments' }),
      {
        namespace: 's3://acme-lake',
        name: 'sales/daily',
        firstSeen: ms(2),
        lastSeen: ms(12),
        lastWritten: ms(12),
      },
    ]);
  });

  it('keeps the newest job, and loses nothing stored when a batch fails', async () => {
    const { store, knex } = await createStore(databaseId);
    await store.ingest(
      parseOpenLineageEvents([
        runEvent({ inputs: [orders], outputs: [daily], eventTime: at(10) }),
      ]),
    );
    const events = parseOpenLineageEvents([
      runEvent({
        inputs: [orders],
        outputs: [daily],
        eventTime: at(11),
        job: 'newer',
      }),
      runEvent({ inputs: [payments], outputs: [daily], eventTime: at(11) }),
    ]);
    // The database refuses the edges of the second event, after the
    // datasets of the batch were written.
    await refuseEdgesFrom(knex, databaseId, 'sales.payments');
    const outcome = await store.ingest(events).then(
      stored => ({ stored }),
      error => ({ error: String(error) }),
    );
    expect(outcome).toEqual({ error: expect.stringMatching(/refused/) });
    expect(await store.listEdges()).toEqual([
      expect.objectContaining({ lastSeen: ms(10), runs: 1 }),
    ]);
    expect(await store.listDatasets()).toEqual([
      expect.objectContaining({ lastSeen: ms(10) }),
      expect.objectContaining({ lastSeen: ms(10) }),
    ]);
    await knex.raw(
      databaseId.startsWith('POSTGRES')
        ? 'DROP TRIGGER refuse_edge ON dm_lineage_edges'
        : 'DROP TRIGGER refuse_edge',
    );

    await store.ingest({ ...events, runs: events.runs.slice(0, 1) });
    const [row] = await knex('dm_lineage_edges').select('job_name', 'runs');
    expect(row).toEqual({ job_name: 'newer', runs: 2 });
  });
  it('keeps what JobEvents declare apart from runs, each job replaced only by its newer declaration', async () => {
    const { store } = await createStore(databaseId);
    const stored = await store.ingest(
      parseOpenLineageEvents([
        jobEvent({ inputs: [orders], outputs: [daily], eventTime: at(10) }),
        datasetEvent(payments, at(9)),
      ]),
    );
    expect(stored).toEqual({
      events: 2,
      jobEvents: 1,
      datasetEvents: 1,
      edges: 0,
      datasets: 3,
      fieldReads: 0,
    });
    // Declared, not observed: no edge, and nothing was written.
    expect(await store.listEdges()).toEqual([]);
    expect(
      (await store.listDatasets()).map(d => [d.name, d.lastWritten]),
    ).toEqual(
      expect.arrayContaining([
        ['sales.orders', undefined],
        ['sales.payments', undefined],
        ['sales/daily', undefined],
      ]),
    );
    expect(await store.listJobDeclarations()).toEqual([
      {
        jobNamespace: 'dbt://acme',
        jobName: 'analytics.daily_sales',
        declaredAt: ms(10),
        inputs: [orders],
        outputs: [daily],
      },
    ]);

    // An older declaration arriving late changes nothing; a newer one
    // replaces the job's inputs and outputs.
    await store.ingest(
      parseOpenLineageEvents([
        jobEvent({ inputs: [payments], outputs: [daily], eventTime: at(5) }),
      ]),
    );
    expect(await store.listJobDeclarations()).toEqual([
      expect.objectContaining({ declaredAt: ms(10), inputs: [orders] }),
    ]);
    await store.ingest(
      parseOpenLineageEvents([
        jobEvent({
          inputs: [orders, payments],
          outputs: [daily],
          eventTime: at(12),
        }),
      ]),
    );
    expect(await store.listJobDeclarations()).toEqual([
      expect.objectContaining({
        declaredAt: ms(12),
        inputs: [orders, payments],
        outputs: [daily],
      }),
    ]);
  });

  it('skips datasets with an empty name, which the spec allows and nothing can map', async () => {
    const { store } = await createStore(databaseId);
    await store.ingest(
      parseOpenLineageEvents([
        runEvent({
          inputs: [orders, { namespace: 'iceberg://lake', name: '' }],
          outputs: [daily, { namespace: '', name: 'sales/none' }],
          eventTime: at(10),
        }),
      ]),
    );
    expect((await store.listDatasets()).map(d => d.name).sort()).toEqual([
      'sales.orders',
      'sales/daily',
    ]);
    expect(
      (await store.listEdges()).map(e => `${e.inputName} -> ${e.outputName}`),
    ).toEqual(['sales.orders -> sales/daily']);
  });
  it('stores dataset names without NUL characters, which PostgreSQL cannot hold', async () => {
    const { store } = await createStore(databaseId);
    await store.ingest(
      parseOpenLineageEvents([
        runEvent({
          inputs: [{ namespace: 'iceberg://lake', name: 'sales.\u0000orders' }],
          outputs: [daily],
          eventTime: at(10),
        }),
      ]),
    );
    expect((await store.listDatasets()).map(d => d.name).sort()).toEqual([
      'sales.orders',
      'sales/daily',
    ]);
  });
});
