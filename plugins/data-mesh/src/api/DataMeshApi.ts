import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AdoptionResponse,
  EvaluationResponse,
  PoliciesResponse,
  RollupKind,
  RollupsResponse,
  RunsResponse,
  ScorecardListResponse,
  ScorecardResponse,
  WaiversResponse,
} from '@quanta/plugin-data-mesh-common';

/**
 * Filters of {@link DataMeshApi.listScorecards}.
 *
 * @public
 */
export type ScorecardListQuery = {
  /** Entity ref of the owning group, e.g. `group:default/sales-data`. */
  owner?: string;
  /** Entity ref of the domain, e.g. `domain:default/sales`. */
  domain?: string;
  /** A level name, or `none` for products below the first level. */
  level?: string;
  limit?: number;
  offset?: number;
};

/**
 * The governance API of the data-mesh backend plugin: scorecards, roll-ups,
 * adoption, policies, runs and waivers.
 *
 * @public
 */
export interface DataMeshApi {
  /**
   * The scorecard of one data product with `days` of daily history, or
   * `undefined` when the product has not been evaluated yet.
   */
  getScorecard(
    entityRef: string | CompoundEntityRef,
    options?: { days?: number },
  ): Promise<ScorecardResponse | undefined>;
  /** Scorecard summaries of the products matching the filters. */
  listScorecards(query?: ScorecardListQuery): Promise<ScorecardListResponse>;
  /** Daily roll-ups per domain, owner group or for the whole mesh, oldest first. */
  getRollups(
    kind: RollupKind,
    options?: { days?: number; key?: string },
  ): Promise<RollupsResponse>;
  /** How the mesh adopts the policies over time. */
  getAdoption(options?: { days?: number }): Promise<AdoptionResponse>;
  /** The policy catalog and the level ladder. */
  getPolicies(): Promise<PoliciesResponse>;
  /** Recent evaluation runs, newest first. */
  listRuns(options?: { limit?: number }): Promise<RunsResponse>;
  /**
   * Evaluates the mesh, or one product, now. Resolves with `started: false`
   * and the running run when an evaluation is already under way.
   */
  evaluate(options?: { entityRef?: string }): Promise<EvaluationResponse>;
  /** Active waivers, of one product or of all. */
  listWaivers(options?: { entityRef?: string }): Promise<WaiversResponse>;
}

/**
 * Reference to the {@link DataMeshApi}.
 *
 * @public
 */
export const dataMeshApiRef = createApiRef<DataMeshApi>({
  id: 'plugin.data-mesh.api',
});
