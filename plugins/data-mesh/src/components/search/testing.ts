import type { Entity } from '@backstage/catalog-model';
import type {
  SearchDocument,
  SearchResult,
} from '@backstage/plugin-search-common';

/*
 * Search documents and catalog entities for the search tests, shaped as
 * @quanta/plugin-search-backend-module-data-mesh writes them.
 */

/** The `data-product` document of the orders product. */
export function ordersDocument(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Orders',
    text: 'Every order placed in the web shop and the app.\nOwner: Sales Data; product owner: Maria Silva',
    location: '/catalog/default/dataproduct/orders',
    entityRef: 'dataproduct:default/orders',
    name: 'orders',
    description: 'Every order placed in the web shop and the app.',
    tags: ['sales'],
    type: 'source-aligned',
    lifecycle: 'production',
    domain: 'domain:default/sales',
    domainTitle: 'Sales',
    owner: 'group:default/sales-data',
    ownerName: 'Sales Data',
    classification: 'confidential',
    containsPii: 'true',
    outputPorts: [
      {
        name: 'orders-table',
        type: 'table',
        format: 'iceberg',
        address: 'iceberg://lake/sales/orders',
        contract: './contracts/orders.odcs.yaml',
        fields: ['order_id', 'customer_email'],
        piiFields: ['customer_email'],
      },
      {
        name: 'order-events',
        type: 'topic',
        format: 'avro',
        address: 'kafka://events/sales.orders.v1',
        contract: '',
        fields: [],
        piiFields: [],
      },
    ],
    governanceLevel: 'Silver',
    sloStatus: 'breached',
    slosBreached: ['freshness'],
    authorization: { resourceRef: 'dataproduct:default/orders' },
    ...overrides,
  };
}

/** A search result of type `data-product`. */
export function dataProductResult(
  overrides: Record<string, unknown> = {},
): SearchResult {
  return {
    type: 'data-product',
    document: ordersDocument(overrides) as SearchDocument,
  };
}

/** A catalog result, which the data product item leaves to others. */
export const componentResult: SearchResult = {
  type: 'software-catalog',
  document: {
    title: 'orders-service',
    text: 'Takes the orders',
    location: '/catalog/default/component/orders-service',
  },
};

function product(
  name: string,
  spec: NonNullable<Entity['spec']>,
  relations: Array<[string, string]>,
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec,
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

/** Products, their teams and domains, as the catalog serves them. */
export const catalogEntities: Entity[] = [
  product(
    'orders',
    {
      type: 'source-aligned',
      lifecycle: 'production',
      classification: 'confidential',
    },
    [
      ['ownedBy', 'group:default/sales-data'],
      ['partOf', 'domain:default/sales'],
      ['partOf', 'system:default/checkout'],
    ],
  ),
  product(
    'campaigns',
    {
      type: 'consumer-aligned',
      lifecycle: 'experimental',
      classification: 'internal',
    },
    [
      ['ownedBy', 'group:default/marketing-analytics'],
      ['partOf', 'domain:default/marketing'],
    ],
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sales-data', namespace: 'default' },
    spec: { type: 'team', profile: { displayName: 'Sales Data' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'sales', namespace: 'default', title: 'Sales' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'marketing', namespace: 'default' },
    spec: {},
  },
  // A component of another kind, whose type no data product facet offers.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'deprecated', owner: 'sales-data' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
  },
];
