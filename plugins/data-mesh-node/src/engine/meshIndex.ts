import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DataProductEntity } from '@quanta/plugin-data-mesh-common';
import {
  isDataProduct,
  lowerRef,
  sourceRefOf,
  text,
  upstreamRefOf,
} from './facts';
import {
  type IndexedProduct,
  registerIndexedProducts,
} from './indexedProducts';
import type { IndexedEntity, MeshIndex } from './types';

const NONE = Object.freeze([]) as unknown as string[];
const UPSTREAM = 'dataproduct:';

/** What the index learns about the mesh as a whole. */
type MeshWide = {
  /** Whether any output port address is served by two ports. */
  sharedAddress: boolean;
};

/** A product of the index, as the index keys it by ref. */
class IndexedDataProduct implements IndexedProduct {
  consumers = NONE;
  inputs: Array<Entity | null | undefined> = NONE as never[];
  /** Past this product's entries in `inputs` and the index's input refs. */
  inputsTo = 0;
  constructor(
    readonly entity: Entity,
    readonly ref: string,
    readonly inputsFrom: number,
    private readonly wide: MeshWide,
  ) {}

  /** Whether an entity of the same ref came earlier in the catalog. */
  repeated = false;

  // While the index is built: how many readers to make room for, then how
  // many are in, and the reader counted last.
  readers = 0;
  lastReader: IndexedDataProduct | undefined = undefined;

  get addressesUnique(): boolean {
    return !this.wide.sharedAddress;
  }
}

/**
 * Builds the in-memory index one evaluation runs against.
 *
 * @public
 */
