import { PASS, failWith, port, product, runCases } from './__fixtures__/mesh';

it('quanta.output-port-address-unique', () => {
  const { actual, expected } = runCases('quanta.output-port-address-unique', [
    { name: 'unique addresses', product: product('orders'), expected: PASS },
    {
      name: 'an address another product serves',
      product: product('orders', {
        outputPorts: [
          port('orders-table', {
            address: 'iceberg://lake/sales/customers-table',
          }),
        ],
      }),
      expected: failWith(
        'Output port orders-table address iceberg://lake/sales/customers-table is also served by dataproduct:default/customers',
      ),
    },
    {
      name: 'two ports of the product with one address',
      product: product('orders', {
        outputPorts: [
          port('orders-table', { address: 's3://lake/orders/' }),
          port('orders-files', { address: 's3://lake/orders/' }),
        ],
      }),
      expected: failWith(
        'Output port orders-files has the same address as output port orders-table (s3://lake/orders/)',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.address-scheme-matches-type', () => {
  const { actual, expected } = runCases('quanta.address-scheme-matches-type', [
    {
      name: 'a table on any scheme',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'a topic on kafka and an API on https',
      product: product('orders', {
        outputPorts: [
          port('orders-stream', {
            type: 'topic',
            format: 'avro',
            address: 'kafka://prod/sales.orders.v1',
          }),
          port('orders-api', {
            type: 'api',
            format: 'json',
            address: 'https://api.example.com/orders',
          }),
        ],
      }),
      expected: PASS,
    },
    {
      name: 'a topic on s3 and an API on kafka',
      product: product('orders', {
        outputPorts: [
          port('orders-stream', {
            type: 'topic',
            format: 'avro',
            address: 's3://lake/orders-stream/',
          }),
          port('orders-api', {
            type: 'api',
            format: 'json',
            address: 'kafka://prod/orders',
          }),
        ],
      }),
      expected: failWith(
        'Output port orders-stream is of type topic but its address uses s3://; expected kafka://, pulsar:// or kinesis://; Output port orders-api is of type api but its address uses kafka://; expected http://, https:// or grpc://',
      ),
    },
    {
      name: 'an address without a scheme',
      product: product('orders', {
        outputPorts: [port('orders-table', { address: 'lake.sales.orders' })],
      }),
      expected: failWith(
        'Output port orders-table address lake.sales.orders has no scheme such as s3:// or kafka://',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
