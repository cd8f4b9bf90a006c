import type {
  QualityCheckResult,
  QualityStatus,
} from '@quanta/plugin-data-mesh-common';
import { z } from 'zod';
import {
  type ParseOptions,
  type ParsedResults,
  compact,
  cut,
  dimensionOf,
  isoOf,
  parseJson,
  parseLongInput,
  uniqueCheckIds,
} from './common';
import { SLICE, type Work } from '../../shared/slices';

const optionalText = z.string({ error: 'expected text or null' }).nullish();
const dateTime = z
  .string({ error: 'expected a date-time' })
  .refine(value => isoOf(value) !== undefined, 'expected a date-time');

const RESULTS = [
  'passed',
  'warning',
  'failed',
  'error',
  'info',
  'unknown',
] as const;

const checkSchema = z.object({
  id: optionalText,
  key: optionalText,
  category: optionalText,
  type: z.string({ error: 'expected the check type' }),
  name: optionalText,
  model: optionalText,
  field: optionalText,
  result: z
    .enum(RESULTS, { error: `expected one of ${RESULTS.join(', ')}` })
    .nullish(),
  reason: optionalText,
  details: optionalText,
});

const checksError = { error: 'expected the list of checks' };

/** A test run, with its checks read by the schema given. */
const runWith = <C extends z.ZodType>(checks: C) =>
  z.object({
    runId: z
      .string({ error: 'expected the run id, a UUID' })
      .min(1, 'expected the run id, a UUID'),
    dataContractId: optionalText,
    dataContractVersion: optionalText,
    server: optionalText,
    timestampStart: dateTime,
    timestampEnd: dateTime.nullish(),
    checks,
  });

/** The test run datacontract-cli reports (`datacontract test`, its Run model). */
const runSchema = runWith(z.array(checkSchema, checksError));
/** The same with its checks unread, to read them in slices. */
const runOutline = runWith(z.array(z.unknown(), checksError));

const STATUS: Partial<Record<(typeof RESULTS)[number], QualityStatus>> = {
  passed: 'pass',
  info: 'pass',
  warning: 'warn',
  failed: 'fail',
  error: 'error',
};

/**
 * Reads the result of `datacontract test` (datacontract-cli's Run, as
 * written with `--output-format json` or published).
 *
 * - `passed` and `info` are `pass`, `warning` is `warn`, `failed` is `fail`,
 *   `error` is `error`; `unknown` (not evaluated) is counted, not stored.
 * - The check id is the check's `key` (stable across runs), otherwise its
 *   type, model and field; the dataset is the model.
 * - The dimension follows from the check type (`field_required` is
 *   completeness, `field_unique` uniqueness, `field_type` consistency,
 *   `field_regex` or `field_enum` validity, `freshness` timeliness).
 */
export function* parseDatacontract(
  body: string,
  _options: ParseOptions,
): Work<ParsedResults> {
  const json = parseJson(body);
  yield;
  const doc = yield* parseLongInput(runSchema, json, 'body', {
    outline: runOutline,
    lists: read => [{ items: read.checks, item: checkSchema }],
  });
  const checks: QualityCheckResult[] = [];
  let skipped = 0;
  for (const [index, check] of doc.checks.entries()) {
    if (index % SLICE === SLICE - 1) yield;
    const status = check.result ? STATUS[check.result] : undefined;
    if (!status) {
      skipped++;
      continue;
    }
    const subject = [check.model, check.field].filter(Boolean).join('.');
    checks.push(
      compact({
        checkId:
          check.key ||
          [check.type, subject].filter(Boolean).join(':') ||
          check.type,
        name: check.name || [check.type, subject].filter(Boolean).join(' '),
        status,
        dimension: dimensionOf(check.type) ?? dimensionOf(check.name ?? ''),
        message: cut(check.reason ?? check.details),
        dataset: check.model ?? undefined,
      }),
    );
  }
  const startedAt = isoOf(doc.timestampStart)!;
  const finishedAt = isoOf(doc.timestampEnd) ?? startedAt;
  return {
    run: {
      source: 'datacontract',
      runId: doc.runId,
      startedAt,
      finishedAt: finishedAt < startedAt ? startedAt : finishedAt,
      checks: yield* uniqueCheckIds(checks),
    },
    skipped,
  };
}
