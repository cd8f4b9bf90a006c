import {
  FULL_ENTITY_REF_PATTERN,
  QUALITY_DIMENSIONS,
  QUALITY_MAX_ID_LENGTH,
  QUALITY_MAX_MESSAGE_LENGTH,
  QUALITY_MAX_SOURCE_LENGTH,
  QUALITY_SLO_KEYS,
  QUALITY_STATUSES,
} from '@quanta/plugin-data-mesh-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type { QualityCheckResult } from '@quanta/plugin-data-mesh-common';
import { SLICE, type Work } from '../../shared/slices';
import {
  type ParsedResults,
  compact,
  parseJson,
  parseLongInput,
} from './common';

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, `expected ${what}`)
    .max(max, `expected ${what}, at most ${max} characters`);

/** A link to the pipeline run, in the document or beside any format's file. */
export const runUrl = z
  .url({
    protocol: /^https?$/,
    error: 'expected an http(s) URL of the run',
  })
  .max(2000, 'expected at most 2000 characters');

/** A date-time with its offset, as every time in a results document. */
export const dateTime = z.iso.datetime({
  offset: true,
  error:
    'expected an ISO-8601 date-time with an offset, such as 2026-06-15T10:00:00Z',
});

const value = z.union([z.number(), z.string().max(1000)], {
  error: 'expected a number, or text of at most 1000 characters',
});

const checkSchema = z
  .object({
    checkId: text('the check id, stable across runs', QUALITY_MAX_ID_LENGTH),
    name: text('the check name', 1000),
    status: z.enum(QUALITY_STATUSES, {
      error: `expected one of ${QUALITY_STATUSES.join(', ')}`,
    }),
    dimension: z
      .enum(QUALITY_DIMENSIONS, {
        error: `expected one of ${QUALITY_DIMENSIONS.join(', ')}`,
      })
      .optional(),
    slo: z
      .enum(QUALITY_SLO_KEYS, {
        error: `expected one of ${QUALITY_SLO_KEYS.join(', ')}`,
      })
      .optional(),
    measured: value.optional(),
    threshold: value.optional(),
    message: z
      .string({ error: 'expected text' })
      .max(
        QUALITY_MAX_MESSAGE_LENGTH,
        `expected at most ${QUALITY_MAX_MESSAGE_LENGTH} characters`,
      )
      .optional(),
    dataset: z
      .string({ error: 'expected text' })
      .max(1000, 'expected at most 1000 characters')
      .optional(),
  })
  .strict();

const checksError = { error: 'expected a list of check results' };

/** Each check repeating the id of an earlier one: [its index, the earlier one's]. */
function repeatedIds(
  checks: Array<{ checkId: string }>,
): Array<[number, number]> {
  const first = new Map<string, number>();
  const repeated: Array<[number, number]> = [];
  checks.forEach((check, index) => {
    const earlier = first.get(check.checkId);
    if (earlier === undefined) first.set(check.checkId, index);
    else repeated.push([index, earlier]);
  });
  return repeated;
}

/** The document, with `checks` read by the schema given. */
const documentWith = <C extends z.ZodType>(checks: C) =>
  z
    .object({
      $schema: z.string().optional(),
      source: text(
        'the source of the results, such as dbt',
        QUALITY_MAX_SOURCE_LENGTH,
      ),
      runId: text('the run id, unique per source', QUALITY_MAX_ID_LENGTH),
      startedAt: dateTime.optional(),
      finishedAt: dateTime,
      url: runUrl.optional(),
      lastUpdatedAt: dateTime.optional(),
      entityRef: z
        .string()
        .regex(
          new RegExp(FULL_ENTITY_REF_PATTERN),
          'expected an entity reference such as dataproduct:default/orders',
        )
        .optional(),
      address: text('an output port address', 2000).optional(),
      outputPort: text('an output port name', QUALITY_MAX_ID_LENGTH).optional(),
      checks,
    })
    .strict();

/**
 * The Quanta results format, as qualityResults.schema.json in
 * data-mesh-common describes it; a test keeps the two in step.
 */
export const qualityResultsDocumentSchema = documentWith(
  z.array(checkSchema, checksError).superRefine((checks, ctx) => {
    for (const [index, earlier] of repeatedIds(checks)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'checkId'],
        message: `"${checks[index].checkId}" is also the id of checks[${earlier}]; check ids must be unique within a run`,
      });
    }
  }),
);

/** The document with its checks unread, to read them in slices. */
const outline = documentWith(z.array(z.unknown(), checksError));

/** Reads a Quanta results document (format=quanta). */
export function* parseQuanta(body: string): Work<ParsedResults> {
  const json = parseJson(body);
  yield;
  const doc = yield* parseLongInput(
    qualityResultsDocumentSchema,
    json,
    'body',
    {
      outline,
      lists: read => [{ items: read.checks, item: checkSchema }],
      accept: read => repeatedIds(read.checks).length === 0,
    },
  );
  const finishedAt = new Date(doc.finishedAt).toISOString();
  if (doc.startedAt && Date.parse(doc.startedAt) > Date.parse(finishedAt)) {
    throw new InputError(
      `body.startedAt: ${doc.startedAt} is after finishedAt ${doc.finishedAt}`,
    );
  }
  const checks: QualityCheckResult[] = [];
  for (const check of doc.checks) {
    checks.push(compact(check));
    if (checks.length % SLICE === 0) yield;
  }
  return {
    run: compact({
      source: doc.source,
      runId: doc.runId,
      startedAt: doc.startedAt
        ? new Date(doc.startedAt).toISOString()
        : finishedAt,
      finishedAt,
      url: doc.url,
      lastUpdatedAt: doc.lastUpdatedAt
        ? new Date(doc.lastUpdatedAt).toISOString()
        : undefined,
      checks,
    }),
    skipped: 0,
    target: compact({
      entityRef: doc.entityRef,
      address: doc.address,
      outputPort: doc.outputPort,
    }),
  };
}
