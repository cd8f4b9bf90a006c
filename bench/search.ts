/*
 * Search benchmark: the data product collator and the index on Lunr and on
 * PostgreSQL.
 *
 *   yarn workspace @quanta/bench run search                 # 10,000 products, 200 queries of each kind
 *   yarn workspace @quanta/bench run search --products 2000 --queries 500
 *   yarn workspace @quanta/bench run search --skip-lunr --pg-document-storage-main
 *
 * (`run` is needed: `yarn search` is a command of yarn's own.)
 *
 * (a) The collator of @quanta/plugin-search-backend-module-data-mesh over a
 *     generated mesh (an in-memory catalog in this process; scorecards and
 *     SLO breaches from a stand-in data-mesh API over HTTP): time to make
 *     every document, and their size.
 * (b) Indexing those documents with Backstage's Lunr engine (in memory) and
 *     with the PostgreSQL engine of @backstage/plugin-search-backend-module-pg
 *     (a scratch database, created and dropped, when
 *     BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING is set): time,
 *     and index size (Lunr: the serialised index; PostgreSQL: the table with
 *     its indexes).
 * (c) Query latency through each engine's `query`, as the search backend
 *     calls it: one-word queries, column-name queries and filtered queries
 *     (a word, a domain and a level), p50 and p95 after a warm-up, with the
 *     share of queries that found something; on Lunr also with a query
 *     translator that looks for near spellings of long words only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import knexFactory from 'knex';
import { parse as parseYaml } from 'yaml';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import type {
  SearchEngine,
  SearchQuery,
} from '@backstage/plugin-search-common';
import { DataProductCollatorFactory } from '../plugins/search-backend-module-data-mesh/src/collator/DataProductCollatorFactory';
import type { DataProductSearchDocument } from '../plugins/search-backend-module-data-mesh/src/collator/types';
import {
  dataMeshRoutes,
  startStubDataMesh,
} from '../plugins/search-backend-module-data-mesh/src/__testUtils__/mesh';
import { argument, flag, machineLine, percentile } from './common';
import {
  COLUMNS,
  DOMAINS,
  LEVELS,
  WORDS,
  generate,
  random,
} from './searchMesh';

const TYPE = 'data-product';
const kib = (bytes: number) =>
  bytes >= 2 ** 20
    ? `${(bytes / 2 ** 20).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * The catalog as the collator reads it: DataProducts 500 at a time, and the
 * entities they name by reference. In memory and without filtering work, so
 * that (a) measures the collator rather than a stand-in catalog; a real
 * catalog adds its own time for about 20 paged queries.
 */
function pagedCatalog(entities: Entity[]): CatalogService {
  const products = entities.filter(e => e.kind === 'DataProduct');
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const catalog: Pick<CatalogService, 'queryEntities' | 'getEntitiesByRefs'> = {
    async queryEntities(request) {
      const offset =
        request && 'cursor' in request ? Number(request.cursor) : 0;
      const limit = request?.limit ?? products.length;
      const end = offset + limit;
      return {
        items: products.slice(offset, end),
        totalItems: products.length,
        pageInfo: {
          nextCursor: end < products.length ? String(end) : undefined,
        },
      };
    },
    async getEntitiesByRefs(request) {
      return { items: request.entityRefs.map(ref => byRef.get(ref)) };
    },
  };
  return catalog as CatalogService;
}

/** `load 1.02, heap 1.3 GiB`: what else the machine was doing, and this process's memory. */
function loadLine(): string {
  const [one] = os.loadavg();
  const { heapUsed, rss } = process.memoryUsage();
  return `load average ${one.toFixed(2)} (1 min), heap ${kib(
    heapUsed,
  )}, rss ${kib(rss)}`;
}

/** CPU time this process spent since `since` (all its threads, garbage collection included), in ms. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** Wall time, and this process's CPU time, which other work on the machine disturbs less. */
async function index(
  engine: SearchEngine,
  documents: DataProductSearchDocument[],
): Promise<{ ms: number; cpu: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const indexer = (await engine.getIndexer(TYPE)) as Writable;
  await pipeline(Readable.from(documents), indexer);
  return { ms: performance.now() - started, cpu: cpuMs(cpu) };
}

/**
 * The query translator a portal can give the Lunr engine it registers
 * (`LunrSearchEngine#setTranslator`), measured beside Backstage's own. Both
 * look for each word as typed (stemmed) and as a prefix; Backstage's also
 * looks for every word within two edits, so `id` of `customer_id` matches
 * every short word (`2`, `12`, `iso`, `used`) of nearly every product, and
 * Lunr scores them all. This one looks for near spellings only of words of
 * five letters or more, within one edit, and for prefixes of words of three
 * letters or more. Filters are Backstage's own.
 */
