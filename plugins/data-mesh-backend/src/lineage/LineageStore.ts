import type { DatabaseService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { OpenLineageIngestResponse } from '@quanta/plugin-data-mesh-common';
import { openDatabase } from '../shared/database';
import { chunks, withoutNul } from '../shared/sql';
import type {
  JobDeclaration,
  ObservedDataset,
  ObservedDatasetEdge,
} from './LineageGraph';
import type { OpenLineageBatch } from './openLineage';

/** Rows per statement: 10 columns × 500 stays far below SQLite's variable limit. */
const CHUNK = 500;

const keyOf = (...parts: string[]) =>
  createHash('sha1').update(parts.join('\u0000')).digest('hex');

const laterOf = (table: string, column: string) =>
  `CASE WHEN excluded.${column} > ${table}.${column} THEN excluded.${column} ELSE ${table}.${column} END`;
const earlierOf = (table: string, column: string) =>
  `CASE WHEN excluded.${column} < ${table}.${column} THEN excluded.${column} ELSE ${table}.${column} END`;

type DatasetRow = {
  dataset_key: string;
  namespace: string;
  name: string;
  first_seen: number;
  last_seen: number;
  last_written: number | null;
};

type EdgeRow = {
  edge_key: string;
  input_namespace: string;
  input_name: string;
  output_namespace: string;
  output_name: string;
  job_namespace: string;
  job_name: string;
  first_seen: number;
  last_seen: number;
  runs: number;
};

type FieldReadRow = {
  read_key: string;
  input_key: string;
  input_namespace: string;
  input_name: string;
  input_field: string;
  output_namespace: string;
  output_name: string;
  first_seen: number;
  last_seen: number;
};

/** A field a run read from an input dataset to write an output dataset. */
export type FieldRead = {
  inputKey: string;
  field: string;
  outputNamespace: string;
  outputName: string;
  /** Epoch milliseconds. */
  lastSeen: number;
};

/** An input dataset some run read fields of; `key` selects its reads. */
export type FieldReadInput = { key: string; namespace: string; name: string };

type DeclarationRow = {
  job_key: string;
  job_namespace: string;
  job_name: string;
  declared_at: number;
  inputs: string;
  outputs: string;
};

type DatasetName = { namespace: string; name: string };

// The spec allows empty names; such a dataset names nothing to map.
const named = (d: DatasetName) => d.namespace !== '' && d.name !== '';
const nameOnly = (d: DatasetName) => ({ namespace: d.namespace, name: d.name });

const REVISION = 'dm_lineage_revision';

async function raiseRevision(knex: Knex) {
  await knex(REVISION)
    .where('id', 1)
    .update({ revision: knex.raw('revision + 1') });
}

/**
 * Lineage from OpenLineage events: the datasets and dataset edges runs show,
 * and apart from them the inputs and outputs jobs declare (JobEvents).
 */
export class LineageStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<LineageStore> {
    return new LineageStore(await openDatabase(options));
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Stores a batch of events in one transaction: datasets and edges are
   * added or seen again, never removed, and a job's declaration replaced
   * only by a newer one, so a failed batch leaves what was stored before
   * untouched.
   */
  async ingest(batch: OpenLineageBatch): Promise<OpenLineageIngestResponse> {
    const {
      runs,
      jobs,
      datasets: datasetEvents,
    } = withoutNul({
      runs: batch.runs,
      jobs: batch.jobs,
      datasets: batch.datasets,
    });
    const datasets = new Map<string, DatasetRow>();
    const edges = new Map<string, EdgeRow>();
    const fieldReads = new Map<string, FieldReadRow>();
    const seen = (dataset: DatasetName, at: number, written: boolean) => {
      const key = keyOf(dataset.namespace, dataset.name);
      const row = datasets.get(key);
      if (!row) {
        datasets.set(key, {
          dataset_key: key,
          namespace: dataset.namespace,
          name: dataset.name,
          first_seen: at,
          last_seen: at,
          last_written: written ? at : null,
        });
        return;
      }
      row.first_seen = Math.min(row.first_seen, at);
      row.last_seen = Math.max(row.last_seen, at);
      if (written) row.last_written = Math.max(row.last_written ?? at, at);
    };
    // Datasets a JobEvent or DatasetEvent names are known, never written:
    // no run has shown data arriving.
    for (const event of datasetEvents) {
      if (named(event.dataset)) {
        seen(event.dataset, Date.parse(event.eventTime), false);
      }
    }
    const declarations = new Map<string, DeclarationRow>();
    for (const event of jobs) {
      const at = Date.parse(event.eventTime);
      const inputs = (event.inputs ?? []).filter(named);
      const outputs = (event.outputs ?? []).filter(named);
      for (const dataset of [...inputs, ...outputs]) seen(dataset, at, false);
      const key = keyOf(event.job.namespace, event.job.name);
      const earlier = declarations.get(key);
      if (earlier && earlier.declared_at > at) continue;
      declarations.set(key, {
        job_key: key,
        job_namespace: event.job.namespace,
        job_name: event.job.name,
        declared_at: at,
        inputs: JSON.stringify(inputs.map(nameOnly)),
        outputs: JSON.stringify(outputs.map(nameOnly)),
      });
    }
    for (const event of runs) {
      const at = Date.parse(event.eventTime);
      const counts =
        event.eventType === undefined || event.eventType === 'COMPLETE' ? 1 : 0;
      const inputs = (event.inputs ?? []).filter(named);
      const outputs = (event.outputs ?? []).filter(named);
      for (const input of inputs) seen(input, at, false);
      for (const output of outputs) seen(output, at, true);
      for (const input of inputs) {
        for (const output of outputs) {
          const key = keyOf(
            input.namespace,
            input.name,
            output.namespace,
            output.name,
          );
          const row = edges.get(key);
          if (!row) {
            edges.set(key, {
              edge_key: key,
              input_namespace: input.namespace,
              input_name: input.name,
              output_namespace: output.namespace,
              output_name: output.name,
              job_namespace: event.job.namespace,
              job_name: event.job.name,
              first_seen: at,
              last_seen: at,
              runs: counts,
            });
            continue;
          }
          row.first_seen = Math.min(row.first_seen, at);
          if (at >= row.last_seen) {
            row.last_seen = at;
            row.job_namespace = event.job.namespace;
            row.job_name = event.job.name;
          }
          row.runs += counts;
        }
      }
      // Column lineage: every field an output is computed from or depends
      // on as a whole (filters, joins), whatever the transformation.
      for (const output of outputs) {
        const facet = output.facets?.columnLineage;
        if (!facet) continue;
        const read = [
          ...Object.values(facet.fields).flatMap(f => f.inputFields),
          ...(facet.dataset ?? []),
        ];
        for (const input of read) {
          if (!named(input) || input.field === '') continue;
          const key = keyOf(
            input.namespace,
            input.name,
            input.field,
            output.namespace,
            output.name,
          );
          const row = fieldReads.get(key);
          if (row) {
            row.first_seen = Math.min(row.first_seen, at);
            row.last_seen = Math.max(row.last_seen, at);
            continue;
          }
          fieldReads.set(key, {
            read_key: key,
            input_key: keyOf(input.namespace, input.name),
            input_namespace: input.namespace,
            input_name: input.name,
            input_field: input.field,
            output_namespace: output.namespace,
            output_name: output.name,
            first_seen: at,
            last_seen: at,
          });
        }
      }
    }
    // Sorted keys make concurrent batches lock rows in the same order.
    const byKey = <T>(rows: Map<string, T>) =>
      [...rows.keys()].sort().map(key => rows.get(key)!);
    const datasetRows = byKey(datasets);
    const edgeRows = byKey(edges);
    const declarationRows = byKey(declarations);
    const fieldReadRows = byKey(fieldReads);
    await this.knex.transaction(async tx => {
      for (const part of chunks(datasetRows, CHUNK)) {
        const t = 'dm_lineage_datasets';
        await tx(t)
          .insert(part)
          .onConflict('dataset_key')
          .merge({
            first_seen: tx.raw(earlierOf(t, 'first_seen')),
            last_seen: tx.raw(laterOf(t, 'last_seen')),
            last_written: tx.raw(
              `CASE WHEN excluded.last_written IS NULL THEN ${t}.last_written WHEN ${t}.last_written IS NULL THEN excluded.last_written ELSE ${laterOf(
                t,
                'last_written',
              )} END`,
            ),
          });
      }
      for (const part of chunks(edgeRows, CHUNK)) {
        const t = 'dm_lineage_edges';
        const newer = `excluded.last_seen >= ${t}.last_seen`;
        await tx(t)
          .insert(part)
          .onConflict('edge_key')
          .merge({
            first_seen: tx.raw(earlierOf(t, 'first_seen')),
            last_seen: tx.raw(laterOf(t, 'last_seen')),
            runs: tx.raw(`${t}.runs + excluded.runs`),
            job_namespace: tx.raw(
              `CASE WHEN ${newer} THEN excluded.job_namespace ELSE ${t}.job_namespace END`,
            ),
            job_name: tx.raw(
              `CASE WHEN ${newer} THEN excluded.job_name ELSE ${t}.job_name END`,
            ),
          });
      }
      for (const part of chunks(fieldReadRows, CHUNK)) {
        const t = 'dm_lineage_field_reads';
        await tx(t)
          .insert(part)
          .onConflict('read_key')
          .merge({
            first_seen: tx.raw(earlierOf(t, 'first_seen')),
            last_seen: tx.raw(laterOf(t, 'last_seen')),
          });
      }
      for (const part of chunks(declarationRows, CHUNK)) {
        const t = 'dm_lineage_job_declarations';
        // A JobEvent older than the stored declaration changes nothing.
        const newer = `excluded.declared_at >= ${t}.declared_at`;
        const newest = (column: string) =>
          tx.raw(
            `CASE WHEN ${newer} THEN excluded.${column} ELSE ${t}.${column} END`,
          );
        await tx(t)
          .insert(part)
          .onConflict('job_key')
          .merge({
            declared_at: tx.raw(laterOf(t, 'declared_at')),
            inputs: newest('inputs'),
            outputs: newest('outputs'),
          });
      }
      // Last, so the hot row is locked for the shortest time.
      await raiseRevision(tx);
    });
    return {
      events: runs.length + jobs.length + datasetEvents.length,
      jobEvents: jobs.length,
      datasetEvents: datasetEvents.length,
      edges: edgeRows.length,
      datasets: datasetRows.length,
      fieldReads: fieldReadRows.length,
    };
  }

  /** Tells every instance that something lineage reads (access grants) changed. */
  async raiseRevision(): Promise<void> {
    await raiseRevision(this.knex);
  }

  /**
   * Both counters in one read, on whichever instance they were raised: the
   * revision of what is stored (raised by every batch and every
   * {@link LineageStore.raiseRevision}), and that of the mesh (raised by
   * {@link LineageStore.raiseMeshRevision}).
   */
  async revisions(): Promise<{ stored: number; mesh: number }> {
    const row = await this.knex(REVISION)
      .where('id', 1)
      .first('revision', 'mesh_revision');
    return {
      stored: Number(row?.revision ?? 0),
      mesh: Number(row?.mesh_revision ?? 0),
    };
  }

  /**
   * Tells every instance that an evaluation read the mesh anew; the raised
   * value, which the instance that raised it has already read.
   */
  async raiseMeshRevision(): Promise<number> {
    return this.knex.transaction(async tx => {
      await tx(REVISION)
        .where('id', 1)
        .update({ mesh_revision: tx.raw('mesh_revision + 1') });
      const row = await tx(REVISION).where('id', 1).first('mesh_revision');
      return Number(row?.mesh_revision ?? 0);
    });
  }

  /** The input datasets runs read fields of, each once. */
  async listFieldReadInputs(): Promise<FieldReadInput[]> {
    const rows: Array<{
      input_key: string;
      input_namespace: string;
      input_name: string;
    }> = await this.knex('dm_lineage_field_reads')
      .distinct('input_key', 'input_namespace', 'input_name')
      .select();
    return rows.map(row => ({
      key: row.input_key,
      namespace: row.input_namespace,
      name: row.input_name,
    }));
  }

  /** The field reads from the input datasets of `inputKeys`. */
  async listFieldReads(inputKeys: string[]): Promise<FieldRead[]> {
    const out: FieldRead[] = [];
    for (const part of chunks([...new Set(inputKeys)], CHUNK)) {
      const rows: FieldReadRow[] = await this.knex('dm_lineage_field_reads')
        .whereIn('input_key', part)
        .select();
      for (const row of rows) {
        out.push({
          inputKey: row.input_key,
          field: row.input_field,
          outputNamespace: row.output_namespace,
          outputName: row.output_name,
          lastSeen: Number(row.last_seen),
        });
      }
    }
    return out;
  }

  /** Every job's newest declaration. */
  async listJobDeclarations(): Promise<JobDeclaration[]> {
    const rows: DeclarationRow[] = await this.knex(
      'dm_lineage_job_declarations',
    ).select();
    return rows.map(row => ({
      jobNamespace: row.job_namespace,
      jobName: row.job_name,
      declaredAt: Number(row.declared_at),
      inputs: JSON.parse(row.inputs),
      outputs: JSON.parse(row.outputs),
    }));
  }

  async listEdges(): Promise<ObservedDatasetEdge[]> {
    const rows: EdgeRow[] = await this.knex('dm_lineage_edges').select();
    return rows.map(row => ({
      inputNamespace: row.input_namespace,
      inputName: row.input_name,
      outputNamespace: row.output_namespace,
      outputName: row.output_name,
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
      runs: Number(row.runs),
    }));
  }

  async listDatasets(): Promise<ObservedDataset[]> {
    const rows: DatasetRow[] = await this.knex('dm_lineage_datasets').select();
    return rows.map(row => ({
      namespace: row.namespace,
      name: row.name,
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
      ...(row.last_written === null || row.last_written === undefined
        ? {}
        : { lastWritten: Number(row.last_written) }),
    }));
  }
}
