import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import type { Knex } from 'knex';
import {
  DOCUMENTS_IN_TABLE_KEY,
  keepDocumentsInTable,
  readDocumentsInTable,
} from './documentStorage';
import { quantaTestDatabases } from '@quanta/test-utils';

jest.setTimeout(60_000);

const databases = quantaTestDatabases();

/**
 * Documents as large as a real product's, which PostgreSQL stores apart
 * from the table by default: a few KiB of numbers that compress little and
 * that the engine's text vector leaves out, so that only documents can be
 * in the TOAST table.
 */
function documents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    title: `Product ${i}`,
    text: 'revenue by region',
    sample: Array.from(randomBytes(400).values()).map(
      (b, j) => b * 1_000_003 + j,
    ),
    location: `/catalog/default/dataproduct/p${i}`,
    domain: i % 2 === 0 ? 'domain:default/sales' : 'domain:default/finance',
  }));
}

/**
 * How many documents are stored apart from the table, in its TOAST table:
 * values of more than 1 KiB there (these documents are about 2.5 KiB
 * compressed; the row's small text vector and hash can be moved there too
 * once a document stays in the row, and are far smaller).
 */
async function documentsStoredApart(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(
    `SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = to_regclass('documents')`,
  );
  const counted = await knex.raw(
    `SELECT count(*)::int AS n FROM (
       SELECT chunk_id FROM ${rows[0].toast}
        GROUP BY chunk_id HAVING sum(length(chunk_data)) > 1024) AS v`,
  );
  return counted.rows[0].n;
}

/** Backstage's PostgreSQL engine on a new database, its table made by its migrations. */
async function engineOnPostgres() {
  const knex = await databases.init('POSTGRES_17');
  const engine = await PgSearchEngine.fromConfig(new ConfigReader({}), {
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return { knex, engine };
}

/** One index run of the engine over these documents. */
async function index(engine: PgSearchEngine, docs: object[]) {
  const indexer = (await engine.getIndexer(
    'data-product',
  )) as unknown as Writable;
  await pipeline(Readable.from(docs), indexer);
}

describe('keeping the PostgreSQL engine documents in its table', () => {
  const onPostgres = databases.supports('POSTGRES_17')
    ? describe
    : describe.skip;

  onPostgres('on PostgreSQL', () => {
    it('moves the documents already indexed into the table, once, and search still filters them', async () => {
      const { knex, engine } = await engineOnPostgres();
      await index(engine, documents(20));
      expect(await documentsStoredApart(knex)).toBe(20);

      expect(await keepDocumentsInTable(knex)).toEqual({
        status: 'applied',
        rows: 20,
      });
      expect(await documentsStoredApart(knex)).toBe(0);
      const { rows } = await knex.raw(
        `SELECT attstorage FROM pg_attribute WHERE attrelid = 'documents'::regclass AND attname = 'document'`,
      );
      expect(rows[0].attstorage).toBe('m');

      // Nothing indexed is lost, and facets still narrow the results.
      const found = await engine.query({
        term: 'revenue',
        filters: { domain: 'domain:default/sales' },
        types: ['data-product'],
        pageLimit: 100,
      });
      expect(found.numberOfResults).toBe(10);
      expect(
        found.results.every(r => (r.document as any).sample.length === 400),
      ).toBe(true);

      // Documents indexed later are kept in the table too.
      await index(engine, documents(30));
      expect(await documentsStoredApart(knex)).toBe(0);
      expect(await keepDocumentsInTable(knex)).toEqual({ status: 'unchanged' });
    });

    it('applies once when replicas start together, and search reads meanwhile', async () => {
      const { knex, engine } = await engineOnPostgres();
      await index(engine, documents(20));

      const outcomes = await Promise.all([
        keepDocumentsInTable(knex),
        keepDocumentsInTable(knex),
        engine.query({ term: 'revenue', types: ['data-product'] }),
      ]);
      expect(
        outcomes
          .slice(0, 2)
          .map(outcome => (outcome as { status: string }).status)
          .sort(),
      ).toEqual(['applied', 'unchanged']);
      expect(
        (outcomes[2] as { numberOfResults?: number }).numberOfResults,
      ).toBe(20);
      expect(await documentsStoredApart(knex)).toBe(0);
    });

    it('reports a database without the engine table rather than failing', async () => {
      const knex = await databases.init('POSTGRES_17');
      expect(await keepDocumentsInTable(knex)).toEqual({ status: 'no-table' });
    });
  });

  it('does nothing on SQLite, where search runs on Lunr', async () => {
    const knex = await databases.init('SQLITE_3');
    expect(await keepDocumentsInTable(knex)).toEqual({
      status: 'not-postgres',
    });
  });
});

describe('the documentsInTable setting', () => {
  it('is off unless set to true', () => {
    expect(readDocumentsInTable(new ConfigReader({}))).toBe(false);
    expect(
      readDocumentsInTable(
        new ConfigReader({
          search: {
            collators: { dataMesh: { pg: { documentsInTable: true } } },
          },
        }),
      ),
    ).toBe(true);
  });

  it('names the key and the values it takes when it cannot be read', () => {
    expect(() =>
      readDocumentsInTable(
        new ConfigReader({
          search: {
            collators: { dataMesh: { pg: { documentsInTable: 'main' } } },
          },
        }),
      ),
    ).toThrow(
      `Invalid ${DOCUMENTS_IN_TABLE_KEY}: expected true or false, found "main"`,
    );
  });
});
