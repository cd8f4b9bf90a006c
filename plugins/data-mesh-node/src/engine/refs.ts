import type { Entity } from '@backstage/catalog-model';
import {
  type DataProductRefs,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import { lastPrepared, refsOf } from './facts';

const cache = new WeakMap<Entity, DataProductRefs>();

/**
 * The parsed references of a data product, computed once per entity object;
 * right after the engine evaluated the product, taken from that evaluation.
 * Entities under evaluation are catalog snapshots that nothing mutates.
 *
 * @public
 */
export function dataProductRefsOf(product: Entity): DataProductRefs {
  // Right after the engine evaluated this product, its references are at hand.
  const prepared = lastPrepared(product);
  if (prepared) return refsOf(prepared);
  let refs = cache.get(product);
  if (!refs) {
    refs = parseDataProductRefs(product).refs;
    cache.set(product, refs);
  }
  return refs;
}
