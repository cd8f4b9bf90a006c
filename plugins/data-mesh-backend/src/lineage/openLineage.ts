import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from '../shared/http';

/** Most events one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

const EVENT_TYPES = [
  'START',
  'RUNNING',
  'COMPLETE',
  'ABORT',
  'FAIL',
  'OTHER',
] as const;

// The spec types names as strings and nothing more: an empty one is valid
// there, so it is accepted here and the dataset skipped when stored.
const text = (what: string) => z.string({ error: `expected ${what}` });

/**
 * JSON Schema's `uuid` format, as the OpenLineage schema uses it: the 8-4-4-4-12
 * hex digits (optionally after `urn:uuid:`), with no check of RFC 4122's
 * version and variant bits, which producers do not always set.
 */
const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/**
 * JSON Schema's `date-time` format (RFC 3339): `T` or a space, `Z` or an
 * offset, in either case.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/** An RFC 3339 date-time as the canonical ISO form `Date.parse` reads alike everywhere. */
const eventTime = z
  .string({
    error: 'expected an ISO-8601 date-time, such as 2026-11-20T10:00:00.000Z',
  })
  .transform((value, ctx) => {
    const match = DATE_TIME.exec(value);
    let time = NaN;
    if (match) {
      const [, y, mo, d, h, mi, sec, fraction = '', zone] = match;
      const offset = /^([+-]\d{2}):?(\d{2})?$/.exec(zone);
      const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction}${
        offset ? `${offset[1]}:${offset[2] ?? '00'}` : 'Z'
      }`;
      time = Date.parse(iso);
    }
    if (Number.isNaN(time)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'expected an ISO-8601 date-time, such as 2026-11-20T10:00:00.000Z',
      });
      return z.NEVER;
    }
    return new Date(time).toISOString();
  });

// Facets are free-form per the spec; we keep only column lineage, but they
// must be objects where the spec says so.
const facets = z
  .record(z.string(), z.unknown(), { error: 'expected an object of facets' })
  .optional();

/** ColumnLineageDatasetFacet's InputField: a field of an input dataset. */
const inputField = z.object(
  {
    namespace: text('the namespace of the dataset the field is read from'),
    name: text('the name of the dataset the field is read from'),
    field: text('the name of the field read, such as customer_id'),
  },
  { error: 'expected an input field: { namespace, name, field }' },
);

/**
 * ColumnLineageDatasetFacet (facets 1-0-0 to 1-2-0): the input fields each
 * output field is computed from, and those the whole dataset depends on
 * (filters, joins, grouping). Transformations are accepted and not kept:
 * a field read only to filter or masked is still read. A facet marked
 * `_deleted` says nothing.
 */
const columnLineageFacet = z.preprocess(
  value =>
    value && typeof value === 'object' && (value as any)._deleted === true
      ? undefined
      : value,
  z
    .object(
      {
        fields: z.record(
          z.string(),
          z.object(
            {
              inputFields: z.array(inputField, {
                error: 'expected the list of input fields',
              }),
            },
            { error: 'expected { inputFields: [...] }' },
          ),
          {
            error:
              'expected an object of output fields, each with its inputFields',
          },
        ),
        dataset: z
          .array(inputField, { error: 'expected a list of input fields' })
          .optional(),
      },
      {
        error:
          'expected a ColumnLineageDatasetFacet: { fields: { <output field>: { inputFields: [...] } } }',
      },
    )
    .optional(),
);

const datasetFields = {
  namespace: text('the dataset namespace, such as s3://bucket'),
  name: text('the dataset name, such as sales/orders'),
  facets,
};
const inputDataset = z.object({ ...datasetFields, inputFacets: facets });
const outputDataset = z.object({
  ...datasetFields,
  facets: z
    .object(
      { columnLineage: columnLineageFacet },
      { error: 'expected an object of facets' },
    )
    .catchall(z.unknown())
    .optional(),
  outputFacets: facets,
});

/**
 * The parts of an OpenLineage RunEvent (spec 2-0-x) that lineage uses, plus
 * the fields the spec requires. Anything else, including every facet but
 * the outputs' column lineage, is accepted and ignored.
 */
export const runEventSchema = z.object({
  eventTime,
  producer: z.url({ error: 'expected the URI of the producer' }),
  schemaURL: z.url({
    error: 'expected the URI of the OpenLineage schema the event follows',
  }),
  eventType: z
    .enum(EVENT_TYPES, { error: `expected one of ${EVENT_TYPES.join(', ')}` })
    .optional(),
  run: z.object(
    {
      runId: z
        .string({ error: 'expected the run id, a UUID' })
        .regex(UUID, 'expected the run id, a UUID'),
      facets,
    },
    { error: 'expected the run, with its runId' },
  ),
  job: z.object(
    {
      namespace: text('the job namespace'),
      name: text('the job name'),
      facets,
    },
    { error: 'expected the job, with namespace and name' },
  ),
  inputs: z
    .array(inputDataset, { error: 'expected a list of datasets' })
    .optional(),
  outputs: z
    .array(outputDataset, { error: 'expected a list of datasets' })
    .optional(),
});

export type RunEvent = z.infer<typeof runEventSchema>;

const baseFields = {
  eventTime,
  producer: runEventSchema.shape.producer,
  schemaURL: runEventSchema.shape.schemaURL,
};

/**
 * A JobEvent: the inputs and outputs a pipeline declares for a job at design
 * time, without a run.
 */
export const jobEventSchema = z.object({
  ...baseFields,
  job: runEventSchema.shape.job,
  inputs: runEventSchema.shape.inputs,
  outputs: runEventSchema.shape.outputs,
});

export type JobEvent = z.infer<typeof jobEventSchema>;

/** A DatasetEvent: a dataset's metadata, without a job or run. */
export const datasetEventSchema = z.object({
  ...baseFields,
  dataset: z.object(datasetFields, {
    error: 'expected the dataset, with namespace and name',
  }),
});

export type DatasetEvent = z.infer<typeof datasetEventSchema>;

/** The events of one request, by kind, with where each was in the body. */
export type OpenLineageBatch = {
  runs: RunEvent[];
  jobs: JobEvent[];
  datasets: DatasetEvent[];
  /** `body[3]`, `body.events[0]`: for messages about an event. */
  paths: Map<RunEvent | JobEvent | DatasetEvent, string>;
};

const KINDS = {
  run: runEventSchema,
  job: jobEventSchema,
  dataset: datasetEventSchema,
} as const;

/**
 * The kind of an event, told apart as the spec does: a run makes a RunEvent,
 * a job without a run a JobEvent, a dataset alone a DatasetEvent.
 */
function kindOf(event: unknown): keyof typeof KINDS | undefined {
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    return undefined;
  }
  if ('run' in event) return 'run';
  if ('job' in event) return 'job';
  if ('dataset' in event) return 'dataset';
  // Without any of the three, the RunEvent's messages say what is missing.
  return 'run';
}

const SHAPES =
  'expected an OpenLineage event: a RunEvent, a JobEvent or a DatasetEvent';

type ParsedEvent =
  | { kind: 'run'; event: RunEvent }
  | { kind: 'job'; event: JobEvent }
  | { kind: 'dataset'; event: DatasetEvent };

/**
 * One event of any kind, checked with the schema of its kind; that schema's
 * problems keep their paths, so parseInput names them within the body.
 */
const openLineageEvent = z.unknown().transform((event, ctx): ParsedEvent => {
  const kind = kindOf(event);
  if (!kind) {
    ctx.addIssue({ code: 'custom', message: SHAPES });
    return z.NEVER;
  }
  const result = KINDS[kind].safeParse(event);
  if (!result.success) {
    for (const issue of result.error.issues) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
      });
    }
    return z.NEVER;
  }
  return { kind, event: result.data } as ParsedEvent;
});

/**
 * Reads a request body: one event, an array of them, or `{ events: [...] }`,
 * each a RunEvent, JobEvent or DatasetEvent. Throws an InputError naming the
 * path of every bad field, so that a batch is stored whole or not at all.
 */
export function parseOpenLineageEvents(body: unknown): OpenLineageBatch {
  let events: unknown[];
  let base: string;
  let single = false;
  if (Array.isArray(body)) {
    events = body;
    base = 'body';
  } else if (
    body &&
    typeof body === 'object' &&
    'events' in body &&
    !('eventTime' in body)
  ) {
    const list = (body as { events: unknown }).events;
    if (!Array.isArray(list)) {
      throw new InputError('body.events: expected a list of events');
    }
    events = list;
    base = 'body.events';
  } else if (body && typeof body === 'object') {
    events = [body];
    base = 'body';
    single = true;
  } else {
    throw new InputError(
      `body: ${SHAPES}, a list of them or { events: [...] }`,
    );
  }
  if (events.length === 0) {
    throw new InputError(`${base}: expected at least one event`);
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new InputError(
      `${base}: found ${events.length} events, expected at most ${MAX_EVENTS_PER_REQUEST} per request`,
    );
  }
  const parsed = single
    ? [parseInput(openLineageEvent, events[0], base)]
    : parseInput(z.array(openLineageEvent), events, base);
  const batch: OpenLineageBatch = {
    runs: [],
    jobs: [],
    datasets: [],
    paths: new Map(),
  };
  parsed.forEach(({ kind, event }, index) => {
    batch.paths.set(event, single ? base : `${base}[${index}]`);
    if (kind === 'run') batch.runs.push(event);
    else if (kind === 'job') batch.jobs.push(event);
    else batch.datasets.push(event);
  });
  return batch;
}
