import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  LunrSearchEngine,
  type SearchEngine,
} from '@backstage/plugin-search-backend-node';
import type { SearchQuery } from '@backstage/plugin-search-common';
import { toSearchDocument } from '../collator/document';
import { DataMeshLunrSearchEngine } from './DataMeshLunrSearchEngine';

/**
 * Products as the collator makes their documents. `id` of `customer_id` is
 * within two edits of `ad`, `ids` and `iso`, which the others hold; the
 * domain `sales-ops` holds the words of `sales`.
 */
function product(
  name: string,
  options: {
    domain: string;
    columns: string[];
    description: string;
    address?: string;
  },
): Entity {
  return {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, description: options.description },
    spec: {
      type: 'source-aligned',
      owner: 'group:default/sales-data',
      domain: options.domain,
      lifecycle: 'production',
      outputPorts: [
        {
          name: `${name}-table`,
          type: 'table',
          format: 'iceberg',
          address: options.address ?? `iceberg://lake/${name}`,
          schema: options.columns.map(column => ({
            name: column,
            type: 'string',
          })),
        },
      ],
    },
  };
}

const entities = [
  product('orders', {
    domain: 'sales',
    columns: ['order_id', 'customer_id', 'amount'],
    description: 'Every order, real-time, with its revenue.',
    address: 'iceberg://lake/sales/orders',
  }),
  product('campaigns', {
    domain: 'sales-ops',
    columns: ['campaign_id', 'ad', 'ids'],
    description: 'Ad campaigns and their customer reach, in ISO weeks.',
  }),
  product('invoices', {
    domain: 'finance',
    columns: ['invoice_id', 'customer_name'],
    description: 'Invoices and the revenue they bring.',
  }),
];

const documents = entities.map(entity =>
  toSearchDocument(entity, new Map(), {
    scorecards: new Map([
      ['dataproduct:default/orders', { level: 'gold', score: 90 } as any],
      ['dataproduct:default/campaigns', { level: 'bronze', score: 40 } as any],
      ['dataproduct:default/invoices', { level: 'gold', score: 88 } as any],
    ]),
    breaches: new Map(),
  }),
);

/** A catalog collator's document: another type, with a field of its own. */
const component = {
  title: 'orders-service',
  text: 'Serves every order to the shop',
  location: '/catalog/default/component/orders-service',
  kind: 'Component',
  lifecycle: 'production',
};

async function indexed(engine: SearchEngine) {
  for (const [type, docs] of [
    ['data-product', documents],
    ['software-catalog', [component]],
  ] as const) {
    const indexer = (await engine.getIndexer(type)) as unknown as Writable;
    await pipeline(Readable.from(docs as object[]), indexer);
  }
  return engine;
}

const logger = mockServices.logger.mock();
let quanta: SearchEngine;
let backstage: SearchEngine;

beforeAll(async () => {
  quanta = await indexed(new DataMeshLunrSearchEngine({ logger }));
  backstage = await indexed(new LunrSearchEngine({ logger }));
});

async function names(engine: SearchEngine, query: Partial<SearchQuery>) {
  const { results } = await engine.query({
    term: '',
    types: ['data-product'],
    ...query,
  });
  return results.map(
    result => (result.document as any).name ?? result.document.title,
  );
}

