import { Readable } from 'node:stream';
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import { DATA_PRODUCT_KIND } from '@quanta/plugin-data-mesh-common';
import {
  displayNameOf,
  referencedEntities,
  toSearchDocument,
} from './document';
import { GovernanceReader } from './GovernanceReader';
import {
  DATA_PRODUCT_SEARCH_TYPE,
  type DataProductSearchDocument,
} from './types';

/** Products read from the catalog per request. */
const DEFAULT_BATCH_SIZE = 500;

/** What a product's document needs of it; the rest is never transferred. */
const PRODUCT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec',
];

/** What a display name needs of a Group, User or Domain. */
const NAME_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/**
 * Makes one search document per DataProduct in the catalog, with the display
 * names of its owner, product owner and domain and, when the data-mesh
 * backend answers, its governance level, score and SLO status.
 *
 * The catalog is read a page at a time (`batchSize` products) as the search
 * plugin's own service, and the names each page needs are read in one
 * request for those not read earlier in the run. Documents carry
 * `authorization.resourceRef` and the type's visibility permission is the
 * catalog's read permission, so a user finds only products they may read.
 */
export class DataProductCollatorFactory implements DocumentCollatorFactory {
  readonly type = DATA_PRODUCT_SEARCH_TYPE;
  readonly visibilityPermission = catalogEntityReadPermission;

  readonly #auth: AuthService;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #batchSize: number;
  readonly #governance: GovernanceReader;

  constructor(options: {
    auth: AuthService;
    catalog: CatalogService;
    discovery: DiscoveryService;
    logger: LoggerService;
    batchSize?: number;
  }) {
    this.#auth = options.auth;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.#governance = new GovernanceReader(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.#documents());
  }

  async *#documents(): AsyncGenerator<DataProductSearchDocument> {
    const governance = await this.#governance.read();
    const names = new Map<string, string>();
    const looked = new Set<string>();
    let cursor: string | undefined;
    do {
      const credentials = await this.#auth.getOwnServiceCredentials();
      const page = await this.#catalog.queryEntities(
        cursor
          ? { cursor, limit: this.#batchSize, fields: PRODUCT_FIELDS }
          : {
              filter: { kind: DATA_PRODUCT_KIND },
              limit: this.#batchSize,
              fields: PRODUCT_FIELDS,
              totalItems: 'exclude',
            },
        { credentials },
      );
      cursor = page.pageInfo.nextCursor;

      const missing = [
        ...new Set(page.items.flatMap(referencedEntities)),
      ].filter(ref => !looked.has(ref));
      for (let i = 0; i < missing.length; i += this.#batchSize) {
        const refs = missing.slice(i, i + this.#batchSize);
        const { items } = await this.#catalog.getEntitiesByRefs(
          { entityRefs: refs, fields: NAME_FIELDS },
          { credentials },
        );
        refs.forEach(ref => looked.add(ref));
        for (const entity of items) {
          if (entity)
            names.set(stringifyEntityRef(entity), displayNameOf(entity));
        }
      }

      for (const entity of page.items) {
        const document = this.#toDocument(entity, names, governance);
        if (document) yield document;
      }
    } while (cursor);
  }

  #toDocument(
    entity: Entity,
    names: ReadonlyMap<string, string>,
    governance: Awaited<ReturnType<GovernanceReader['read']>>,
  ): DataProductSearchDocument | undefined {
    try {
      return toSearchDocument(entity, names, governance);
    } catch (error) {
      // Reading is defensive; should a product still break it, the others
      // are indexed rather than none.
      this.#logger.warn(
        `Data product ${entity.metadata?.namespace ?? 'default'}/${
          entity.metadata?.name
        } is left out of the search index: ${error}`,
      );
      return undefined;
    }
  }
}
