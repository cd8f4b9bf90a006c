import type {
  QualityCheckResult,
  QualityDimension,
  QualityRun,
  QualityStatus,
} from '@quanta/plugin-data-mesh-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  type ParseOptions,
  type ParsedResults,
  compact,
  cut,
  digestOf,
  dimensionOf,
  isoOf,
  parseJson,
  parseLongInput,
  span,
  uniqueCheckIds,
} from './common';
import { SLICE, type Work } from '../../shared/slices';

const STATUSES = [
  'success',
  'error',
  'skipped',
  'partial success',
  'pass',
  'fail',
  'warn',
  'runtime error',
] as const;

const optionalText = z.string({ error: 'expected text or null' }).nullish();

const resultSchema = z.object({
  unique_id: z
    .string({
      error:
        'expected the node id, such as test.shop.unique_orders_id.1a2b3c4d5e',
    })
    .min(1, 'expected the node id'),
  status: z.enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` }),
  timing: z
    .array(
      z.object({
        name: z.string({ error: 'expected compile or execute' }),
        started_at: optionalText,
        completed_at: optionalText,
      }),
      { error: 'expected a list of timings' },
    )
    .optional(),
  message: optionalText,
  failures: z
    .number({ error: 'expected a number of failing rows, or null' })
    .nullish(),
  execution_time: z.number({ error: 'expected seconds' }).optional(),
  relation_name: optionalText,
});

/** `sources.json`, what `dbt source freshness` writes, v1 to v3. */
const SOURCES_VERSION = /\/dbt\/sources\/v([1-3])\.json$/;
const SCHEMA_VERSION = /\/run-results\/v(\d+)\.json$/;
/** The schema versions read: v4 (dbt 1.0 to 1.5), v5 (1.5 to 1.7), v6 (1.8 and later). */
const READ_VERSIONS = [4, 5, 6];

/**
 * Commands whose run_results.json lists tests that were compiled but not
 * run: each such test says `success`, which is no result at all.
 */
const COMPILE_ONLY: Record<string, string> = {
  compile: 'dbt compile',
  generate: 'dbt docs generate',
  list: 'dbt list',
  ls: 'dbt ls',
  parse: 'dbt parse',
  show: 'dbt show',
};

const resultsError = { error: 'expected the list of node results' };

/** dbt `run_results.json`, with its results read by the schema given. */
const runResultsWith = <R extends z.ZodType>(results: R) =>
  z.object({
    metadata: z.object(
      {
        dbt_schema_version: z
          .string({ error: 'expected the schema URL of run_results.json' })
          .regex(
            SCHEMA_VERSION,
            'expected https://schemas.getdbt.com/dbt/run-results/v4.json, v5.json or v6.json (dbt 1.0 or later)',
          ),
        dbt_version: z.string().optional(),
        generated_at: optionalText,
        invocation_id: optionalText,
        env: z.record(z.string(), z.string()).optional(),
      },
      { error: 'expected the metadata of run_results.json' },
    ),
    results,
    elapsed_time: z.number({
      error: 'expected the invocation time in seconds',
    }),
    args: z
      .object({ which: z.string().optional() }, { error: 'expected an object' })
      .optional(),
  });

/** dbt `run_results.json`, schema v4 to v6 (dbt 1.0 and later). */
const runResultsSchema = runResultsWith(z.array(resultSchema, resultsError));
/** The same with its results unread, to read them in slices. */
const runResultsOutline = runResultsWith(z.array(z.unknown(), resultsError));

/**
 * Refuses what cannot hold results, naming why and what to post instead:
 * schema versions before v4 (dbt before 1.0, out of support since 2022,
 * whose test statuses changed meaning between releases) or newer than v6
 * (not known yet), and files of commands that compile tests without running
 * them.
 */
function checkReadable(doc: z.infer<typeof runResultsSchema>) {
  const version = Number(
    SCHEMA_VERSION.exec(doc.metadata.dbt_schema_version)![1],
  );
  if (!READ_VERSIONS.includes(version)) {
    const dbt = doc.metadata.dbt_version
      ? `dbt ${doc.metadata.dbt_version}`
      : 'this dbt';
    throw new InputError(
      version < READ_VERSIONS[0]
        ? `body.metadata.dbt_schema_version: run_results.json v${version} (${dbt}) is not read: versions before v4 come from dbt before 1.0, whose test statuses meant other things from release to release. Upgrade dbt to 1.0 or later, or post the Quanta format`
        : `body.metadata.dbt_schema_version: run_results.json v${version} (${dbt}) is newer than the versions read here (v4 to v6); post the Quanta format until it is supported`,
    );
  }
  const which = doc.args?.which;
  if (which && COMPILE_ONLY[which]) {
    throw new InputError(
      `body.args.which: this run_results.json was written by \`${COMPILE_ONLY[which]}\`, which compiles tests without running them, so it holds no results. Post the run_results.json of \`dbt build\` or \`dbt test\``,
    );
  }
}

