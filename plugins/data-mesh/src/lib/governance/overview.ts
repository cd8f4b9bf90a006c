import type {
  AdoptionResponse,
  PoliciesResponse,
  Rollup,
  RunRecord,
} from '@quanta/plugin-data-mesh-common';
import type { DataMeshApi } from '../../api';

/** What the Data Mesh page shows, read in one go. */
export type Overview = {
  adoption: AdoptionResponse;
  domains: Rollup[];
  policies: PoliciesResponse;
  lastRun?: RunRecord;
};

/** The domain roll-ups of the latest day that has any. */
export function latestRollups(items: Rollup[]): Rollup[] {
  const latest = items.reduce<string | undefined>(
    (day, item) => (!day || item.day > day ? item.day : day),
    undefined,
  );
  return items.filter(item => item.day === latest);
}

/** Reads the adoption, the latest domain roll-ups, the policies and the last run. */
export async function loadOverview(
  api: DataMeshApi,
  days: number,
): Promise<Overview> {
  const [adoption, rollups, policies, runs] = await Promise.all([
    api.getAdoption({ days }),
    // A week back, so a day without a run yet still shows the last one.
    api.getRollups('domain', { days: 7 }),
    api.getPolicies(),
    // The run list is a nicety; the page works without it.
    api.listRuns({ limit: 1 }).catch(() => undefined),
  ]);
  return {
    adoption,
    domains: latestRollups(rollups.items),
    policies,
    lastRun: runs?.items[0],
  };
}