describe('DataMeshLunrSearchEngine', () => {
  it('finds a column name as a whole: only the products that have it', async () => {
    expect(await names(quanta, { term: 'customer_id' })).toEqual(['orders']);
    // Backstage's translator looks for `customer` or `id` within two edits.
    expect((await names(backstage, { term: 'customer_id' })).sort()).toEqual([
      'campaigns',
      'invoices',
      'orders',
    ]);
  });

  it('finds an identifier by its beginning and a port by its address', async () => {
    expect(await names(quanta, { term: 'invoice_i' })).toEqual(['invoices']);
    expect(
      await names(quanta, { term: 'iceberg://lake/sales/orders' }),
    ).toEqual(['orders']);
    // Hyphenated, so its words too, ranked below the port that has it.
    expect((await names(quanta, { term: 'campaigns-table' }))[0]).toBe(
      'campaigns',
    );
  });

  it('still finds words, prefixes, near spellings and hyphenated words of descriptions', async () => {
    expect((await names(quanta, { term: 'revenue' })).sort()).toEqual([
      'invoices',
      'orders',
    ]);
    expect(await names(quanta, { term: 'campaig' })).toEqual(['campaigns']);
    // The index holds stems (`campaign`, `revenu`): one edit, and two for
    // words of eight letters or more.
    expect(await names(quanta, { term: 'campains' })).toEqual(['campaigns']);
    expect((await names(quanta, { term: 'revenus' })).sort()).toEqual([
      'invoices',
      'orders',
    ]);
    expect(await names(quanta, { term: 'real-time' })).toEqual(['orders']);
  });

  it('filters on a facet value as a whole', async () => {
    const sales = { domain: 'domain:default/sales' };
    expect(await names(quanta, { term: 'customer', filters: sales })).toEqual([
      'orders',
    ]);
    // Backstage's filter requires the words `domain`, `default` and
    // `sales`, which `domain:default/sales-ops` holds as well.
    expect(
      (await names(backstage, { term: 'customer', filters: sales })).sort(),
    ).toEqual(['campaigns', 'orders']);

    expect(
      (
        await names(quanta, {
          term: 'revenue',
          filters: { governanceLevel: 'gold', type: ['source-aligned'] },
        })
      ).sort(),
    ).toEqual(['invoices', 'orders']);
    expect(
      await names(quanta, {
        term: '',
        filters: { domain: 'domain:default/finance' },
      }),
    ).toEqual(['invoices']);
  });

  it('with filters, returns only the products that hold a word of the query', async () => {
    const gold = { governanceLevel: 'gold' };
    expect(await names(quanta, { term: 'invoices', filters: gold })).toEqual([
      'invoices',
    ]);
    // Backstage's engine lists the level's other product after, though it
    // holds no word of the query.
    expect(await names(backstage, { term: 'invoices', filters: gold })).toEqual(
      ['invoices', 'orders'],
    );
    expect(await names(quanta, { term: 'campaign_id', filters: gold })).toEqual(
      [],
    );
    expect(
      await names(quanta, { term: 'campaign_id invoices', filters: gold }),
    ).toEqual(['invoices']);
    // No words: every product of the level.
    expect((await names(quanta, { term: '', filters: gold })).sort()).toEqual([
      'invoices',
      'orders',
    ]);
    // A filter on a field of no facet is no word either.
    const title = { title: 'invoices' };
    expect(await names(quanta, { term: 'revenue', filters: title })).toEqual([
      'invoices',
    ]);
    expect(await names(quanta, { term: 'order_id', filters: title })).toEqual(
      [],
    );
  });

  it('filters on any of the values of a facet given several', async () => {
    const domains = {
      domain: ['domain:default/sales-ops', 'domain:default/finance'],
    };
    expect(
      (await names(quanta, { term: '', filters: domains })).sort(),
    ).toEqual(['campaigns', 'invoices']);
    // `customer` is in all three products.
    expect((await names(quanta, { term: 'customer' })).sort()).toEqual([
      'campaigns',
      'invoices',
      'orders',
    ]);
    expect(
      (await names(quanta, { term: 'customer', filters: domains })).sort(),
    ).toEqual(['campaigns', 'invoices']);
    // None chosen: no filter.
    expect(
      (
        await names(quanta, { term: 'customer', filters: { domain: [] } })
      ).sort(),
    ).toEqual(['campaigns', 'invoices', 'orders']);
    expect(
      await names(quanta, {
        term: 'customer',
        filters: { ...domains, governanceLevel: 'gold' },
      }),
    ).toEqual(['invoices']);
  });

  it('answers other indices and their filters as Backstage does', async () => {
    const query = {
      term: 'order',
      types: ['software-catalog'],
      filters: { kind: 'Component' },
    };
    expect(await names(quanta, query)).toEqual(['orders-service']);
    expect(await names(quanta, query)).toEqual(await names(backstage, query));
    // A filter on a field data products do not have leaves them out, as a
    // filter on it does in Backstage's engine.
    expect(
      await names(quanta, {
        term: 'order',
        types: undefined,
        filters: { kind: 'Component' },
      }),
    ).toEqual(['orders-service']);
  });
});

describe('indexing data products with DataMeshLunrSearchEngine', () => {
  async function run(engine: SearchEngine, docs: object[]) {
    const indexer = (await engine.getIndexer(
      'data-product',
    )) as unknown as Writable;
    await pipeline(Readable.from(docs), indexer);
  }

  it('replaces the products with each run, and keeps them after a run that found none', async () => {
    const warn = jest.fn();
    const engine = new DataMeshLunrSearchEngine({
      logger: { ...mockServices.logger.mock(), child: () => ({ warn }) } as any,
    });
    await run(engine, documents);
    expect((await names(engine, { term: 'revenue' })).sort()).toEqual([
      'invoices',
      'orders',
    ]);

    // invoices is gone from the catalog.
    await run(engine, documents.slice(0, 2));
    expect(await names(engine, { term: 'revenue' })).toEqual(['orders']);
    // Nor does the engine keep its document in memory (Backstage's keeps
    // every document it ever indexed).
    expect(Object.keys((engine as any).docStore).sort()).toEqual([
      '/catalog/default/dataproduct/campaigns',
      '/catalog/default/dataproduct/orders',
    ]);

    // A run with no product (a catalog not read yet) changes nothing.
    await run(engine, []);
    expect(await names(engine, { term: 'revenue' })).toEqual(['orders']);
    expect(warn).toHaveBeenCalledWith(
      'Index for data-product was not replaced: indexer received 0 documents',
    );
  });

  it('returns whole documents, though it indexes only the fields queries need', async () => {
    const { results } = await quanta.query({
      term: 'customer_id',
      types: ['data-product'],
    });
    expect(results[0].document).toEqual(documents[0]);
    // The references' words (`domain`, `default`) are in every document's
    // fields but not indexed: they match nothing.
    expect(await names(quanta, { term: 'default' })).toEqual([]);
  });
});
