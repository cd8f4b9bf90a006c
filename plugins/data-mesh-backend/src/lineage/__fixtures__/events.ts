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

/** A RunEvent of one job run reading `inputs` and writing `outputs`. */
export function runEvent(options: {
  inputs: Dataset[];
  outputs: Dataset[];
  eventType?: 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
  eventTime?: string;
  runId?: string;
  job?: string;
}) {
  return {
    eventType: options.eventType ?? 'COMPLETE',
    eventTime: options.eventTime ?? '2026-11-20T10:00:00.000Z',
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    run: {
      runId: options.runId ?? randomUUID(),
      facets: {
        nominalTime: facet('NominalTimeRunFacet', {
          nominalStartTime: '2026-11-20T09:00:00Z',
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
        columnLineage: facet('ColumnLineageDatasetFacet', { fields: {} }),
      },
      outputFacets: {
        outputStatistics: facet('OutputStatisticsOutputDatasetFacet', {
          rowCount: 42,
        }),
      },
    })),
  };
}
