import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import { dataProductRefsOf } from './refs';
import type { IndexedEntity, MeshIndex } from './types';

function normalize(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** Builds the in-memory index one evaluation runs against. */
export function createMeshIndex(entities: Entity[]): MeshIndex {
  const byRef = new Map<string, IndexedEntity>();
  const products: DataProductEntity[] = [];
  const servedBy = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  const lookups = new Map<string, IndexedEntity | undefined>();

  for (const entity of entities) {
    const ref = normalize(stringifyEntityRef(entity));
    byRef.set(ref, { ref, kind: entity.kind, entity });
    if (!isDataProductEntity(entity)) continue;
    products.push(entity);
    for (const port of Array.isArray(entity.spec?.outputPorts)
      ? entity.spec.outputPorts
      : []) {
      if (typeof port?.address !== 'string') continue;
      const list = servedBy.get(port.address) ?? [];
      list.push(ref);
      servedBy.set(port.address, list);
    }
    for (const port of dataProductRefsOf(entity).inputPorts) {
      if (!port.dataProduct) continue;
      const upstream = normalize(stringifyEntityRef(port.dataProduct));
      const list = consumers.get(upstream) ?? [];
      if (!list.includes(ref)) list.push(ref);
      consumers.set(upstream, list);
    }
  }

  return {
    get(ref) {
      // Policies ask for the same few owners, domains and upstreams over and
      // over; remember each answer by the string asked for.
      if (lookups.has(ref)) return lookups.get(ref);
      let found: IndexedEntity | undefined;
      try {
        found = byRef.get(normalize(stringifyEntityRef(parseEntityRef(ref))));
      } catch {
        found = undefined;
      }
      lookups.set(ref, found);
      return found;
    },
    dataProducts: () => products,
    productsServing: address => servedBy.get(address) ?? [],
    consumersOf: productRef => consumers.get(normalize(productRef)) ?? [],
  };
}
