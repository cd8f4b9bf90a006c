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

/** Builds the in-memory index one evaluation runs against. */
export function createMeshIndex(entities: Entity[]): MeshIndex {
  const byRef = new Map<string, IndexedEntity>();
  const products: DataProductEntity[] = [];
  const servedBy = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  // `null` remembers a reference that names nothing.
  const lookups = new Map<string, IndexedEntity | null>();
  // Per product, in `products` order: its ref and what each input port reads.
  const indexed: IndexedProduct[] = [];
  const inputRefs: Array<Array<string | undefined>> = [];

  for (const entity of entities) {
    const ref = lowerRef(stringifyEntityRef(entity));
    const seenBefore = byRef.has(ref);
    byRef.set(ref, { ref, kind: entity.kind, entity });
    if (!isDataProduct(entity)) continue;
    products.push(entity);
    const reads: Array<string | undefined> = [];
    indexed.push({ ref, consumers: NONE, inputs: [] });
    inputRefs.push(reads);
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
        const upstream = upstreamRefOf(port, namespace);
        reads.push(upstream ?? sourceRefOf(port, namespace));
        if (!upstream) continue;
        const list = consumers.get(upstream);
        // A product's own ports come in a row, so a repeat of this product
        // is the last entry; only a product listed twice in the catalog
        // needs the full search.
        if (!list) consumers.set(upstream, [ref]);
        else if (
          list[list.length - 1] !== ref &&
          !(seenBefore && list.includes(ref))
        ) {
          list.push(ref);
        }
      }
    }
  }

  // With every entity indexed, what each product reads and who reads it.
  for (let i = 0; i < indexed.length; i++) {
    indexed[i].consumers = consumers.get(indexed[i].ref) ?? NONE;
    indexed[i].inputs = inputRefs[i].map(ref =>
      ref === undefined ? undefined : byRef.get(lowerRef(ref))?.entity ?? null,
    );
  }

  const index: MeshIndex = {
    get(ref) {
      // Policies ask for the same few owners, domains and upstreams over and
      // over; remember each answer by the string asked for.
      const known = lookups.get(ref);
      if (known !== undefined) return known ?? undefined;
      let found: IndexedEntity | undefined;
      try {
        found = byRef.get(lowerRef(stringifyEntityRef(parseEntityRef(ref))));
      } catch {
        found = undefined;
      }
      lookups.set(ref, found ?? null);
      return found;
    },
    dataProducts: () => products,
    productsServing: address => servedBy.get(address) ?? NONE,
    consumersOf: productRef => consumers.get(lowerRef(productRef)) ?? NONE,
  };
  registerIndexedProducts(index, products, indexed);
  return index;
}
