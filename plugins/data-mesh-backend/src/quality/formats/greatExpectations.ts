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
  declaredDimension,
  digestOf,
  dimensionOf,
  isoOf,
  parseInput,
  parseJson,
  uniqueCheckIds,
  valueOf,
} from './common';

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

const validationResultSchema = z.object({
  success: z.boolean({ error: 'expected true or false' }),
  results: z.array(
    z.object({
      success: z.boolean({ error: 'expected true or false' }).nullable(),
      expectation_config: expectationSchema,
      result: record,
      exception_info: record,
      meta: record,
    }),
    { error: 'expected the list of expectation results' },
  ),
  suite_name: optionalText,
  meta: z
    .object({
      expectation_suite_name: optionalText,
      run_id: z
        .union([
          z.object({ run_name: optionalText, run_time: optionalText }),
          z.string(),
        ])
        .nullish(),
      validation_time: optionalText,
      active_batch_definition: record,
      batch_spec: record,
      batch_kwargs: record,
    })
    .nullish(),
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

/**
 * Reads a Great Expectations validation result (an
 * ExpectationSuiteValidationResult, GE 0.15 to 0.18 and GX 1.x).
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
 */
export function parseGreatExpectations(
  body: string,
  options: ParseOptions,
): ParsedResults {
  const doc = parseInput(validationResultSchema, parseJson(body), 'body');
  const checks: QualityCheckResult[] = doc.results.map(item => {
    const config = item.expectation_config;
    const type = (config.expectation_type || config.type)!;
    const columns = columnsOf(config.kwargs);
    const result = item.result ?? {};
    const exception = exceptionOf(item.exception_info);
    const severity = String(
      config.severity ?? config.meta?.severity ?? '',
    ).toLowerCase();
    let status: QualityStatus;
    if (exception !== false || item.success === null) status = 'error';
    else if (item.success) status = 'pass';
    else
      status = severity === 'warning' || severity === 'info' ? 'warn' : 'fail';
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
      checkId: config.id || (columns ? `${type}(${columns})` : type),
      name: columns ? `${type}(${columns})` : type,
      status,
      dimension: declaredDimension(config.meta?.dimension) ?? dimensionOf(type),
      measured,
      threshold: thresholdOf(config.kwargs),
      message,
    });
  });

  const meta = doc.meta;
  const suite = doc.suite_name || meta?.expectation_suite_name || undefined;
  const runId =
    typeof meta?.run_id === 'string'
      ? meta.run_id
      : [meta?.run_id?.run_name, meta?.run_id?.run_time]
          .filter(Boolean)
          .join('@');
  const runTime =
    typeof meta?.run_id === 'object'
      ? isoOf(meta?.run_id?.run_time)
      : undefined;
  const finishedAt =
    isoOf(meta?.validation_time) ?? runTime ?? options.receivedAt.toISOString();
  const startedAt = runTime && runTime < finishedAt ? runTime : finishedAt;
  const dataset = dataSetOf(meta);
  return {
    run: {
      source: 'great-expectations',
      // Not meta.validation_id: in GX 1.x it names the validation
      // definition, the same for every run of it.
      runId: runId ? [suite, runId].filter(Boolean).join(':') : digestOf(body),
      startedAt,
      finishedAt,
      checks: uniqueCheckIds(
        dataset ? checks.map(check => ({ ...check, dataset })) : checks,
      ),
    },
    skipped: 0,
  };
}
