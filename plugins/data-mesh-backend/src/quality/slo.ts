import {
  QUALITY_SLO_KEYS,
  QUALITY_WINDOW_DAYS,
  type DataProductSlos,
  type ErrorBudget,
  type QualityCheckResult,
  type QualitySloKey,
  type SloEvaluation,
  type SloStatus,
  addIsoDuration,
  parseIsoDuration,
  formatIsoDuration,
} from '@quanta/plugin-data-mesh-common';
import { formatElapsed } from '@quanta/plugin-data-mesh-node';

/*
 * SLO status from stored quality results. Every SLO is judged over the
 * 30 days before now (the window) and gets an error budget: the bad time or
 * bad results its target allows in the window, minus those used.
 *
 * A run "delivers" data when none of its checks errored, no freshness
 * check (slo: freshness, or dimension timeliness) failed, and its time is
 * its own or the pipeline's `runAt`, not only when it was received. Its data
 * arrived at its `lastUpdatedAt`, or when it finished.
 *
 * - freshness (an ISO-8601 duration D): the age of the newest delivered
 *   data. breached above D, at risk above 80% of D, or when the budget is
 *   spent. Budget: time in the window during which the data was older than
 *   D; the target (durationSloTarget, 99% by default) allows 1% of it.
 * - intervalOfChange (duration I): the same, measured from when delivering
 *   runs finished: the data must change at least every I.
 * - completeness (a percentage T): results of completeness checks in the
 *   window (slo: completeness, or dimension completeness); at most (100 - T)%
 *   of them may fail or error. breached when more did; at risk when 80% of
 *   that allowance is used, or when the newest such result is bad.
 * - availability (a percentage T): the same over availability checks
 *   (slo: availability), or, without any, over runs: a run whose checks all
 *   ran found the ports readable.
 * - timeliness (a duration): the same over timeliness checks, with the
 *   duration target.
 *
 * Without any result an SLO is `no-data`, never met; so is an SLO no check
 * measures. Runs finishing more than 5 minutes after now are left out and
 * noted: a pipeline's clock or time zone is off.
 */

const DAY = 86_400_000;
export const WINDOW_MS = QUALITY_WINDOW_DAYS * DAY;
/** Runs this far ahead of the backend's clock still count. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Above this share of its objective (or of its budget) an SLO is at risk. */
export const AT_RISK_SHARE = 0.8;
/** Longest look-back before the window for the arrival preceding it. */
export const MAX_LOOKBACK_MS = 400 * DAY;

/** The SLOs whose results are counted per run, as good and bad events. */
export const COUNTED_SLOS = [
  'completeness',
  'timeliness',
  'availability',
] as const;
export type CountedSlo = (typeof COUNTED_SLOS)[number];

/**
 * The counted SLO a check measures: the one it names (`slo`), otherwise the
 * one its dimension stands for (completeness, timeliness). Availability is
 * only ever named.
 */
export function countedSloOf(
  check: Pick<QualityCheckResult, 'slo' | 'dimension'>,
): CountedSlo | undefined {
  if (check.slo) {
    return (COUNTED_SLOS as readonly string[]).includes(check.slo)
      ? (check.slo as CountedSlo)
      : undefined;
  }
  if (check.dimension === 'completeness') return 'completeness';
  if (check.dimension === 'timeliness') return 'timeliness';
  return undefined;
}

/** A check of data freshness: named `freshness`, or of the timeliness dimension. */
export function isFreshnessCheck(
  check: Pick<QualityCheckResult, 'slo' | 'dimension'>,
): boolean {
  return check.slo
    ? check.slo === 'freshness'
    : check.dimension === 'timeliness';
}

/** What the SLOs of one product are worked out from (times in epoch ms). */
export type SloInputs = {
  /** Runs finished in the window. */
  runs: number;
  /** Of those, runs without an erroring check. */
  goodRuns: number;
  /** Runs finished after the end of the window: in the future. */
  futureRuns: number;
  /** The first run ever stored (retention permitting). */
  firstRunAt?: number;
  /** The newest run up to the end of the window. */
  lastRunAt?: number;
  /** The newest run with an erroring check. */
  lastBadRunAt?: number;
  /** Newest arrival of data: `arrived_at` of the newest delivering run. */
  lastArrivalAt?: number;
  /** `finished_at` of the newest delivering run. */
  lastChangeAt?: number;
  /**
   * Delivering runs (no erroring check, no failing freshness check) from
   * `lookback` before the window to its end, oldest first.
   */
  deliveries: Array<{ arrivedAt: number; finishedAt: number }>;
  /** Good and bad results per counted SLO, in the window. */
  counted: Record<
    CountedSlo,
    { total: number; bad: number; lastAt?: number; lastBadAt?: number }
  >;
};

