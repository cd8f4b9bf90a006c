import type { Entity } from '@backstage/catalog-model';

const TYPES = ['source-aligned', 'aggregate', 'consumer-aligned'] as const;
const FORMATS = ['parquet', 'avro', 'iceberg', 'delta', 'json', 'csv'];

/** A mesh of `count` valid products in 20 domains owned by 100 teams; each non-source product reads up to 3 earlier ones. */
export function generateMesh(count: number): Entity[] {
  const teams = 100;
  const domains = 20;
  const entities: Entity[] = [];
  for (let t = 0; t < teams; t++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}` },
      spec: { type: 'team', children: [] },
    });
  }
  for (let d = 0; d < domains; d++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: `domain-${d}` },
      spec: { owner: `group:default/team-${d}` },
    });
  }
  for (let i = 0; i < count; i++) {
    const type = i < 50 ? 'source-aligned' : TYPES[i % 3];
    const inputPorts =
      type === 'source-aligned'
        ? [{ name: 'operational-db', source: `resource:default/db-${i % 200}` }]
        : [1, 7, 31]
            .map(step => i - step * (1 + (i % 5)))
            .filter(upstream => upstream >= 0)
            .map((upstream, n) => ({
              name: `in-${n}`,
              dataProduct: `dataproduct:default/product-${upstream}`,
              outputPort: 'main',
            }));
    entities.push({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: `product-${i}`,
        description: `Generated data product number ${i}`,
        tags: ['bench'],
      },
      spec: {
        type,
        lifecycle: 'production',
        owner: `group:default/team-${i % teams}`,
        productOwner: `user:default/owner-${i % 300}`,
        domain: `domain:default/domain-${i % domains}`,
        inputPorts,
        outputPorts: [
          {
            name: 'main',
            type: 'table',
            format: FORMATS[i % FORMATS.length],
            address: `s3://bench-lake/domain-${i % domains}/product-${i}/`,
            contract: {
              location: `./contracts/product-${i}.yaml`,
              version: '1.0.0',
            },
            schema: [
              { name: 'id', type: 'string' },
              {
                name: 'email',
                type: 'string',
                pii: true,
                classification: 'confidential',
              },
              { name: 'amount', type: 'decimal(12,2)' },
            ],
          },
        ],
        slos: {
          freshness: 'PT1H',
          intervalOfChange: 'PT15M',
          completeness: 99.5,
          availability: 99.9,
          timeliness: 'PT30M',
        },
        classification: 'confidential',
        containsPii: true,
        retention: 'P2Y',
        regulations: ['GDPR'],
      },
    });
  }
  return entities;
}
