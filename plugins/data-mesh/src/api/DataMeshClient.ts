import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type {
  AdoptionResponse,
  EvaluationResponse,
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

/**
 * A failed request to the data mesh backend, with the server's message.
 *
 * @public
 */
export class DataMeshResponseError extends Error {
  /** HTTP status code of the failed response. */
  readonly statusCode: number;

  constructor(options: { name?: string; message: string; statusCode: number }) {
    super(options.message);
    this.name = options.name ?? 'ResponseError';
    this.statusCode = options.statusCode;
  }
}

/**
 * Reads Backstage's standard error body (`{ error: { name, message } }`),
 * falling back to the status line for proxies that answer with HTML.
 */
async function errorOf(response: Response): Promise<DataMeshResponseError> {
  let name: string | undefined;
  let message: string | undefined;
  try {
    const body = await response.json();
    if (typeof body?.error?.message === 'string') {
      message = body.error.message;
      name = typeof body.error.name === 'string' ? body.error.name : undefined;
    }
  } catch {
    // Not JSON; the status line is all there is.
  }
  const status = `${response.status}${
    response.statusText ? ` ${response.statusText}` : ''
  }`;
  return new DataMeshResponseError({
    name,
    message: message
      ? `Request failed with ${status}: ${message}`
      : `Request failed with ${status}`,
    statusCode: response.status,
  });
}

/** `kind/namespace/name`, lower-cased and encoded, for routes keyed by entity. */
function entityPath(entityRef: string | CompoundEntityRef): string {
  const ref =
    typeof entityRef === 'string'
      ? parseEntityRef(entityRef, { defaultKind: 'dataproduct' })
      : entityRef;
  return [ref.kind, ref.namespace, ref.name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Talks to the governance API of the data-mesh backend plugin. Requests go
 * through the fetch API, which adds the user's Backstage token.
 *
 * @public
 */
export class DataMeshClient implements DataMeshApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc DataMeshApi.getScorecard} */
  async getScorecard(
    entityRef: string | CompoundEntityRef,
    options: { days?: number } = {},
  ): Promise<ScorecardResponse | undefined> {
    const path = entityPath(entityRef);
    const response = await this.request(
      `/scorecards/${path}${queryString({ days: options.days })}`,
    );
    if (response.status === 404) {
      return undefined;
    }
    return this.read(response);
  }

  /** {@inheritDoc DataMeshApi.listScorecards} */
  async listScorecards(
    query: ScorecardListQuery = {},
  ): Promise<ScorecardListResponse> {
    return this.read(
      await this.request(
        `/scorecards${queryString({
          owner: query.owner,
          domain: query.domain,
          level: query.level,
          limit: query.limit,
          offset: query.offset,
        })}`,
      ),
    );
  }

  /** {@inheritDoc DataMeshApi.getRollups} */
  async getRollups(
    kind: RollupKind,
    options: { days?: number; key?: string } = {},
  ): Promise<RollupsResponse> {
    return this.read(
      await this.request(
        `/rollups/${encodeURIComponent(kind)}${queryString({
          days: options.days,
          key: options.key,
        })}`,
      ),
    );
  }

  /** {@inheritDoc DataMeshApi.getAdoption} */
  async getAdoption(
    options: { days?: number } = {},
  ): Promise<AdoptionResponse> {
    return this.read(
      await this.request(`/adoption${queryString({ days: options.days })}`),
    );
  }

  /** {@inheritDoc DataMeshApi.getPolicies} */
  async getPolicies(): Promise<PoliciesResponse> {
    return this.read(await this.request('/policies'));
  }

  /** {@inheritDoc DataMeshApi.listRuns} */
  async listRuns(options: { limit?: number } = {}): Promise<RunsResponse> {
    return this.read(
      await this.request(`/runs${queryString({ limit: options.limit })}`),
    );
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
    const response = await this.request('/evaluations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    // 409 carries the run already under way: not a failure for the caller.
    if (response.status === 409) {
      const conflict = (await response.json()) as EvaluationResponse;
      return { ...conflict, started: false };
    }
    return this.read(response);
  }

  /** {@inheritDoc DataMeshApi.listWaivers} */
  async listWaivers(
    options: { entityRef?: string } = {},
  ): Promise<WaiversResponse> {
    return this.read(
      await this.request(
        `/waivers${queryString({ entityRef: options.entityRef })}`,
      ),
    );
  }

  /** {@inheritDoc DataMeshApi.getLineage} */
  async getLineage(
    entityRef: string | CompoundEntityRef,
    query: LineageQuery = {},
  ): Promise<LineageResponse | undefined> {
    const response = await this.request(
      `/lineage/${entityPath(entityRef)}${queryString({
        upstream: query.upstream,
        downstream: query.downstream,
        limit: query.limit,
      })}`,
    );
    if (response.status === 404) {
      return undefined;
    }
    return this.read(response);
  }

  /** {@inheritDoc DataMeshApi.getMeshLineage} */
  async getMeshLineage(
    options: {
      groupBy?: 'auto' | 'product' | 'domain';
      maxProducts?: number;
    } = {},
  ): Promise<MeshLineageResponse> {
    return this.read(
      await this.request(
        `/lineage/mesh${queryString({
          groupBy: options.groupBy,
          maxProducts: options.maxProducts,
        })}`,
      ),
    );
  }

  /** {@inheritDoc DataMeshApi.listUnmappedDatasets} */
  async listUnmappedDatasets(
    options: { limit?: number; offset?: number } = {},
  ): Promise<UnmappedDatasetsResponse> {
    return this.read(
      await this.request(
        `/lineage/unmapped${queryString({
          limit: options.limit,
          offset: options.offset,
        })}`,
      ),
    );
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('data-mesh');
    return this.fetchApi.fetch(`${baseUrl}${path}`, init);
  }

  private async read<T>(response: Response): Promise<T> {
    if (!response.ok) {
      throw await errorOf(response);
    }
    return (await response.json()) as T;
  }
}
