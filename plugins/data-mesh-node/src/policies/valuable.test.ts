import {
  PASS,
  failWith,
  notApplicable,
  product,
  reads,
  runCases,
} from './__fixtures__/mesh';

it('quanta.lineage-declared', () => {
  const { actual, expected } = runCases('quanta.lineage-declared', [
    {
      name: 'a source-aligned product reading a source',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'an aggregate reading an upstream product',
      product: product('daily-sales', {
        type: 'aggregate',
        inputPorts: [reads('orders')],
      }),
      expected: PASS,
    },
    {
      name: 'a source-aligned product reading no source',
      product: product('orders', { inputPorts: [reads('customers')] }),
      expected: failWith(
        'Source-aligned, but no input port reads a source (spec.inputPorts[].source)',
      ),
    },
    {
      name: 'an aggregate reading only sources',
      product: product('daily-sales', { type: 'aggregate' }),
      expected: failWith(
        'Aggregate, but no input port reads an upstream data product (spec.inputPorts[].dataProduct)',
      ),
    },
    {
      name: 'a consumer-aligned product without input ports',
      product: product('sales-report', {
        type: 'consumer-aligned',
        inputPorts: undefined,
      }),
      expected: failWith(
        'Consumer-aligned, but no input port reads an upstream data product (spec.inputPorts[].dataProduct)',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.has-consumers', () => {
  const { actual, expected } = runCases('quanta.has-consumers', [
    {
      name: 'a production product another product reads',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'a consumer-aligned product',
      product: product('sales-report', {
        type: 'consumer-aligned',
        inputPorts: [reads('orders')],
      }),
      expected: PASS,
    },
    {
      name: 'a production product nothing reads',
      product: product('returns'),
      expected: failWith(
        'In production, but no data product reads it and it is not consumer-aligned',
      ),
    },
    {
      name: 'an experimental product',
      product: product('returns', { lifecycle: 'experimental' }),
      expected: notApplicable('Not in production'),
    },
  ]);
  expect(actual).toEqual(expected);
});
