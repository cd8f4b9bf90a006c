import {
  PASS,
  failWith,
  notApplicable,
  port,
  product,
  runCases,
} from './__fixtures__/mesh';

it('quanta.documentation-linked', () => {
  const { actual, expected } = runCases('quanta.documentation-linked', [
    { name: 'a link', product: product('orders'), expected: PASS },
    {
      name: 'TechDocs',
      product: product(
        'orders',
        {},
        {
          links: [],
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        },
      ),
      expected: PASS,
    },
    {
      name: 'neither links nor TechDocs',
      product: product('orders', {}, { links: [] }),
      expected: failWith(
        'No documentation: metadata.links is empty and there is no backstage.io/techdocs-ref annotation',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.output-port-schema-or-contract', () => {
  const { actual, expected } = runCases(
    'quanta.output-port-schema-or-contract',
    [
      {
        name: 'a schema and a contract',
        product: product('orders'),
        expected: PASS,
      },
      {
        name: 'only a contract',
        product: product('orders', {
          outputPorts: [port('orders-table', { schema: undefined })],
        }),
        expected: PASS,
      },
      {
        name: 'only a schema',
        product: product('orders', {
          outputPorts: [port('orders-table', { contract: undefined })],
        }),
        expected: PASS,
      },
      {
        name: 'a port with neither',
        product: product('orders', {
          outputPorts: [
            port('orders-table'),
            port('orders-csv', { contract: undefined, schema: [] }),
          ],
        }),
        expected: failWith(
          'Output port orders-csv has neither an inline schema nor a contract',
        ),
      },
      {
        name: 'two ports with neither',
        product: product('orders', {
          outputPorts: [
            port('orders-table', { contract: undefined, schema: undefined }),
            port('orders-csv', { contract: undefined, schema: undefined }),
          ],
        }),
        expected: failWith(
          'Output ports orders-table and orders-csv have neither an inline schema nor a contract',
        ),
      },
    ],
  );
  expect(actual).toEqual(expected);
});

it('quanta.schema-fields-described', () => {
  const { actual, expected } = runCases('quanta.schema-fields-described', [
    {
      name: 'every field described',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'fields without a description',
      product: product('orders', {
        outputPorts: [
          port('orders-table', {
            schema: [
              { name: 'order_id', type: 'string', description: 'Order id' },
              { name: 'placed_at', type: 'timestamp' },
              { name: 'status', type: 'string', description: ' ' },
            ],
          }),
          port('orders-view', {
            schema: [{ name: 'total', type: 'decimal' }],
          }),
        ],
      }),
      expected: failWith(
        'Output port orders-table: fields placed_at and status have no description; Output port orders-view: field total has no description',
      ),
    },
    {
      name: 'no inline schema',
      product: product('orders', {
        outputPorts: [port('orders-table', { schema: undefined })],
      }),
      expected: notApplicable('No output port has an inline schema'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.output-ports-described', () => {
  const { actual, expected } = runCases('quanta.output-ports-described', [
    {
      name: 'every port described',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'a port without a description',
      product: product('orders', {
        outputPorts: [
          port('orders-table'),
          port('orders-events', { description: undefined }),
        ],
      }),
      expected: failWith('Output port orders-events has no description'),
    },
  ]);
  expect(actual).toEqual(expected);
});
