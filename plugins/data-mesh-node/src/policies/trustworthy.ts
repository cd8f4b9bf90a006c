import { describeValue } from '@quanta/plugin-data-mesh-common';
import type { DataMeshPolicy } from '../engine/types';
import {
  type IsoDuration,
  addIsoDuration,
  formatElapsed,
  parseIsoDuration,
} from './duration';
import { constant, fail, listOf, notApplicable, pass } from './helpers';

// Products declare a handful of distinct durations (PT1H, P1D, ...) between
// them, so each is parsed once. Bounded, as values come from descriptors.
const durations = new Map<string, IsoDuration | undefined>();

function durationOf(value: unknown): IsoDuration | undefined {
  if (typeof value !== 'string') return undefined;
  if (durations.has(value)) return durations.get(value);
  const duration = parseIsoDuration(value);
  if (durations.size >= 1000) durations.clear();
  durations.set(value, duration);
  return duration;
}

const NO_QUALITY_RESULTS = constant(
  notApplicable('No quality results have been reported for this product'),
);
const NO_QUALITY_CHECKS = constant(
  notApplicable('No quality check has reported a result'),
);
const NO_FRESHNESS_SLO = constant(
  notApplicable('No freshness SLO is declared (spec.slos.freshness)'),
);
const NO_ARRIVAL_TIME = constant(
  notApplicable('No arrival time of the newest data has been reported'),
);

function isPercentage(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 100;
}

function percentageSlo(
  key: 'availability' | 'completeness',
  what: string,
): DataMeshPolicy['check'] {
  const unset = constant(fail(`No ${what} SLO: spec.slos.${key} is not set`));
  return product => {
    const value = product.spec?.slos?.[key];
    if (value === undefined || value === null) return unset;
    return isPercentage(value)
      ? pass()
      : fail(
          `spec.slos.${key} is ${describeValue(
            value,
          )}, not a percentage between 0 and 100`,
        );
  };
}

const NO_SLOS = constant(fail('No SLOs: spec.slos is not set'));
const NO_OBJECTIVE = constant(fail('No SLOs: spec.slos declares no objective'));
const NO_FRESHNESS = constant(
  fail('No freshness SLO: spec.slos.freshness is not set'),
);

export const trustworthyPolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.slos-declared',
    title: 'Service level objectives declared',
    attribute: 'trustworthy',
    severity: 'error',
    rationale:
      'Consumers can only rely on a product whose service levels are stated and measured.',
    howToFix:
      'Add spec.slos with at least freshness (an ISO-8601 duration such as PT1H) and availability (a percentage such as 99.5).',
    check: product => {
      const slos = product.spec?.slos;
      if (!slos || typeof slos !== 'object') return NO_SLOS;
      for (const key of Object.keys(slos)) {
        const value = (slos as Record<string, unknown>)[key];
        if (value !== undefined && value !== null) return pass();
      }
      return NO_OBJECTIVE;
    },
  },
  {
    id: 'quanta.freshness-slo',
    title: 'Freshness SLO declared',
    attribute: 'trustworthy',
    severity: 'warning',
    rationale:
      'Freshness is the first thing consumers ask: how old can the newest data be?',
    howToFix:
      'Set spec.slos.freshness to the maximum age of the newest data as an ISO-8601 duration, such as PT1H or P1D.',
    check: product => {
      const freshness = product.spec?.slos?.freshness;
      if (freshness === undefined || freshness === null || freshness === '') {
        return NO_FRESHNESS;
      }
      return durationOf(freshness)
        ? pass()
        : fail(
            `spec.slos.freshness ${describeValue(
              freshness,
            )} is not an ISO-8601 duration such as PT1H or P1D`,
          );
    },
  },
  {
    id: 'quanta.availability-slo',
    title: 'Availability SLO declared',
    attribute: 'trustworthy',
    severity: 'warning',
    rationale:
      'Consumers building on a product need to know how often its ports may be unreadable.',
    howToFix:
      'Set spec.slos.availability to the share of time the output ports are readable, as a percentage such as 99.5.',
    check: percentageSlo('availability', 'availability'),
  },
  {
    id: 'quanta.completeness-slo',
    title: 'Completeness SLO declared',
    attribute: 'trustworthy',
    severity: 'info',
    rationale:
      'Knowing what share of records may be missing tells consumers which questions the data can answer.',
    howToFix:
      'Set spec.slos.completeness to the share of expected records present, as a percentage such as 99.5.',
    check: percentageSlo('completeness', 'completeness'),
  },
  {
    id: 'quanta.quality-checks-passing',
    title: 'Quality checks passing',
    attribute: 'trustworthy',
    severity: 'error',
    rationale:
      'Failing quality checks mean consumers are reading data the producer knows to be wrong.',
    howToFix:
      'Fix the data or the pipeline behind the failing checks and push new results; if a check demands more than the product promises, align the check with spec.slos.',
    check: (_product, { facts }) => {
      const quality = facts.quality;
      if (!quality) return NO_QUALITY_RESULTS;
      const checks = Array.isArray(quality.checks) ? quality.checks : [];
      if (!checks.length) return NO_QUALITY_CHECKS;
      const failing = checks.filter(c => !c.passed);
      if (!failing.length) return pass();
      return fail(
        `${failing.length} of ${checks.length} quality ${
          checks.length === 1 ? 'check fails' : 'checks fail'
        }: ${listOf(failing.map(c => `${c.name} (at ${c.at})`))}`,
      );
    },
  },
  {
    id: 'quanta.data-fresh',
    title: 'Data fresh within its SLO',
    attribute: 'trustworthy',
    severity: 'error',
    rationale:
      'Data older than the freshness SLO breaks the promise consumers scheduled their work around.',
    howToFix:
      'Get the pipeline delivering again so new data arrives within spec.slos.freshness, or set spec.slos.freshness to the age the product can really keep.',
    check: (product, { facts, now }) => {
      const freshness = product.spec?.slos?.freshness;
      if (freshness === undefined || freshness === null || freshness === '') {
        return NO_FRESHNESS_SLO;
      }
      const lastUpdatedAt = facts.quality?.lastUpdatedAt;
      if (!lastUpdatedAt) return NO_ARRIVAL_TIME;
      const duration = durationOf(freshness);
      if (!duration) {
        return notApplicable(
          `spec.slos.freshness ${describeValue(
            freshness,
          )} is not an ISO-8601 duration`,
        );
      }
      const arrived = Date.parse(lastUpdatedAt);
      if (Number.isNaN(arrived)) {
        return notApplicable(
          `The reported arrival time "${lastUpdatedAt}" is not a date`,
        );
      }
      const deadline = addIsoDuration(new Date(arrived), duration);
      if (now.getTime() <= deadline.getTime()) return pass();
      return fail(
        `The newest data arrived at ${lastUpdatedAt}, ${formatElapsed(
          now.getTime() - arrived,
        )} ago; the freshness SLO is ${freshness}`,
      );
    },
  },
];
