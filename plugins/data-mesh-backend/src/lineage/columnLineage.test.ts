import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { dataProduct } from '../__testUtils__/products';
import { jsonFiles, sharedDir, sharedTitle } from '../__testUtils__/shared';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { runEvent } from './__fixtures__/events';
import { LineageService } from './LineageService';
import { LineageStore } from './LineageStore';
import { DEFAULT_MAPPINGS } from './mapping';
import { parseOpenLineageEvents } from './openLineage';

jest.setTimeout(60_000);

const { databases, createStore } = storeTestDatabases(options =>
  LineageStore.create(options),
);

const DAY_MS = 86_400_000;

/** A product serving one table at `address`. */
const serving = (name: string, address: string) =>
  dataProduct(name, {
    outputPorts: [{ name: 'table', type: 'table', address }],
  });

function lineageOf(store: LineageStore, mesh: Entity[], now = new Date()) {
  return new LineageService({
    store,
    readMesh: async () => mesh,
    rules: DEFAULT_MAPPINGS,
    staleAfterDays: 30,
    refreshAfterMs: 3_600_000,
    logger: mockServices.logger.mock(),
    now: () => now,
  });
}

const ref = (name: string) => `dataproduct:default/${name}`;

const realWorld = sharedDir('real-world/openlineage');
const realWorldSuite = realWorld ? describe : describe.skip;

/** The RunEvents of Airflow's BigQuery DAG and Spark's column-lineage test. */
function realWorldEvents(): any[] {
  return ['airflow', 'CLL'].flatMap(producer =>
    jsonFiles(path.join(realWorld!, producer)).map(file =>
      JSON.parse(
        fs.readFileSync(path.join(realWorld!, producer, file), 'utf8'),
      ),
    ),
  );
}

/** What the events' columnLineage facets say was read: input, field -> output. */
function readsTheFilesDeclare(events: any[]): string[] {
  const reads = new Set<string>();
  for (const event of events) {
    for (const output of event.outputs ?? []) {
      const facet = output.facets?.columnLineage;
      if (!facet) continue;
      const inputs = [
        ...Object.values<any>(facet.fields).flatMap(f => f.inputFields),
        ...(facet.dataset ?? []),
      ];
      for (const input of inputs) {
        reads.add(
          `${input.namespace} ${input.name} ${input.field} -> ${output.namespace} ${output.name}`,
        );
      }
    }
  }
  return [...reads].sort();
}

