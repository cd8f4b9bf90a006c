import type { LoggerService } from '@backstage/backend-plugin-api';
import { type Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  type DataProductSlos,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import { normalizeAddress } from '../shared/address';
import { type CatalogSource, readCatalog } from '../shared/catalog';

/** What quality needs to know of one data product. */
export type ProductInfo = {
  /** Lower-case `dataproduct:namespace/name`. */
  entityRef: string;
  title?: string;
  domain?: string;
  owner?: string;
  slos: DataProductSlos;
  outputPorts: Array<{ name: string; address?: string }>;
};

const PAGE_SIZE = 1000;
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.domain',
  'spec.owner',
  'spec.slos',
  'spec.outputPorts',
];

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/** Segments of an address or dataset name: `s3://lake/sales.orders/` -> lake, sales, orders. */
function segmentsOf(value: string): string[] {
  return lower(normalizeAddress(value))
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .split(/[/.]+/)
    .filter(Boolean);
}

/** A reference as the catalog would write it in full, lower case; undefined if unreadable. */
function fullRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    return entityRefKey(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

function productOf(entity: Entity): ProductInfo {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec: any = entity.spec ?? {};
  const ports: unknown[] = Array.isArray(spec.outputPorts)
    ? spec.outputPorts
    : [];
  return {
    entityRef: entityRefKey(entity),
    title: entity.metadata.title,
    domain: fullRef(spec.domain, 'domain', namespace),
    owner: fullRef(spec.owner, 'group', namespace),
    slos: spec.slos && typeof spec.slos === 'object' ? spec.slos : {},
    outputPorts: ports
      .filter((port): port is Record<string, unknown> =>
        Boolean(port && typeof port === 'object'),
      )
      .map((port, index) => ({
        name: typeof port.name === 'string' ? port.name : `#${index + 1}`,
        address:
          typeof port.address === 'string' && port.address.trim()
            ? port.address
            : undefined,
      })),
  };
}

type Directory = {
  byRef: Map<string, ProductInfo>;
  /** Normalized (lower-case) address -> product and port. */
  byAddress: Map<string, Array<{ product: ProductInfo; port: string }>>;
  readAt: number;
};

function add(directory: Directory, product: ProductInfo) {
  directory.byRef.set(product.entityRef, product);
  for (const port of product.outputPorts) {
    if (!port.address) continue;
    const key = lower(normalizeAddress(port.address));
    const list = directory.byAddress.get(key) ?? [];
    list.push({ product, port: port.name });
    directory.byAddress.set(key, list);
  }
}

/**
 * The data products of the catalog, read with the plugin's own credentials
 * and kept, so that reading a product's quality or resolving where posted
 * results belong costs no catalog request. Only the first lookup waits for
 * the catalog: once the list is older than `maxAgeMs` it is read again in
 * the background while lookups go on with the old one, because a read of a
 * large mesh takes seconds and every request would wait for it. A product
 * missing from the list is looked up by its reference alone; an address
 * missing from it reads the catalog again (at most every `minRereadMs`),
 * so results for a product registered a moment ago find it.
 */
export class ProductDirectory {
  private directory: Directory | undefined;
  private reading: Promise<Directory> | undefined;
  /** When a background read last failed; the next waits `minRereadMs`. */
  private failedAt: number | undefined;

  constructor(
    private readonly options: CatalogSource & {
      logger?: LoggerService;
      maxAgeMs?: number;
      minRereadMs?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private minReread() {
    return this.options.minRereadMs ?? 5_000;
  }

  private async read(): Promise<Directory> {
    if (!this.reading) {
      this.reading = (async () => {
        const directory: Directory = {
          byRef: new Map(),
          byAddress: new Map(),
          readAt: this.now(),
        };
        for await (const entity of readCatalog(this.options, {
          kind: 'DataProduct',
          fields: FIELDS,
          pageSize: PAGE_SIZE,
        })) {
          add(directory, productOf(entity));
        }
        this.directory = directory;
        this.failedAt = undefined;
        return directory;
      })().finally(() => {
        this.reading = undefined;
      });
    }
    return this.reading;
  }

  /** Starts a read unless one runs or the last failed a moment ago. */
  private refreshInBackground() {
    if (this.reading) return;
    if (
      this.failedAt !== undefined &&
      this.now() - this.failedAt < this.minReread()
    ) {
      return;
    }
    this.read().catch(error => {
      // Logged once per failure, not once per request that met the old list.
      this.failedAt = this.now();
      this.options.logger?.warn(
        'Could not read the data products of the catalog again; quality goes on with the list read before',
        error,
      );
    });
  }

  private async current(): Promise<Directory> {
    if (!this.directory) return this.read();
    if (
      this.now() - this.directory.readAt >
      (this.options.maxAgeMs ?? 60_000)
    ) {
      this.refreshInBackground();
    }
    return this.directory;
  }

  /** Looks up with `find`; on a miss, once more after reading the catalog again. */
  private async lookup<T>(find: (d: Directory) => T | undefined) {
    const directory = await this.current();
    const found = find(directory);
    if (found !== undefined) return found;
    if (this.now() - directory.readAt < this.minReread()) {
      return undefined;
    }
    return find(await this.read());
  }

  /** Every data product. */
  async all(): Promise<ProductInfo[]> {
    return [...(await this.current()).byRef.values()];
  }

  /**
   * A data product by reference. One the list lacks is asked of the catalog
   * by itself and added, rather than reading every product again.
   */
  async byRef(entityRef: string): Promise<ProductInfo | undefined> {
    const key = lower(entityRef);
    const directory = await this.current();
    const known = directory.byRef.get(key);
    if (known) return known;
    const entity = await this.options.catalog.getEntityByRef(key, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (!entity || lower(entity.kind) !== 'dataproduct') return undefined;
    const product = productOf(entity);
    // Into the list lookups read now; a read in flight may not have it yet,
    // and then the next miss asks again.
    add(this.directory ?? directory, product);
    return product;
  }

  /** The products and ports serving exactly this address. */
  async byAddress(
    address: string,
  ): Promise<Array<{ product: ProductInfo; port: string }>> {
    const key = lower(normalizeAddress(address));
    return (await this.lookup(d => d.byAddress.get(key))) ?? [];
  }

  /**
   * The products and ports whose address ends with this dataset name, dots
   * and slashes alike: `analytics.orders` matches
   * `snowflake://acme/analytics/orders` and `bigquery://p/analytics.orders`.
   */
  async byDataset(
    dataset: string,
  ): Promise<Array<{ product: ProductInfo; port: string }>> {
    const wanted = segmentsOf(dataset);
    if (!wanted.length) return [];
    const find = (d: Directory) => {
      const out: Array<{ product: ProductInfo; port: string }> = [];
      for (const [address, serving] of d.byAddress) {
        const segments = segmentsOf(address);
        if (segments.length < wanted.length) continue;
        const tail = segments.slice(segments.length - wanted.length);
        if (tail.every((segment, i) => segment === wanted[i])) {
          for (const item of serving) out.push(item);
        }
      }
      return out.length ? out : undefined;
    };
    return (await this.lookup(find)) ?? [];
  }
}
