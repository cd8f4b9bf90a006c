import {
  PASS,
  failWith,
  notApplicable,
  port,
  product,
  runCases,
} from './__fixtures__/mesh';

const withPiiField = (overrides = {}) =>
  product('orders', {
    outputPorts: [
      port('orders-table', {
        schema: [
          { name: 'order_id', type: 'string', description: 'Order id' },
          {
            name: 'customer_email',
            type: 'string',
            description: 'E-mail',
            pii: true,
            classification: 'confidential',
          },
        ],
      }),
    ],
    ...overrides,
  });

it('quanta.classification-set', () => {
  const { actual, expected } = runCases('quanta.classification-set', [
    { name: 'classified', product: product('orders'), expected: PASS },
    {
      name: 'not classified',
      product: product('orders', { classification: undefined }),
      expected: failWith('Not classified: spec.classification is not set'),
    },
    {
      name: 'an unknown classification',
      product: product('orders', { classification: 'secret' as any }),
      expected: failWith(
        'spec.classification "secret" is not one of public, internal, confidential, restricted',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.pii-retention', () => {
  const { actual, expected } = runCases('quanta.pii-retention', [
    {
      name: 'no PII',
      product: product('orders', { retention: undefined }),
      expected: notApplicable('Contains no PII (spec.containsPii is not true)'),
    },
    {
      name: 'PII with a retention period',
      product: product('orders', { containsPii: true, retention: 'P2Y' }),
      expected: PASS,
    },
    {
      name: 'PII without a retention period',
      product: product('orders', { containsPii: true, retention: undefined }),
      expected: failWith(
        'Contains PII (spec.containsPii is true) but spec.retention is not set, so nobody has decided how long it is kept',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.pii-regulations', () => {
  const { actual, expected } = runCases('quanta.pii-regulations', [
    {
      name: 'no PII',
      product: product('orders'),
      expected: notApplicable('Contains no PII (spec.containsPii is not true)'),
    },
    {
      name: 'PII with regulations',
      product: product('orders', { containsPii: true, regulations: ['GDPR'] }),
      expected: PASS,
    },
    {
      name: 'PII without regulations',
      product: product('orders', { containsPii: true, regulations: [] }),
      expected: failWith(
        'Contains PII (spec.containsPii is true) but spec.regulations names no regulation',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.pii-fields-declared', () => {
  const { actual, expected } = runCases('quanta.pii-fields-declared', [
    {
      name: 'no field marked pii',
      product: product('orders'),
      expected: notApplicable('No schema field is marked pii'),
    },
    {
      name: 'a pii field in a product that declares PII',
      product: withPiiField({ containsPii: true }),
      expected: PASS,
    },
    {
      name: 'a pii field in a product that declares none',
      product: withPiiField({ containsPii: false }),
      expected: failWith(
        'Schema field orders-table.customer_email is marked pii, but spec.containsPii is false',
      ),
    },
    {
      name: 'a pii field in a product that says nothing',
      product: withPiiField({ containsPii: undefined }),
      expected: failWith(
        'Schema field orders-table.customer_email is marked pii, but spec.containsPii is not set',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.pii-not-public', () => {
  const { actual, expected } = runCases('quanta.pii-not-public', [
    {
      name: 'no PII',
      product: product('orders', { classification: 'public' }),
      expected: notApplicable('Contains no PII'),
    },
    {
      name: 'PII classified confidential',
      product: product('orders', {
        containsPii: true,
        classification: 'confidential',
      }),
      expected: PASS,
    },
    {
      name: 'PII classified public',
      product: product('orders', {
        containsPii: true,
        classification: 'public',
      }),
      expected: failWith(
        'Classified public, but contains PII (spec.containsPii is true)',
      ),
    },
    {
      name: 'pii fields classified public',
      product: withPiiField({ classification: 'public' }),
      expected: failWith(
        'Classified public, but contains PII (fields marked pii: orders-table.customer_email)',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.classification-covers-fields', () => {
  const { actual, expected } = runCases('quanta.classification-covers-fields', [
    {
      name: 'no classified fields',
      product: product('orders'),
      expected: notApplicable(
        'Needs a product classification and classified schema fields',
      ),
    },
    {
      name: 'a field as sensitive as the product',
      product: withPiiField({ classification: 'confidential' }),
      expected: PASS,
    },
    {
      name: 'a field more sensitive than the product',
      product: withPiiField({ classification: 'internal' }),
      expected: failWith(
        "Field orders-table.customer_email is classified confidential, above the product's internal",
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
