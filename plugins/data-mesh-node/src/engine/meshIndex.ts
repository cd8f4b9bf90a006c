import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DataProductEntity } from '@quanta/plugin-data-mesh-common';
import { isDataProduct, lowerRef, sourceRefOf, upstreamRefOf } from './facts';
import {
  type IndexedProduct,
  registerIndexedProducts,
} from './indexedProducts';
import type { IndexedEntity, MeshIndex } from './types';

const NONE = Object.freeze([]) as unknown as string[];
const UPSTREAM = 'dataproduct:';

/** A product while the index is built: what its input ports name. */
type Pending = {
  product: IndexedProduct;
  /**
   * By input port: the data product read, or else the source, as lower-case
   * text; only the former starts with `dataproduct:`.
   */
  reads: Array<string | undefined>;
  /** Whether an entity of the same ref came earlier in the catalog. */
  repeated: boolean;
};

/** Builds the in-memory index one evaluation runs against. */
export function createMeshIndex(entities: Entity[]): MeshIndex {
  const byRef = new Map<string, Entity>();
  // Products of `byRef`, for adding readers to while the index is built.
  const productByRef = new Map<string, IndexedProduct>();
  const products: DataProductEntity[] = [];
  const servedBy = new Map<string, string[]>();
  // The answers of `get`, by the string asked for; `null` for nothing.
  const lookups = new Map<string, IndexedEntity | null>();
  // One IndexedEntity per entity asked for, made when first asked for.
  const wrapped = new Map<string, IndexedEntity>();
  // Per product, in `products` order.
  const indexed: IndexedProduct[] = [];
  const pending: Pending[] = [];

  for (const entity of entities) {
    const ref = lowerRef(stringifyEntityRef(entity));
    const size = byRef.size;
    byRef.set(ref, entity);
    if (!isDataProduct(entity)) continue;
    const product: IndexedProduct = { ref, consumers: NONE, inputs: [] };
    products.push(entity);
    indexed.push(product);
    productByRef.set(ref, product);
    const reads: Pending['reads'] = [];
    pending.push({ product, reads, repeated: byRef.size === size });
    const spec = entity.spec;
    if (Array.isArray(spec?.outputPorts)) {
      for (const port of spec.outputPorts) {
        if (typeof port?.address !== 'string') continue;
        const list = servedBy.get(port.address);
        if (list) list.push(ref);
        else servedBy.set(port.address, [ref]);
      }
    }
    if (Array.isArray(spec?.inputPorts)) {
      const namespace = entity.metadata?.namespace ?? 'default';
      for (const port of spec.inputPorts) {
        const read =
          upstreamRefOf(port, namespace) ?? sourceRefOf(port, namespace);
        reads.push(read && lowerRef(read));
      }
    }
  }

  // With every entity in, what each product reads and who reads it. Readers
  // are added in catalog order, each once.
  for (const { product, reads, repeated } of pending) {
    const inputs = product.inputs;
    for (const read of reads) {
      if (!read) {
        inputs.push(undefined);
        continue;
      }
      inputs.push(byRef.get(read) ?? null);
      if (!read.startsWith(UPSTREAM)) continue;
      const upstream = productByRef.get(read);
      if (!upstream) continue;
      const list = upstream.consumers;
      if (list === NONE) upstream.consumers = [product.ref];
      else if (
        list[list.length - 1] !== product.ref &&
        !(repeated && list.includes(product.ref))
      ) {
        list.push(product.ref);
      }
    }
  }

  // A product listed twice shares its readers with its other listing.
  if (pending.some(p => p.repeated)) {
    for (const product of indexed) {
      product.consumers = productByRef.get(product.ref)!.consumers;
    }
  }

  // Readers of every product named in an input port, existing or not, for
  // `consumersOf`; policies read them from `indexed` instead.
  let consumers: Map<string, string[]> | undefined;
  function consumersByRef(): Map<string, string[]> {
    if (consumers) return consumers;
    consumers = new Map();
    for (const { product, reads, repeated } of pending) {
      for (const read of reads) {
        if (!read?.startsWith(UPSTREAM)) continue;
        const list = consumers.get(read);
        if (!list) consumers.set(read, [product.ref]);
        else if (
          list[list.length - 1] !== product.ref &&
          !(repeated && list.includes(product.ref))
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
      const entity = byRef.get(ref);
      if (!entity) return undefined;
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
    productsServing: address => servedBy.get(address) ?? NONE,
    consumersOf: productRef =>
      consumersByRef().get(lowerRef(productRef)) ?? NONE,
  };
  registerIndexedProducts(index, products, indexed);
  return index;
}
