/**
 * ISO-8601 durations as data products use them for SLOs and retention
 * (`PT1H`, `P1D`, `P13M`, `P2Y`, `P1DT12H`, `PT0.5S`): the same grammar the
 * DataProduct schema accepts, whole numbers except for the seconds.
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

const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses an ISO-8601 duration, or returns undefined when it is not one.
 *
 * @public
 */
export function parseIsoDuration(value: unknown): IsoDuration | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (!match) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = match
    .slice(1)
    .map(part => (part === undefined ? 0 : Number(part)));
  return { years, months, weeks, days, hours, minutes, seconds };
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
 * An elapsed time in words a person reads at a glance: `3 days 4 hours`, `25 minutes`.
 *
 * @public
 */
export function formatElapsed(ms: number): string {
  const totalMinutes = Math.floor(Math.max(0, ms) / 60000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) {
    return hours > 0
      ? `${unit(days, 'day')} ${unit(hours, 'hour')}`
      : unit(days, 'day');
  }
  if (hours > 0) {
    return minutes > 0
      ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`
      : unit(hours, 'hour');
  }
  return unit(minutes, 'minute');
}
