/**
 * Human-readable rendering of ISO-8601 durations, as used by data product SLOs
 * and retention periods (`PT1H`, `P1D`, `P2Y`, `P1DT12H`, `PT0.5S`).
 */

import {
  ISO_DURATION_UNITS,
  parseIsoDuration,
} from '@quanta/plugin-data-mesh-common';

const SINGULAR: Record<(typeof ISO_DURATION_UNITS)[number], string> = {
  years: 'year',
  months: 'month',
  weeks: 'week',
  days: 'day',
  hours: 'hour',
  minutes: 'minute',
  seconds: 'second',
};

function joinWords(parts: string[]): string {
  if (parts.length <= 1) {
    return parts.join('');
  }
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The unit of the last part written, for a duration whose parts are all zero. */
function lastUnit(value: string): (typeof ISO_DURATION_UNITS)[number] {
  const text = value.trim();
  const designator = text[text.length - 1];
  if (designator === 'M') return text.includes('T') ? 'minutes' : 'months';
  const byDesignator: Record<string, (typeof ISO_DURATION_UNITS)[number]> = {
    Y: 'years',
    W: 'weeks',
    D: 'days',
    H: 'hours',
    S: 'seconds',
  };
  return byDesignator[designator];
}

/**
 * Turns an ISO-8601 duration into English words, e.g. `PT1H` into `1 hour`,
 * `P2Y` into `2 years` and `P1DT12H` into `1 day and 12 hours`.
 *
 * @returns the words, or `undefined` when the value is not an ISO-8601 duration
 * @public
 */
export function formatIsoDuration(value: string): string | undefined {
  // The common parser, so that what the page words is what the schema accepts.
  const duration = parseIsoDuration(value);
  if (!duration) {
    return undefined;
  }
  const words = (unit: (typeof ISO_DURATION_UNITS)[number]) => {
    const amount = duration[unit];
    return `${amount} ${amount === 1 ? SINGULAR[unit] : unit}`;
  };
  const nonZero = ISO_DURATION_UNITS.filter(unit => duration[unit] !== 0);
  if (nonZero.length === 0) {
    // Every written part is zero, e.g. PT0S: say it in the unit written last.
    return words(lastUnit(value));
  }
  return joinWords(nonZero.map(words));
}

/**
 * Like {@link formatIsoDuration}, but never fails: values that are not ISO-8601
 * durations are shown as written, with a note.
 *
 * @public
 */
export function describeIsoDuration(value: string): string {
  return formatIsoDuration(value) ?? `${value} (not an ISO-8601 duration)`;
}
