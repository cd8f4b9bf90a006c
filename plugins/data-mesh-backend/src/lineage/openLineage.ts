import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from '../shared/http';

/** Most RunEvents one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

const EVENT_TYPES = [
  'START',
  'RUNNING',
  'COMPLETE',
  'ABORT',
  'FAIL',
  'OTHER',
] as const;

const text = (what: string) =>
  z.string({ error: `expected ${what}` }).min(1, `expected ${what}`);

// Facets are free-form per the spec; we keep none of them, but they must be
// objects where the spec says so.
const facets = z
  .record(z.string(), z.unknown(), { error: 'expected an object of facets' })
  .optional();

const datasetFields = {
  namespace: text('the dataset namespace, such as s3://bucket'),
  name: text('the dataset name, such as sales/orders'),
  facets,
};
const inputDataset = z.object({ ...datasetFields, inputFacets: facets });
const outputDataset = z.object({ ...datasetFields, outputFacets: facets });

/**
 * The parts of an OpenLineage RunEvent (spec 2-0-x) that lineage uses, plus
 * the fields the spec requires. Anything else, including every facet, is
 * accepted and ignored.
 */
export const runEventSchema = z.object({
  eventTime: z.iso.datetime({
    offset: true,
    error: 'expected an ISO-8601 date-time, such as 2026-11-20T10:00:00.000Z',
  }),
  producer: z.url({ error: 'expected the URI of the producer' }),
  schemaURL: z.url({
    error: 'expected the URI of the OpenLineage schema the event follows',
  }),
  eventType: z
    .enum(EVENT_TYPES, { error: `expected one of ${EVENT_TYPES.join(', ')}` })
    .optional(),
  run: z.object(
    {
      runId: z.uuid({ error: 'expected the run id, a UUID' }),
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

/**
 * Reads a request body: one RunEvent, an array of them, or `{ events: [...] }`.
 * Throws an InputError naming the path of every bad field, so that a batch is
 * stored whole or not at all.
 */
export function parseRunEvents(body: unknown): RunEvent[] {
  let events: unknown[];
  let base: string;
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
      throw new InputError('body.events: expected a list of RunEvents');
    }
    events = list;
    base = 'body.events';
  } else if (body && typeof body === 'object') {
    return [parseInput(runEventSchema, body, 'body')];
  } else {
    throw new InputError(
      'body: expected a RunEvent, a list of RunEvents or { events: [...] }',
    );
  }
  if (events.length === 0) {
    throw new InputError(`${base}: expected at least one RunEvent`);
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new InputError(
      `${base}: found ${events.length} events, expected at most ${MAX_EVENTS_PER_REQUEST} per request`,
    );
  }
  return parseInput(z.array(runEventSchema), events, base);
}
