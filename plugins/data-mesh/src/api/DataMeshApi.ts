import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AdoptionResponse,
  ContractImpactRequest,
  ContractImpactResponse,
  ContractsResponse,
  EvaluationResponse,
  FailedDescriptorsResponse,
  LineageResponse,
  MeshLineageResponse,
  UnmappedDatasetsResponse,
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
 * Options of {@link DataMeshApi.getLineage}.
 *
 * @public
 */
export type LineageQuery = {
  /** Hops upstream, 0 to 5; the backend's default is 1. */
  upstream?: number;
  /** Hops downstream, 0 to 5; the backend's default is 1. */
  downstream?: number;
  /** Most nodes to answer with; the backend's default is 1,000. */
  limit?: number;
};

/**
 * The API of the data-mesh backend plugin: scorecards, roll-ups, adoption,
 * policies, runs, waivers, lineage and contracts.
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
  /**
   * Declared and observed lineage around one entity, or `undefined` when it
   * is neither a data product nor a source an input port reads.
   */
  getLineage(
    entityRef: string | CompoundEntityRef,
    query?: LineageQuery,
  ): Promise<LineageResponse | undefined>;
  /** Lineage of the whole mesh, by product or aggregated by domain. */
  getMeshLineage(options?: {
    groupBy?: 'auto' | 'product' | 'domain';
    maxProducts?: number;
  }): Promise<MeshLineageResponse>;
  /** Datasets seen in OpenLineage events that no output port serves. */
  listUnmappedDatasets(options?: {
    limit?: number;
    offset?: number;
  }): Promise<UnmappedDatasetsResponse>;
  /**
   * DataProduct descriptors the catalog refused (an invalid name, a
   * wrong-case kind, over the size limit), and the second files declaring a
   * product the catalog already serves from another, which it ignores
   * (`state: 'conflict'`): all, one team's (`owner`, such as
   * `group:default/sales-data`) or one product's (`entityRef`, such as
   * `dataproduct:default/orders`).
   */
  listFailedDescriptors(options?: {
    owner?: string;
    entityRef?: string;
  }): Promise<FailedDescriptorsResponse>;
  /**
   * The contract of each output port of a data product: whether it could be
   * read, the versions seen (newest first) with the changes between them,
   * and the document of the version consumers read. `undefined` when the
   * catalog has no such product.
   */
  getContracts(
    entityRef: string | CompoundEntityRef,
  ): Promise<ContractsResponse | undefined>;
  /**
   * What a proposed contract for one output port changes, and for which
   * consumer products: the changes with their rules, the version bump they
   * need, and every declared or observed consumer with what breaks for it.
   * Nothing is stored.
   */
  checkContractImpact(
    request: ContractImpactRequest,
  ): Promise<ContractImpactResponse>;
}

/**
 * Reference to the {@link DataMeshApi}.
 *
 * @public
 */
export const dataMeshApiRef = createApiRef<DataMeshApi>({
  id: 'plugin.data-mesh.api',
});
