import { PASS, failWith, product, runCases } from './__fixtures__/mesh';

it('quanta.description-present', () => {
  const { actual, expected } = runCases('quanta.description-present', [
    { name: 'a description', product: product('orders'), expected: PASS },
    {
      name: 'a description of 30 characters',
      product: product('orders', {}, { description: 'x'.repeat(30) }),
      expected: PASS,
    },
    {
      name: 'a short description',
      product: product('orders', {}, { description: 'All orders.' }),
      expected: failWith(
        'metadata.description "All orders." has 11 characters; at least 30 are expected',
      ),
    },
    {
      name: 'no description',
      product: product('orders', {}, { description: '  ' }),
      expected: failWith('No description: metadata.description is not set'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.title-present', () => {
  const { actual, expected } = runCases('quanta.title-present', [
    { name: 'a title', product: product('orders'), expected: PASS },
    {
      name: 'no title',
      product: product('orders', {}, { title: undefined }),
      expected: failWith(
        'No title: metadata.title is not set, so the catalog shows the name orders',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.tags-present', () => {
  const { actual, expected } = runCases('quanta.tags-present', [
    { name: 'tags', product: product('orders'), expected: PASS },
    {
      name: 'an empty tag list',
      product: product('orders', {}, { tags: [] }),
      expected: failWith('No tags: metadata.tags is empty'),
    },
    {
      name: 'no tags',
      product: product('orders', {}, { tags: undefined }),
      expected: failWith('No tags: metadata.tags is empty'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.domain-exists', () => {
  const { actual, expected } = runCases('quanta.domain-exists', [
    { name: 'an existing Domain', product: product('orders'), expected: PASS },
    {
      name: 'a Domain the catalog does not hold',
      product: product('orders', { domain: 'domain:default/retail' }),
      expected: failWith(
        'Domain domain:default/retail does not exist in the catalog',
      ),
    },
    {
      name: 'a System instead of a Domain',
      product: product('orders', { domain: 'system:default/checkout' }),
      expected: failWith(
        'spec.domain "system:default/checkout" is not a Domain reference',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
