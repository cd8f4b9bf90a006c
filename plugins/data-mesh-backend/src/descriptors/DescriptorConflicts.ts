import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import type { Knex } from 'knex';
import { parseAllDocuments } from 'yaml';

/** The topic Backstage's catalog publishes a second declaration of an entity on. */
export const CATALOG_CONFLICTS_TOPIC = 'experimental.catalog.conflict';

const TABLE = 'dm_descriptor_conflicts';

/** How long a check of a remote file that a conflict still holds is trusted, so a page view does not read it each time. */
const CHECK_TTL_MS = 10 * 60_000;

type Row = {
  conflict_key: string;
  entity_ref: string;
  name: string;
  namespace: string;
  kind: string;
  owner: string | null;
  ignored_location: string;
  served_location: string;
  reported_at: number | string;
  checked_at: number | string | null;
};

const text = (value: unknown) =>
  typeof value === 'string' && value ? value : undefined;

/** A location key split as the catalog writes it: `url:https://…`, `file:/…`. */
function splitLocationKey(key: string) {
  const at = key.indexOf(':');
  return at < 0
    ? { type: '', target: key }
    : { type: key.slice(0, at), target: key.slice(at + 1) };
}

/** Whether a catalog file's text still declares the entity. */
export function declares(
  yamlText: string,
  entity: { kind: string; namespace: string; name: string },
): boolean {
  const lower = (value: unknown) =>
    typeof value === 'string' ? value.toLocaleLowerCase('en-US') : undefined;
  for (const document of parseAllDocuments(yamlText)) {
    // A document the catalog cannot read declares nothing.
    if (document.errors?.length) continue;
    const json = document.toJS({ maxAliasCount: 100 }) as any;
    if (!json || typeof json !== 'object') continue;
    if (
      lower(json.kind) === lower(entity.kind) &&
      lower(json.metadata?.name) === lower(entity.name) &&
      lower(json.metadata?.namespace ?? 'default') === lower(entity.namespace)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * DataProducts declared in two files. The catalog serves the file it read
 * first and ignores the other, reporting it only in its log and on the
 * events service (`experimental.catalog.conflict`), once, when it meets the
 * second file. This keeps each report for DataProducts and lists it while
 * it holds: the served product still comes from the other file, and the
 * ignored file still exists and still declares it (read again from disk
 * for `file:` locations, through the URL reader at most every 10 minutes
 * otherwise). A conflict that no longer holds is dropped.
 */
export class DescriptorConflicts {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      knex: Knex;
      catalog: CatalogService;
      auth: AuthService;
      urlReader: UrlReaderService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Listens for the catalog's conflict reports. */
  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'data-mesh-descriptor-conflicts',
      topics: [CATALOG_CONFLICTS_TOPIC],
      onEvent: params => this.record(params),
    });
  }

  /** Stores a conflict report when it is about a DataProduct; ignores the rest. */
  async record(params: EventParams): Promise<void> {
    const payload = params.eventPayload as any;
    const entity = payload?.unprocessedEntity;
    const kind = text(entity?.kind);
    const name = text(entity?.metadata?.name);
    const ignored = text(payload?.newLocationKey);
    const served = text(payload?.existingLocationKey);
    if (!kind || kind.toLocaleLowerCase('en-US') !== 'dataproduct') return;
    if (!name || !ignored || !served) return;
    const namespace = text(entity?.metadata?.namespace) ?? 'default';
    const entityRef = `dataproduct:${namespace}/${name}`.toLocaleLowerCase(
      'en-US',
    );
    const reportedAt = Date.parse(text(payload?.lastConflictAt) ?? '');
    const row: Row = {
      conflict_key: createHash('sha1')
        .update(`${entityRef}\n${ignored}`)
        .digest('hex'),
      entity_ref: entityRef,
      name,
      namespace,
      kind,
      owner: text(entity?.spec?.owner) ?? null,
      ignored_location: ignored,
      served_location: served,
      reported_at: Number.isFinite(reportedAt)
        ? reportedAt
        : this.now().getTime(),
      checked_at: null,
    };
    await this.options
      .knex(TABLE)
      .insert(row)
      .onConflict('conflict_key')
      .merge(['owner', 'served_location', 'reported_at', 'checked_at']);
    this.options.logger.info(
      `${entityRef} is declared in ${ignored} as well as in ${served}; the catalog ignores the former`,
    );
  }

  /**
   * The conflicts that still hold, as refused descriptors, for the products
   * the user may read; optionally those of one product.
   */
  async list(
    credentials: BackstageCredentials,
    filter: { entityRef?: string } = {},
  ): Promise<FailedDescriptor[]> {
    const { knex, catalog, auth } = this.options;
    let query = knex<Row>(TABLE).select();
    if (filter.entityRef) {
      query = query.where(
        'entity_ref',
        filter.entityRef.toLocaleLowerCase('en-US'),
      );
    }
    const rows = await query;
    if (!rows.length) return [];
    const refs = [...new Set(rows.map(r => r.entity_ref))];

    // Checked as the plugin itself, so a conflict is dropped only when it no
    // longer holds, never because one user cannot see the product.
    const own = await auth.getOwnServiceCredentials();
    const served = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata'] },
      { credentials: own },
    );
    const servedLocation = new Map(
      refs.map((ref, i) => [
        ref,
        served.items[i]?.metadata.annotations?.[ANNOTATION_LOCATION],
      ]),
    );
    const holding: Row[] = [];
    for (const row of rows) {
      if (await this.stillHolds(row, servedLocation.get(row.entity_ref))) {
        holding.push(row);
      }
    }
    if (!holding.length) return [];

    // What the user may read of them: the catalog's permissions apply.
    const visible = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    const readable = new Set(refs.filter((_, i) => visible.items[i]));
    return holding
      .filter(row => readable.has(row.entity_ref))
      .map(row => ({
        name: row.name,
        namespace: row.namespace,
        kind: row.kind,
        ...(row.owner ? { owner: row.owner } : {}),
        location: row.ignored_location,
        state: 'conflict' as const,
        entityRef: stringifyEntityRef(parseEntityRef(row.entity_ref)),
        servedLocation: row.served_location,
        lastTriedAt: new Date(Number(row.reported_at)).toISOString(),
        errors: [
          {
            name: 'ConflictError',
            message: `Declares ${row.entity_ref}, which the catalog already serves from ${row.served_location}; the catalog ignores this file. Remove the product from one of the two files, or give this one another name`,
          },
        ],
      }));
  }

  /**
   * Whether a stored conflict still holds; drops it when not. The served
   * product must exist and come from another file, and the ignored file must
   * still declare it.
   */
  private async stillHolds(
    row: Row,
    servedLocation: string | undefined,
  ): Promise<boolean> {
    const drop = async (why: string) => {
      await this.options
        .knex(TABLE)
        .where('conflict_key', row.conflict_key)
        .delete();
      this.options.logger.info(
        `The second declaration of ${row.entity_ref} in ${row.ignored_location} is resolved: ${why}`,
      );
      return false;
    };
    if (!servedLocation) return drop('the product is no longer served');
    if (servedLocation === row.ignored_location) {
      return drop('the catalog now serves that file');
    }
    const now = this.now().getTime();
    // A local file costs nothing to read again; a remote one (a code host's
    // API, its rate limits) is read at most every CHECK_TTL_MS.
    const remote = !row.ignored_location.startsWith('file:');
    if (
      remote &&
      row.checked_at !== null &&
      now - Number(row.checked_at) < CHECK_TTL_MS
    ) {
      return true;
    }
    let content: string | undefined;
    try {
      content = await this.read(row.ignored_location);
    } catch (error) {
      if ((error as Error)?.name === 'NotFoundError') {
        return drop('the file is gone');
      }
      // Unreadable for now (a network error, a rate limit): still shown,
      // checked again next time.
      this.options.logger.warn(
        `Could not check ${row.ignored_location} for ${row.entity_ref}: ${error}`,
      );
      return true;
    }
    if (content !== undefined) {
      const { kind, namespace, name } = row;
      if (!declares(content, { kind, namespace, name })) {
        return drop('the file no longer declares it');
      }
    }
    await this.options
      .knex(TABLE)
      .where('conflict_key', row.conflict_key)
      .update({ checked_at: now, served_location: servedLocation });
    row.served_location = servedLocation;
    return true;
  }

  /** The ignored file's text; undefined for a location type that cannot be read here. */
  private async read(locationKey: string): Promise<string | undefined> {
    const { type, target } = splitLocationKey(locationKey);
    if (type === 'url') {
      const response = await this.options.urlReader.readUrl(target);
      return (await response.buffer()).toString('utf8');
    }
    if (type === 'file') {
      try {
        return await fs.readFile(target, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
          const notFound = new Error(`${target} does not exist`);
          notFound.name = 'NotFoundError';
          throw notFound;
        }
        throw error;
      }
    }
    return undefined;
  }
}
