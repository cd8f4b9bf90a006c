import type {
  QualityCheckResult,
  QualityStatus,
} from '@quanta/plugin-data-mesh-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  type ParseOptions,
  type ParsedResults,
  compact,
  cut,
  declaredDimension,
  digestOf,
  dimensionOf,
  isoOf,
  parseJson,
  parseLongInput,
  span,
  uniqueCheckIds,
  valueOf,
} from './common';
import { parseInput } from '../../shared/http';
import { SLICE, type Work } from '../../shared/slices';

const record = z.record(z.string(), z.unknown()).nullish();
const optionalText = z.string({ error: 'expected text or null' }).nullish();

const expectationSchema = z
  .object(
    {
      // GE 0.x names the expectation `expectation_type`, GX 1.x `type`.
      expectation_type: optionalText,
      type: optionalText,
      kwargs: z.record(z.string(), z.unknown()).nullish(),
      meta: record,
      id: optionalText,
      severity: optionalText,
    },
    { error: 'expected the expectation that was validated' },
  )
  .refine(config => Boolean(config.expectation_type || config.type), {
    message: 'expected expectation_type (GE 0.x) or type (GX 1.x)',
  });

/** GE's RunIdentifier: a name and a time, or (older writers) one string. */
const runIdSchema = z.union([
  z.object({ run_name: optionalText, run_time: optionalText }),
  z.string(),
]);

/** One expectation's outcome in a validation result. */
const expectationResultSchema = z.object({
  success: z.boolean({ error: 'expected true or false' }).nullable(),
  expectation_config: expectationSchema,
  result: record,
  exception_info: record,
  meta: record,
});

const resultsError = { error: 'expected the list of expectation results' };

/** A validation result, with its results read by the schema given. */
const validationResultWith = <R extends z.ZodType>(results: R) =>
  z.object({
    success: z.boolean({ error: 'expected true or false' }),
    results,
    suite_name: optionalText,
    meta: z
      .object({
        expectation_suite_name: optionalText,
        run_id: runIdSchema.nullish(),
        validation_time: optionalText,
        active_batch_definition: record,
        batch_spec: record,
        batch_kwargs: record,
      })
      .nullish(),
  });

const validationResultSchema = validationResultWith(
  z.array(expectationResultSchema, resultsError),
);
/** The same with its results unread, to read them in slices. */
const validationResultOutline = validationResultWith(
  z.array(z.unknown(), resultsError),
);

/** `parseInput` of a validation result, its results a slice at a time. */
const parseValidationResult = (value: unknown, where: string) =>
  parseLongInput(validationResultSchema, value, where, {
    outline: validationResultOutline,
    lists: read => [{ items: read.results, item: expectationResultSchema }],
  });

/** Arguments that configure how GE runs, not what it expects. */
const NOT_THRESHOLDS = new Set([
  'column',
  'column_list',
  'column_A',
  'column_B',
  'batch_id',
  'result_format',
  'include_config',
  'catch_exceptions',
  'meta',
  'row_condition',
  'condition_parser',
]);

function thresholdOf(
  kwargs: Record<string, unknown> | null | undefined,
): string | undefined {
  if (!kwargs) return undefined;
  const parts = Object.entries(kwargs)
    .filter(([key, value]) => !NOT_THRESHOLDS.has(key) && value !== null)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return parts.length ? cut(parts.join(', '), 1000) : undefined;
}

function columnsOf(
  kwargs: Record<string, unknown> | null | undefined,
): string | undefined {
  if (!kwargs) return undefined;
  if (typeof kwargs.column === 'string') return kwargs.column;
  if (Array.isArray(kwargs.column_list)) return kwargs.column_list.join(', ');
  if (
    typeof kwargs.column_A === 'string' &&
    typeof kwargs.column_B === 'string'
  ) {
    return `${kwargs.column_A}, ${kwargs.column_B}`;
  }
  return undefined;
}

/** GE 0.x keeps one exception record; some versions key them by metric. */
function exceptionOf(
  info: Record<string, unknown> | null | undefined,
): string | undefined | false {
  if (!info) return false;
  const records = 'raised_exception' in info ? [info] : Object.values(info);
  for (const item of records) {
    if (item && typeof item === 'object' && (item as any).raised_exception) {
      return (
        cut(String((item as any).exception_message ?? '')) ??
        'The expectation raised an exception'
      );
    }
  }
  return false;
}

const percent = (value: number) => `${Number(value.toFixed(4))}%`;

