import {
  PASS,
  failWith,
  notApplicable,
  product,
  runCases,
} from './__fixtures__/mesh';

it('quanta.lineage-matches-declared', () => {
  const observed = {
    upstream: ['dataproduct:default/orders'],
    downstream: [],
    staleAfterDays: 30,
  };
  const { actual, expected } = runCases('quanta.lineage-matches-declared', [
    {
      name: 'no observations',
      product: product('daily-sales'),
      expected: notApplicable(
        'No OpenLineage events show the runs of this product yet',
      ),
    },
    {
      name: 'runs read what the input ports declare',
      product: product('daily-sales'),
      facts: {
        lineage: { ...observed, undeclaredUpstream: [], staleUpstream: [] },
      },
      expected: PASS,
    },
    {
      name: 'an undeclared upstream',
      product: product('daily-sales'),
      facts: {
        lineage: {
          ...observed,
          undeclaredUpstream: ['dataproduct:default/payments'],
        },
      },
      expected: failWith(
        'Runs read dataproduct:default/payments, which no input port declares',
      ),
    },
    {
      name: 'a stale input and an undeclared upstream',
      product: product('daily-sales'),
      facts: {
        lineage: {
          ...observed,
          staleAfterDays: 14,
          undeclaredUpstream: ['dataproduct:default/payments'],
          staleUpstream: ['dataproduct:default/orders'],
        },
      },
      expected: failWith(
        'Runs read dataproduct:default/payments, which no input port declares; declared input dataproduct:default/orders not read in the last 14 days',
      ),
    },
    {
      name: 'many stale inputs',
      product: product('daily-sales'),
      facts: {
        lineage: {
          ...observed,
          staleUpstream: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(
            n => `dataproduct:default/${n}`,
          ),
        },
      },
      expected: failWith(
        'Declared inputs dataproduct:default/a, dataproduct:default/b, dataproduct:default/c, dataproduct:default/d, dataproduct:default/e and 2 more not read in the last 30 days',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
