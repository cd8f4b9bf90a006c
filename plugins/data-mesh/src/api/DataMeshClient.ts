import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type {
  AccessAdoptionResponse,
  AccessDecisionInput,
  AccessPortsResponse,
  AccessRequest,
  AccessRequestInput,
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
  PolicyDescription,
  RollupKind,
  RollupsResponse,
  RunsResponse,
  ScorecardListResponse,
  ScorecardResponse,
  WaiversResponse,
} from '@quanta/plugin-data-mesh-common';
import type {
  AccessDecision,
  AccessRequestsQuery,
  DataMeshApi,
  LineageQuery,
  ScorecardListQuery,
} from './DataMeshApi';
import { DataMeshBackend, entityPath, queryString } from './DataMeshBackend';

export { DataMeshResponseError } from './DataMeshBackend';

/**
 * `namespace/name` of a data product, for the routes keyed by product only
 * (contracts, access ports); another kind is refused before any request.
 */
function dataProductPath(
  entityRef: string | CompoundEntityRef,
  what: string,
): string {
  const [kind, namespace, name] = entityPath(entityRef).split('/');
  if (kind !== 'dataproduct') {
    throw new Error(
      `${what} belong to data products; got an entity of kind ${kind}, pass a dataproduct:namespace/name reference`,
    );
  }
  return `${namespace}/${name}`;
}

/** The decisions that need a reason, which the requester reads. */
const REASON_REQUIRED: Partial<Record<AccessDecision, string>> = {
  deny: 'deny an access request',
  revoke: 'revoke access',
};

/**
 * Talks to the governance API of the data-mesh backend plugin. Requests go
 * through the fetch API, which adds the user's Backstage token.
 *
 * @public
 */
