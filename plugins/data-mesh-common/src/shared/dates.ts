/**
 * Dates as descriptors write them (a waiver's `expires`): `2027-03-31`, or a
 * date-time such as `2027-03-31T18:00Z` or `2027-03-31T18:00:00+02:00`. The
 * DataProduct schema's date fields use this same pattern (a test holds them
 * together), and the validator and the policy engine read dates with
 * {@link parseIsoDate} only, so a date the validator accepts is the date the
 * engine applies, and one it rejects is never applied.
 *
 * @public
 */
export const ISO_DATE_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?$';

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;

/**
 * A date read by {@link parseIsoDate}.
 *
 * @public
 */
export type IsoDate = {
  /** Milliseconds since the epoch: midnight UTC for a date without a time. */
  time: number;
  /** True when written without a time (the whole day is meant). */
  dateOnly: boolean;
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysIn(year: number, month: number): number {
  if (month !== 2)
    return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

function read(value: unknown): IsoDate | string {
  if (typeof value !== 'string') return 'not a date';
  const match = DATE.exec(value);
  if (!match) {
    return 'not a date written as YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]';
  }
  const [, y, mo, d, h, mi, s, fraction, zone, sign, zh, zm] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return `which has no month ${mo}`;
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    return `a day ${
      MONTHS[month - 1]
    } ${y} does not have (it has ${days} days)`;
  }
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  // 24:00 and leap seconds are left out: written as the next day's 00:00 or
  // 23:59:59 they mean the same, and not every reader takes them.
  if (hour > 23) return `which has no hour ${h}`;
  if (minute > 59) return `which has no minute ${mi}`;
  if (second > 59) return `which has no second ${s}`;
  let offset = 0;
  if (zone && zone !== 'Z') {
    if (Number(zh) > 23 || Number(zm) > 59) {
      return `whose UTC offset ${sign}${zh}:${zm} does not exist`;
    }
    offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0 to 99 as written.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(
    hour,
    minute - offset,
    second,
    fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0,
  );
  // A time without an offset is read as UTC, so that the server's time zone
  // never moves a waiver's end.
  return { time: date.getTime(), dateOnly: h === undefined };
}

/**
 * Reads a date or date-time written as {@link ISO_DATE_PATTERN} says, or
 * returns undefined when it is not one or names a day or time that does not
 * exist (month 13, 30 February, hour 25). A time without an offset is UTC.
 *
 * @public
 */
export function parseIsoDate(value: unknown): IsoDate | undefined {
  const result = read(value);
  return typeof result === 'string' ? undefined : result;
}

/**
 * Why {@link parseIsoDate} does not read a value, in words that follow the
 * quoted value in a message (for 2026-02-30: a day February 2026 does not
 * have, it has 28 days); undefined when it reads it.
 *
 * @public
 */
export function isoDateProblem(value: unknown): string | undefined {
  const result = read(value);
  return typeof result === 'string' ? result : undefined;
}
