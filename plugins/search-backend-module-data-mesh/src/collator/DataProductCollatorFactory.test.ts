import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  breaches,
  customers,
  dataMeshRoutes,
  domainCustomer,
  orders,
  people,
  products,
  scorecards,
  startStubDataMesh,
} from '../__testUtils__/mesh';
import { DataProductCollatorFactory } from './DataProductCollatorFactory';
import type { DataProductSearchDocument } from './types';

type Stub = Awaited<ReturnType<typeof startStubDataMesh>>;

const stubs: Stub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map(stub => stub.close()));
});

async function stubDataMesh(
  ...args: Parameters<typeof startStubDataMesh>
): Promise<Stub> {
  const stub = await startStubDataMesh(...args);
  stubs.push(stub);
  return stub;
}

function setup(options: {
  entities?: Entity[];
  dataMeshUrl: string;
  batchSize?: number;
}) {
  const catalog = catalogServiceMock({
    entities: options.entities ?? [...people, ...products],
  });
  const logger = mockServices.logger.mock();
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async pluginId =>
      pluginId === 'data-mesh'
        ? options.dataMeshUrl
        : `http://127.0.0.1:1/api/${pluginId}`,
  });
  const factory = new DataProductCollatorFactory({
    auth: mockServices.auth({ pluginId: 'search' }),
    catalog,
    discovery,
    logger,
    batchSize: options.batchSize,
  });
  return { catalog, logger, factory };
}

async function collect(
  factory: DataProductCollatorFactory,
): Promise<DataProductSearchDocument[]> {
  const documents: DataProductSearchDocument[] = [];
  for await (const document of await factory.getCollator()) {
    documents.push(document);
  }
  return documents;
}

function byName(documents: DataProductSearchDocument[], name: string) {
  const document = documents.find(d => d.name === name);
  if (!document) throw new Error(`no document for ${name}`);
  return document;
}

/** The keys every document carries, so that Lunr indexes each field. */
const DOCUMENT_KEYS = [
  'authorization',
  'classification',
  'containsPii',
  'description',
  'domain',
  'domainTitle',
  'entityRef',
  'governanceLevel',
  'lifecycle',
  'location',
  'name',
  'outputPorts',
  'owner',
  'ownerName',
  'sloStatus',
  'slosBreached',
  'tags',
  'text',
  'title',
  'type',
];