export class DataMeshClient implements DataMeshApi {
  private readonly backend: DataMeshBackend;
  /**
   * The policy texts, read once: they change only when the backend is
   * deployed with other policies, so scorecards are asked for without them.
   */
  private policyTexts?: Promise<Map<string, PolicyDescription>>;
  /** Ids missing even from fresh texts: policies removed since evaluation. */
  private readonly removedPolicies = new Set<string>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new DataMeshBackend(options);
  }

  private policiesById(
    refresh = false,
  ): Promise<Map<string, PolicyDescription>> {
    if (!this.policyTexts || refresh) {
      const loading = this.getPolicies().then(
        ({ policies }) => new Map(policies.map(p => [p.id, p])),
      );
      this.policyTexts = loading;
      // A failed read is not kept: the next scorecard asks again.
      loading.catch(() => {
        if (this.policyTexts === loading) this.policyTexts = undefined;
      });
    }
    return this.policyTexts;
  }

  /** {@inheritDoc DataMeshApi.getScorecard} */
  async getScorecard(
    entityRef: string | CompoundEntityRef,
    options: { days?: number } = {},
  ): Promise<ScorecardResponse | undefined> {
    const [card, known] = await Promise.all([
      this.backend.jsonOrUndefined<ScorecardResponse>(
        `/scorecards/${entityPath(entityRef)}${queryString({
          days: options.days,
          policies: 'ids',
        })}`,
      ),
      this.policiesById(),
    ]);
    if (!card) return undefined;
    // A result of a policy this page has not seen means the backend was
    // deployed with new policies since it read them.
    const unknown = card.results.filter(
      r => !known.has(r.policyId) && !this.removedPolicies.has(r.policyId),
    );
    let texts = known;
    if (unknown.length) {
      texts = await this.policiesById(true);
      for (const { policyId } of card.results) {
        if (!texts.has(policyId)) this.removedPolicies.add(policyId);
      }
    }
    return {
      ...card,
      results: card.results.map(result => {
        const policy = texts.get(result.policyId);
        return policy ? { ...result, policy } : result;
      }),
    };
  }

  /** {@inheritDoc DataMeshApi.listScorecards} */
  async listScorecards(
    query: ScorecardListQuery = {},
  ): Promise<ScorecardListResponse> {
    return this.backend.json(
      `/scorecards${queryString({
        owner: query.owner,
        domain: query.domain,
        level: query.level,
        limit: query.limit,
        offset: query.offset,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getRollups} */
  async getRollups(
    kind: RollupKind,
    options: { days?: number; key?: string } = {},
  ): Promise<RollupsResponse> {
    return this.backend.json(
      `/rollups/${encodeURIComponent(kind)}${queryString({
        days: options.days,
        key: options.key,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getAdoption} */
  async getAdoption(
    options: { days?: number } = {},
  ): Promise<AdoptionResponse> {
    return this.backend.json(`/adoption${queryString({ days: options.days })}`);
  }

  /** {@inheritDoc DataMeshApi.getPolicies} */
  async getPolicies(): Promise<PoliciesResponse> {
    return this.backend.json('/policies');
  }

  /** {@inheritDoc DataMeshApi.listRuns} */
  async listRuns(options: { limit?: number } = {}): Promise<RunsResponse> {
    return this.backend.json(`/runs${queryString({ limit: options.limit })}`);
  }

  /** {@inheritDoc DataMeshApi.evaluate} */
  async evaluate(
    options: { entityRef?: string } = {},
  ): Promise<EvaluationResponse> {
    const body = options.entityRef
      ? {
          entityRef: stringifyEntityRef(
            parseEntityRef(options.entityRef, { defaultKind: 'dataproduct' }),
          ),
        }
      : {};
    // 409 carries the run already under way: not a failure for the caller.
    const response = await this.backend.send('/evaluations', {
      body,
      accept: [409],
    });
    const answer = (await response.json()) as EvaluationResponse;
    return response.status === 409 ? { ...answer, started: false } : answer;
  }

  /** {@inheritDoc DataMeshApi.listWaivers} */
  async listWaivers(
    options: { entityRef?: string } = {},
  ): Promise<WaiversResponse> {
    return this.backend.json(
      `/waivers${queryString({ entityRef: options.entityRef })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getLineage} */
  async getLineage(
    entityRef: string | CompoundEntityRef,
    query: LineageQuery = {},
  ): Promise<LineageResponse | undefined> {
    return this.backend.jsonOrUndefined(
      `/lineage/${entityPath(entityRef)}${queryString({
        upstream: query.upstream,
        downstream: query.downstream,
        limit: query.limit,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getMeshLineage} */
  async getMeshLineage(
    options: {
      groupBy?: 'auto' | 'product' | 'domain';
      maxProducts?: number;
    } = {},
  ): Promise<MeshLineageResponse> {
    return this.backend.json(
      `/lineage/mesh${queryString({
        groupBy: options.groupBy,
        maxProducts: options.maxProducts,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.listFailedDescriptors} */
  async listFailedDescriptors(
    options: { owner?: string; entityRef?: string } = {},
  ): Promise<FailedDescriptorsResponse> {
    return this.backend.json(
      `/descriptors/failed${queryString({
        owner: options.owner,
        entityRef: options.entityRef,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getContracts} */
  async getContracts(
    entityRef: string | CompoundEntityRef,
  ): Promise<ContractsResponse | undefined> {
    return this.backend.jsonOrUndefined(
      `/contracts/${dataProductPath(entityRef, 'Contracts')}`,
    );
  }

  /** {@inheritDoc DataMeshApi.checkContractImpact} */
  async checkContractImpact(
    request: ContractImpactRequest,
  ): Promise<ContractImpactResponse> {
    return this.backend.json('/contracts/impact', { body: request });
  }

  /** {@inheritDoc DataMeshApi.listUnmappedDatasets} */
  async listUnmappedDatasets(
    options: { limit?: number; offset?: number } = {},
  ): Promise<UnmappedDatasetsResponse> {
    return this.backend.json(
      `/lineage/unmapped${queryString({
        limit: options.limit,
        offset: options.offset,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getAccessPorts} */
  async getAccessPorts(
    entityRef: string | CompoundEntityRef,
  ): Promise<AccessPortsResponse | undefined> {
    return this.backend.jsonOrUndefined(
      `/access/ports/${dataProductPath(entityRef, 'Output ports')}`,
    );
  }

  /** {@inheritDoc DataMeshApi.requestAccess} */
  async requestAccess(input: AccessRequestInput): Promise<AccessRequest> {
    return this.backend.json('/access/requests', { body: input });
  }

  /** {@inheritDoc DataMeshApi.listAccessRequests} */
  async listAccessRequests(
    query: AccessRequestsQuery = {},
  ): Promise<AccessRequestsResponse> {
    return this.backend.json(
      `/access/requests${queryString({
        entityRef: query.entityRef,
        status: query.status,
        consumer: query.consumer,
        requester: query.requester,
        limit: query.limit,
        offset: query.offset,
      })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getAccessRequest} */
  async getAccessRequest(id: string): Promise<AccessRequest | undefined> {
    return this.backend.jsonOrUndefined(
      `/access/requests/${encodeURIComponent(id)}`,
    );
  }

  /** {@inheritDoc DataMeshApi.getAccessInbox} */
  async getAccessInbox(): Promise<AccessRequestsResponse> {
    return this.backend.json('/access/inbox');
  }

  /** {@inheritDoc DataMeshApi.decideAccessRequest} */
  async decideAccessRequest(
    id: string,
    decision: AccessDecision,
    input: AccessDecisionInput = {},
  ): Promise<AccessRequest> {
    const reason = input.reason?.trim();
    const needs = REASON_REQUIRED[decision];
    // The backend refuses it too; saying so here saves a round trip.
    if (needs && !reason) {
      throw new Error(
        `reason: give a reason to ${needs}; the requester reads it`,
      );
    }
    return this.backend.json(
      `/access/requests/${encodeURIComponent(id)}/${decision}`,
      { body: reason ? { reason } : {} },
    );
  }

  /** {@inheritDoc DataMeshApi.getAccessAdoption} */
  async getAccessAdoption(
    options: { days?: number } = {},
  ): Promise<AccessAdoptionResponse> {
    return this.backend.json(
      `/access/adoption${queryString({ days: options.days })}`,
    );
  }

  /** {@inheritDoc DataMeshApi.listAccessGrants} */
  async listAccessGrants(
    options: { entityRef?: string } = {},
  ): Promise<AccessRequestsResponse> {
    return this.backend.json(
      `/access/grants${queryString({ entityRef: options.entityRef })}`,
    );
  }
}
