import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** What reading the catalog takes: the catalog, and the plugin's own credentials. */
export type CatalogSource = {
  catalog: CatalogService;
  auth: AuthService;
};

/**
 * Every entity of some kinds, page by page, read with the plugin's own
 * credentials: one request per `pageSize` entities, and no more than one
 * page held here at a time. `fields` trims each entity to what the caller
 * reads; the cursor does not carry them, so every page names them again.
 */
export async function* readCatalog(
  source: CatalogSource,
  query: { kind: string | string[]; fields?: string[]; pageSize: number },
): AsyncGenerator<Entity> {
  const credentials = await source.auth.getOwnServiceCredentials();
  const fields = query.fields ? { fields: query.fields } : {};
  let cursor: string | undefined;
  do {
    const page = await source.catalog.queryEntities(
      cursor
        ? { cursor, ...fields, limit: query.pageSize }
        : { filter: { kind: query.kind }, ...fields, limit: query.pageSize },
      { credentials },
    );
    yield* page.items;
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
}

/** Kinds a data product's policies and its lineage may refer to. */
const MESH_KINDS = [
  'DataProduct',
  'Group',
  'User',
  'Domain',
  'System',
  'Component',
  'API',
  'Resource',
];

/**
 * Every entity of the mesh: data products and what they refer to. Governance
 * evaluates against it and lineage builds its graph from it.
 */
export async function readMesh(source: CatalogSource): Promise<Entity[]> {
  const entities: Entity[] = [];
  for await (const entity of readCatalog(source, {
    kind: MESH_KINDS,
    pageSize: 500,
  })) {
    entities.push(entity);
  }
  return entities;
}
