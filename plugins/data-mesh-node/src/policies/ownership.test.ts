import {
  PASS,
  failWith,
  notApplicable,
  product,
  runCases,
} from './__fixtures__/mesh';

it('quanta.owner-exists', () => {
  const { actual, expected } = runCases('quanta.owner-exists', [
    { name: 'an existing Group', product: product('orders'), expected: PASS },
    {
      name: 'a short reference to an existing Group',
      product: product('orders', { owner: 'sales-data' }),
      expected: PASS,
    },
    {
      name: 'a Group the catalog does not hold',
      product: product('orders', { owner: 'group:default/sales-team' }),
      expected: failWith(
        'Owner group:default/sales-team does not exist in the catalog',
      ),
    },
    {
      name: 'a reference to a User instead of a Group',
      product: product('orders', { owner: 'user:default/maria.silva' }),
      expected: failWith(
        'spec.owner "user:default/maria.silva" is not a Group reference',
      ),
    },
    {
      name: 'no owner',
      product: product('orders', { owner: undefined as unknown as string }),
      expected: failWith('spec.owner is not set'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.product-owner-declared', () => {
  const { actual, expected } = runCases('quanta.product-owner-declared', [
    { name: 'declared', product: product('orders'), expected: PASS },
    {
      name: 'not declared',
      product: product('orders', { productOwner: undefined }),
      expected: failWith('No product owner: spec.productOwner is not set'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.product-owner-exists', () => {
  const { actual, expected } = runCases('quanta.product-owner-exists', [
    { name: 'an existing User', product: product('orders'), expected: PASS },
    {
      name: 'a short reference to an existing User',
      product: product('orders', { productOwner: 'tom.becker' }),
      expected: PASS,
    },
    {
      name: 'a User the catalog does not hold',
      product: product('orders', { productOwner: 'user:default/jane.doe' }),
      expected: failWith(
        'Product owner user:default/jane.doe does not exist in the catalog',
      ),
    },
    {
      name: 'a Group instead of a User',
      product: product('orders', { productOwner: 'group:default/sales-data' }),
      expected: failWith(
        'spec.productOwner "group:default/sales-data" is not a User reference',
      ),
    },
    {
      name: 'no product owner',
      product: product('orders', { productOwner: undefined }),
      expected: notApplicable('No product owner is declared'),
    },
  ]);
  expect(actual).toEqual(expected);
});

it('quanta.product-owner-in-owning-team', () => {
  const { actual, expected } = runCases('quanta.product-owner-in-owning-team', [
    {
      name: 'a direct member of the owning team',
      product: product('orders'),
      expected: PASS,
    },
    {
      name: 'a member of a team under the owning team',
      product: product('orders', { productOwner: 'user:default/tom.becker' }),
      expected: PASS,
    },
    {
      name: 'a member of another team',
      product: product('orders', { productOwner: 'user:default/eve.adams' }),
      expected: failWith(
        'Product owner user:default/eve.adams is not a member of group:default/sales-data (member of group:default/marketing-data)',
      ),
    },
    {
      name: 'a member of no team',
      product: product('orders', { productOwner: 'user:default/nils.alone' }),
      expected: failWith(
        'Product owner user:default/nils.alone is not a member of group:default/sales-data (member of no group)',
      ),
    },
    {
      name: 'a membership the catalog recorded as a relation',
      product: product('orders', { productOwner: 'user:default/nils.alone' }),
      extra: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'nils.alone', namespace: 'default' },
          spec: {},
          relations: [
            { type: 'memberOf', targetRef: 'group:default/sales-data' },
          ],
        },
      ],
      expected: PASS,
    },
    {
      name: 'no product owner',
      product: product('orders', { productOwner: undefined }),
      expected: notApplicable('Needs both an owner and a product owner'),
    },
    {
      name: 'a product owner the catalog does not hold',
      product: product('orders', { productOwner: 'user:default/jane.doe' }),
      expected: notApplicable(
        'The owner or the product owner is not in the catalog',
      ),
    },
  ]);
  expect(actual).toEqual(expected);
});
