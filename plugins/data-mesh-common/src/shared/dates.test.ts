import { dataProductSchema } from '../kind/schema';
import { ISO_DATE_PATTERN, isoDateProblem, parseIsoDate } from './dates';

describe('parseIsoDate', () => {
  it('reads dates with the pattern the schema gives waiver expiry dates', () => {
    expect(
      (dataProductSchema as any).definitions.waiver.properties.expires.pattern,
    ).toBe(ISO_DATE_PATTERN);
  });

  it('reads every day of a leap year and of a common year, and no other', () => {
    for (const [year, days] of [
      [2024, 366],
      [2026, 365],
      [2000, 366],
      [2100, 365],
    ]) {
      let read = 0;
      for (let month = 1; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(
            day,
          ).padStart(2, '0')}`;
          const date = parseIsoDate(text);
          if (!date) continue;
          read++;
          // The same day as the platform's own calendar.
          expect(new Date(date.time).toISOString().slice(0, 10)).toBe(text);
        }
      }
      expect(read).toBe(days);
    }
  });

  it.each([
    ['2026-02-30', 'a day February 2026 does not have (it has 28 days)'],
    ['2026-13-01', 'which has no month 13'],
    ['2026-06-30T25:00Z', 'which has no hour 25'],
    ['2026-06-30T12:00+14:60', 'whose UTC offset +14:60 does not exist'],
    [
      '30.06.2026',
      'not a date written as YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]',
    ],
    [42, 'not a date'],
  ])('says why %j is no date: %s', (value, why) => {
    expect(isoDateProblem(value)).toBe(why);
    expect(parseIsoDate(value)).toBeUndefined();
  });

  it('reads years before 100 as written', () => {
    expect(new Date(parseIsoDate('0099-12-31')!.time).getUTCFullYear()).toBe(
      99,
    );
  });
});
