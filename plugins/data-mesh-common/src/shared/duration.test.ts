import { dataProductSchema } from '../kind/schema';
import {
  ISO_DURATION_PATTERN,
  addIsoDuration,
  isoDurationSeconds,
  parseIsoDuration,
} from './duration';

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

describe('isoDurationSeconds', () => {
  it.each([
    ['PT1H', 3600],
    ['P1DT12H', 36 * 3600],
    ['P2W', 14 * 86400],
    ['P1M', 30 * 86400],
    ['P1Y', 365 * 86400],
    ['PT0.5S', 0.5],
  ])('%s is %d seconds', (text, seconds) => {
    expect(isoDurationSeconds(parseIsoDuration(text)!)).toBe(seconds);
  });
});

describe('the DataProduct schema and the parser', () => {
  // Every string property the schema describes as an ISO-8601 duration.
  const durationFields: Array<[string, { pattern?: string }]> = [];
  const walk = (node: any, where: string) => {
    if (!node || typeof node !== 'object') return;
    if (
      typeof node.description === 'string' &&
      node.description.includes('ISO-8601 duration')
    ) {
      durationFields.push([where, node]);
    }
    for (const [key, inner] of Object.entries(node))
      walk(inner, `${where}.${key}`);
  };
  walk(dataProductSchema, '$');

  it('finds the four duration fields (freshness, intervalOfChange, timeliness, retention)', () => {
    expect(durationFields.map(([where]) => where.split('.').pop())).toEqual(
      expect.arrayContaining([
        'freshness',
        'intervalOfChange',
        'timeliness',
        'retention',
      ]),
    );
  });

  it('validates durations with the pattern the parser uses', () => {
    for (const [where, field] of durationFields) {
      expect([where, field.pattern]).toEqual([where, ISO_DURATION_PATTERN]);
    }
  });
});
