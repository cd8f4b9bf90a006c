/*
 * Quality results as pipelines report them. Every supported format (dbt,
 * Great Expectations, Soda, datacontract-cli, JUnit XML) is converted into a
 * QualityRun; the Quanta format (QualityResultsDocument) is that run as JSON,
 * described by qualityResults.schema.json.
 */

/**
 * Outcome of one check in one run.
 *
 * @public
 */
export const QUALITY_STATUSES = ['pass', 'warn', 'fail', 'error'] as const;
/**
 * `pass`: met; `warn`: met with a warning (counts as passing); `fail`: the
 * data broke the check; `error`: the check could not run.
 *
 * @public
 */
export type QualityStatus = (typeof QUALITY_STATUSES)[number];

/**
 * The data quality dimension a check measures.
 *
 * @public
 */
export const QUALITY_DIMENSIONS = [
  'accuracy',
  'completeness',
  'consistency',
  'precision',
  'timeliness',
  'validity',
  'uniqueness',
] as const;
/**
 * One of {@link QUALITY_DIMENSIONS}.
 *
 * @public
 */
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/**
 * The SLOs of `spec.slos` a check may measure.
 *
 * @public
 */
export const QUALITY_SLO_KEYS = [
  'freshness',
  'intervalOfChange',
  'completeness',
  'availability',
  'timeliness',
] as const;
/**
 * One of {@link QUALITY_SLO_KEYS}.
 *
 * @public
 */
export type QualitySloKey = (typeof QUALITY_SLO_KEYS)[number];

/**
 * Formats `POST /quality/results?format=` accepts.
 *
 * @public
 */
export const QUALITY_RESULT_FORMATS = [
  'quanta',
  'dbt',
  'great-expectations',
  'soda',
  'datacontract',
  'junit',
] as const;
/**
 * One of {@link QUALITY_RESULT_FORMATS}.
 *
 * @public
 */
export type QualityResultFormat = (typeof QUALITY_RESULT_FORMATS)[number];

/**
 * Longest check id, run id and output port name.
 *
 * @public
 */
export const QUALITY_MAX_ID_LENGTH = 255;
/**
 * Longest source name.
 *
 * @public
 */
export const QUALITY_MAX_SOURCE_LENGTH = 64;
/**
 * Longest message; longer ones from other formats are cut.
 *
 * @public
 */
export const QUALITY_MAX_MESSAGE_LENGTH = 4000;

/**
 * One check's outcome in one run.
 *
 * @public
 */
export type QualityCheckResult = {
  /** Stable across runs and unique within the run, e.g. a dbt `unique_id`. */
  checkId: string;
  name: string;
  status: QualityStatus;
  dimension?: QualityDimension;
  /** The declared SLO this check measures, when it measures one. */
  slo?: QualitySloKey;
  /** What the check observed, e.g. 99.2 or `3 failing rows`. */
  measured?: number | string;
  /** What it had to be, e.g. 99.5 or `>= 0.95`. */
  threshold?: number | string;
  /** Why it failed, or what it noticed. */
  message?: string;
  /** The table, topic or file checked, as the tool names it. */
  dataset?: string;
};

/**
 * One run of a pipeline's checks, whatever format it was reported in.
 *
 * @public
 */
export type QualityRun = {
  /** What produced the results, e.g. `dbt` or `orders-nightly`. */
  source: string;
  /** Unique per source; posting the same run again stores nothing new. */
  runId: string;
  /** ISO-8601 date-time. */
  startedAt: string;
  /** ISO-8601 date-time. */
  finishedAt: string;
  /** Link to the run in the tool that ran it. */
  url?: string;
  /** When the newest data checked was written, if the pipeline knows. */
  lastUpdatedAt?: string;
  checks: QualityCheckResult[];
};

/**
 * The Quanta results format (`format=quanta`, the default): one run, and
 * optionally which data product it is about, by entity ref or by output port
 * address. Query parameters of the request win over these fields.
 *
 * @public
 */
export type QualityResultsDocument = Omit<QualityRun, 'startedAt'> & {
  $schema?: string;
  /** Defaults to `finishedAt`. */
  startedAt?: string;
  /** e.g. `dataproduct:default/orders`. */
  entityRef?: string;
  /** Address of an output port of the product, e.g. `s3://lake/sales/orders/`. */
  address?: string;
  /** Name of the output port checked. */
  outputPort?: string;
};
