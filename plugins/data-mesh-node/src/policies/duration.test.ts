import { addIsoDuration, formatElapsed, parseIsoDuration } from './duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT1H', { hours: 1 }],
    ['PT15M', { minutes: 15 }],
    ['P1D', { days: 1 }],
    ['P2W', { weeks: 2 }],
    ['P13M', { months: 13 }],
    ['P2Y', { years: 2 }],
    ['P1DT12H', { days: 1, hours: 12 }],
    ['PT0.5S', { seconds: 0.5 }],
    [
      'P1Y2M3W4DT5H6M7S',
      {
        years: 1,
        months: 2,
        weeks: 3,
        days: 4,
        hours: 5,
        minutes: 6,
        seconds: 7,
      },
    ],
  ])('reads %s', (text, parts) => {
    expect(parseIsoDuration(text)).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 0,
      ...parts,
    });
  });

  it.each(['', 'P', 'PT', '1H', 'P1H', 'PT1D', 'P1.5D', '1 hour', 'P-1D'])(
    'rejects %j',
    text => {
      expect(parseIsoDuration(text)).toBeUndefined();
    },
  );

  it('rejects values that are not strings', () => {
    expect(parseIsoDuration(3600)).toBeUndefined();
    expect(parseIsoDuration(undefined)).toBeUndefined();
  });
});

describe('addIsoDuration', () => {
  const add = (start: string, duration: string) =>
    addIsoDuration(new Date(start), parseIsoDuration(duration)!).toISOString();

  it('adds fixed units exactly', () => {
    expect(add('2026-06-15T12:00:00Z', 'PT1H')).toBe(
      '2026-06-15T13:00:00.000Z',
    );
    expect(add('2026-06-15T12:00:00Z', 'P1DT30M')).toBe(
      '2026-06-16T12:30:00.000Z',
    );
    expect(add('2026-06-15T12:00:00Z', 'P2W')).toBe('2026-06-29T12:00:00.000Z');
    expect(add('2026-06-15T12:00:00Z', 'PT0.5S')).toBe(
      '2026-06-15T12:00:00.500Z',
    );
  });

  it('adds months and years on the calendar, keeping to the end of short months', () => {
    expect(add('2026-01-31T08:00:00Z', 'P1M')).toBe('2026-02-28T08:00:00.000Z');
    expect(add('2028-01-31T08:00:00Z', 'P1M')).toBe('2028-02-29T08:00:00.000Z');
    expect(add('2026-06-15T00:00:00Z', 'P13M')).toBe(
      '2027-07-15T00:00:00.000Z',
    );
    expect(add('2028-02-29T00:00:00Z', 'P1Y')).toBe('2029-02-28T00:00:00.000Z');
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0 minutes'],
    [60_000, '1 minute'],
    [25 * 60_000, '25 minutes'],
    [60 * 60_000, '1 hour'],
    [200 * 60_000, '3 hours 20 minutes'],
    [24 * 60 * 60_000, '1 day'],
    [(2 * 24 + 1) * 60 * 60_000 + 59_000, '2 days 1 hour'],
  ])('%d ms is %s', (ms, words) => {
    expect(formatElapsed(ms)).toBe(words);
  });
});
