import { createServiceFactory } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/**
 * A catalog whose contents the test changes while the backend runs, as
 * edits to descriptors or a template's new product would.
 */
export function mutableCatalog(initial: Entity[]) {
  let current = initial;
  const read =
    (method: 'queryEntities' | 'getEntityByRef' | 'getEntitiesByRefs') =>
    (...args: any[]) =>
      (catalogServiceMock({ entities: current })[method] as any)(...args);
  const factory = createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        queryEntities: read('queryEntities'),
        getEntityByRef: read('getEntityByRef'),
        getEntitiesByRefs: read('getEntitiesByRefs'),
      } as any),
  });
  return {
    factory,
    set(next: Entity[]) {
      current = next;
    },
    add(entity: Entity) {
      current = [...current, entity];
    },
  };
}
