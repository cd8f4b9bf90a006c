import type { CapabilityDeps } from '../shared/capability';
import { readMesh } from '../shared/catalog';
import type { DataMeshConfig } from '../shared/config';
import type { LineageFactSource } from '../shared/facts';
import { LineageService } from './LineageService';
import { LineageStore } from './LineageStore';
import { mappingRules } from './mapping';
import { createLineageRouter } from './router';

/**
 * Lineage: declared lineage from the catalog, observed lineage from
 * OpenLineage events, the graph both make and its routes. It schedules
 * nothing: the graph refreshes as queries and evaluations come.
 */
export function setupLineage(
  deps: CapabilityDeps & { settings: DataMeshConfig['lineage'] },
) {
  const { settings } = deps;
  const lineage = new LineageService({
    store: new LineageStore(deps.knex),
    readMesh: () => readMesh(deps),
    rules: mappingRules(settings),
    staleAfterDays: settings.staleAfterDays,
    refreshAfterMs: settings.refreshAfterMs,
    getEntity: async entityRef =>
      deps.catalog.getEntityByRef(entityRef, {
        credentials: await deps.auth.getOwnServiceCredentials(),
      }),
    logger: deps.logger,
  });
  const facts: LineageFactSource = (entities, now) =>
    lineage.factsFor(entities, now);
  const router = createLineageRouter({
    lineage,
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    maxBodySize: settings.maxRequestSize,
  });
  return { lineage, facts, router };
}
