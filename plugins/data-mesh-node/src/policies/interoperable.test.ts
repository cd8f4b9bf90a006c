import {
  PASS,
  failWith,
  notApplicable,
  port,
  product,
  runCases,
} from './__fixtures__/mesh';

it('quanta.output-port-contract', () => {
  const { actual, expected } = runCases('quanta.output-port-contract', [
    { name: 'a contract', product: product('orders'), expected: PASS },
    {
      name: 'a port without a contract',
      product: product('orders', {
        outputPorts: [
          port('orders-table'),
          port('nightly-csv', { contract: undefined }),
        ],
      }),
      expected: failWith('Output port nightly-csv has no contract'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.contract-version-semver', () => {
  const { actual, expected } = runCases('quanta.contract-version-semver', [
    { name: 'a semantic version', product: product('orders'), expected: PASS },
    {
      name: 'a pre-release',
      product: product('orders', {
        outputPorts: [
          port('orders-table', {
            contract: { location: './c.yaml', version: '2.0.0-rc.1' },
          }),
        ],
      }),
      expected: PASS,
    },
    {
      name: 'a version without a patch number',
      product: product('orders', {
        outputPorts: [
          port('orders-table', {
            contract: { location: './c.yaml', version: '1.2' },
          }),
        ],
      }),
      expected: failWith(
        'Output port orders-table contract version "1.2" is not a semantic version such as 1.2.0',
      ),
    },
    {
      name: 'no contract',
      product: product('orders', {
        outputPorts: [port('orders-table', { contract: undefined })],
      }),
      expected: notApplicable('No output port has a contract'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.open-format', () => {
  const { actual, expected } = runCases('quanta.open-format', [
    { name: 'iceberg', product: product('orders'), expected: PASS },
    {
      name: 'upper-case Parquet',
      product: product('orders', {
        outputPorts: [port('orders-table', { format: 'Parquet' })],
      }),
      expected: PASS,
    },
    {
      name: 'a vendor format',
      product: product('orders', {
        outputPorts: [port('orders-table', { format: 'snowflake' })],
      }),
      expected: failWith(
        'Output port orders-table uses format snowflake, which is not an open standard',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
