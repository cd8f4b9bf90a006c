import {
  ISO_DURATION_UNITS,
  isoDurationSeconds,
  parseIsoDuration,
} from '@quanta/plugin-data-mesh-common';

/** The ODCS unit of each part of an ISO-8601 duration, and its length. */
const UNITS: Record<
  (typeof ISO_DURATION_UNITS)[number],
  { unit: string; seconds: number }
> = {
  years: { unit: 'y', seconds: 365 * 86400 },
  months: { unit: 'mo', seconds: 30 * 86400 },
  weeks: { unit: 'w', seconds: 7 * 86400 },
  days: { unit: 'd', seconds: 86400 },
  hours: { unit: 'h', seconds: 3600 },
  minutes: { unit: 'm', seconds: 60 },
  seconds: { unit: 's', seconds: 1 },
};

/**
 * Seconds in a duration, counting a year as 365 days and a month as 30: close
 * enough for thresholds of quality checks, which are never calendar-exact.
 */
export function durationSeconds(value: string): number | undefined {
  const duration = parseIsoDuration(value);
  return duration && isoDurationSeconds(duration);
}

/**
 * A duration as the value and unit of an ODCS SLA property (`PT1H` is 1 h,
 * `P7Y` is 7 y). A duration of several parts is counted in its smallest unit.
 */
export function slaValue(
  value: string,
): { value: number; unit: string } | undefined {
  const duration = parseIsoDuration(value);
  if (!duration) return undefined;
  const used = ISO_DURATION_UNITS.filter(unit => duration[unit] > 0);
  if (used.length === 0) return { value: 0, unit: 's' };
  if (used.length === 1) {
    return { value: duration[used[0]], unit: UNITS[used[0]].unit };
  }
  const smallest = UNITS[used[used.length - 1]];
  const seconds = isoDurationSeconds(duration);
  return {
    value: Math.round((seconds / smallest.seconds) * 1000) / 1000,
    unit: smallest.unit,
  };
}
