import { DataProductEntity } from '@quanta/plugin-data-mesh-common';

/** A realistic, stitched DataProduct, as the catalog serves it. */
export function sampleDataProduct(
  overrides: {
    metadata?: Partial<DataProductEntity['metadata']>;
    spec?: Partial<DataProductEntity['spec']>;
    relations?: DataProductEntity['relations'];
  } = {},
): DataProductEntity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'orders',
      namespace: 'default',
      title: 'Orders',
      description:
        'Every order placed in the web shop and the app, one row per order.',
      tags: ['sales', 'orders'],
      annotations: {
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/data-products/blob/main/orders/catalog-info.yaml',
        'backstage.io/source-location':
          'url:https://github.com/acme/data-products/tree/main/orders/',
        'quanta.dev/address': 'dataproduct://default/orders',
      },
      ...overrides.metadata,
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales-data',
      productOwner: 'user:default/maria.silva',
      domain: 'domain:default/sales',
      system: 'system:default/checkout',
      inputPorts: [
        {
          name: 'orders-db',
          source: 'component:default/orders-service',
        },
        {
          name: 'customers',
          description: 'Customer master data',
          dataProduct: 'dataproduct:default/customers',
          outputPort: 'customers-table',
        },
      ],
      outputPorts: [
        {
          name: 'orders-table',
          description: 'Curated orders table',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
          contract: {
            location: './contracts/orders.odcs.yaml',
            version: '1.2.0',
          },
          schema: [
            {
              name: 'order_id',
              type: 'string',
              description: 'Order identifier',
            },
            {
              name: 'customer_email',
              type: 'string',
              pii: true,
              classification: 'confidential',
            },
          ],
        },
        {
          name: 'order-events',
          type: 'topic',
          format: 'avro',
          address: 'kafka://events/sales.orders.v1',
          contract: {
            location: 'https://contracts.example.com/order-events.yaml',
            version: '2.0.0',
          },
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
      regulations: ['GDPR', 'CCPA'],
      ...overrides.spec,
    },
    relations: overrides.relations ?? [
      { type: 'ownedBy', targetRef: 'group:default/sales-data' },
      { type: 'hasProductOwner', targetRef: 'user:default/maria.silva' },
      { type: 'partOf', targetRef: 'domain:default/sales' },
      { type: 'partOf', targetRef: 'system:default/checkout' },
      { type: 'dependsOn', targetRef: 'dataproduct:default/customers' },
      { type: 'dependsOn', targetRef: 'component:default/orders-service' },
    ],
  };
}
