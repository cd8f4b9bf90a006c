import {
  PASS,
  failWith,
  notApplicable,
  product,
  runCases,
} from './__fixtures__/mesh';

it('quanta.slos-declared', () => {
  const { actual, expected } = runCases('quanta.slos-declared', [
    { name: 'SLOs', product: product('orders'), expected: PASS },
    {
      name: 'no SLOs',
      product: product('orders', { slos: undefined }),
      expected: failWith('No SLOs: spec.slos is not set'),
    },
    {
      name: 'an empty SLO block',
      product: product('orders', { slos: {} }),
      expected: failWith('No SLOs: spec.slos declares no objective'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.freshness-slo', () => {
  const { actual, expected } = runCases('quanta.freshness-slo', [
    { name: 'a freshness SLO', product: product('orders'), expected: PASS },
    {
      name: 'no freshness SLO',
      product: product('orders', { slos: { availability: 99 } }),
      expected: failWith('No freshness SLO: spec.slos.freshness is not set'),
    },
    {
      name: 'a freshness SLO that is not a duration',
      product: product('orders', { slos: { freshness: '1 hour' } }),
      expected: failWith(
        'spec.slos.freshness "1 hour" is not an ISO-8601 duration such as PT1H or P1D',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.availability-slo', () => {
  const { actual, expected } = runCases('quanta.availability-slo', [
    { name: 'an availability SLO', product: product('orders'), expected: PASS },
    {
      name: 'no availability SLO',
      product: product('orders', { slos: { freshness: 'PT1H' } }),
      expected: failWith(
        'No availability SLO: spec.slos.availability is not set',
      ),
    },
    {
      name: 'an availability above 100',
      product: product('orders', { slos: { availability: 120 } }),
      expected: failWith(
        'spec.slos.availability is number 120, not a percentage between 0 and 100',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.completeness-slo', () => {
  const { actual, expected } = runCases('quanta.completeness-slo', [
    { name: 'a completeness SLO', product: product('orders'), expected: PASS },
    {
      name: 'no completeness SLO',
      product: product('orders', { slos: { freshness: 'PT1H' } }),
      expected: failWith(
        'No completeness SLO: spec.slos.completeness is not set',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

const at = '2026-06-15T10:00:00Z';

it('quanta.quality-checks-passing', () => {
  const { actual, expected } = runCases('quanta.quality-checks-passing', [
    {
      name: 'no quality facts',
      product: product('orders'),
      expected: notApplicable(
        'No quality results have been reported for this product',
      ),
    },
    {
      name: 'no checks reported',
      product: product('orders'),
      facts: { quality: { checks: [] } },
      expected: notApplicable('No quality check has reported a result'),
    },
    {
      name: 'every check passing',
      product: product('orders'),
      facts: {
        quality: {
          checks: [
            { name: 'order_id_not_null', passed: true, at },
            { name: 'row_count', passed: true, at },
          ],
        },
      },
      expected: PASS,
    },
    {
      name: 'failing checks',
      product: product('orders'),
      facts: {
        quality: {
          checks: [
            { name: 'order_id_not_null', passed: false, at },
            { name: 'row_count', passed: true, at },
            { name: 'amount_positive', passed: false, at },
          ],
        },
      },
      expected: failWith(
        '2 of 3 quality checks fail: order_id_not_null (at 2026-06-15T10:00:00Z) and amount_positive (at 2026-06-15T10:00:00Z)',
      ),
    },
    {
      name: 'the only check failing',
      product: product('orders'),
      facts: {
        quality: { checks: [{ name: 'row_count', passed: false, at }] },
      },
      expected: failWith(
        '1 of 1 quality check fails: row_count (at 2026-06-15T10:00:00Z)',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

// The fixtures evaluate at 2026-06-15T12:00:00Z.
const arrived = (lastUpdatedAt: string) => ({
  quality: { checks: [], lastUpdatedAt },
});

it('quanta.data-fresh', () => {
  const { actual, expected } = runCases('quanta.data-fresh', [
    {
      name: 'no quality facts',
      product: product('orders'),
      expected: notApplicable(
        'No arrival time of the newest data has been reported',
      ),
    },
    {
      name: 'quality facts without an arrival time',
      product: product('orders'),
      facts: { quality: { checks: [] } },
      expected: notApplicable(
        'No arrival time of the newest data has been reported',
      ),
    },
    {
      name: 'no freshness SLO',
      product: product('orders', { slos: { availability: 99 } }),
      facts: arrived('2026-06-15T11:30:00Z'),
      expected: notApplicable(
        'No freshness SLO is declared (spec.slos.freshness)',
      ),
    },
    {
      name: 'data younger than the SLO',
      product: product('orders'),
      facts: arrived('2026-06-15T11:30:00Z'),
      expected: PASS,
    },
    {
      name: 'data exactly as old as the SLO',
      product: product('orders'),
      facts: arrived('2026-06-15T11:00:00Z'),
      expected: PASS,
    },
    {
      name: 'data older than the SLO',
      product: product('orders'),
      facts: arrived('2026-06-15T08:40:00Z'),
      expected: failWith(
        'The newest data arrived at 2026-06-15T08:40:00Z, 3 hours 20 minutes ago; the freshness SLO is PT1H',
      ),
    },
    {
      name: 'a monthly product within its month',
      product: product('orders', { slos: { freshness: 'P1M' } }),
      facts: arrived('2026-05-15T12:00:00Z'),
      expected: PASS,
    },
    {
      name: 'a monthly product past its month',
      product: product('orders', { slos: { freshness: 'P1M' } }),
      facts: arrived('2026-05-14T06:00:00Z'),
      expected: failWith(
        'The newest data arrived at 2026-05-14T06:00:00Z, 32 days 6 hours ago; the freshness SLO is P1M',
      ),
    },
    {
      name: 'an arrival time that is not a date',
      product: product('orders'),
      facts: arrived('yesterday'),
      expected: notApplicable(
        'The reported arrival time "yesterday" is not a date',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
