import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { isDataProductEntity } from '@quanta/plugin-data-mesh-common';
import type { GovernanceStore } from './GovernanceStore';
import type { ScorecardEvaluator } from './ScorecardEvaluator';

/** How long a scorecard request waits for a product's first evaluation. */
export const FIRST_EVALUATION_WAIT_MS = 20_000;

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Evaluates a product the catalog has but the mesh has not evaluated yet,
 * such as one a template created a moment ago, so that its page shows a
 * scorecard the first time it is opened rather than after the next change
 * detection. When another run holds the lock, waits for it (it may be the
 * one evaluating this product) and tries again, for at most `waitMs`.
 * Returns whether the product has a scorecard now.
 */
export async function evaluateFirstTime(options: {
  entityRef: string;
  credentials: BackstageCredentials;
  catalog: CatalogService;
  store: GovernanceStore;
  evaluator: ScorecardEvaluator;
  waitMs?: number;
  /** How long to wait between looks at a running run. */
  pollMs?: number;
}): Promise<boolean> {
  const { entityRef, store, evaluator } = options;
  // Read as the user: a product they cannot see is not evaluated for them.
  const entity = await options.catalog.getEntityByRef(entityRef, {
    credentials: options.credentials,
  });
  if (!entity || !isDataProductEntity(entity)) return false;
  const deadline = Date.now() + (options.waitMs ?? FIRST_EVALUATION_WAIT_MS);
  for (;;) {
    const outcome = await evaluator.evaluate({ trigger: 'catalog', entityRef });
    if (outcome.started) return Boolean(await store.getScorecard(entityRef));
    // Another run is going: wait until it ends, then look again.
    while (Date.now() < deadline) {
      const run = outcome.run && (await store.getRun(outcome.run.id));
      if (!run || run.status !== 'running') break;
      await pause(options.pollMs ?? 250);
    }
    if (await store.getScorecard(entityRef)) return true;
    if (Date.now() >= deadline) return false;
    // The lock may be held by a run not yet recorded: do not spin on it.
    await pause(options.pollMs ?? 250);
  }
}