describe.each(databases.eachSupportedId())(
  'Column lineage on %s',
  databaseId => {
    realWorldSuite(
      sharedTitle(
        'real-world/openlineage',
        'from the columnLineage facets Airflow and Spark wrote',
      ),
      () => {
        it('stores every field each output was computed from, once, as the files say', async () => {
          const { store } = await createStore(databaseId);
          const events = realWorldEvents();
          const declared = readsTheFilesDeclare(events);
          // Spark's tbl1 and Airflow's three BigQuery copies carry column lineage.
          expect(declared).toContain(
            'file /tmp/cll_test/cll_source2 c -> file /tmp/cll_test/tbl1',
          );
          expect(declared).toContain(
            'bigquery mock-project.test.upload d -> bigquery mock-project.test.upload_cp',
          );

          const first = await store.ingest(parseOpenLineageEvents(events));
          expect(first.fieldReads).toBe(declared.length);
          // Spark repeats the facet in START, RUNNING and COMPLETE events,
          // and a pipeline retries: reads are seen again, not added.
          await store.ingest(parseOpenLineageEvents(events));
          const inputs = await store.listFieldReadInputs();
          const reads = await store.listFieldReads(inputs.map(i => i.key));
          const byKey = new Map(inputs.map(i => [i.key, i]));
          expect(
            reads
              .map(r => {
                const input = byKey.get(r.inputKey)!;
                return `${input.namespace} ${input.name} ${r.field} -> ${r.outputNamespace} ${r.outputName}`;
              })
              .sort(),
          ).toEqual(declared);
        });

        it("gives each consumer product the fields it reads of a producer's port", async () => {
          const { store } = await createStore(databaseId);
          await store.ingest(parseOpenLineageEvents(realWorldEvents()));
          const lineage = lineageOf(store, [
            serving('upload', 'bigquery://mock-project.test.upload'),
            serving('upload-copy', 'bigquery://mock-project.test.upload_cp'),
            serving('result', 'gs://mock-bucket/result.csv'),
            serving('source-one', 'file:///tmp/cll_test/cll_source1'),
            serving('source-two', 'file:///tmp/cll_test/cll_source2'),
            serving('spark-table', 'file:///tmp/cll_test/tbl1'),
          ]);
          // Airflow's BQ.copy reads columns a to d of upload into upload_cp.
          expect(await lineage.fieldsRead(ref('upload'), 'table')).toEqual(
            new Map([[ref('upload-copy'), ['a', 'b', 'c', 'd']]]),
          );
          expect(await lineage.fieldsRead(ref('upload-copy'), 'table')).toEqual(
            new Map([[ref('result'), ['a', 'b', 'c', 'd']]]),
          );
          // Spark's tbl1 reads a and b of one source, a and c of the other
          // (c only to aggregate).
          expect(await lineage.fieldsRead(ref('source-one'), 'table')).toEqual(
            new Map([[ref('spark-table'), ['a', 'b']]]),
          );
          expect(await lineage.fieldsRead(ref('source-two'), 'table')).toEqual(
            new Map([[ref('spark-table'), ['a', 'c']]]),
          );
          // Nobody's column lineage names the result.
          expect(await lineage.fieldsRead(ref('result'), 'table')).toEqual(
            new Map(),
          );
          // Another port of the producer is not the one read.
          expect(await lineage.fieldsRead(ref('upload'), 'other')).toEqual(
            new Map(),
          );
        });
      },
    );

    const orders = { namespace: 's3://lake', name: 'orders/' };
    const ledger = { namespace: 's3://lake', name: 'ledger/' };
    const mesh = [
      serving('orders', 's3://lake/orders/'),
      serving('ledger', 's3://lake/ledger/'),
    ];
    /** A run of the ledger job reading `fields` of orders, `days` ago. */
    const ledgerRun = (fields: string[], daysAgo: number, filter?: string) => {
      const event: any = runEvent({
        inputs: [orders],
        outputs: [ledger],
        eventTime: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
      });
      event.outputs[0].facets.columnLineage.fields = Object.fromEntries(
        fields.map(f => [
          `ledger_${f}`,
          {
            inputFields: [
              {
                ...orders,
                field: f,
                transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
              },
            ],
          },
        ]),
      );
      if (filter) {
        event.outputs[0].facets.columnLineage.dataset = [
          {
            ...orders,
            field: filter,
            transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }],
          },
        ];
      }
      return event;
    };

    it('counts a field read only to filter, and drops a field the newest runs no longer read', async () => {
      const { store } = await createStore(databaseId);
      const lineage = lineageOf(store, mesh);
      await store.ingest(
        parseOpenLineageEvents([
          ledgerRun(['order_id', 'amount', 'customer_email'], 40),
        ]),
      );
      expect(await lineage.fieldsRead(ref('orders'), 'table')).toEqual(
        new Map([[ref('ledger'), ['amount', 'customer_email', 'order_id']]]),
      );
      // The job was changed: customer_email is no longer read, status filters.
      await lineage.ingest(
        parseOpenLineageEvents([
          ledgerRun(['order_id', 'amount'], 1, 'status'),
        ]),
      );
      expect(await lineage.fieldsRead(ref('orders'), 'table')).toEqual(
        new Map([[ref('ledger'), ['amount', 'order_id', 'status']]]),
      );
    });
  },
);