function strictLunrTranslator(engine: LunrSearchEngine) {
  const backstage = (engine as any).translator as (query: SearchQuery) => {
    lunrQueryBuilder: (q: any) => void;
  };
  return (query: SearchQuery) => {
    // Backstage's translator with no words: the filters, the types, the page.
    const translated = backstage({ ...query, term: '' });
    const words = query.term
      .toLocaleLowerCase('en-US')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    return {
      ...translated,
      lunrQueryBuilder: (q: any) => {
        translated.lunrQueryBuilder(q);
        for (const word of words) {
          q.term(word, { usePipeline: true, boost: 100 });
          if (word.length >= 3) {
            // lunr.Query.wildcard.TRAILING
            q.term(word, { usePipeline: false, boost: 10, wildcard: 2 });
          }
          if (word.length >= 5) {
            q.term(word, { usePipeline: false, boost: 1, editDistance: 1 });
          }
        }
      },
    };
  };
}

type QueryKind = { label: string; queries: SearchQuery[] };

function queries(count: number): QueryKind[] {
  const next = random(5);
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(next() * list.length)];
  const many = (make: () => SearchQuery) => Array.from({ length: count }, make);
  return [
    {
      label: 'one word',
      queries: many(() => ({ term: pick(WORDS), types: [TYPE] })),
    },
    {
      label: 'column name',
      queries: many(() => ({ term: pick(COLUMNS), types: [TYPE] })),
    },
    {
      label: 'word + domain + level',
      queries: many(() => ({
        term: pick(WORDS),
        types: [TYPE],
        filters: {
          domain: `domain:default/${pick(DOMAINS)}`,
          governanceLevel: pick(LEVELS),
        },
      })),
    },
  ];
}

async function measureQueries(
  engineLabel: string,
  engine: SearchEngine,
  kinds: QueryKind[],
  inProcess: boolean,
) {
  for (const { label, queries: list } of kinds) {
    // Warm-up: JIT, and PostgreSQL's caches.
    for (const query of list.slice(0, 20)) await engine.query(query);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let found = 0;
    let results = 0;
    for (const query of list) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await engine.query(query);
      times.push(performance.now() - started);
      cpuTimes.push(cpuMs(cpu));
      if (result.results.length > 0) found++;
      results += result.numberOfResults ?? result.results.length;
    }
    // Lunr answers in this process, so its CPU time is the query's own
    // work; PostgreSQL's is in the server.
    const cpuFigures = inProcess
      ? `; CPU p50 ${percentile(cpuTimes, 50).toFixed(1)} ms, p95 ${percentile(
          cpuTimes,
          95,
        ).toFixed(1)} ms`
      : '';
    console.log(
      `  (c) ${engineLabel}, ${label}: p50 ${percentile(times, 50).toFixed(
        1,
      )} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${Math.max(
        ...times,
      ).toFixed(1)} ms over ${list.length} queries; ${Math.round(
        (found / list.length) * 100,
      )}% found something, ${Math.round(
        results / list.length,
      )} matches on average${cpuFigures}`,
    );
  }
}

