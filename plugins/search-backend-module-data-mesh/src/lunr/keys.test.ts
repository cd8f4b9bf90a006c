import { facetKey, identifier, isIdentifier } from './keys';

describe('facet keys', () => {
  it('differ for each field and value, and are a word no pipeline changes', () => {
    const keys = [
      facetKey('domain', 'domain:default/sales'),
      facetKey('domain', 'domain:default/sales-ops'),
      facetKey('owner', 'domain:default/sales'),
      facetKey('tags', 'c++'),
    ];
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toMatch(/^qf\d{1,20}$/);
    expect(facetKey('domain', 'domain:default/sales')).toBe(keys[0]);
  });
});

describe('identifiers', () => {
  it('are lower case, without the punctuation around them', () => {
    expect(identifier(' "Customer_ID", ')).toBe('customer_id');
    expect(identifier('iceberg://lake/sales/orders')).toBe(
      'iceberg://lake/sales/orders',
    );
  });

  it('are words joined by other characters', () => {
    expect(isIdentifier('customer_id')).toBe(true);
    expect(isIdentifier('sales.orders.v1')).toBe(true);
    expect(isIdentifier('real-time')).toBe(true);
    expect(isIdentifier('customer')).toBe(false);
    expect(isIdentifier('é')).toBe(false);
  });
});
