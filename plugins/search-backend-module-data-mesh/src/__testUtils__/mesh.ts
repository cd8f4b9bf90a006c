import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Entity } from '@backstage/catalog-model';

/**
 * A small mesh: two teams (one with a profile display name, one with a title
 * only), a product owner, two domains and three data products.
 *
 * - `orders`: everything a descriptor can say, two output ports (one with an
 *   inline schema holding `customer_id`), an upstream product and a source;
 * - `customers`: shorthand references (`customer-insights`, `customer`), a
 *   schema with `loyalty_tier` and `email`, and a word (`consent`) only its
 *   description holds;
 * - `ledger`: no output ports, schemas, domain or product owner, and an
 *   owner the catalog does not know.
 */
export const groupSalesData: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'sales-data', title: 'Sales data (title)' },
  spec: {
    type: 'team',
    profile: { displayName: 'Sales Data Team' },
    children: [],
  },
};

export const groupCustomerInsights: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'customer-insights', title: 'Customer Insights' },
  spec: { type: 'team', children: [] },
};

export const userMaria: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'maria.silva' },
  spec: { profile: { displayName: 'Maria Silva' }, memberOf: ['sales-data'] },
};

export const domainSales: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'sales', title: 'Sales and Commerce' },
  spec: { owner: 'group:default/sales-data' },
};

export const domainCustomer: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'customer' },
  spec: { owner: 'group:default/customer-insights' },
};

export const orders: Entity = {
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    name: 'orders',
    title: 'Orders',
    description: 'Every order placed in the web shop and the mobile app.',
    tags: ['sales', 'transactions'],
    annotations: { 'quanta.dev/address': 'dataproduct://default/orders' },
  },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'group:default/sales-data',
    productOwner: 'user:default/maria.silva',
    domain: 'domain:default/sales',
    inputPorts: [
      {
        name: 'customers',
        dataProduct: 'dataproduct:default/customers',
        outputPort: 'customers-table',
      },
      { name: 'orders-db', source: 'resource:default/orders-db' },
    ],
    outputPorts: [
      {
        name: 'orders-table',
        description: 'One row per order line.',
        type: 'table',
        format: 'iceberg',
        address: 'iceberg://lake/sales/orders',
        contract: {
          location: '../contracts/orders.odcs.yaml',
          version: '1.2.0',
        },
        schema: [
          {
            name: 'order_id',
            type: 'string',
            description: 'Unique order number',
          },
          {
            name: 'customer_id',
            type: 'string',
            description: 'The customer who ordered',
            pii: true,
            classification: 'confidential',
          },
          { name: 'amount', type: 'decimal(10,2)' },
        ],
      },
      {
        name: 'orders-stream',
        type: 'topic',
        format: 'avro',
        address: 'kafka://prod/sales.orders.v1',
      },
    ],
    slos: { freshness: 'PT1H', completeness: 99.5 },
    classification: 'confidential',
    containsPii: true,
    regulations: ['GDPR'],
  },
};

export const customers: Entity = {
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    name: 'customers',
    description:
      'Everyone who ever bought something, with loyalty tier and marketing consent.',
  },
  spec: {
    type: 'aggregate',
    lifecycle: 'experimental',
    owner: 'customer-insights',
    domain: 'customer',
    outputPorts: [
      {
        name: 'customers-table',
        type: 'table',
        format: 'parquet',
        address: 's3://acme-lake/customer/customers/',
        schema: [
          { name: 'customer_id', type: 'string' },
          { name: 'email', type: 'string', pii: true },
          { name: 'loyalty_tier', type: 'string' },
        ],
      },
    ],
    slos: { freshness: 'P1D' },
    classification: 'internal',
    containsPii: false,
  },
};

export const ledger: Entity = {
  apiVersion: 'quanta.dev/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'ledger' },
  spec: {
    type: 'consumer-aligned',
    lifecycle: 'deprecated',
    owner: 'group:default/finance',
  },
};

export const people: Entity[] = [
  groupSalesData,
  groupCustomerInsights,
  userMaria,
  domainSales,
  domainCustomer,
];

export const products: Entity[] = [orders, customers, ledger];

/** Scorecards as `GET /scorecards` lists them: orders at Silver, customers below the first level, ledger not evaluated. */
export const scorecards = [
  {
    entityRef: 'dataproduct:default/orders',
    domain: 'domain:default/sales',
    owner: 'group:default/sales-data',
    level: 'Silver',
    score: 87,
    attributes: {},
    evaluatedAt: '2026-01-01T00:00:00.000Z',
    failing: [],
  },
  {
    entityRef: 'dataproduct:default/customers',
    domain: 'domain:default/customer',
    owner: 'group:default/customer-insights',
    score: 41,
    attributes: {},
    evaluatedAt: '2026-01-01T00:00:00.000Z',
    failing: ['quanta.description-present'],
  },
];

/** `GET /quality/breaches`: orders breaches its completeness SLO. */
export const breaches = {
  evaluatedAt: '2026-01-01T00:00:00.000Z',
  products: 2,
  noData: 1,
  domains: [
    {
      domain: 'domain:default/sales',
      items: [
        {
          entityRef: 'dataproduct:default/orders',
          breached: [
            { slo: 'completeness', message: '50% good, the target is 99.5%' },
          ],
        },
      ],
    },
  ],
};

type Route = (
  url: URL,
  req: http.IncomingMessage,
) => { status: number; body: unknown } | undefined;

/**
 * A stand-in for the data-mesh backend on a free port of 127.0.0.1: answers
 * what `route` returns, 404 otherwise, and records every request.
 */
export async function startStubDataMesh(route: Route) {
  const requests: Array<{ path: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push({
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
    });
    const answer = route(url, req) ?? {
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'Not found' } },
    };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/data-mesh`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}

/** The stub answering as a healthy data-mesh backend does, paging `items` like `GET /scorecards`. */
export function dataMeshRoutes(options: {
  scorecards: object[];
  breaches: object;
}): Route {
  return url => {
    if (url.pathname === '/api/data-mesh/scorecards') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return {
        status: 200,
        body: {
          totalItems: options.scorecards.length,
          items: options.scorecards.slice(offset, offset + limit),
        },
      };
    }
    if (url.pathname === '/api/data-mesh/quality/breaches') {
      return { status: 200, body: options.breaches };
    }
    return undefined;
  };
}