/**
 * Milliseconds from `start` to an ISO-8601 duration after it, on the UTC
 * calendar, counted as the governance policies count; undefined when it is
 * not a duration.
 */
export function durationMsAfter(
  start: number,
  value: unknown,
): number | undefined {
  const duration = parseIsoDuration(value);
  if (!duration) return undefined;
  return addIsoDuration(new Date(start), duration).getTime() - start;
}

const elapsed = formatElapsed;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const percent = (value: number) => `${round(value, 2)}%`;

function isPercentage(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 100;
}

/** The declared SLOs, in a stable order. */
export function declaredSlos(
  slos: DataProductSlos | undefined,
): Array<[QualitySloKey, string | number]> {
  const out: Array<[QualitySloKey, string | number]> = [];
  for (const key of QUALITY_SLO_KEYS) {
    const value = (slos as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'string' ? value.trim() : typeof value === 'number') {
      out.push([key, value as string | number]);
    }
  }
  return out;
}

/** How far before the window arrivals are needed: the longest duration SLO. */
export function lookbackFor(
  slos: DataProductSlos | undefined,
  now: number,
): number {
  let longest = 0;
  for (const key of ['freshness', 'intervalOfChange'] as const) {
    const ms = durationMsAfter(now, slos?.[key]);
    if (ms && ms > longest) longest = ms;
  }
  return Math.min(longest, MAX_LOOKBACK_MS);
}

/**
 * Milliseconds of `[start, end]` not covered by any `[time, time + D]`,
 * where D is the duration after each time: how long the data was too old.
 */