describe('DataProductCollatorFactory', () => {
  it('is the data-product type, visible to those who may read the entity', async () => {
    const { factory } = setup({ dataMeshUrl: 'http://127.0.0.1:1' });
    expect(factory.type).toBe('data-product');
    expect(factory.visibilityPermission).toBe(catalogEntityReadPermission);
  });

  it('makes one document per data product with what it holds, who owns it and how it is governed', async () => {
    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    const { factory, logger } = setup({ dataMeshUrl: stub.baseUrl });

    const documents = await collect(factory);

    expect(documents.map(d => d.entityRef).sort()).toEqual([
      'dataproduct:default/customers',
      'dataproduct:default/ledger',
      'dataproduct:default/orders',
    ]);
    for (const document of documents) {
      expect(Object.keys(document).sort()).toEqual(DOCUMENT_KEYS);
    }

    const { text, ...fields } = byName(documents, 'orders');
    expect(fields).toEqual({
      title: 'Orders',
      location: '/catalog/default/dataproduct/orders',
      entityRef: 'dataproduct:default/orders',
      name: 'orders',
      description: 'Every order placed in the web shop and the mobile app.',
      tags: ['sales', 'transactions'],
      type: 'source-aligned',
      lifecycle: 'production',
      domain: 'domain:default/sales',
      domainTitle: 'Sales and Commerce',
      owner: 'group:default/sales-data',
      ownerName: 'Sales Data Team',
      classification: 'confidential',
      containsPii: 'true',
      // What the result item shows of a port; descriptions, the contract's
      // version and field types are in the text only.
      outputPorts: [
        {
          name: 'orders-table',
          type: 'table',
          format: 'iceberg',
          address: 'iceberg://lake/sales/orders',
          contract: '../contracts/orders.odcs.yaml',
          fields: ['order_id', 'customer_id', 'amount'],
          piiFields: ['customer_id'],
        },
        {
          name: 'orders-stream',
          type: 'topic',
          format: 'avro',
          address: 'kafka://prod/sales.orders.v1',
          contract: '',
          fields: [],
          piiFields: [],
        },
      ],
      governanceLevel: 'Silver',
      sloStatus: 'breached',
      slosBreached: ['completeness'],
      authorization: { resourceRef: 'dataproduct:default/orders' },
    });
    // The words a person searches for are in the text, once: description,
    // tags, domain, owner names, personal data, regulations, upstream
    // products, governance, port addresses, column names and descriptions.
    for (const words of [
      'Every order placed in the web shop and the mobile app.',
      'Tags: sales, transactions',
      'Domain: Sales and Commerce',
      'Owner: Sales Data Team; product owner: Maria Silva',
      'Contains personal data (PII)',
      'Regulations: GDPR',
      'Reads from: customers',
      'Governance level Silver, score 87',
      'Output port orders-table (table, iceberg) at iceberg://lake/sales/orders',
      'kafka://prod/sales.orders.v1',
      'One row per order line. Contract ../contracts/orders.odcs.yaml version 1.2.0',
      'Fields: order_id: Unique order number; customer_id, personal data: The customer who ordered; amount',
      // Each type once per port.
      'Field types: string, decimal(10,2)',
    ]) {
      expect(text).toContain(words);
    }
    // Each description is there once (with the field names the item shows,
    // the document is no longer a second copy of the descriptor).
    expect(text.split('Unique order number')).toHaveLength(2);
    expect(JSON.stringify(fields)).not.toContain('Unique order number');
    expect(text.split('\n')[0]).toBe(
      'Every order placed in the web shop and the mobile app.',
    );

    // Shorthand references resolve against the product's namespace; a
    // group without a profile shows its title, a domain without a title
    // its name.
    const customerDoc = byName(documents, 'customers');
    expect(customerDoc).toMatchObject({
      title: 'customers',
      owner: 'group:default/customer-insights',
      ownerName: 'Customer Insights',
      domain: 'domain:default/customer',
      domainTitle: 'customer',
      containsPii: 'false',
      tags: [],
      governanceLevel: 'none',
      sloStatus: 'unbreached',
      slosBreached: [],
    });
    // Below the first level: the score alone.
    expect(customerDoc.text).toContain('Governance score 41');
    // Its descriptor does not say it holds personal data; a field does.
    expect(customerDoc.text).not.toContain('Contains personal data');
    expect(customerDoc.text).toContain('email, personal data');
    expect(customerDoc.text).not.toContain('Reads from');
    expect(customerDoc.text).toContain('loyalty_tier');
    expect(customerDoc.text).toContain('s3://acme-lake/customer/customers/');
    expect(customerDoc.text).toContain('Owner: Customer Insights');

    // Read as the search plugin's own service, through discovery.
    expect(stub.requests.map(r => r.path).sort()).toEqual([
      '/api/data-mesh/quality/breaches',
      '/api/data-mesh/scorecards?limit=1000&offset=0',
    ]);
    for (const { authorization } of stub.requests) {
      expect(authorization).toBe(
        `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.service('plugin:search'),
          targetPluginId: 'data-mesh',
        })}`,
      );
    }
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('indexes a product without ports, schemas, domain or product owner', async () => {
    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    const { factory } = setup({ dataMeshUrl: stub.baseUrl });

    const document = byName(await collect(factory), 'ledger');

    expect(document).toEqual({
      title: 'ledger',
      text: 'Owner: finance',
      location: '/catalog/default/dataproduct/ledger',
      entityRef: 'dataproduct:default/ledger',
      name: 'ledger',
      description: '',
      tags: [],
      type: 'consumer-aligned',
      lifecycle: 'deprecated',
      domain: '',
      domainTitle: '',
      // Not in the catalog: the name from the reference stands in.
      owner: 'group:default/finance',
      ownerName: 'finance',
      classification: '',
      containsPii: '',
      outputPorts: [],
      // Not evaluated yet, and declares no SLOs.
      governanceLevel: undefined,
      sloStatus: 'no-slos',
      slosBreached: [],
      authorization: { resourceRef: 'dataproduct:default/ledger' },
    });
  });

  it('indexes without governance when the data-mesh backend is down, and says so once', async () => {
    const stub = await stubDataMesh(() => ({
      status: 500,
      body: { error: { name: 'Error', message: 'boom' } },
    }));
    const { factory, logger } = setup({ dataMeshUrl: stub.baseUrl });

    const first = await collect(factory);
    const second = await collect(factory);

    for (const documents of [first, second]) {
      expect(documents).toHaveLength(3);
      for (const document of documents) {
        expect(Object.keys(document).sort()).toEqual(DOCUMENT_KEYS);
        expect(document).toMatchObject({
          governanceLevel: undefined,
          sloStatus: undefined,
          slosBreached: undefined,
        });
        expect(document.text).not.toContain('Governance');
      }
      // Everything else is there.
      expect(byName(documents, 'orders')).toMatchObject({
        ownerName: 'Sales Data Team',
        domainTitle: 'Sales and Commerce',
        outputPorts: [
          expect.objectContaining({ name: 'orders-table' }),
          expect.objectContaining({ name: 'orders-stream' }),
        ],
      });
      expect(byName(documents, 'orders').text).toContain('customer_id');
    }
    // One warning per part of the API, over both runs.
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      'Indexing data products without scorecards: the data-mesh backend could not be read (GET /scorecards?limit=1000&offset=0 answered 500 Internal Server Error); this is logged again only after it has been read successfully',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Indexing data products without SLO status: the data-mesh backend could not be read (GET /quality/breaches answered 500 Internal Server Error); this is logged again only after it has been read successfully',
    );
  });

  it('indexes without governance when no data-mesh backend listens, and logs its return', async () => {
    // A port nothing listens on: the stub, closed.
    const gone = await startStubDataMesh(() => undefined);
    await gone.close();
    let dataMeshUrl = gone.baseUrl;
    const catalog = catalogServiceMock({ entities: [...people, ...products] });
    const logger = mockServices.logger.mock();
    const factory = new DataProductCollatorFactory({
      auth: mockServices.auth({ pluginId: 'search' }),
      catalog,
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => dataMeshUrl,
      }),
      logger,
    });

    const documents = await collect(factory);
    expect(documents).toHaveLength(3);
    expect(documents.every(d => d.governanceLevel === undefined)).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(2);

    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    dataMeshUrl = stub.baseUrl;
    const again = await collect(factory);
    expect(byName(again, 'orders')).toMatchObject({
      governanceLevel: 'Silver',
      sloStatus: 'breached',
    });
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.info).toHaveBeenCalledWith(
      'Data product search documents carry scorecards from the data-mesh backend again',
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Data product search documents carry SLO status from the data-mesh backend again',
    );
  });

  it('keeps scorecards when only the quality API fails', async () => {
    const healthy = dataMeshRoutes({ scorecards, breaches });
    const stub = await stubDataMesh((url, req) =>
      url.pathname.startsWith('/api/data-mesh/quality')
        ? undefined
        : healthy(url, req),
    );
    const { factory, logger } = setup({ dataMeshUrl: stub.baseUrl });

    const document = byName(await collect(factory), 'orders');

    expect(document).toMatchObject({
      governanceLevel: 'Silver',
      sloStatus: undefined,
      slosBreached: undefined,
    });
    expect(document.text).toContain('Governance level Silver, score 87');
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('pages through the catalog and the scorecards, reading each name once per run', async () => {
    // 7 products over 3 catalog pages, 1,205 scorecards over 2 pages.
    const many = Array.from({ length: 7 }, (_, i) => ({
      ...orders,
      metadata: { ...orders.metadata, name: `orders-${i}` },
    }));
    const cards = Array.from({ length: 1205 }, (_, i) => ({
      ...scorecards[0],
      entityRef: `dataproduct:default/orders-${i}`,
      score: i,
    }));
    const stub = await stubDataMesh(
      dataMeshRoutes({ scorecards: cards, breaches }),
    );
    const { factory, catalog } = setup({
      entities: [...people, ...many],
      dataMeshUrl: stub.baseUrl,
      batchSize: 3,
    });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');

    const documents = await collect(factory);

    expect(documents.map(d => d.name)).toEqual(many.map(p => p.metadata.name));
    expect(
      documents.map(
        d => d.text.match(/Governance level Silver, score (\d+)/)?.[1],
      ),
    ).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(queryEntities).toHaveBeenCalledTimes(3);
    expect(queryEntities.mock.calls.map(([request]) => request?.limit)).toEqual(
      [3, 3, 3],
    );
    // Owner, product owner and domain are the same for all: one request.
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs.mock.calls[0][0].entityRefs.sort()).toEqual([
      'domain:default/sales',
      'group:default/sales-data',
      'user:default/maria.silva',
    ]);
    expect(documents.every(d => d.ownerName === 'Sales Data Team')).toBe(true);
    expect(stub.requests.map(r => r.path).sort()).toEqual([
      '/api/data-mesh/quality/breaches',
      '/api/data-mesh/scorecards?limit=1000&offset=0',
      '/api/data-mesh/scorecards?limit=1000&offset=1000',
    ]);
  });

  it('reads only data products from the catalog', async () => {
    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    const { factory, catalog } = setup({ dataMeshUrl: stub.baseUrl });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');

    await collect(factory);

    expect(queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'DataProduct' } }),
      { credentials: mockCredentials.service('plugin:search') },
    );
  });

  it('indexes a product whose descriptor has problems with what can be read of it', async () => {
    const broken: Entity = {
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'broken',
        namespace: 'finance',
        tags: ['ok', 3] as any,
      },
      spec: {
        type: 'aggregate',
        owner: 'group:finance/',
        domain: { not: 'a string' },
        inputPorts: 'orders',
        outputPorts: [
          'not a port',
          {
            name: 'daily',
            type: 'tabel',
            address: 'snowflake://acme/ANALYTICS.FINANCE.DAILY',
            schema: [{ name: 'booking_date' }, { type: 'no name' }, null],
          },
        ],
        regulations: 'SOX',
        slos: [],
        containsPii: 'yes',
      },
    };
    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    const { factory, logger } = setup({
      entities: [...people, broken],
      dataMeshUrl: stub.baseUrl,
    });

    const [document] = await collect(factory);

    expect(document).toMatchObject({
      entityRef: 'dataproduct:finance/broken',
      location: '/catalog/finance/dataproduct/broken',
      tags: ['ok'],
      // Not a reference: kept as written.
      owner: 'group:finance/',
      ownerName: 'group:finance/',
      domain: '',
      lifecycle: '',
      containsPii: '',
      sloStatus: 'no-slos',
      outputPorts: [
        {
          name: 'daily',
          type: 'tabel',
          format: '',
          address: 'snowflake://acme/ANALYTICS.FINANCE.DAILY',
          contract: '',
          fields: ['booking_date'],
          piiFields: [],
        },
      ],
    });
    expect(document.text).toContain('Fields: booking_date');
    expect(document.text).not.toMatch(/Regulations|Reads from/);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('indexes only data products, naming a team the catalog does not hold by its reference', async () => {
    const stub = await stubDataMesh(dataMeshRoutes({ scorecards, breaches }));
    const { factory } = setup({
      entities: [customers, domainCustomer],
      dataMeshUrl: stub.baseUrl,
    });

    const documents = await collect(factory);

    expect(documents.map(d => d.name)).toEqual(['customers']);
    expect(documents[0]).toMatchObject({
      ownerName: 'customer-insights',
      domainTitle: 'customer',
    });
  });
});
