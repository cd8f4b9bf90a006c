import {
  type SloInputs,
  durationMsAfter,
  evaluateSlos,
  lookbackFor,
} from './slo';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-06-15T12:00:00Z');

function inputs(extra: Partial<SloInputs> = {}): SloInputs {
  const none = { total: 0, bad: 0 };
  return {
    runs: 10,
    goodRuns: 10,
    futureRuns: 0,
    firstRunAt: now - 60 * DAY,
    lastRunAt: now - HOUR,
    lastArrivalAt: now - HOUR,
    lastChangeAt: now - HOUR,
    deliveries: [],
    counted: { completeness: none, timeliness: none, availability: none },
    ...extra,
  };
}

/** A delivery every `every` ms from `from` to `to`. */
function deliveries(from: number, to: number, every: number) {
  const out: SloInputs['deliveries'] = [];
  for (let t = from; t <= to; t += every) {
    out.push({ arrivedAt: t, finishedAt: t });
  }
  return out;
}

const evaluate = (
  slos: Record<string, unknown>,
  data: SloInputs | undefined,
  durationTarget = 99,
) => evaluateSlos({ slos: slos as any, inputs: data, now, durationTarget });

describe('SLO evaluation', () => {
  it('says there is no data for a product without results, never that it is healthy', () => {
    expect(
      evaluate(
        { freshness: 'PT1H', completeness: 99.5, availability: 99 },
        undefined,
      ),
    ).toEqual([
      {
        slo: 'freshness',
        objective: 'PT1H',
        status: 'no-data',
        message: 'No quality results have been posted for this product',
      },
      expect.objectContaining({ slo: 'completeness', status: 'no-data' }),
      expect.objectContaining({ slo: 'availability', status: 'no-data' }),
    ]);
    // Only runs dated in the future: no data either.
    expect(
      evaluate(
        { freshness: 'PT1H' },
        inputs({ lastRunAt: undefined, futureRuns: 2 }),
      )[0],
    ).toMatchObject({
      status: 'no-data',
      message:
        'No quality results dated up to now; the only ones are dated in the future',
    });
    expect(evaluate({}, inputs())).toEqual([]);
  });

  it('judges freshness by the age of the newest delivered data', () => {
    const hourly = deliveries(now - 30 * DAY, now - 2 * HOUR, HOUR);
    const fresh = evaluate(
      { freshness: 'PT6H' },
      inputs({ lastArrivalAt: now - 2 * HOUR, deliveries: hourly }),
    )[0];
    expect(fresh).toEqual({
      slo: 'freshness',
      objective: 'PT6H',
      status: 'met',
      message: 'The newest data arrived 2 hours ago; the objective is 6 hours',
      current: 2 * HOUR,
      errorBudget: {
        target: 99,
        unit: 'minutes',
        total: 43200,
        allowed: 432,
        used: 0,
        remaining: 432,
      },
    });
    const late = evaluate(
      { freshness: 'PT6H' },
      inputs({ lastArrivalAt: now - 5 * HOUR, deliveries: hourly }),
    )[0];
    expect(late.status).toBe('at-risk');
    expect(late.message).toBe(
      'The newest data arrived 5 hours ago; the objective is 6 hours, and 83% of it has passed',
    );
    const stale = evaluate(
      { freshness: 'PT6H' },
      inputs({
        lastArrivalAt: now - 9 * HOUR,
        deliveries: deliveries(now - 30 * DAY, now - 9 * HOUR, HOUR),
      }),
    )[0];
    expect(stale.status).toBe('breached');
    // Stale for the last 3 hours: 9 hours old, 6 allowed.
    expect(stale.errorBudget).toMatchObject({ used: 180, remaining: 252 });
  });

  it('is at risk when fresh now but the month’s budget of stale time is spent', () => {
    // Nothing arrived for days 20 to 10 ago, then hourly again.
    const gappy = [
      ...deliveries(now - 30 * DAY, now - 20 * DAY, HOUR),
      ...deliveries(now - 10 * DAY, now - HOUR, HOUR),
    ];
    const result = evaluate(
      { freshness: 'PT6H' },
      inputs({ lastArrivalAt: now - HOUR, deliveries: gappy }),
    )[0];
    expect(result.status).toBe('at-risk');
    expect(result.errorBudget).toMatchObject({
      allowed: 432,
      used: (10 * 24 - 6) * 60,
    });
    expect(result.message).toBe(
      'The newest data arrived 1 hour ago; the objective is 6 hours, but it was missed for 9 days 18 hours of the last 30 days, more than the 99% target allows (7 hours 12 minutes)',
    );
  });

  it('does not count the time before a new product’s first run against it', () => {
    const result = evaluate(
      { freshness: 'PT1H' },
      inputs({
        firstRunAt: now - 2 * DAY,
        lastArrivalAt: now - 30 * 60_000,
        deliveries: deliveries(now - 2 * DAY, now - 30 * 60_000, 30 * 60_000),
      }),
    )[0];
    expect(result.status).toBe('met');
    expect(result.errorBudget).toMatchObject({ total: 2880, used: 0 });
  });

  it('says freshness is breached when no run delivered data', () => {
    expect(
      evaluate({ freshness: 'PT1H' }, inputs({ lastArrivalAt: undefined }))[0],
    ).toEqual({
      slo: 'freshness',
      objective: 'PT1H',
      status: 'breached',
      message:
        'No run delivered data: each had an erroring check, a failing freshness check or no time of its own',
    });
  });

  it('judges the interval of change by when delivering runs finished', () => {
    const result = evaluate(
      { intervalOfChange: 'P1D' },
      inputs({
        lastArrivalAt: now - HOUR,
        lastChangeAt: now - 30 * HOUR,
        deliveries: deliveries(now - 30 * DAY, now - 30 * HOUR, DAY),
      }),
    )[0];
    expect(result).toMatchObject({
      status: 'breached',
      message:
        'The data last changed 1 day 6 hours ago; the objective is 1 day',
      current: 30 * HOUR,
    });
  });

  it('counts completeness results against the declared percentage', () => {
    const completeness = (
      total: number,
      bad: number,
      lastBadAt?: number,
    ): SloInputs =>
      inputs({
        counted: {
          completeness: { total, bad, lastAt: now - HOUR, lastBadAt },
          timeliness: { total: 0, bad: 0 },
          availability: { total: 0, bad: 0 },
        },
      });
    expect(
      evaluate({ completeness: 99 }, completeness(1000, 3, now - 5 * DAY))[0],
    ).toEqual({
      slo: 'completeness',
      objective: 99,
      status: 'met',
      message:
        '3 of 1000 completeness check results failed in the last 30 days: 99.7% good, the target is 99%',
      current: 99.7,
      errorBudget: {
        target: 99,
        unit: 'results',
        total: 1000,
        allowed: 10,
        used: 3,
        remaining: 7,
      },
    });
    // 80% of the allowance used.
    expect(
      evaluate({ completeness: 99 }, completeness(1000, 8, now - 5 * DAY))[0]
        .status,
    ).toBe('at-risk');
    // The newest result failed.
    const newest = evaluate(
      { completeness: 99 },
      completeness(1000, 1, now - HOUR),
    )[0];
    expect(newest.status).toBe('at-risk');
    expect(newest.message).toMatch(/; the newest one failed$/);
    expect(
      evaluate({ completeness: 99 }, completeness(1000, 11, now - 5 * DAY))[0]
        .status,
    ).toBe('breached');
    expect(evaluate({ completeness: 100 }, completeness(10, 0))[0].status).toBe(
      'met',
    );
  });

  it('says an SLO no check measures has no data', () => {
    expect(
      evaluate({ completeness: 99.5, timeliness: 'PT15M' }, inputs()),
    ).toEqual([
      {
        slo: 'completeness',
        objective: 99.5,
        status: 'no-data',
        message: 'No completeness check results in the last 30 days',
      },
      {
        slo: 'timeliness',
        objective: 'PT15M',
        status: 'no-data',
        message: 'No timeliness check results in the last 30 days',
      },
    ]);
  });

  it('measures availability by availability checks, or else by runs', () => {
    const byRuns = evaluate(
      { availability: 99 },
      inputs({ runs: 200, goodRuns: 197, lastBadRunAt: now - 3 * DAY }),
    )[0];
    expect(byRuns).toMatchObject({
      status: 'breached',
      message:
        '3 of 200 runs failed in the last 30 days: 98.5% good, the target is 99% (counted by runs, as no availability check reported)',
      errorBudget: { unit: 'runs', allowed: 2, used: 3, remaining: -1 },
    });
    const byChecks = evaluate(
      { availability: 99 },
      inputs({
        runs: 200,
        goodRuns: 150,
        counted: {
          completeness: { total: 0, bad: 0 },
          timeliness: { total: 0, bad: 0 },
          availability: { total: 200, bad: 0, lastAt: now - HOUR },
        },
      }),
    )[0];
    expect(byChecks).toMatchObject({
      status: 'met',
      errorBudget: { unit: 'results', used: 0 },
    });
  });

  it('judges timeliness checks with the duration target', () => {
    const result = evaluate(
      { timeliness: 'PT15M' },
      inputs({
        counted: {
          completeness: { total: 0, bad: 0 },
          timeliness: {
            total: 100,
            bad: 2,
            lastAt: now - HOUR,
            lastBadAt: now - DAY,
          },
          availability: { total: 0, bad: 0 },
        },
      }),
      95,
    )[0];
    expect(result).toMatchObject({
      status: 'met',
      errorBudget: { target: 95, allowed: 5, used: 2 },
    });
  });

  it('reports declared values it cannot judge', () => {
    expect(
      evaluate({ freshness: 'hourly', completeness: 120 }, inputs()).map(s => [
        s.status,
        s.message,
      ]),
    ).toEqual([
      [
        'no-data',
        'spec.slos.freshness "hourly" is not an ISO-8601 duration such as PT1H',
      ],
      [
        'no-data',
        'spec.slos.completeness is not a percentage between 0 and 100',
      ],
    ]);
  });

  it('counts durations on the calendar, as the governance policies do', () => {
    const jan31 = Date.parse('2026-01-31T00:00:00Z');
    expect(durationMsAfter(jan31, 'P1M')).toBe(28 * DAY);
    expect(durationMsAfter(now, 'PT1H30M')).toBe(1.5 * HOUR);
    expect(durationMsAfter(now, 'P1DT0.5S')).toBe(DAY + 500);
    expect(durationMsAfter(now, '1h')).toBeUndefined();
    expect(
      lookbackFor({ freshness: 'PT6H', intervalOfChange: 'P2D' }, now),
    ).toBe(2 * DAY);
  });
});