async function main() {
  const count = argument('products', 10_000);
  const queryCount = argument('queries', 200);
  // Quiet, and without jest: warnings only.
  const logger: LoggerService = {
    error: (message: string) => console.error(message),
    warn: (message: string) => console.warn(message),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  console.log(
    `Search benchmark: ${count.toLocaleString('en-US')} data products`,
  );
  console.log(machineLine());
  console.log(`  ${loadLine()}`);

  const mesh = generate(count);
  const fields = mesh.products.map(p =>
    (p.spec!.outputPorts as Array<{ schema: unknown[] }>).reduce(
      (sum, port) => sum + port.schema.length,
      0,
    ),
  );
  console.log(
    `  data: ${count} products, ${
      mesh.entities.length - count
    } domains, teams and owners; ` +
      `${(
        mesh.products.reduce(
          (sum, p) => sum + (p.spec!.outputPorts as unknown[]).length,
          0,
        ) / count
      ).toFixed(1)} output ports and ${(
        fields.reduce((a, b) => a + b, 0) / count
      ).toFixed(0)} schema fields per product on average; descriptors ${kib(
        Buffer.byteLength(JSON.stringify(mesh.products)),
      )} as JSON`,
  );

  // (a) The collator, as the search plugin runs it.
  const stub = await startStubDataMesh(
    dataMeshRoutes({ scorecards: mesh.scorecards, breaches: mesh.breaches }),
  );
  const documents: DataProductSearchDocument[] = [];
  let collateMs: number;
  let collateCpu: number;
  try {
    const factory = new DataProductCollatorFactory({
      auth: mockServices.auth({ pluginId: 'search' }),
      catalog: pagedCatalog(mesh.entities),
      discovery: {
        getBaseUrl: async () => stub.baseUrl,
        getExternalBaseUrl: async () => stub.baseUrl,
      },
      logger,
    });
    const started = performance.now();
    const cpu = process.cpuUsage();
    for await (const document of await factory.getCollator()) {
      documents.push(document);
    }
    collateMs = performance.now() - started;
    collateCpu = cpuMs(cpu);
  } finally {
    await stub.close();
  }
  const textBytes = documents.map(d => Buffer.byteLength(d.text));
  const documentBytes = documents.map(d =>
    Buffer.byteLength(JSON.stringify(d)),
  );
  console.log(
    `  (a) collator: ${documents.length} documents in ${(
      collateMs / 1000
    ).toFixed(1)} s, CPU ${(collateCpu / 1000).toFixed(
      1,
    )} s (with the stand-in data-mesh API); a document ${kib(
      documentBytes.reduce((a, b) => a + b, 0) / documents.length,
    )} on average (p95 ${kib(percentile(documentBytes, 95))}), its text ${kib(
      textBytes.reduce((a, b) => a + b, 0) / documents.length,
    )}; all documents ${kib(documentBytes.reduce((a, b) => a + b, 0))}`,
  );
  const kinds = queries(queryCount);

  // (b), (c) Lunr.
  if (!flag('skip-lunr')) {
    const engine = new LunrSearchEngine({ logger });
    const { ms, cpu } = await index(engine, documents);
    const lunrIndex = (engine as any).lunrIndices[TYPE];
    const indexBytes = Buffer.byteLength(JSON.stringify(lunrIndex));
    console.log(
      `  (b) Lunr: indexed in ${(ms / 1000).toFixed(1)} s, CPU ${(
        cpu / 1000
      ).toFixed(1)} s (collator and index: ${((collateMs + ms) / 1000).toFixed(
        1,
      )} s, CPU ${((collateCpu + cpu) / 1000).toFixed(
        1,
      )} s); serialised index ${kib(
        indexBytes,
      )}, plus the documents it keeps in memory`,
    );
    console.log(`      ${loadLine()}`);
    await measureQueries('Lunr', engine, kinds, true);
    console.log(`      ${loadLine()}`);
    engine.setTranslator(strictLunrTranslator(engine) as any);
    await measureQueries(
      'Lunr, near spellings of long words only',
      engine,
      kinds,
      true,
    );
    console.log(`      ${loadLine()}`);
  }

  // (b), (c) PostgreSQL.
  if (flag('skip-pg')) return;
  const pgUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING;
  if (!pgUrl) {
    console.log(
      '  PostgreSQL: skipped (set BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING)',
    );
    return;
  }
  const database = `quanta_search_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${database}`);
  // node-postgres ignores a `database` option next to a connection string.
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    const version = (await knex.raw('SHOW server_version')).rows[0]
      .server_version;
    // The engine's settings as app-config.production.yaml has them.
    const production = new ConfigReader(
      parseYaml(
        fs.readFileSync(
          path.resolve(__dirname, '../app-config.production.yaml'),
          'utf8',
        ),
      ),
    );
    const pg = production.getOptionalConfig('search.pg')?.get<any>() ?? {};
    const engine = await PgSearchEngine.fromConfig(
      new ConfigReader({
        search: {
          pg: flag('pg-no-highlight')
            ? {
                ...pg,
                highlightOptions: {
                  ...pg.highlightOptions,
                  useHighlight: false,
                },
              }
            : pg,
        },
      }),
      {
        database: { getClient: async () => knex },
        logger,
      },
    );
    // A setting of the documents table an operator can make in the search
    // database (see the search module's README): JSON documents kept in
    // the table, compressed, rather than out of line, so that the planner
    // sees what a sequential scan reads and filters through the index.
    const storageMain = flag('pg-document-storage-main');
    if (storageMain) {
      await knex.raw(
        'ALTER TABLE documents ALTER COLUMN document SET STORAGE MAIN',
      );
    }
    const { ms } = await index(engine, documents);
    // PostgreSQL's autovacuum analyses a table this changed within a minute;
    // until then the planner guesses from an empty table.
    const analyseStarted = performance.now();
    await knex.raw('ANALYZE documents');
    const analyseMs = performance.now() - analyseStarted;
    const size = (
      await knex.raw(
        `SELECT pg_total_relation_size('documents') AS total, pg_relation_size('documents') AS heap`,
      )
    ).rows[0];
    console.log(
      `  (b) PostgreSQL ${version}: indexed in ${(ms / 1000).toFixed(
        1,
      )} s (collator and index: ${((collateMs + ms) / 1000).toFixed(
        1,
      )} s); table ${kib(
        Number(size.total),
      )} with its indexes and TOAST (heap ${kib(
        Number(size.heap),
      )}); ANALYZE ${(analyseMs / 1000).toFixed(1)} s`,
    );
    console.log(`      ${loadLine()}`);
    await measureQueries(
      `PostgreSQL${flag('pg-no-highlight') ? ' (no highlight)' : ''}${
        storageMain ? ' (documents stored MAIN)' : ''
      }`,
      engine,
      kinds,
      false,
    );
    console.log(`      ${loadLine()}`);
  } finally {
    await knex.destroy();
    if (flag('keep-database')) {
      console.log(`  kept the database ${database} (--keep-database)`);
    } else {
      await admin.raw(`DROP DATABASE ${database}`);
    }
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
