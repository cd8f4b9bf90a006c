/*
 * Search benchmark: the data product collator and the index on Lunr and on
 * PostgreSQL.
 *
 *   yarn workspace @quanta/bench run search                 # 10,000 products, 200 queries of each kind
 *   yarn workspace @quanta/bench run search --products 2000 --queries 500
 *   yarn workspace @quanta/bench run search --skip-lunr --pg-highlight --pg-documents-apart
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
 *     share of queries that found something; on Lunr with Quanta's engine
 *     (DataMeshLunrSearchEngine) and, with --lunr-backstage-translator,
 *     Backstage's own query translator on the same index.
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
import {
  keepDocumentsInTable,
  readDocumentsInTable,
} from '../plugins/search-backend-module-data-mesh/src/postgres/documentStorage';
import type { DataProductSearchDocument } from '../plugins/search-backend-module-data-mesh/src/collator/types';
import { DataMeshLunrSearchEngine } from '../plugins/search-backend-module-data-mesh/src/lunr/DataMeshLunrSearchEngine';
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
    // Column names: whether the first result has a field of that name.
    let columnFirst = 0;
    const each: Array<{ term: string; ms: number; matches: number }> = [];
    for (const query of list) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await engine.query(query);
      times.push(performance.now() - started);
      cpuTimes.push(cpuMs(cpu));
      if (result.results.length > 0) found++;
      each.push({
        term: query.term,
        ms: times[times.length - 1],
        matches: result.numberOfResults ?? result.results.length,
      });
      const top = result.results[0]?.document as
        | DataProductSearchDocument
        | undefined;
      if (top?.outputPorts.some(port => port.fields.includes(query.term))) {
        columnFirst++;
      }
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
      )} matches on average${
        label === 'column name'
          ? `; the first result has that field in ${Math.round(
              (columnFirst / list.length) * 100,
            )}%`
          : ''
      }${cpuFigures}`,
    );
    // Whether the slowest are the words that match most (the work) or any
    // (a pause of the process, such as garbage collection).
    const slowest = [...each].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(
      `      slowest: ${slowest
        .map(q => `${q.term} ${q.ms.toFixed(0)} ms (${q.matches} matches)`)
        .join(', ')}`,
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
    // The engine searchModuleDataMeshLunrEngine registers; Backstage's own
    // translator runs on the same index with --lunr-backstage-translator.
    const engine = new DataMeshLunrSearchEngine({ logger });
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
    await measureQueries("Lunr, Quanta's engine", engine, kinds, true);
    console.log(`      ${loadLine()}`);
    if (flag('lunr-backstage-translator')) {
      engine.setTranslator(
        (new LunrSearchEngine({ logger }) as any).translator,
      );
      await measureQueries("Lunr, Backstage's translator", engine, kinds, true);
      console.log(`      ${loadLine()}`);
    }
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
    // --pg-highlight and --pg-no-highlight override production's setting.
    const useHighlight = flag('pg-highlight')
      ? true
      : flag('pg-no-highlight')
      ? false
      : pg.highlightOptions?.useHighlight ?? true;
    const engine = await PgSearchEngine.fromConfig(
      new ConfigReader({
        search: {
          pg: {
            ...pg,
            highlightOptions: { ...pg.highlightOptions, useHighlight },
          },
        },
      }),
      {
        database: { getClient: async () => knex },
        logger,
      },
    );
    // The search module's search.collators.dataMesh.pg.documentsInTable,
    // as production has it unless --pg-documents-apart: JSON documents kept
    // in the table, compressed, so that filters use the engine's index. The
    // module applies it at startup, before the first index run on a new
    // database; --pg-apply-after-index applies it to an index already built
    // instead, as on a portal that turns it on later, and times the rewrite.
    const inTable =
      !flag('pg-documents-apart') && readDocumentsInTable(production);
    const afterIndex = inTable && flag('pg-apply-after-index');
    if (inTable && !afterIndex) await keepDocumentsInTable(knex);
    const { ms } = await index(engine, documents);
    if (afterIndex) {
      const started = performance.now();
      const outcome = await keepDocumentsInTable(knex);
      console.log(
        `  (b) documents moved into the table after indexing: ${JSON.stringify(
          outcome,
        )} in ${((performance.now() - started) / 1000).toFixed(
          1,
        )} s (index runs wait meanwhile; queries do not)`,
      );
    }
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
      `PostgreSQL (${
        useHighlight ? 'highlights' : 'no highlights'
      }, documents ${inTable ? 'in the table' : 'apart'})`,
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
