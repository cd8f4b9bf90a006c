import { formatDate, formatDateTimeUtc, shortRef } from './format';

describe('shared format helpers', () => {
  it('shortens refs in the default namespace only', () => {
    expect(shortRef('domain:default/sales')).toBe('sales');
    expect(shortRef('domain:finance/ledger')).toBe('finance/ledger');
    expect(shortRef(undefined)).toBe('');
  });

  it('formats dates, keeping date-only values on their day', () => {
    expect(formatDate('2027-03-31')).toBe('31 Mar 2027');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate(undefined)).toBe('');
  });

  it('formats a time in UTC, whatever the zone it is written in', () => {
    expect(formatDateTimeUtc('2026-12-01T09:30:59.999Z')).toBe(
      '1 Dec 2026, 09:30 UTC',
    );
    expect(formatDateTimeUtc('2026-09-14T23:05:00-02:00')).toBe(
      '15 Sep 2026, 01:05 UTC',
    );
    expect(formatDateTimeUtc('not a date')).toBeUndefined();
    expect(formatDateTimeUtc(undefined)).toBeUndefined();
  });
});