function uncovered(
  times: number[],
  duration: string,
  start: number,
  end: number,
): number {
  const intervals = times
    .map(time => [time, time + (durationMsAfter(time, duration) ?? 0)] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = start;
  for (const [from, to] of intervals) {
    const a = Math.max(from, reach);
    const b = Math.min(to, end);
    if (b > a) {
      covered += b - a;
      reach = b;
    }
  }
  return Math.max(0, end - start - covered);
}

function budgetOf(
  target: number,
  unit: ErrorBudget['unit'],
  total: number,
  used: number,
): ErrorBudget {
  const allowed = total * (1 - target / 100);
  return {
    target,
    unit,
    total: round(total),
    allowed: round(allowed, 2),
    used: round(used),
    remaining: round(allowed - used, 2),
  };
}

const spent = (budget: ErrorBudget) => budget.used > budget.allowed;

/** Inputs of a product without any run: every SLO says so. */
const NO_RESULTS = 'No quality results have been posted for this product';

function durationSlo(options: {
  slo: 'freshness' | 'intervalOfChange';
  objective: string;
  last: number | undefined;
  times: number[];
  inputs: SloInputs;
  now: number;
  target: number;
}): SloEvaluation {
  const { slo, objective, last, inputs, now, target } = options;
  const base = { slo, objective };
  const what =
    slo === 'freshness' ? 'The newest data arrived' : 'The data last changed';
  if (durationMsAfter(now, objective) === undefined) {
    return {
      ...base,
      status: 'no-data',
      message: `spec.slos.${slo} "${objective}" is not an ISO-8601 duration such as PT1H`,
    };
  }
  if (last === undefined) {
    return {
      ...base,
      status: 'breached',
      message:
        'No run delivered data: each had an erroring check, a failing freshness check or no time of its own',
    };
  }
  const age = Math.max(0, now - last);
  const limit = durationMsAfter(last, objective)!;
  const start = Math.max(now - WINDOW_MS, inputs.firstRunAt ?? now);
  const budget = budgetOf(
    target,
    'minutes',
    Math.max(0, now - start) / 60000,
    uncovered(options.times, objective, start, now) / 60000,
  );
  let status: SloStatus = 'met';
  let message = `${what} ${elapsed(age)} ago; the objective is ${
    formatIsoDuration(objective) ?? objective
  }`;
  if (age > limit) {
    status = 'breached';
  } else if (age > AT_RISK_SHARE * limit) {
    status = 'at-risk';
    message += `, and ${Math.round((age / limit) * 100)}% of it has passed`;
  } else if (spent(budget)) {
    status = 'at-risk';
    message += `, but it was missed for ${elapsed(
      budget.used * 60000,
    )} of the last ${QUALITY_WINDOW_DAYS} days, more than the ${target}% target allows (${elapsed(
      budget.allowed * 60000,
    )})`;
  }
  return { ...base, status, message, current: age, errorBudget: budget };
}

function ratioSlo(options: {
  slo: QualitySloKey;
  objective: string | number;
  target: number;
  unit: 'results' | 'runs';
  counts: { total: number; bad: number; lastAt?: number; lastBadAt?: number };
  describe: string;
  /** Said after the figures. */
  note?: string;
}): SloEvaluation {
  const { slo, objective, target, unit, counts, describe, note } = options;
  const base = { slo, objective };
  if (counts.total === 0) {
    return {
      ...base,
      status: 'no-data',
      message: `No ${describe} in the last ${QUALITY_WINDOW_DAYS} days`,
    };
  }
  const budget = budgetOf(target, unit, counts.total, counts.bad);
  const good = ((counts.total - counts.bad) / counts.total) * 100;
  const newestBad =
    counts.lastBadAt !== undefined &&
    counts.lastAt !== undefined &&
    counts.lastBadAt >= counts.lastAt;
  let status: SloStatus = 'met';
  if (spent(budget)) status = 'breached';
  else if (
    newestBad ||
    (counts.bad > 0 && counts.bad >= AT_RISK_SHARE * budget.allowed)
  ) {
    status = 'at-risk';
  }
  const message = `${counts.bad} of ${
    counts.total
  } ${describe} failed in the last ${QUALITY_WINDOW_DAYS} days: ${percent(
    good,
  )} good, the target is ${target}%${
    newestBad && status !== 'breached' ? '; the newest one failed' : ''
  }${note ? ` (${note})` : ''}`;
  return {
    ...base,
    status,
    message,
    current: round(good, 2),
    errorBudget: budget,
  };
}

/**
 * Evaluates each declared SLO of a product against its stored results.
 * `inputs` is undefined for a product without any result.
 */
export function evaluateSlos(options: {
  slos: DataProductSlos | undefined;
  inputs: SloInputs | undefined;
  now: number;
  /** Target of duration SLOs, in percent. */
  durationTarget: number;
}): SloEvaluation[] {
  const { inputs, now, durationTarget } = options;
  return declaredSlos(options.slos).map(([slo, objective]) => {
    if (!inputs || inputs.lastRunAt === undefined) {
      return {
        slo,
        objective,
        status: 'no-data',
        message: inputs?.futureRuns
          ? 'No quality results dated up to now; the only ones are dated in the future'
          : NO_RESULTS,
      };
    }
    switch (slo) {
      case 'freshness':
      case 'intervalOfChange': {
        const fresh = slo === 'freshness';
        return durationSlo({
          slo,
          objective: String(objective),
          last: fresh ? inputs.lastArrivalAt : inputs.lastChangeAt,
          times: inputs.deliveries.map(d =>
            Math.min(fresh ? d.arrivedAt : d.finishedAt, now),
          ),
          inputs,
          now,
          target: durationTarget,
        });
      }
      case 'completeness':
      case 'availability': {
        if (!isPercentage(objective)) {
          return {
            slo,
            objective,
            status: 'no-data',
            message: `spec.slos.${slo} is not a percentage between 0 and 100`,
          };
        }
        if (slo === 'availability' && inputs.counted.availability.total === 0) {
          return ratioSlo({
            slo,
            objective,
            target: objective,
            unit: 'runs',
            counts: {
              total: inputs.runs,
              bad: inputs.runs - inputs.goodRuns,
              lastAt: inputs.lastRunAt,
              lastBadAt: inputs.lastBadRunAt,
            },
            describe: 'runs',
            note: 'counted by runs, as no availability check reported',
          });
        }
        return ratioSlo({
          slo,
          objective,
          target: objective,
          unit: 'results',
          counts: inputs.counted[slo],
          describe: `${slo} check results`,
        });
      }
      default:
        return ratioSlo({
          slo,
          objective,
          target: durationTarget,
          unit: 'results',
          counts: inputs.counted.timeliness,
          describe: 'timeliness check results',
        });
    }
  });
}
