import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  AccessAdoptionResponse,
  AccessDecisionInput,
  AccessPortsResponse,
  AccessRequest,
  AccessRequestInput,
  AccessRequestStatus,
  AccessRequestsResponse,
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
 * Filters of {@link DataMeshApi.listAccessRequests}.
 *
 * @public
 */
export type AccessRequestsQuery = {
  /** The data product asked for, e.g. `dataproduct:default/orders`. */
  entityRef?: string;
  status?: AccessRequestStatus;
  /** The product or component the data is for, e.g. `component:default/churn-model`. */
  consumer?: string;
  /** `me` for the signed-in user's own requests, or a user entity reference. */
  requester?: string;
  limit?: number;
  offset?: number;
};

/**
 * What an approver does with an access request: approve or deny a pending
 * one, or revoke an approved one (a grant).
 *
 * @public
 */
export type AccessDecision = 'approve' | 'deny' | 'revoke';

/**
 * The API of the data-mesh backend plugin: scorecards, roll-ups, adoption,
 * policies, runs, waivers, lineage, contracts and access requests.
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
  /**
   * Each output port of a data product with its classification, whether it
   * holds personal data and whether requests for it are approved at once.
   * `undefined` when the catalog has no such product.
   */
  getAccessPorts(
    entityRef: string | CompoundEntityRef,
  ): Promise<AccessPortsResponse | undefined>;
  /**
   * Asks for access to an output port for a product or component of one of
   * the signed-in user's teams. Rejects with the backend's message naming
   * the field (400), or when an open request for the same port and consumer
   * exists (409).
   */
  requestAccess(input: AccessRequestInput): Promise<AccessRequest>;
  /** Access requests matching the filters, of any status unless one is given. */
  listAccessRequests(
    query?: AccessRequestsQuery,
  ): Promise<AccessRequestsResponse>;
  /** One access request with its history, or `undefined` when there is none with that id. */
  getAccessRequest(id: string): Promise<AccessRequest | undefined>;
  /** The pending requests the signed-in user may approve or deny. */
  getAccessInbox(): Promise<AccessRequestsResponse>;
  /**
   * Approves or denies a pending request, or revokes a grant; a reason is
   * required to deny or revoke. Rejects with status 403 when the signed-in
   * user may not decide, and 409 when the request no longer allows it.
   */
  decideAccessRequest(
    id: string,
    decision: AccessDecision,
    input?: AccessDecisionInput,
  ): Promise<AccessRequest>;
  /**
   * The approved grants, of one product or of all: who consumes it, for
   * what, until when, and whether the grant took effect.
   */
  listAccessGrants(options?: {
    entityRef?: string;
  }): Promise<AccessRequestsResponse>;

  /**
   * Access across the mesh for platform owners: grants and consumers per
   * product and domain, pending requests, and the time to approve over the
   * last `days` days (90 unless given).
   */
  getAccessAdoption(options?: {
    days?: number;
  }): Promise<AccessAdoptionResponse>;
}

/**
 * Reference to the {@link DataMeshApi}.
 *
 * @public
 */
export const dataMeshApiRef = createApiRef<DataMeshApi>({
  id: 'plugin.data-mesh.api',
});