export function createMeshIndex(entities: Entity[]): MeshIndex {
  // Entities by lower-case ref; data products with what the index knows.
  const byRef = new Map<string, Entity | IndexedDataProduct>();
  const products: DataProductEntity[] = [];
  const indexed: IndexedDataProduct[] = [];
  // Refs of the products serving each address: one ref, or a list.
  let servedBy = new Map<string, string | string[]>();
  const wide: MeshWide = { sharedAddress: false };
  // What every input port reads, product after product: the data product,
  // or else the source, as lower-case text; only the former starts with
  // `dataproduct:`.
  const reads: Array<string | undefined> = [];
  // The answers of `get`, by the string asked for; `null` for nothing.
  const lookups = new Map<string, IndexedEntity | null>();
  // One IndexedEntity per entity asked for, made when first asked for.
  const wrapped = new Map<string, IndexedEntity>();

  for (const entity of entities) {
    // stringifyEntityRef, lower-cased in one pass.
    const ref = lowerRef(
      `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`,
    );
    if (!isDataProduct(entity)) {
      byRef.set(ref, entity);
      continue;
    }
    const size = byRef.size;
    const product = new IndexedDataProduct(entity, ref, reads.length, wide);
    byRef.set(ref, product);
    product.repeated = byRef.size === size;
    products.push(entity);
    indexed.push(product);
    const spec = entity.spec;
    if (Array.isArray(spec?.outputPorts)) {
      for (const port of spec.outputPorts) {
        // Trimmed, as policies read addresses.
        const address = text(port?.address);
        if (address === undefined) continue;
        // Addresses are meant to be unique: one insert each, and the rare
        // address served twice is sorted out below.
        const addresses = servedBy.size;
        servedBy.set(address, ref);
        if (servedBy.size === addresses) wide.sharedAddress = true;
      }
    }
    if (Array.isArray(spec?.inputPorts)) {
      const namespace = entity.metadata?.namespace ?? 'default';
      for (const port of spec.inputPorts) {
        reads.push(
          upstreamRefOf(port, namespace) ?? sourceRefOf(port, namespace),
        );
      }
    }
    product.inputsTo = reads.length;
  }

  if (wide.sharedAddress) {
    servedBy = new Map();
    for (const product of indexed) {
      const ports = (product.entity as DataProductEntity).spec?.outputPorts;
      if (!Array.isArray(ports)) continue;
      for (const port of ports) {
        const address = text(port?.address);
        if (address === undefined) continue;
        const servers = servedBy.get(address);
        if (servers === undefined) servedBy.set(address, product.ref);
        else if (typeof servers === 'string') {
          servedBy.set(address, [servers, product.ref]);
        } else servers.push(product.ref);
      }
    }
  }

  // With every entity in, what each product reads, and how many products
  // read each one.
  const inputs = new Array<Entity | null | undefined>(reads.length);
  const upstreams = new Array<IndexedDataProduct | undefined>(reads.length);
  for (const product of indexed) {
    product.inputs = inputs;
    for (let i = product.inputsFrom; i < product.inputsTo; i++) {
      const read = reads[i];
      if (read === undefined) continue;
      const target = byRef.get(read);
      if (!(target instanceof IndexedDataProduct)) {
        inputs[i] = target ?? null;
        continue;
      }
      inputs[i] = target.entity;
      if (!read.startsWith(UPSTREAM)) continue;
      upstreams[i] = target;
      if (target.lastReader !== product) {
        target.lastReader = product;
        target.readers++;
      }
    }
  }
  // Then the readers, in catalog order and each once, into lists of their
  // final size: lists grown by push reserve room for a dozen more, which
  // the index would keep for the whole evaluation.
  for (const product of indexed) {
    for (let i = product.inputsFrom; i < product.inputsTo; i++) {
      const target = upstreams[i];
      if (target === undefined) continue;
      let list = target.consumers;
      if (list === NONE) {
        list = target.consumers = new Array(target.readers);
        target.readers = 0;
      } else if (
        list[target.readers - 1] === product.ref ||
        (product.repeated && list.includes(product.ref))
      ) {
        continue;
      }
      list[target.readers++] = product.ref;
    }
  }
  for (const product of indexed) {
    // Fewer than counted only where a product is listed twice.
    if (product.consumers.length > product.readers) {
      product.consumers.length = product.readers;
    }
    product.lastReader = undefined;
  }
  // A product listed twice shares its readers with its last listing, the
  // one its readers found.
  if (indexed.some(p => p.repeated)) {
    for (const product of indexed) {
      const listed = byRef.get(product.ref) as IndexedDataProduct;
      product.consumers = listed.consumers;
    }
  }

  // Readers of every product named in an input port, existing or not, for
  // `consumersOf`; policies read them from the products instead.
  let consumers: Map<string, string[]> | undefined;
  function consumersByRef(): Map<string, string[]> {
    if (consumers) return consumers;
    consumers = new Map();
    for (const product of indexed) {
      for (let i = product.inputsFrom; i < product.inputsTo; i++) {
        const read = reads[i];
        if (!read?.startsWith(UPSTREAM)) continue;
        const list = consumers.get(read);
        if (!list) consumers.set(read, [product.ref]);
        else if (
          list[list.length - 1] !== product.ref &&
          !(product.repeated && list.includes(product.ref))
        ) {
          list.push(product.ref);
        }
      }
    }
    return consumers;
  }

  function wrap(ref: string): IndexedEntity | undefined {
    let found = wrapped.get(ref);
    if (!found) {
      const value = byRef.get(ref);
      if (!value) return undefined;
      const entity = value instanceof IndexedDataProduct ? value.entity : value;
      found = { ref, kind: entity.kind, entity };
      wrapped.set(ref, found);
    }
    return found;
  }

  const index: MeshIndex = {
    get(ref) {
      // Policies ask for the same few owners, domains and upstreams over and
      // over; remember each answer by the string asked for.
      const known = lookups.get(ref);
      if (known !== undefined) return known ?? undefined;
      let found: IndexedEntity | undefined;
      try {
        found = wrap(lowerRef(stringifyEntityRef(parseEntityRef(ref))));
      } catch {
        found = undefined;
      }
      lookups.set(ref, found ?? null);
      return found;
    },
    dataProducts: () => products,
    productsServing: address => {
      const servers = servedBy.get(address.trim());
      if (servers === undefined) return NONE;
      return typeof servers === 'string' ? [servers] : servers;
    },
    consumersOf: productRef =>
      consumersByRef().get(lowerRef(productRef)) ?? NONE,
  };
  registerIndexedProducts(index, products, indexed, servedBy);
  return index;
}
