import { type Config, ConfigReader } from '@backstage/config';
import { readDataMeshConfig } from '../shared/config';
import { DEFAULT_MAPPINGS, candidateAddresses, mappingRules } from './mapping';

const readMappingRules = (config: Config) =>
  mappingRules(readDataMeshConfig(config).lineage);

describe('dataset mapping', () => {
  it.each([
    ['s3://acme-lake', 'sales/carts', 's3://acme-lake/sales/carts'],
    ['s3://acme-lake/', '/sales/carts/', 's3://acme-lake/sales/carts'],
    ['kafka://prod', 'sales.orders.v1', 'kafka://prod/sales.orders.v1'],
    [
      'snowflake://acme.eu-west-1',
      'ANALYTICS.SALES.DAILY_SALES',
      'snowflake://acme.eu-west-1/ANALYTICS/SALES/DAILY_SALES',
    ],
    [
      'bigquery',
      'acme-analytics.customer.segments',
      'bigquery://acme-analytics/customer/segments',
    ],
    ['iceberg://lake', 'sales.orders', 'iceberg://lake/sales/orders'],
    ['file', 's3://acme-lake/sales/carts/', 's3://acme-lake/sales/carts'],
  ])('maps %s + %s to %s by default', (namespace, name, address) => {
    expect(candidateAddresses(DEFAULT_MAPPINGS, namespace, name)).toContain(
      address,
    );
  });

  it('tries configured rules first, with capture groups, then the defaults', () => {
    const rules = readMappingRules(
      new ConfigReader({
        dataMesh: {
          lineage: {
            mappings: [
              {
                namespace: '^postgres://warehouse-(\\w+)\\.acme:5432$',
                name: '^analytics\\.(.*)$',
                address: 'snowflake://acme.eu-west-1/{namespace.1}/{name.1}',
              },
            ],
          },
        },
      }),
    );
    expect(
      candidateAddresses(
        rules,
        'postgres://warehouse-eu.acme:5432',
        'analytics.DAILY_SALES',
      )[0],
    ).toBe('snowflake://acme.eu-west-1/eu/DAILY_SALES');
    expect(candidateAddresses(rules, 'kafka://prod', 'topic')).toEqual([
      'kafka://prod/topic',
    ]);
  });

  it('leaves the defaults out when told, and names a bad pattern', () => {
    const rules = readMappingRules(
      new ConfigReader({
        dataMesh: {
          lineage: {
            useDefaultMappings: false,
            mappings: [{ address: 'x://{name}' }],
          },
        },
      }),
    );
    expect(candidateAddresses(rules, 's3://a', 'b')).toEqual(['x://b']);
    expect(() =>
      readMappingRules(
        new ConfigReader({
          dataMesh: {
            lineage: { mappings: [{ namespace: '(', address: 'x' }] },
          },
        }),
      ),
    ).toThrow(/dataMesh\.lineage\.mappings\[0\]\.namespace/);
  });
});