function failureMessage(result: Record<string, unknown>): string | undefined {
  const unexpected = result.unexpected_count;
  const total = result.element_count;
  if (typeof unexpected === 'number') {
    const share =
      typeof result.unexpected_percent === 'number'
        ? ` (${percent(result.unexpected_percent)})`
        : '';
    const sample = Array.isArray(result.partial_unexpected_list)
      ? result.partial_unexpected_list.slice(0, 5)
      : [];
    return cut(
      `${unexpected}${
        typeof total === 'number' ? ` of ${total}` : ''
      } values unexpected${share}${
        sample.length
          ? `, e.g. ${sample.map(value => JSON.stringify(value)).join(', ')}`
          : ''
      }`,
    );
  }
  if (result.observed_value !== undefined) {
    return cut(`Observed ${JSON.stringify(result.observed_value)}`);
  }
  return undefined;
}

function dataSetOf(meta: z.infer<typeof validationResultSchema>['meta']) {
  const candidates = [
    meta?.active_batch_definition?.data_asset_name,
    meta?.batch_spec?.data_asset_name,
    meta?.batch_kwargs?.data_asset_name,
    meta?.batch_spec?.table_name,
    meta?.batch_kwargs?.table,
  ];
  const found = candidates.find(value => typeof value === 'string' && value);
  return found as string | undefined;
}

type Validation = z.infer<typeof validationResultSchema>;
type RunIdentifier = z.infer<typeof runIdSchema>;

/**
 * One expectation's outcome: from a full validation result, or from the
 * shorter one of GX 1.x `describe()`, which lacks id, severity and meta.
 */
type ExpectationOutcome = {
  type: string;
  success: boolean | null;
  kwargs?: Record<string, unknown> | null;
  result?: Record<string, unknown> | null;
  exception_info?: Record<string, unknown> | null;
  id?: string | null;
  severity?: string | null;
  meta?: Record<string, unknown> | null;
};

function checkOf(item: ExpectationOutcome): QualityCheckResult {
  const type = item.type;
  const columns = columnsOf(item.kwargs);
  const result = item.result ?? {};
  const exception = exceptionOf(item.exception_info);
  const severity = String(
    item.severity ?? item.meta?.severity ?? '',
  ).toLowerCase();
  let status: QualityStatus;
  if (exception !== false || item.success === null) status = 'error';
  else if (item.success) status = 'pass';
  else status = severity === 'warning' || severity === 'info' ? 'warn' : 'fail';
  let measured: number | string | undefined;
  if (result.observed_value !== undefined && result.observed_value !== null) {
    measured = valueOf(result.observed_value);
  } else if (typeof result.unexpected_percent === 'number') {
    measured = `${percent(result.unexpected_percent)} unexpected`;
  }
  let message: string | undefined;
  if (exception !== false) message = exception;
  else if (status !== 'pass') message = failureMessage(result);
  return compact({
    checkId: item.id || (columns ? `${type}(${columns})` : type),
    name: columns ? `${type}(${columns})` : type,
    status,
    dimension: declaredDimension(item.meta?.dimension) ?? dimensionOf(type),
    measured,
    threshold: thresholdOf(item.kwargs),
    message,
  });
}

/** A validation result's checks, each on the batch's data asset; ids not yet unique. */
function* checksOf(doc: Validation): Work<QualityCheckResult[]> {
  const dataset = dataSetOf(doc.meta);
  const checks: QualityCheckResult[] = [];
  for (const item of doc.results) {
    if (checks.length % SLICE === SLICE - 1) yield;
    const config = item.expectation_config;
    const check = checkOf({
      type: (config.expectation_type || config.type)!,
      success: item.success,
      kwargs: config.kwargs,
      result: item.result,
      exception_info: item.exception_info,
      id: config.id,
      severity: config.severity,
      meta: config.meta,
    });
    checks.push(dataset ? { ...check, dataset } : check);
  }
  return checks;
}

const suiteOf = (doc: Validation) =>
  doc.suite_name || doc.meta?.expectation_suite_name || undefined;

/** `run_name@run_time`, or the string older writers use; empty when neither. */
function runNameOf(runId: RunIdentifier | null | undefined): string {
  return typeof runId === 'string'
    ? runId
    : [runId?.run_name, runId?.run_time].filter(Boolean).join('@');
}

