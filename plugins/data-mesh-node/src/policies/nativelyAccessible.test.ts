import { PASS, failWith, port, product, runCases } from './__fixtures__/mesh';

it('quanta.format-fits-port-type', () => {
  const { actual, expected } = runCases('quanta.format-fits-port-type', [
    { name: 'a table in iceberg', product: product('orders'), expected: PASS },
    {
      name: 'a topic in avro and a file in parquet',
      product: product('orders', {
        outputPorts: [
          port('events', {
            type: 'topic',
            format: 'avro',
            address: 'kafka://prod/orders',
          }),
          port('export', {
            type: 'file',
            format: 'parquet',
            address: 's3://lake/export/',
          }),
        ],
      }),
      expected: PASS,
    },
    {
      name: 'a topic in csv',
      product: product('orders', {
        outputPorts: [
          port('events', {
            type: 'topic',
            format: 'csv',
            address: 'kafka://prod/orders',
          }),
        ],
      }),
      expected: failWith('Output port events is a topic served as csv'),
    },
    {
      name: 'a file in a table format',
      product: product('orders', {
        outputPorts: [
          port('export', {
            type: 'file',
            format: 'iceberg',
            address: 's3://lake/export/',
          }),
        ],
      }),
      expected: failWith('Output port export is a file served as iceberg'),
    },
  ]);
  expect(actual).toEqual(expected);
});
