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

/**
 * The data products of the catalog, read with the plugin's own credentials
 * and kept for `maxAgeMs`, so that resolving where results belong costs no
 * catalog request per post. A lookup that misses reads the catalog again
 * (at most every `minRereadMs`), so a product registered a moment ago is
 * found.
 */
export class ProductDirectory {
  private directory: Directory | undefined;
  private reading: Promise<Directory> | undefined;

  constructor(
    private readonly options: CatalogSource & {
      maxAgeMs?: number;
      minRereadMs?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private async read(): Promise<Directory> {
    if (!this.reading) {
      this.reading = (async () => {
        const byRef = new Map<string, ProductInfo>();
        const byAddress: Directory['byAddress'] = new Map();
        for await (const entity of readCatalog(this.options, {
          kind: 'DataProduct',
          fields: FIELDS,
          pageSize: PAGE_SIZE,
        })) {
          const product = productOf(entity);
          byRef.set(product.entityRef, product);
          for (const port of product.outputPorts) {
            if (!port.address) continue;
            const key = lower(normalizeAddress(port.address));
            const list = byAddress.get(key) ?? [];
            list.push({ product, port: port.name });
            byAddress.set(key, list);
          }
        }
        const directory = { byRef, byAddress, readAt: this.now() };
        this.directory = directory;
        return directory;
      })().finally(() => {
        this.reading = undefined;
      });
    }
    return this.reading;
  }

  private async current(): Promise<Directory> {
    const maxAge = this.options.maxAgeMs ?? 60_000;
    if (!this.directory || this.now() - this.directory.readAt > maxAge) {
      return this.read();
    }
    return this.directory;
  }

  /** Looks up with `find`; on a miss, once more after reading the catalog again. */
  private async lookup<T>(find: (d: Directory) => T | undefined) {
    const directory = await this.current();
    const found = find(directory);
    if (found !== undefined) return found;
    if (this.now() - directory.readAt < (this.options.minRereadMs ?? 5_000)) {
      return undefined;
    }
    return find(await this.read());
  }

  /** Every data product. */
  async all(): Promise<ProductInfo[]> {
    return [...(await this.current()).byRef.values()];
  }

  async byRef(entityRef: string): Promise<ProductInfo | undefined> {
    return this.lookup(d => d.byRef.get(lower(entityRef)));
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
