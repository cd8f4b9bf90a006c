/*
 * Shapes of the quality REST API of the data-mesh backend plugin
 * (`/api/data-mesh`): ingestion of results and SLO status per product.
 */
import type { QualityCheckResult, QualitySloKey } from './types';

/**
 * Days the SLO status, error budgets and pass-rate trend look back.
 *
 * @public
 */
export const QUALITY_WINDOW_DAYS = 30;

/**
 * `POST /quality/results`: what one post stored.
 *
 * @public
 */
export type QualityIngestResponse = {
  entityRef: string;
  source: string;
  runId: string;
  /** Check results stored now. */
  stored: number;
  /** Check results of this run stored before (same source, run id and check id). */
  duplicates: number;
  /** Checks the tool skipped or did not evaluate; not stored. */
  skipped: number;
  /**
   * Said when the run had to be dated when it was received (the document
   * carries no time and no `runAt` was given): it then never counts as fresh
   * data.
   */
  note?: string;
};

/**
 * One run as stored, with its outcome counts.
 *
 * @public
 */
export type QualityRunSummary = {
  source: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** When the backend stored it. */
  receivedAt: string;
  url?: string;
  outputPort?: string;
  /** When the newest data arrived, as reported (or finishedAt). */
  lastUpdatedAt?: string;
  checks: number;
  pass: number;
  warn: number;
  fail: number;
  error: number;
};

/**
 * A check result with the run it belongs to.
 *
 * @public
 */
export type QualityCheckView = QualityCheckResult & {
  source: string;
  runId: string;
  /** The run's finishedAt. */
  at: string;
};

/**
 * Outcomes of one day (UTC).
 *
 * @public
 */
export type QualityPassRateDay = {
  /** YYYY-MM-DD */
  day: string;
  checks: number;
  /** `pass` and `warn` results. */
  passed: number;
  /** passed / checks, 0 to 100; undefined on a day without results. */
  passRate?: number;
};

/**
 * `met`: within the objective; `at-risk`: close to it (see the README for each
 * SLO's rule); `breached`: outside it; `no-data`: no results measure it.
 *
 * @public
 */
export type SloStatus = 'met' | 'at-risk' | 'breached' | 'no-data';

/**
 * How much of an SLO's 30-day allowance of bad time or bad results is left.
 *
 * @public
 */
export type ErrorBudget = {
  /** Share of the window (time SLOs) or of the events that must be good, 0 to 100. */
  target: number;
  /** `minutes` of bad time for freshness and interval of change; `results` or `runs` otherwise. */
  unit: 'minutes' | 'results' | 'runs';
  /** Events (or minutes) in the window. */
  total: number;
  /** Bad events (or minutes) the target allows in the window. */
  allowed: number;
  /** Bad events (or minutes) in the window. */
  used: number;
  /** allowed - used; negative once the budget is spent. */
  remaining: number;
};

/**
 * One declared SLO, evaluated against the stored results.
 *
 * @public
 */
export type SloEvaluation = {
  slo: QualitySloKey;
  /** As declared in `spec.slos`. */
  objective: string | number;
  status: SloStatus;
  /** What the status rests on, in a sentence. */
  message: string;
  /**
   * Now: the age of the newest data in ms (freshness), the time since the
   * last change in ms (interval of change), or the share of good results
   * in the window, 0 to 100 (the others).
   */
  current?: number;
  errorBudget?: ErrorBudget;
};

/**
 * `GET /quality/:kind/:namespace/:name`
 *
 * @public
 */
export type QualityResponse = {
  entityRef: string;
  /** The moment the statuses were worked out for. */
  evaluatedAt: string;
  windowDays: number;
  /** False when no results were ever stored for the product. */
  hasResults: boolean;
  /** The newest run, from any source. */
  latestRun?: QualityRunSummary;
  /** The newest run of each source, newest first. */
  latestRuns: QualityRunSummary[];
  /** Failing and erroring checks of the newest run of each source. */
  failing: QualityCheckView[];
  /** One entry per day of the window, oldest first. */
  passRate: QualityPassRateDay[];
  /** One entry per SLO declared in `spec.slos`. */
  slos: SloEvaluation[];
  /** Things the figures leave out, such as runs dated in the future. */
  notes: string[];
};

/**
 * A product breaching at least one SLO now.
 *
 * @public
 */
export type QualityBreach = {
  entityRef: string;
  title?: string;
  domain?: string;
  owner?: string;
  breached: Array<{ slo: QualitySloKey; message: string }>;
};

/**
 * `GET /quality/breaches`: products breaching SLOs now, by domain.
 *
 * @public
 */
export type QualityBreachesResponse = {
  evaluatedAt: string;
  /** Products with at least one declared SLO. */
  products: number;
  /** Products without any result yet. */
  noData: number;
  domains: Array<{
    /** Entity ref of the domain, or `none`. */
    domain: string;
    items: QualityBreach[];
  }>;
};
