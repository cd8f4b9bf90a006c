import type { Entity } from '@backstage/catalog-model';
import type { MeshIndex } from './types';

/** What a mesh index worked out about one of its products, for its evaluation. */
export type IndexedProduct = {
  /** Lower-case `dataproduct:<namespace>/<name>`, as the index keys it. */
  ref: string;
  /** Refs of the data products that read from this one. */
  consumers: string[];
  /**
   * From `inputsFrom` on, by position in `spec.inputPorts`: the entity the
   * port reads (its upstream product, else its source), null when the
   * catalog has none of that name, undefined when the port names nothing.
   * One list for all products of the index.
   */
  inputs: Array<Entity | null | undefined>;
  inputsFrom: number;
  /**
   * True when no output port address in the index is served twice, so each
   * of this product's addresses is served by this product alone.
   */
  readonly addressesUnique: boolean;
};

type Registered = {
  products: Entity[];
  data: IndexedProduct[];
  /** Refs of the products serving each output port address. */
  servedBy: Map<string, string | string[]>;
  /** Where the next product asked for most likely is. */
  next: number;
  positions?: Map<Entity, number>;
};

// One entry per live index; the index itself keeps its MeshIndex shape.
const registry = new WeakMap<MeshIndex, Registered>();

export function registerIndexedProducts(
  mesh: MeshIndex,
  products: Entity[],
  data: IndexedProduct[],
  servedBy: Map<string, string | string[]>,
): void {
  registry.set(mesh, { products, data, servedBy, next: 0 });
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * The refs of the products serving an output port address: one ref, or a
 * list when there are several. `MeshIndex.productsServing`, without making a
 * list for the one product that nearly every address has.
 */
export function productsServing(
  mesh: MeshIndex,
  address: string,
): string | readonly string[] {
  const registered = registry.get(mesh);
  if (!registered) return mesh.productsServing(address);
  return registered.servedBy.get(address) ?? NONE;
}

/**
 * What `mesh` worked out about `product`, if the product is one of its own.
 * Evaluations go through the products in the index's order, so this is
 * nearly always the one after the last asked for.
 */
export function indexedProduct(
  mesh: MeshIndex,
  product: Entity,
): IndexedProduct | undefined {
  const registered = registry.get(mesh);
  if (!registered) return undefined;
  let position: number | undefined = registered.next;
  if (registered.products[position] !== product) {
    if (!registered.positions) {
      registered.positions = new Map(
        registered.products.map((p, i) => [p, i] as const),
      );
    }
    position = registered.positions.get(product);
    if (position === undefined) return undefined;
  }
  registered.next = position + 1;
  return registered.data[position];
}
