import { describeIsoDuration, formatIsoDuration } from './duration';

describe('formatIsoDuration', () => {
  it.each([
    ['PT1H', '1 hour'],
    ['PT2H', '2 hours'],
    ['PT15M', '15 minutes'],
    ['PT30M', '30 minutes'],
    ['PT1M', '1 minute'],
    ['PT45S', '45 seconds'],
    ['PT0.5S', '0.5 seconds'],
    ['P1D', '1 day'],
    ['P7D', '7 days'],
    ['P1W', '1 week'],
    ['P2W', '2 weeks'],
    ['P1M', '1 month'],
    ['P6M', '6 months'],
    ['P1Y', '1 year'],
    ['P2Y', '2 years'],
    ['P1DT12H', '1 day and 12 hours'],
    ['PT1H30M', '1 hour and 30 minutes'],
    ['P1Y2M3D', '1 year, 2 months and 3 days'],
    [
      'P1Y2M3DT4H5M6S',
      '1 year, 2 months, 3 days, 4 hours, 5 minutes and 6 seconds',
    ],
    ['P1YT0H', '1 year'],
    ['PT0S', '0 seconds'],
    ['P0D', '0 days'],
    ['P01D', '1 day'],
    [' PT1H ', '1 hour'],
  ])('formats %s as "%s"', (input, expected) => {
    expect(formatIsoDuration(input)).toBe(expected);
  });

  it.each([
    [''],
    ['P'],
    ['PT'],
    ['P1YT'],
    ['1 hour'],
    ['PT1h'],
    ['P1H'],
    ['T1H'],
    ['PT1H1D'],
    ['P-1D'],
    ['3600'],
    // The DataProduct schema takes a fraction in the seconds only, with a point.
    ['PT1,5S'],
    ['P1.5D'],
  ])('rejects %p', input => {
    expect(formatIsoDuration(input)).toBeUndefined();
  });
});

describe('describeIsoDuration', () => {
  it('uses words for valid durations', () => {
    expect(describeIsoDuration('P2Y')).toBe('2 years');
  });

  it('keeps invalid values visible, with a note', () => {
    expect(describeIsoDuration('1 hour')).toBe(
      '1 hour (not an ISO-8601 duration)',
    );
  });
});
