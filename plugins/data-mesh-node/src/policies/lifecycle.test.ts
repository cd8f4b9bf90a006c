import {
  PASS,
  failWith,
  notApplicable,
  product,
  reads,
  runCases,
} from './__fixtures__/mesh';

const reading = (...inputPorts: ReturnType<typeof reads>[]) =>
  product('sales-report', { type: 'consumer-aligned', inputPorts });

it('quanta.no-deprecated-dependency', () => {
  const { actual, expected } = runCases('quanta.no-deprecated-dependency', [
    {
      name: 'no upstream product',
      product: product('orders'),
      expected: notApplicable('Reads no upstream data product'),
    },
    {
      name: 'production upstreams',
      product: reading(reads('orders'), reads('customers')),
      expected: PASS,
    },
    {
      name: 'a deprecated and a retired upstream',
      product: reading(
        reads('orders'),
        reads('legacy-extract'),
        reads('old-feed'),
      ),
      expected: failWith(
        'Reads dataproduct:default/legacy-extract, which is deprecated; Reads dataproduct:default/old-feed, which is retired',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.upstream-exists', () => {
  const { actual, expected } = runCases('quanta.upstream-exists', [
    {
      name: 'sources and products in the catalog',
      product: product('orders', {
        type: 'aggregate',
        inputPorts: [
          { name: 'orders-db', source: 'resource:default/orders-db' },
          { name: 'service', source: 'orders-service' },
          { name: 'events', source: 'api:default/order-events' },
          reads('customers'),
        ],
      }),
      expected: PASS,
    },
    {
      name: 'a product and a source the catalog does not hold',
      product: product('orders', {
        inputPorts: [
          reads('customers'),
          reads('prospects'),
          { name: 'crm', source: 'component:default/crm' },
        ],
      }),
      expected: failWith(
        'Input port prospects reads dataproduct:default/prospects, which is not in the catalog; Input port crm reads component:default/crm, which is not in the catalog',
      ),
    },
    {
      name: 'a source of the wrong kind',
      product: product('orders', {
        inputPorts: [{ name: 'team', source: 'group:default/sales-data' }],
      }),
      expected: failWith(
        'Input port team: spec.inputPorts[0].source "group:default/sales-data" is not a Component, API or Resource reference',
      ),
    },
    {
      name: 'no input ports',
      product: product('orders', { inputPorts: [] }),
      expected: notApplicable('The product has no input ports'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.upstream-output-port-exists', () => {
  const { actual, expected } = runCases('quanta.upstream-output-port-exists', [
    {
      name: 'ports the upstreams serve',
      product: reading(reads('orders'), reads('customers')),
      expected: PASS,
    },
    {
      name: 'a port the upstream does not serve',
      product: reading(reads('orders', 'orders-view')),
      expected: failWith(
        'Input port orders reads output port orders-view of dataproduct:default/orders, which has no such port (it serves orders-table)',
      ),
    },
    {
      name: 'no output port named',
      product: reading({
        name: 'orders',
        dataProduct: 'dataproduct:default/orders',
      } as any),
      expected: failWith(
        'Input port orders names no output port of dataproduct:default/orders (spec.inputPorts[0].outputPort)',
      ),
    },
    {
      name: 'an upstream the catalog does not hold',
      product: reading(reads('prospects')),
      expected: notApplicable('Reads no upstream data product in the catalog'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.deprecated-without-consumers', () => {
  const { actual, expected } = runCases('quanta.deprecated-without-consumers', [
    {
      name: 'a production product',
      product: product('orders'),
      expected: notApplicable('Neither deprecated nor retired'),
    },
    {
      name: 'a deprecated product nothing reads',
      product: product('old-orders', { lifecycle: 'deprecated' }),
      expected: PASS,
    },
    {
      name: 'a deprecated product still read',
      product: product('legacy-extract', { lifecycle: 'deprecated' }),
      expected: failWith(
        'Deprecated, but still read by dataproduct:default/tax-report',
      ),
    },
    {
      name: 'a retired product still read',
      product: product('orders', { lifecycle: 'retired' }),
      expected: failWith(
        'Retired, but still read by dataproduct:default/daily-sales',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.production-reads-no-experimental', () => {
  const { actual, expected } = runCases(
    'quanta.production-reads-no-experimental',
    [
      {
        name: 'production upstreams',
        product: reading(reads('orders')),
        expected: PASS,
      },
      {
        name: 'an experimental upstream',
        product: reading(reads('orders'), reads('pilot-picks')),
        expected: failWith(
          'In production, but reads dataproduct:default/pilot-picks, which is experimental',
        ),
      },
      {
        name: 'an experimental product reading one',
        product: product('sales-report', {
          type: 'consumer-aligned',
          lifecycle: 'experimental',
          inputPorts: [reads('pilot-picks')],
        }),
        expected: notApplicable('Not in production'),
      },
      {
        name: 'a production product reading no upstream product',
        product: product('orders'),
        expected: notApplicable('Reads no upstream data product'),
      },
    ],
  );
  expect(actual).toEqual(expected);
});
