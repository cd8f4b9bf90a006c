/**
 * Spec-valid OpenLineage RunEvents for tests, with facets the backend
 * ignores (schema, column lineage, SQL, data quality, error messages).
 */
import { randomUUID } from 'node:crypto';

const SCHEMA_URL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const PRODUCER =
  'https://github.com/OpenLineage/OpenLineage/tree/1.24.0/integration/dbt';

function facet(name: string, fields: Record<string, unknown>) {
  return {
    _producer: PRODUCER,
    _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`,
    ...fields,
  };
}

export type Dataset = { namespace: string; name: string };

/**
 * When the events happened unless a test says otherwise: an hour before the
 * test file was loaded, in whole seconds, so that what the API reads back is
 * recent on whatever day the tests run (a fixed date would turn stale).
 */
export const RECENT_EVENT_TIME = new Date(
  Math.floor(Date.now() / 1000) * 1000 - 60 * 60 * 1000,
).toISOString();

/** A RunEvent of one job run reading `inputs` and writing `outputs`. */
export function runEvent(options: {
  inputs: Dataset[];
  outputs: Dataset[];
  eventType?: 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
  eventTime?: string;
  runId?: string;
  job?: string;
  /**
   * Column lineage of every output: the fields of the first input each is
   * computed from, by output field.
   */
  columns?: Record<string, string[]>;
}) {
  return {
    eventType: options.eventType ?? 'COMPLETE',
    eventTime: options.eventTime ?? RECENT_EVENT_TIME,
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    run: {
      runId: options.runId ?? randomUUID(),
      facets: {
        nominalTime: facet('NominalTimeRunFacet', {
          nominalStartTime: RECENT_EVENT_TIME,
        }),
        ...(options.eventType === 'FAIL'
          ? {
              errorMessage: facet('ErrorMessageRunFacet', {
                message: 'relation does not exist',
                programmingLanguage: 'SQL',
              }),
            }
          : {}),
      },
    },
    job: {
      namespace: 'dbt://acme',
      name: options.job ?? 'analytics.daily_sales',
      facets: {
        sql: facet('SQLJobFacet', { query: 'select * from orders' }),
        jobType: facet('JobTypeJobFacet', {
          processingType: 'BATCH',
          integration: 'DBT',
          jobType: 'MODEL',
        }),
      },
    },
    inputs: options.inputs.map(d => ({
      ...d,
      facets: {
        schema: facet('SchemaDatasetFacet', {
          fields: [{ name: 'order_id', type: 'string' }],
        }),
      },
      inputFacets: {
        dataQualityMetrics: facet('DataQualityMetricsInputDatasetFacet', {
          rowCount: 1200,
          columnMetrics: {},
        }),
      },
    })),
    outputs: options.outputs.map(d => ({
      ...d,
      facets: {
        columnLineage: facet('ColumnLineageDatasetFacet', {
          fields: Object.fromEntries(
            Object.entries(options.columns ?? {}).map(([field, read]) => [
              field,
              {
                inputFields: read.map(input => ({
                  ...options.inputs[0],
                  field: input,
                  transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                })),
              },
            ]),
          ),
        }),
      },
      outputFacets: {
        outputStatistics: facet('OutputStatisticsOutputDatasetFacet', {
          rowCount: 42,
        }),
      },
    })),
  };
}

/**
 * A JobEvent: the inputs and outputs a pipeline declares for `job` at design
 * time, without a run (as Airflow and Marquez send them on deploy).
 */
export function jobEvent(options: {
  inputs: Dataset[];
  outputs: Dataset[];
  eventTime?: string;
  job?: string;
}) {
  const { run: _run, eventType: _type, ...event } = runEvent(options);
  return {
    ...event,
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
  };
}

/** A DatasetEvent: a dataset's metadata, without a job or run. */
export function datasetEvent(dataset: Dataset, eventTime?: string) {
  return {
    eventTime: eventTime ?? RECENT_EVENT_TIME,
    producer: PRODUCER,
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
    dataset: {
      ...dataset,
      facets: {
        schema: facet('SchemaDatasetFacet', {
          fields: [{ name: 'order_id', type: 'string' }],
        }),
      },
    },
  };
}
