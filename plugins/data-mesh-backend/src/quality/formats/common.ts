import { InputError } from '@backstage/errors';
import {
  QUALITY_DIMENSIONS,
  QUALITY_MAX_ID_LENGTH,
  QUALITY_MAX_MESSAGE_LENGTH,
  type QualityCheckResult,
  type QualityDimension,
  type QualityRun,
} from '@quanta/plugin-data-mesh-common';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { parseInput } from '../../shared/http';
import { SLICE, type Work } from '../../shared/slices';

/** What every format parser gets besides the document. */
export type ParseOptions = {
  /**
   * The time of a document that carries none of its own: the pipeline's
   * `runAt`, else when the backend received it. Parsers call it only then,
   * and a run dated by its receipt never counts as a delivery of data.
   */
  undatedTime: () => Date;
};

/** How a run got its times. */
export type RunDating = 'document' | 'runAt' | 'receipt';

/** A document converted into one run. */
export type ParsedResults = {
  run: QualityRun;
  /** Where the run's times came from; set by `parseResults`. */
  dated?: RunDating;
  /** Checks the tool skipped or did not evaluate; they are not stored. */
  skipped: number;
  /** The product the document names itself (Quanta format only). */
  target?: { entityRef?: string; address?: string; outputPort?: string };
};

/** A JSON document, or a 400 saying where it stops being JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`body: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * `parseInput` of a document with long lists, a slice at a time: first the
 * document with each long list's items taken as they are (`outline`), then
 * the items, each with the schema `schema` gives it. Any problem, or a
 * document `accept` refuses, validates the whole document again with
 * `schema`, so that errors read exactly as `parseInput` words them; that
 * holds as long as the outline accepts whatever `schema` does.
 */
export function* parseLongInput<T, O>(
  schema: z.ZodType<T>,
  value: unknown,
  where: string,
  long: {
    outline: z.ZodType<O>;
    /** The outline's long lists, to be replaced item by item, with their items' schema. */
    lists: (outline: O) => Array<{ items: unknown[]; item: z.ZodType }>;
    /** What `schema` checks beyond its items, such as ids unique in a list. */
    accept?: (doc: T) => boolean;
  },
): Work<T> {
  const whole = () => parseInput(schema, value, where);
  const outline = long.outline.safeParse(value);
  if (!outline.success) return whole();
  let done = 0;
  for (const { items, item } of long.lists(outline.data)) {
    for (let i = 0; i < items.length; i++) {
      const result = item.safeParse(items[i]);
      if (!result.success) return whole();
      // zod's own copy of the list, not the document's.
      items[i] = result.data;
      if (++done % SLICE === 0) yield;
    }
  }
  const doc = outline.data as unknown as T;
  return !long.accept || long.accept(doc) ? doc : whole();
}

/** Text cut to `max` characters, marking the cut. */
export function cut(
  text: string | undefined | null,
  max = QUALITY_MAX_MESSAGE_LENGTH,
): string | undefined {
  if (text === undefined || text === null) return undefined;
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/** Hex digest, for run ids of documents that carry none. */
export function digestOf(text: string, length = 32): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** An id that fits the id columns: long ones keep their start and gain a digest. */
export function fitId(id: string): string {
  if (id.length <= QUALITY_MAX_ID_LENGTH) return id;
  return `${id.slice(0, QUALITY_MAX_ID_LENGTH - 17)}#${digestOf(id, 16)}`;
}

/**
 * Makes check ids unique within a run, in document order: the second
 * `x` becomes `x#2`. Tools repeat names (JUnit cases in two suites, GE
 * expectations on one column), and a stable id keeps idempotency working.
 */
export function* uniqueCheckIds(
  checks: QualityCheckResult[],
): Work<QualityCheckResult[]> {
  const seen = new Map<string, number>();
  const out: QualityCheckResult[] = [];
  for (const check of checks) {
    if (out.length % SLICE === SLICE - 1) yield;
    const id = fitId(check.checkId);
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    out.push(
      count === 1
        ? { ...check, checkId: id }
        : { ...check, checkId: fitId(`${id}#${count}`) },
    );
  }
  return out;
}

/** ISO-8601 of a date-time some tool wrote, or undefined. */
export function isoOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  let text = value.trim();
  // Great Expectations writes 20260615T100512.123456Z.
  const gx = text.match(
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/,
  );
  if (gx) {
    const [, y, mo, d, h, mi, s, fraction, zone] = gx;
    text = `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction ?? ''}${zone ?? 'Z'}`;
  }
  // Times without a zone (JUnit, some Python tools) are taken as UTC.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    text = `${text.replace(' ', 'T')}Z`;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const DIMENSION_RULES: Array<[RegExp, QualityDimension]> = [
  [/fresh|recency|stale|latency|timeliness|delay|timely/, 'timeliness'],
  [/precision|decimal_places/, 'precision'],
  [/row_?count|rowcount|record_count|volume/, 'completeness'],
  [
    /schema|table_columns|column_to_exist|columns_to_match|column_count|field_is_present|field_type|column_type|relationships|referential|foreign_key|equal_rowcount|equality|to_equal_other|pair_values|multicolumn|consistency/,
    'consistency',
  ],
  [
    /mean|median|avg|average|stdev|std_dev|quantile|percentile|_sum_|sum\(|expression_is_true|unit_test|accuracy/,
    'accuracy',
  ],
  [
    /accepted_values|in_set|type_list|_of_type|regex|pattern|format|valid|enum|length|between|range|json|dateutil|strftime|positive|negative/,
    'validity',
  ],
  [/unique|duplicate|distinct/, 'uniqueness'],
  [/not_?null|null|missing|required|completeness|empty|blank/, 'completeness'],
];

/**
 * The quality dimension a check's type or name suggests, by the naming of
 * dbt, Great Expectations, Soda and datacontract-cli checks; undefined when
 * nothing matches. Rules are tried in order, so `expect_table_row_count_to_be_between`
 * is completeness (volume) rather than validity.
 */
export function dimensionOf(
  text: string | undefined,
): QualityDimension | undefined {
  if (!text) return undefined;
  const name = text.toLowerCase().replace(/[\s-]+/g, '_');
  for (const [pattern, dimension] of DIMENSION_RULES) {
    if (pattern.test(name)) return dimension;
  }
  return undefined;
}

/** A dimension a tool's metadata declares, when it is one of ours. */
export function declaredDimension(
  value: unknown,
): QualityDimension | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  return (QUALITY_DIMENSIONS as readonly string[]).includes(lower)
    ? (lower as QualityDimension)
    : undefined;
}

/** A measured value or threshold as stored: numbers stay numbers, the rest becomes short text. */
export function valueOf(value: unknown): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return cut(value, 1000);
  if (typeof value === 'boolean') return String(value);
  try {
    return cut(JSON.stringify(value), 1000);
  } catch {
    return undefined;
  }
}

/** Drops undefined fields, so expected documents and stored rows compare cleanly. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) out[key] = field;
  }
  return out as T;
}

/** The earliest and latest of some ISO date-times. */
export function span(times: Array<string | undefined>): {
  first?: string;
  last?: string;
} {
  let first: string | undefined;
  let last: string | undefined;
  for (const time of times) {
    if (!time) continue;
    if (!first || time < first) first = time;
    if (!last || time > last) last = time;
  }
  return { first, last };
}