function runTimeOf(runId: RunIdentifier | null | undefined) {
  return typeof runId === 'object' ? isoOf(runId?.run_time) : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Joins the checks of several validations into one run's checks. With more
 * than one validation every id gains its validation's label
 * (`orders_suite:expect_column_values_to_not_be_null(id)`), so the same
 * expectation in two suites stays two checks; a label that repeats (one suite
 * run on several assets) adds the data asset. A single validation keeps the
 * ids it has when posted on its own, so switching to checkpoints keeps the
 * checks' history.
 */
function* joinChecks(
  validations: Array<{
    label: string;
    dataset?: string;
    checks: QualityCheckResult[];
  }>,
): Work<QualityCheckResult[]> {
  if (validations.length === 1) {
    return yield* uniqueCheckIds(validations[0].checks);
  }
  const times = new Map<string, number>();
  for (const { label } of validations) {
    times.set(label, (times.get(label) ?? 0) + 1);
  }
  return yield* uniqueCheckIds(
    validations.flatMap(({ label, dataset, checks }) => {
      const prefix =
        times.get(label)! > 1 && dataset ? `${label}:${dataset}` : label;
      return checks.map(check => ({
        ...check,
        checkId: `${prefix}:${check.checkId}`,
      }));
    }),
  );
}

const EMPTY_CHECKPOINT =
  'a checkpoint result must hold at least one validation';

const checkpointSchema = z.object({
  run_id: runIdSchema.nullish(),
  run_results: z.record(z.string(), z.unknown(), {
    error: 'expected the validations, keyed by validation result identifier',
  }),
  checkpoint_config: record,
});

/** `ValidationResultIdentifier::orders_suite/<run>/<time>/<batch>` starts with the suite. */
function suiteOfKey(key: string): string | undefined {
  return key.match(/^ValidationResultIdentifier::([^/]+)\//)?.[1];
}

function* parseCheckpoint(
  doc: unknown,
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const checkpoint = parseInput(checkpointSchema, doc, 'body');
  const entries = Object.entries(checkpoint.run_results);
  if (!entries.length) {
    throw new InputError(`body.run_results: ${EMPTY_CHECKPOINT}`);
  }
  const validations = [];
  for (const [index, [key, value]] of entries.entries()) {
    // GE 0.x wraps each result with its actions' results; GX 1.x
    // run_results hold the result itself.
    const wrapped = isObject(value) && 'validation_result' in value;
    const validation = yield* parseValidationResult(
      wrapped ? value.validation_result : value,
      `body.run_results[${JSON.stringify(key)}]${
        wrapped ? '.validation_result' : ''
      }`,
    );
    validations.push({
      validation,
      label: suiteOf(validation) ?? suiteOfKey(key) ?? `run_results[${index}]`,
      dataset: dataSetOf(validation.meta),
      checks: yield* checksOf(validation),
    });
  }

  // Every validation carries the checkpoint's run id too; the top-level
  // one is only missing when a pipeline wrapped run_results itself.
  const runIds = [
    checkpoint.run_id,
    ...validations.map(({ validation }) => validation.meta?.run_id),
  ];
  const runName = runIds.map(runNameOf).find(Boolean);
  const runTime = runIds.map(runTimeOf).find(Boolean);
  const name = checkpoint.checkpoint_config?.name;
  const checkpointName = typeof name === 'string' ? name : undefined;
  const validated = span(
    validations.map(({ validation }) =>
      isoOf(validation.meta?.validation_time),
    ),
  );
  const finishedAt =
    validated.last ?? runTime ?? options.undatedTime().toISOString();
  const started = span([runTime, validated.first]).first ?? finishedAt;
  return {
    run: {
      source: 'great-expectations',
      runId: runName
        ? [checkpointName, runName].filter(Boolean).join(':')
        : digestOf(body),
      startedAt: started < finishedAt ? started : finishedAt,
      finishedAt,
      checks: yield* joinChecks(validations),
    },
    skipped: 0,
  };
}

/** One expectation's outcome in GX 1.x `describe()`. */
const describedExpectationSchema = z.object({
  expectation_type: z.string({
    error: 'expected the expectation type',
  }),
  success: z.boolean({ error: 'expected true or false' }).nullable(),
  kwargs: record,
  result: record,
  exception_info: record,
});

/** GX 1.x `describe()`, with each validation's expectations read by the schema given. */
const describedWith = <E extends z.ZodType>(expectations: E) =>
  z.object({
    validation_results: z.array(z.object({ expectations }), {
      error: 'expected the list of validation results',
    }),
  });

const describedSchema = describedWith(
  z.array(describedExpectationSchema, resultsError),
);
const describedOutline = describedWith(z.array(z.unknown(), resultsError));

/**
 * GX 1.x `CheckpointResult.describe()` names no suite, asset, run or time:
 * the run id is a digest of the document and both times are when it was
 * received. With several validations each check id is prefixed with its
 * validation's position (`validation_results[1]:expect_...`). Not
 * `result_url`: GX Cloud's names the validation result, new every run, and
 * would give the same check a new id each time.
 */
function* parseDescribed(
  doc: unknown,
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const described = yield* parseLongInput(describedSchema, doc, 'body', {
    outline: describedOutline,
    lists: read =>
      read.validation_results.map(validation => ({
        items: validation.expectations,
        item: describedExpectationSchema,
      })),
  });
  if (!described.validation_results.length) {
    throw new InputError(`body.validation_results: ${EMPTY_CHECKPOINT}`);
  }
  const at = options.undatedTime().toISOString();
  const validations = [];
  for (const [index, validation] of described.validation_results.entries()) {
    const checks: QualityCheckResult[] = [];
    for (const item of validation.expectations) {
      if (checks.length % SLICE === SLICE - 1) yield;
      checks.push(checkOf({ ...item, type: item.expectation_type }));
    }
    validations.push({ label: `validation_results[${index}]`, checks });
  }
  return {
    run: {
      source: 'great-expectations',
      runId: digestOf(body),
      startedAt: at,
      finishedAt: at,
      checks: yield* joinChecks(validations),
    },
    skipped: 0,
  };
}

function* parseValidation(
  doc: Validation,
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const meta = doc.meta;
  const suite = suiteOf(doc);
  const runId = runNameOf(meta?.run_id);
  const runTime = runTimeOf(meta?.run_id);
  const finishedAt =
    isoOf(meta?.validation_time) ??
    runTime ??
    options.undatedTime().toISOString();
  const startedAt = runTime && runTime < finishedAt ? runTime : finishedAt;
  return {
    run: {
      source: 'great-expectations',
      // Not meta.validation_id: in GX 1.x it names the validation
      // definition, the same for every run of it.
      runId: runId ? [suite, runId].filter(Boolean).join(':') : digestOf(body),
      startedAt,
      finishedAt,
      checks: yield* uniqueCheckIds(yield* checksOf(doc)),
    },
    skipped: 0,
  };
}

/**
 * Reads Great Expectations results: one validation result (an
 * ExpectationSuiteValidationResult, GE 0.15 to 0.18 and GX 1.x), or a
 * checkpoint's, which holds several.
 *
 * - An expectation that raised an exception is `error`; a met one `pass`;
 *   an unmet one `fail`, or `warn` when its severity (GX 1.x) or
 *   `meta.severity` is `warning` or `info`.
 * - The measured value is `result.observed_value`, or the share of
 *   unexpected values; the threshold the expectation's own arguments
 *   (`min_value`, `mostly`, `value_set`, ...).
 * - The dimension comes from `meta.dimension` when it names one, otherwise
 *   from the expectation type (`..._to_not_be_null` is completeness).
 * - The run id joins the suite with `meta.run_id` (run name and time); the
 *   run ends at `meta.validation_time`. Every expectation's dataset is the
 *   batch's data asset.
 *
 * Checkpoint results become one run too, told apart by their shape:
 *
 * - `run_results` (GE 0.x `CheckpointResult.to_json_dict()`, or GX 1.x
 *   run_results dumped per validation): each value is a validation result,
 *   bare or under `validation_result`. The run id joins the checkpoint's
 *   name with its `run_id`; the run starts at the run time (or the first
 *   validation) and ends at the last validation. Each check keeps its own
 *   validation's data asset.
 * - `validation_results` (GX 1.x `CheckpointResult.describe()`): see
 *   parseDescribed; unmet expectations are `fail`, as severity is not there.
 * - With more than one validation, check ids are prefixed per validation
 *   (see joinChecks).
 */
export function* parseGreatExpectations(
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const doc = parseJson(body);
  yield;
  if (isObject(doc) && 'run_results' in doc) {
    return yield* parseCheckpoint(doc, body, options);
  }
  if (isObject(doc) && 'validation_results' in doc) {
    return yield* parseDescribed(doc, body, options);
  }
  return yield* parseValidation(
    yield* parseValidationResult(doc, 'body'),
    body,
    options,
  );
}
