/**
 * ISO-8601 durations as data products use them for SLOs and retention
 * (`PT1H`, `P1D`, `P13M`, `P2Y`, `P1DT12H`, `PT0.5S`): whole numbers except
 * for the seconds. The DataProduct schema's duration fields use this same
 * pattern (a test holds them together), so what validates is what parses.
 *
 * @public
 */
export const ISO_DURATION_PATTERN =
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$';

const DURATION = new RegExp(ISO_DURATION_PATTERN);

/**
 * The parts of an ISO-8601 duration, each zero when not written.
 *
 * @public
 */
export type IsoDuration = {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
};

/**
 * The units of an {@link IsoDuration}, largest first, as written in it.
 *
 * @public
 */
export const ISO_DURATION_UNITS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
] as const;

/**
 * Parses an ISO-8601 duration (surrounding white space allowed), or returns
 * undefined when it is not one.
 *
 * @public
 */
export function parseIsoDuration(value: unknown): IsoDuration | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  // Groups 1-4 are Y M W D, 5 is the time part, 6-8 are H M S, 9 the fraction.
  const n = (group: string | undefined) =>
    group === undefined ? 0 : parseFloat(group);
  return {
    years: n(match[1]),
    months: n(match[2]),
    weeks: n(match[3]),
    days: n(match[4]),
    hours: n(match[6]),
    minutes: n(match[7]),
    seconds: n(match[8]),
  };
}

/**
 * The moment a duration after `start`, on the UTC calendar: `P1M` after
 * January 31st is the last day of February, `P1D` is always 24 hours.
 *
 * @public
 */
export function addIsoDuration(start: Date, duration: IsoDuration): Date {
  const result = new Date(start.getTime());
  if (duration.years || duration.months) {
    const day = result.getUTCDate();
    result.setUTCDate(1);
    result.setUTCMonth(
      result.getUTCMonth() + duration.years * 12 + duration.months,
    );
    const lastDay = new Date(
      Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
    ).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
  }
  const ms =
    ((((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 +
      duration.minutes) *
      60 +
      duration.seconds) *
    1000;
  return new Date(result.getTime() + ms);
}

/**
 * Seconds in a duration, counting a year as 365 days and a month as 30: for
 * thresholds that are never calendar-exact, such as those of quality checks.
 * Use {@link addIsoDuration} where the calendar matters.
 *
 * @public
 */
export function isoDurationSeconds(duration: IsoDuration): number {
  return (
    duration.years * 365 * 86400 +
    duration.months * 30 * 86400 +
    duration.weeks * 7 * 86400 +
    duration.days * 86400 +
    duration.hours * 3600 +
    duration.minutes * 60 +
    duration.seconds
  );
}

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
  if (parts.length <= 1) return parts.join('');
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
 * An ISO-8601 duration in English words, as pages and messages show it to
 * people: `PT1H` is `1 hour`, `P2Y` `2 years`, `P1DT12H` `1 day and 12 hours`.
 *
 * @returns the words, or `undefined` when the value is not an ISO-8601 duration
 * @public
 */
export function formatIsoDuration(value: string): string | undefined {
  const duration = parseIsoDuration(value);
  if (!duration) return undefined;
  const words = (unit: (typeof ISO_DURATION_UNITS)[number]) => {
    const amount = duration[unit];
    return `${amount} ${amount === 1 ? SINGULAR[unit] : unit}`;
  };
  const nonZero = ISO_DURATION_UNITS.filter(unit => duration[unit] !== 0);
  // Every written part is zero, e.g. PT0S: say it in the unit written last.
  if (nonZero.length === 0) return words(lastUnit(value));
  return joinWords(nonZero.map(words));
}
