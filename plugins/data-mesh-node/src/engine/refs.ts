import type { Entity } from '@backstage/catalog-model';
import {
  type DataProductRefs,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';

const cache = new WeakMap<Entity, DataProductRefs>();

/**
 * The parsed references of a data product, computed once per entity object.
 * Every policy reads them, so a mesh evaluation would otherwise parse each
 * product's references dozens of times. Entities under evaluation are
 * catalog snapshots that nothing mutates.
 */
export function dataProductRefsOf(product: Entity): DataProductRefs {
  let refs = cache.get(product);
  if (!refs) {
    refs = parseDataProductRefs(product).refs;
    cache.set(product, refs);
  }
  return refs;
}
