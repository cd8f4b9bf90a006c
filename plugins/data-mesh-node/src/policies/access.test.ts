import type { AccessGrantFacts } from '../engine/types';
import {
  PASS,
  failWith,
  notApplicable,
  product,
  runCases,
} from './__fixtures__/mesh';

const grant = (overrides: Partial<AccessGrantFacts> = {}): AccessGrantFacts => ({
  requestId: 'r1',
  port: 'orders-table',
  consumer: 'dataproduct:default/daily-sales',
  endDate: '2026-09-30',
  approvedAt: '2026-06-01T09:00:00.000Z',
  classification: 'internal',
  containsPii: false,
  ...overrides,
});

it('quanta.access-sensitive-grants-reviewed', () => {
  const { actual, expected } = runCases(
    'quanta.access-sensitive-grants-reviewed',
    [
      {
        name: 'no grants',
        product: product('orders'),
        expected: notApplicable('No access grant of its ports'),
      },
      {
        name: 'a year of internal data',
        product: product('orders'),
        facts: { access: { grants: [grant({ endDate: '2027-06-01' })] } },
        expected: notApplicable('No grant of restricted or personal data'),
      },
      {
        name: 'restricted data for 180 days to the day',
        product: product('orders'),
        facts: {
          access: {
            grants: [
              grant({ classification: 'restricted', endDate: '2026-11-27' }),
            ],
          },
        },
        expected: PASS,
      },
      {
        name: 'personal data for 181 days',
        product: product('orders'),
        facts: {
          access: {
            grants: [grant({ containsPii: true, endDate: '2026-11-28' })],
          },
        },
        expected: failWith(
          'A grant of restricted or personal data runs more than 180 days: dataproduct:default/daily-sales on orders-table until 2026-11-28',
        ),
      },
      {
        name: 'several long grants',
        product: product('orders'),
        facts: {
          access: {
            grants: ['a', 'b', 'c', 'd'].map(name =>
              grant({
                consumer: `component:default/${name}`,
                classification: 'restricted',
                endDate: '2027-05-31',
              }),
            ),
          },
        },
        expected: failWith(
          '4 grants of restricted or personal data run more than 180 days: component:default/a on orders-table until 2027-05-31; component:default/b on orders-table until 2027-05-31; component:default/c on orders-table until 2027-05-31 and 1 more',
        ),
      },
    ],
  );
  expect(actual).toEqual(expected);
});

it('quanta.access-grant-consumer-active', () => {
  const { actual, expected } = runCases('quanta.access-grant-consumer-active', [
    {
      name: 'no grants',
      product: product('orders'),
      expected: notApplicable('No access grant of its ports'),
    },
    {
      name: 'grants to a product in production and to a component',
      product: product('orders'),
      facts: {
        access: {
          grants: [
            grant(),
            grant({ consumer: 'component:default/orders-service' }),
          ],
        },
      },
      expected: PASS,
    },
    {
      name: 'a retired product and a consumer gone from the catalog',
      product: product('orders'),
      facts: {
        access: {
          grants: [
            grant({ consumer: 'dataproduct:default/old-feed' }),
            grant({ consumer: 'component:default/churn-model' }),
          ],
        },
      },
      expected: failWith(
        'Retired consumers still hold grants: dataproduct:default/old-feed (orders-table); Consumers no longer in the catalog still hold grants: component:default/churn-model (orders-table)',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
