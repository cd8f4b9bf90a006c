import { entityRefKey, isFullEntityRef } from './refs';

describe('entityRefKey', () => {
  it('is one key for every spelling of a reference', () => {
    expect(entityRefKey('DataProduct:default/Orders')).toBe(
      'dataproduct:default/orders',
    );
    expect(
      entityRefKey({
        kind: 'DataProduct',
        namespace: 'Default',
        name: 'Orders',
      }),
    ).toBe('dataproduct:default/orders');
    expect(
      entityRefKey({
        apiVersion: 'quanta.dev/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'Orders' },
      }),
    ).toBe('dataproduct:default/orders');
  });
});

describe('isFullEntityRef', () => {
  it.each([
    'dataproduct:default/orders',
    'Group:sales/sales-data',
    'user:default/jane.doe',
  ])('accepts %s', ref => expect(isFullEntityRef(ref)).toBe(true));
  it.each([
    'orders',
    'default/orders',
    'dataproduct:orders',
    'a:b/c/d',
    'a b:c/d',
    '',
    42,
  ])('rejects %j', ref => expect(isFullEntityRef(ref)).toBe(false));
});
