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

/**
 * JobEvents and DatasetEvents (design-time lineage and dataset metadata, no
 * run) are valid OpenLineage but not read yet: say so by name, rather than
 * complain of a missing run.
 */
function refuseStaticEvents(events: unknown[], base: string, single: boolean) {
  events.forEach((event, index) => {
    if (!event || typeof event !== 'object' || 'run' in event) return;
    let kind: string;
    if ('job' in event) kind = 'JobEvent';
    else if ('dataset' in event) kind = 'DatasetEvent';
    else return;
    throw new InputError(
      `${
        single ? base : `${base}[${index}]`
      }: an OpenLineage ${kind} (no run); only RunEvents are read, so send the lineage of a run, with its runId, or leave ${kind}s out of the batch`,
    );
  });
}

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
    refuseStaticEvents([body], 'body', true);
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
  refuseStaticEvents(events, base, false);
  return parseInput(z.array(runEventSchema), events, base);
}
