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
  dimensionOf,
  isoOf,
  parseJson,
  parseLongInput,
  uniqueCheckIds,
  valueOf,
} from './common';
import { SLICE, type Work } from '../../shared/slices';

const optionalText = z.string({ error: 'expected text or null' }).nullish();
const record = z.record(z.string(), z.unknown()).nullish();

const checkSchema = z.object({
  identity: optionalText,
  name: z
    .string({ error: 'expected the check name' })
    .min(1, 'expected the check name'),
  type: optionalText,
  definition: optionalText,
  dataSource: optionalText,
  table: optionalText,
  column: optionalText,
  outcome: optionalText,
  outcomeReasons: z
    .array(
      z.object({
        code: optionalText,
        message: optionalText,
        severity: optionalText,
      }),
      { error: 'expected a list of reasons' },
    )
    .nullish(),
  diagnostics: record,
  attributes: record,
});

const checksError = { error: 'expected the list of checks' };

/** A scan results file, with its checks read by the schema given. */
const scanResultsWith = <C extends z.ZodType>(checks: C) =>
  z.object({
    definitionName: optionalText,
    defaultDataSource: optionalText,
    scanStartTimestamp: z
      .string({ error: 'expected when the scan started' })
      .refine(value => isoOf(value) !== undefined, 'expected a date-time'),
    scanEndTimestamp: optionalText,
    checks,
  });

/** The scan results file `soda scan -srf <file>` writes (Soda Core / Soda Library). */
const scanResultsSchema = scanResultsWith(z.array(checkSchema, checksError));
/** The same with its checks unread, to read them in slices. */
const scanResultsOutline = scanResultsWith(z.array(z.unknown(), checksError));

const LOWER: Array<[string, string]> = [
  ['greaterThan', '>'],
  ['greaterThanOrEqual', '>='],
];
const UPPER: Array<[string, string]> = [
  ['lessThan', '<'],
  ['lessThanOrEqual', '<='],
];

/**
 * Soda's diagnostics describe the bad zone: `{ fail: { lessThanOrEqual: 0 } }`
 * for `row_count > 0` is `fail when <= 0`. A zone whose lower bound lies
 * above its upper bound is split (`= 0` fails when `> 0 or < 0`).
 */
function zoneOf(bounds: Record<string, unknown>): string | undefined {
  const rules = (list: Array<[string, string]>) =>
    list
      .filter(([key]) => typeof bounds[key] === 'number')
      .map(([key, operator]) => ({ operator, value: bounds[key] as number }));
  const lower = rules(LOWER);
  const upper = rules(UPPER);
  const all = [...lower, ...upper];
  if (!all.length) return undefined;
  const split =
    lower.length > 0 &&
    upper.length > 0 &&
    Math.max(...lower.map(r => r.value)) >=
      Math.min(...upper.map(r => r.value));
  return all
    .map(rule => `${rule.operator} ${rule.value}`)
    .join(split ? ' or ' : ' and ');
}

function thresholdOf(
  diagnostics: Record<string, unknown> | null | undefined,
): string | undefined {
  const parts: string[] = [];
  for (const level of ['fail', 'warn']) {
    const bounds = diagnostics?.[level];
    if (!bounds || typeof bounds !== 'object') continue;
    const zone = zoneOf(bounds as Record<string, unknown>);
    if (zone) parts.push(`${level} when ${zone}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

function messageOf(
  name: string,
  outcome: QualityStatus | undefined,
  value: unknown,
): string | undefined {
  if (!outcome) return 'Soda could not evaluate the check';
  if (outcome === 'pass' || value === undefined) return undefined;
  return `${name}: measured ${JSON.stringify(value)}`;
}

const OUTCOMES: Record<string, QualityStatus> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
};

/**
 * Reads a Soda scan results file (`soda scan -srf results.json`).
 *
 * - Outcomes `pass`, `warn` and `fail` keep their meaning; a check Soda
 *   could not evaluate (no outcome) is `error`, with its reasons.
 * - The measured value is `diagnostics.value`; the threshold is worked out
 *   from `diagnostics.fail` and `diagnostics.warn`.
 * - The dimension is the check's `attributes.dimension` when it names one,
 *   otherwise it follows from the definition (`missing_count` is
 *   completeness, `duplicate_count` uniqueness, `freshness` timeliness).
 * - The check id is Soda's `identity`, stable across scans; the run id is
 *   the scan definition and its start.
 */
export function* parseSoda(
  body: string,
  _options: ParseOptions,
): Work<ParsedResults> {
  const json = parseJson(body);
  yield;
  const doc = yield* parseLongInput(scanResultsSchema, json, 'body', {
    outline: scanResultsOutline,
    lists: read => [{ items: read.checks, item: checkSchema }],
  });
  const checks: QualityCheckResult[] = [];
  for (const check of doc.checks) {
    if (checks.length % SLICE === SLICE - 1) yield;
    const outcome = OUTCOMES[String(check.outcome ?? '').toLowerCase()];
    const reasons = (check.outcomeReasons ?? [])
      .map(reason => reason.message)
      .filter(Boolean)
      .join('; ');
    const value = check.diagnostics?.value;
    const converted = compact({
      checkId:
        check.identity || [check.table, check.name].filter(Boolean).join(':'),
      name: check.name,
      status: outcome ?? 'error',
      dimension:
        declaredDimension(check.attributes?.dimension) ??
        dimensionOf(check.definition ?? undefined) ??
        dimensionOf(check.type ?? undefined) ??
        dimensionOf(check.name),
      measured: valueOf(value),
      threshold: thresholdOf(check.diagnostics),
      message: cut(reasons || messageOf(check.name, outcome, value)),
      dataset:
        [check.dataSource ?? doc.defaultDataSource, check.table]
          .filter(Boolean)
          .join('.') || undefined,
    });
    checks.push(converted);
  }
  const startedAt = isoOf(doc.scanStartTimestamp)!;
  const finishedAt = isoOf(doc.scanEndTimestamp) ?? startedAt;
  return {
    run: {
      source: 'soda',
      runId: `${doc.definitionName || 'scan'}@${startedAt}`,
      startedAt,
      finishedAt: finishedAt < startedAt ? startedAt : finishedAt,
      checks: yield* uniqueCheckIds(checks),
    },
    skipped: 0,
  };
}
