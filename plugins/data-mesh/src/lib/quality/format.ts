/** Labels of SLO and check statuses, and error budgets in words. */

import type {
  ErrorBudget,
  QualitySloKey,
  QualityStatus,
  SloStatus,
} from '@quanta/plugin-data-mesh-common';

const SLO_LABELS: Record<QualitySloKey, string> = {
  freshness: 'Freshness',
  intervalOfChange: 'Interval of change',
  completeness: 'Completeness',
  availability: 'Availability',
  timeliness: 'Timeliness',
};

export function sloLabel(slo: QualitySloKey): string {
  return SLO_LABELS[slo] ?? slo;
}

const STATUS_LABELS: Record<SloStatus, string> = {
  met: 'met',
  'at-risk': 'at risk',
  breached: 'breached',
  'no-data': 'no data',
};

export function sloStatusLabel(status: SloStatus): string {
  return STATUS_LABELS[status] ?? status;
}

export function checkStatusLabel(status: QualityStatus): string {
  if (status === 'fail') return 'failed';
  if (status === 'warn') return 'warning';
  return status;
}

/** `432` minutes reads as `7 h 12 min`. */
export function formatMinutes(minutes: number): string {
  const total = Math.round(Math.abs(minutes));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const rest = total % 60;
  const parts = [
    days ? `${days} d` : '',
    hours ? `${hours} h` : '',
    rest || (!days && !hours) ? `${rest} min` : '',
  ].filter(Boolean);
  return parts.join(' ');
}

const number = (value: number) =>
  Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));

/** What is left of an error budget, in a sentence. */
export function describeBudget(budget: ErrorBudget): string {
  // Nothing spent says all a consumer needs; the allowance of a product with
  // little history rounds to nothing and would only confuse.
  if (budget.used === 0) return 'Error budget: none spent in 30 days';
  if (budget.unit === 'minutes') {
    const state =
      budget.remaining >= 0
        ? `${formatMinutes(budget.remaining)} left`
        : `spent, ${formatMinutes(-budget.remaining)} over`;
    return `Error budget: missed for ${formatMinutes(
      budget.used,
    )} of the ${formatMinutes(budget.allowed)} the ${
      budget.target
    }% target allows in 30 days; ${state}`;
  }
  const what = budget.unit === 'runs' ? 'failing runs' : 'failing results';
  const state =
    budget.remaining >= 0
      ? `${number(budget.remaining)} left`
      : `spent, ${number(-budget.remaining)} over`;
  return `Error budget: ${number(budget.used)} of the ${number(
    budget.allowed,
  )} ${what} the ${budget.target}% target allows in 30 days; ${state}`;
}
