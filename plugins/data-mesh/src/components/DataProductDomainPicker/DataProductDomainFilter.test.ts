import { Entity } from '@backstage/catalog-model';
import { DataProductDomainFilter } from './DataProductDomainFilter';

function product(
  name: string,
  domain: string | undefined,
  namespace?: string,
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, ...(namespace && { namespace }) },
    spec: { domain },
  };
}

describe('DataProductDomainFilter', () => {
  const entities = [
    product('orders', 'sales'),
    product('refunds', 'domain:default/sales'),
    product('returns', 'domain:Sales'),
    product('campaigns', 'marketing'),
    product('invoices', 'sales', 'finance'), // domain:finance/sales
    product('ledger', 'domain:default/sales', 'finance'),
    product('no-domain', undefined),
  ];

  it('keeps the entities of the selected domain, however the reference is written', () => {
    const filter = new DataProductDomainFilter(['sales']);
    expect(
      entities.filter(e => filter.filterEntity(e)).map(e => e.metadata.name),
    ).toEqual(['orders', 'refunds', 'returns', 'ledger']);
  });

  it('reads short references relative to the entity namespace', () => {
    const filter = new DataProductDomainFilter(['domain:finance/sales']);
    expect(
      entities.filter(e => filter.filterEntity(e)).map(e => e.metadata.name),
    ).toEqual(['invoices']);
  });

  it('accepts several domains', () => {
    const filter = new DataProductDomainFilter(['sales', 'marketing']);
    expect(
      entities.filter(e => filter.filterEntity(e)).map(e => e.metadata.name),
    ).toEqual(['orders', 'refunds', 'returns', 'campaigns', 'ledger']);
  });

  it('normalizes its values, which end up in the URL', () => {
    const filter = new DataProductDomainFilter([
      'Sales',
      'domain:default/sales',
      'domain:finance/sales',
    ]);
    expect(filter.values).toEqual([
      'domain:default/sales',
      'domain:finance/sales',
    ]);
    expect(filter.toQueryValue()).toEqual(filter.values);
  });

  it('asks the catalog for every spelling of the selected domains', () => {
    expect(new DataProductDomainFilter(['sales']).getCatalogFilters()).toEqual({
      'spec.domain': [
        'domain:default/sales',
        'default/sales',
        'domain:sales',
        'sales',
      ],
    });
  });
});
