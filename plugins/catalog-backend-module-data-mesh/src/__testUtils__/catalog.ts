/*
 * A real catalog for tests: the catalog backend with this module, on a test
 * database, reading file locations, and the reads the tests make of it.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import { catalogModuleDataMesh } from '../module';

/** The kinds a test catalog takes. */
export const ALLOWED_KINDS = [
  'Component',
  'API',
  'Resource',
  'System',
  'Domain',
  'Group',
  'User',
  'Location',
  'DataProduct',
];

/** A started test catalog: its HTTP server. */
export type TestCatalogServer = { port(): number };

/**
 * Starts the catalog backend with this module on `knex`, reading the given
 * files as locations. `config` is merged into the catalog's; with
 * `unprocessed`, the unprocessed-entities module serves what the catalog
 * could not process.
 */
export async function startCatalog(
  knex: any,
  locations: string[],
  config: Record<string, unknown> = {},
  options: { unprocessed?: boolean } = {},
): Promise<TestCatalogServer> {
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      ...(options.unprocessed ? [unprocessedModule] : []),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          ...config,
          catalog: {
            rules: [{ allow: ALLOWED_KINDS }],
            locations: locations.map(target => ({ type: 'file', target })),
            ...(config.catalog as object),
          },
        },
      }),
    ],
  });
  return server;
}

/** GETs a path of the backend as a signed-in user; throws unless it answers 200. */
export async function readJson(
  server: TestCatalogServer,
  url: string,
): Promise<any> {
  const res = await fetch(`http://localhost:${server.port()}${url}`, {
    headers: { Authorization: mockCredentials.user.header() },
  });
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  }
  return res.json();
}

/** Every entity the catalog serves that matches `filter`, page by page. */
export async function fetchEntities(
  server: TestCatalogServer,
  filter: string,
  fields?: string[],
): Promise<Entity[]> {
  const items: Entity[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : `filter=${encodeURIComponent(filter)}${
          fields ? `&fields=${encodeURIComponent(fields.join(','))}` : ''
        }`;
    const page = await readJson(
      server,
      `/api/catalog/entities/by-query?${query}&limit=500`,
    );
    items.push(...page.items);
    cursor = page.pageInfo?.nextCursor;
  } while (cursor);
  return items;
}

/** An entity the catalog could not process, as the unprocessed-entities module lists it. */
export type UnprocessedEntry = {
  entity_ref: string;
  location_key?: string | null;
  unprocessed_entity: Entity;
  /** The entity as last processed, when processing ever succeeded. */
  processed_entity?: Entity;
  errors?: Array<{ name: string; message: string }>;
};

/**
 * What the catalog holds but does not serve, with the errors that keep it
 * out: entities never processed (`pending`, with errors once processing
 * failed) and entities whose processing failed after they were served
 * (`failed`). Needs the unprocessed-entities module.
 */
export async function fetchUnprocessed(
  server: TestCatalogServer,
): Promise<UnprocessedEntry[]> {
  const [pending, failed] = await Promise.all(
    ['pending', 'failed'].map(
      async state =>
        (
          await readJson(server, `/api/catalog/entities/unprocessed/${state}`)
        ).entities as UnprocessedEntry[],
    ),
  );
  return [...pending, ...failed];
}

/** Polls until every expected product is in the catalog with its relations stitched. */
export async function waitForProducts(
  server: TestCatalogServer,
  expected: number,
  timeoutMs = 90_000,
): Promise<Entity[]> {
  const deadline = Date.now() + timeoutMs;
  let products: Entity[] = [];
  while (Date.now() < deadline) {
    products = await fetchEntities(server, 'kind=DataProduct');
    const stitched = products.filter(p =>
      p.relations?.some(r => r.type === 'ownedBy'),
    );
    if (stitched.length === expected) return products;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `Expected ${expected} stitched data products, the catalog has ${products.length}`,
  );
}

/** The targets of an entity's relations of one type, sorted. */
export const relationsOf = (entity: Entity | undefined, type: string) =>
  (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();
