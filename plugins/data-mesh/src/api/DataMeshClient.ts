import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
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
import type {
  DataMeshApi,
  LineageQuery,
  ScorecardListQuery,
} from './DataMeshApi';
import { DataMeshBackend, entityPath, queryString } from './DataMeshBackend';

export { DataMeshResponseError } from './DataMeshBackend';

/**
 * Talks to the governance API of the data-mesh backend plugin. Requests go
 * through the fetch API, which adds the user's Backstage token.
 *
 * @public
 */
export class DataMeshClient implements DataMeshApi {
  private readonly backend: DataMeshBackend;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new DataMeshBackend(options);
  }

  /** {@inheritDoc DataMeshApi.getScorecard} */
  async getScorecard(
    entityRef: string | CompoundEntityRef,
    options: { days?: number } = {},
  ): Promise<ScorecardResponse | undefined> {
    return this.backend.jsonOrUndefined(
      `/scorecards/${entityPath(entityRef)}${queryString({
        days: options.days,
      })}`,
    );
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
    // The route is keyed by namespace and name: only DataProducts have contracts.
    const [kind, namespace, name] = entityPath(entityRef).split('/');
    if (kind !== 'dataproduct') {
      throw new Error(
        `Contracts belong to data products; got an entity of kind ${kind}, pass a dataproduct:namespace/name reference`,
      );
    }
    return this.backend.jsonOrUndefined(`/contracts/${namespace}/${name}`);
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
}