/** `test.shop.not_null_orders_id.8d1f0e9a2b` -> `not_null_orders_id`. */
function nodeName(uniqueId: string): string {
  const parts = uniqueId.split('.');
  const rest = parts.slice(2);
  if (rest.length > 1 && /^[0-9a-f]{10}$/.test(rest[rest.length - 1])) {
    rest.pop();
  }
  return rest.join('.') || uniqueId;
}

/** dbt's generic tests first: their names start with the test, then the model. */
function testDimension(name: string): QualityDimension | undefined {
  if (name.startsWith('not_null_')) return 'completeness';
  if (name.startsWith('unique_')) return 'uniqueness';
  if (name.startsWith('accepted_values_')) return 'validity';
  if (name.startsWith('relationships_')) return 'consistency';
  return dimensionOf(name);
}

/** `"analytics"."sales"."orders"` -> `analytics.sales.orders`. */
function relationOf(name: string | null | undefined): string | undefined {
  return name ? name.replace(/["`]/g, '') : undefined;
}

/** `Got 3 results, configured to fail if != 0` -> `fail if != 0`. */
function thresholdOf(message: string | null | undefined): string | undefined {
  const match = message?.match(/configured to ((?:fail|warn) if .+?)\s*$/);
  return match?.[1];
}

// A test that ran says pass, warn, fail or error; `success` is what a test
// compiled but not run says (dbt compile, docs generate), so it is no result.
const TEST_STATUS: Partial<Record<(typeof STATUSES)[number], QualityStatus>> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
  error: 'error',
  'runtime error': 'error',
};

/**
 * Source freshness: `error` means the data is older than `error_after`,
 * which is the data failing, not the check.
 */
const FRESHNESS_STATUS: Partial<
  Record<(typeof STATUSES)[number], QualityStatus>
> = {
  pass: 'pass',
  warn: 'warn',
  error: 'fail',
  'runtime error': 'error',
};

/**
 * Reads dbt's `run_results.json` (v4 to v6, dbt 1.0 and later).
 *
 * - Tests and unit tests are checks: `pass`, `warn`, `fail` and `error` keep
 *   their meaning; `skipped` ones, and those that were compiled but not run
 *   (`success`), are counted, not stored. A file of a command that runs no
 *   test (`dbt compile`, `dbt docs generate`, …) is refused. The number of
 *   failing rows is the measured value, and the rule in dbt's message
 *   (`fail if != 0`) the threshold.
 * - Source freshness results are timeliness checks; dbt's `error` (older
 *   than `error_after`) is `fail`, `runtime error` is `error`.
 * - Models, seeds and snapshots are not checks, but one that failed to build
 *   is an `error` (its data was not refreshed) and a partial success a `warn`.
 *
 * The run id is the invocation id; the run ends at `generated_at`. A link to
 * the run may be set with `DBT_ENV_CUSTOM_ENV_RUN_URL`.
 */
export function* parseDbt(
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const json = parseJson(body) as any;
  yield;
  if (SOURCES_VERSION.test(String(json?.metadata?.dbt_schema_version ?? ''))) {
    return yield* parseDbtSources(json, body, options);
  }
  const doc = yield* parseLongInput(runResultsSchema, json, 'body', {
    outline: runResultsOutline,
    lists: read => [{ items: read.results, item: resultSchema }],
  });
  checkReadable(doc);
  const checks: QualityCheckResult[] = [];
  let skipped = 0;
  const starts: Array<string | undefined> = [];
  const ends: Array<string | undefined> = [];
  for (const [index, result] of doc.results.entries()) {
    if (index % SLICE === SLICE - 1) yield;
    for (const timing of result.timing ?? []) {
      starts.push(isoOf(timing.started_at));
      ends.push(isoOf(timing.completed_at));
    }
    const type = result.unique_id.split('.')[0];
    const name = nodeName(result.unique_id);
    const message = cut(result.message);
    const isTest = type === 'test' || type === 'unit_test';
    if (isTest || type === 'source') {
      const status = (isTest ? TEST_STATUS : FRESHNESS_STATUS)[result.status];
      if (!status) {
        skipped++;
        continue;
      }
      checks.push(
        compact(
          isTest
            ? {
                checkId: result.unique_id,
                name,
                status,
                dimension:
                  type === 'unit_test' ? 'accuracy' : testDimension(name),
                measured:
                  typeof result.failures === 'number'
                    ? result.failures
                    : undefined,
                threshold: thresholdOf(result.message),
                message,
              }
            : {
                checkId: result.unique_id,
                name: `freshness of ${name}`,
                status,
                dimension: 'timeliness' as const,
                message,
                dataset: relationOf(result.relation_name),
              },
        ),
      );
    } else if (
      result.status === 'error' ||
      result.status === 'partial success'
    ) {
      checks.push(
        compact({
          checkId: result.unique_id,
          name: `${type} ${name} builds`,
          status:
            result.status === 'error' ? ('error' as const) : ('warn' as const),
          message,
          dataset: relationOf(result.relation_name),
        }),
      );
    }
  }
  return {
    run: yield* dbtRun(doc, body, options, [...starts, ...ends], checks),
    skipped,
  };
}

/**
 * The run of any dbt artifact: dbt's invocation id, ending at
 * `generated_at` (else the last timing), starting at the first timing (else
 * `elapsed_time` before the end); a link from `DBT_ENV_CUSTOM_ENV_RUN_URL`.
 */
function* dbtRun(
  doc: {
    metadata: {
      generated_at?: string | null;
      invocation_id?: string | null;
      env?: Record<string, string>;
    };
    elapsed_time: number;
  },
  body: string,
  options: ParseOptions,
  timings: Array<string | undefined>,
  checks: QualityCheckResult[],
  lastUpdatedAt?: string,
): Work<QualityRun> {
  const times = span(timings);
  const finishedAt =
    isoOf(doc.metadata.generated_at) ??
    times.last ??
    options.undatedTime().toISOString();
  const startedAt =
    times.first ??
    new Date(Date.parse(finishedAt) - doc.elapsed_time * 1000).toISOString();
  const url = doc.metadata.env?.RUN_URL;
  return compact({
    source: 'dbt',
    runId: doc.metadata.invocation_id || digestOf(body),
    startedAt: startedAt < finishedAt ? startedAt : finishedAt,
    finishedAt,
    url: url && /^https?:\/\//.test(url) ? url : undefined,
    lastUpdatedAt,
    checks: yield* uniqueCheckIds(checks),
  });
}

const threshold = z
  .object(
    {
      count: z.number({ error: 'expected a whole number' }),
      period: z.enum(['minute', 'hour', 'day'], {
        error: 'expected minute, hour or day',
      }),
    },
    { error: 'expected { count, period } or null' },
  )
  .nullish();

/** One source's freshness in `sources.json`. */
const sourceResultSchema = z.object({
  unique_id: z
    .string({
      error: 'expected the source id, such as source.shop.raw.orders',
    })
    .min(1, 'expected the source id'),
  status: z.enum(['pass', 'warn', 'error', 'runtime error'], {
    error: 'expected one of pass, warn, error, runtime error',
  }),
  max_loaded_at: optionalText,
  snapshotted_at: optionalText,
  max_loaded_at_time_ago_in_s: z
    .number({ error: 'expected seconds' })
    .nullish(),
  criteria: z
    .object(
      { warn_after: threshold, error_after: threshold },
      { error: 'expected { warn_after, error_after }' },
    )
    .nullish(),
  timing: resultSchema.shape.timing,
  error: z.union([z.string(), z.number()]).nullish(),
});

const sourcesError = { error: 'expected the list of source results' };

/** dbt `sources.json`, v1 to v3, with its results read by the schema given. */
const sourcesWith = <R extends z.ZodType>(results: R) =>
  z.object({
    metadata: z.object(
      {
        dbt_schema_version: z.string(),
        dbt_version: z.string().optional(),
        generated_at: optionalText,
        invocation_id: optionalText,
        env: z.record(z.string(), z.string()).optional(),
      },
      { error: 'expected the metadata of sources.json' },
    ),
    results,
    elapsed_time: z.number({
      error: 'expected the invocation time in seconds',
    }),
  });

/** dbt `sources.json`, v1 to v3: what `dbt source freshness` writes. */
const sourcesSchema = sourcesWith(z.array(sourceResultSchema, sourcesError));
const sourcesOutline = sourcesWith(z.array(z.unknown(), sourcesError));

/** `{ count: 12, period: 'hour' }` -> `12 hours`. */
function periodText(
  time: { count: number; period: string } | null | undefined,
) {
  if (!time) return undefined;
  return `${time.count} ${time.period}${time.count === 1 ? '' : 's'}`;
}

/** dbt's rule as words: `warn after 12 hours, error after 1 day`. */
function criteriaText(
  criteria: z.infer<typeof sourceResultSchema>['criteria'],
): string | undefined {
  const parts = [
    periodText(criteria?.warn_after) &&
      `warn after ${periodText(criteria?.warn_after)}`,
    periodText(criteria?.error_after) &&
      `error after ${periodText(criteria?.error_after)}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * Reads dbt's `sources.json` (v1 to v3), the file `dbt source freshness`
 * writes. Each source is a freshness check (slo `freshness`, dimension
 * timeliness): `pass` and `warn` keep their meaning, dbt's `error` (older
 * than `error_after`) is `fail`, a `runtime error` (the query failed) is
 * `error`. The measured value is the age of the newest row in seconds when
 * dbt looked, the threshold dbt's rule.
 *
 * The run's data was last updated at the oldest of the sources' newest
 * loads: a product is as fresh as the stalest source it reads. That time
 * comes from the file (`max_loaded_at`), never from when it was received.
 */
function* parseDbtSources(
  json: unknown,
  body: string,
  options: ParseOptions,
): Work<ParsedResults> {
  const doc = yield* parseLongInput(sourcesSchema, json, 'body', {
    outline: sourcesOutline,
    lists: read => [{ items: read.results, item: sourceResultSchema }],
  });
  const checks: QualityCheckResult[] = [];
  const loads: string[] = [];
  const times: Array<string | undefined> = [];
  for (const [index, result] of doc.results.entries()) {
    if (index % SLICE === SLICE - 1) yield;
    for (const timing of result.timing ?? []) {
      times.push(isoOf(timing.started_at), isoOf(timing.completed_at));
    }
    const loaded = isoOf(result.max_loaded_at);
    if (loaded && result.status !== 'runtime error') loads.push(loaded);
    checks.push(
      compact({
        checkId: result.unique_id,
        name: `freshness of ${nodeName(result.unique_id)}`,
        status: FRESHNESS_STATUS[result.status]!,
        dimension: 'timeliness' as const,
        slo: 'freshness' as const,
        measured:
          typeof result.max_loaded_at_time_ago_in_s === 'number'
            ? Math.round(result.max_loaded_at_time_ago_in_s)
            : undefined,
        threshold: criteriaText(result.criteria),
        message: cut(
          result.status === 'runtime error'
            ? String(result.error ?? 'the freshness query failed')
            : loaded && `newest row loaded at ${loaded}`,
        ),
      }),
    );
  }
  return {
    run: yield* dbtRun(
      doc,
      body,
      options,
      times,
      checks,
      loads.length ? loads.sort()[0] : undefined,
    ),
    skipped: 0,
  };
}
