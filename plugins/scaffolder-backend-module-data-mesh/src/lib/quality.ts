import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  DataProductEntity,
  OutputPort,
} from '@quanta/plugin-data-mesh-common';
import { durationSeconds } from './durations';
import { quoteIdentifier } from './models';
import { objectName } from './odcs';

/** What a check's query must return for the check to pass. */
export type Expectation =
  /** The query returns a timestamp no older than this. */
  | { maxAgeSeconds: number }
  /** The query returns a number at least this large. */
  | { min: number }
  /** The query returns `loaded` and `happened`, at most this far apart. */
  | { maxDelaySeconds: number };

export type QualityCheck = {
  name: string;
  port: string;
  slo: string;
  objective: string | number;
  severity: 'error' | 'warning';
  description: string;
  query: string;
  expect: Expectation;
};

export type QualityChecks = {
  product: string;
  checks: QualityCheck[];
  /** SLOs that no check implements, with the reason. */
  notChecked: Array<{ port: string; slo: string; reason: string }>;
};

const TIME_TYPE = /^(timestamp|datetime|date)/i;

function checksForPort(
  product: DataProductEntity,
  port: OutputPort,
  result: QualityChecks,
) {
  const slos = product.spec.slos ?? {};
  const model = objectName(port.name);
  const add = (check: Omit<QualityCheck, 'name' | 'port'>) =>
    result.checks.push({
      name: `${port.name}.${check.slo}`,
      port: port.name,
      ...check,
    });
  const maxAge = (
    slo: 'freshness' | 'intervalOfChange',
    severity: 'error' | 'warning',
  ) => {
    const value = slos[slo];
    const seconds = value ? durationSeconds(value) : undefined;
    if (!value || seconds === undefined) return;
    add({
      slo,
      objective: value,
      severity,
      description:
        slo === 'freshness'
          ? `The newest data of ${port.name} is at most ${value} old`
          : `${port.name} changes at least every ${value}`,
      query: `select max(_loaded_at) as value from ${model}`,
      expect: { maxAgeSeconds: seconds },
    });
  };
  maxAge('freshness', 'error');
  maxAge('intervalOfChange', 'warning');

  if (typeof slos.completeness === 'number') {
    const fields = port.schema ?? [];
    const query = fields.length
      ? `select 100.0 * sum(case when ${fields
          .map(f => `${quoteIdentifier(f.name)} is not null`)
          .join(
            ' and ',
          )} then 1 else 0 end) / nullif(count(*), 0) as value from ${model}`
      : `select case when count(*) > 0 then 100.0 else 0 end as value from ${model}`;
    add({
      slo: 'completeness',
      objective: slos.completeness,
      severity: 'error',
      description: fields.length
        ? `At least ${slos.completeness}% of the rows of ${port.name} have every declared field`
        : `${port.name} has rows (it declares no fields to measure completeness on)`,
      query,
      expect: { min: slos.completeness },
    });
  }

  if (typeof slos.availability === 'number') {
    add({
      slo: 'availability',
      objective: slos.availability,
      severity: 'error',
      description: `${port.name} can be read; the share of passing runs over time is measured against ${slos.availability}%`,
      query: `select count(*) as value from ${model}`,
      expect: { min: 0 },
    });
  }

  if (slos.timeliness) {
    const seconds = durationSeconds(slos.timeliness);
    const eventTime = (port.schema ?? []).find(f => TIME_TYPE.test(f.type));
    if (seconds === undefined) return;
    if (!eventTime) {
      result.notChecked.push({
        port: port.name,
        slo: 'timeliness',
        reason:
          'the port declares no date or timestamp field that says when an event happened',
      });
      return;
    }
    add({
      slo: 'timeliness',
      objective: slos.timeliness,
      severity: 'error',
      description: `Events reach ${port.name} at most ${slos.timeliness} after ${eventTime.name}`,
      query: `select max(_loaded_at) as loaded, max(${quoteIdentifier(
        eventTime.name,
      )}) as happened from ${model}`,
      expect: { maxDelaySeconds: seconds },
    });
  }
}

/**
 * One quality check per SLO and output port, each a query over the port's
 * model and what its answer must be. quality/run_checks.py runs them and
 * pushes the results to the portal.
 */
export function buildQualityChecks(product: DataProductEntity): QualityChecks {
  const result: QualityChecks = {
    product: stringifyEntityRef(product),
    checks: [],
    notChecked: [],
  };
  for (const port of product.spec.outputPorts ?? []) {
    checksForPort(product, port, result);
  }
  return result;
}
