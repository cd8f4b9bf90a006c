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
  /** The queries asked, first pages only (a cursor repeats its query). */
  const queries: any[] = [];
  const read =
    (method: 'queryEntities' | 'getEntityByRef' | 'getEntitiesByRefs') =>
    (...args: any[]) => {
      if (method === 'queryEntities' && !args[0]?.cursor) queries.push(args[0]);
      return (catalogServiceMock({ entities: current })[method] as any)(
        ...args,
      );
    };
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
    queries,
    set(next: Entity[]) {
      current = next;
    },
    add(entity: Entity) {
      current = [...current, entity];
    },
  };
}
