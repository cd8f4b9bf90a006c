import {
  type CompoundEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import type {
  QualityBreachesResponse,
  QualityResponse,
} from '@quanta/plugin-data-mesh-common';
import { DataMeshResponseError } from './DataMeshClient';

/**
 * The quality API of the data-mesh backend plugin: a product's quality
 * results and SLO status, and the products breaching SLOs.
 *
 * @public
 */
export interface DataMeshQualityApi {
  /**
   * The newest runs, failing checks, 30-day pass rate and SLO status of a
   * data product, or `undefined` when it is not a data product.
   */
  getQuality(
    entityRef: string | CompoundEntityRef,
  ): Promise<QualityResponse | undefined>;
  /** Products breaching an SLO now, by domain. */
  getQualityBreaches(): Promise<QualityBreachesResponse>;
}

/**
 * Reference to the {@link DataMeshQualityApi}.
 *
 * @public
 */
export const dataMeshQualityApiRef = createApiRef<DataMeshQualityApi>({
  id: 'plugin.data-mesh.quality',
});

/**
 * Talks to the quality routes of the data-mesh backend plugin, with the
 * user's Backstage token.
 *
 * @public
 */
export class DataMeshQualityClient implements DataMeshQualityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc DataMeshQualityApi.getQuality} */
  async getQuality(
    entityRef: string | CompoundEntityRef,
  ): Promise<QualityResponse | undefined> {
    const ref =
      typeof entityRef === 'string'
        ? parseEntityRef(entityRef, { defaultKind: 'dataproduct' })
        : entityRef;
    const path = [ref.kind, ref.namespace, ref.name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const response = await this.request(`/quality/${path}`);
    if (response.status === 404) return undefined;
    return this.read(response);
  }

  /** {@inheritDoc DataMeshQualityApi.getQualityBreaches} */
  async getQualityBreaches(): Promise<QualityBreachesResponse> {
    return this.read(await this.request('/quality/breaches'));
  }

  private async request(path: string): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('data-mesh');
    return this.fetchApi.fetch(`${base}${path}`);
  }

  private async read<T>(response: Response): Promise<T> {
    if (response.ok) return response.json();
    let message: string | undefined;
    let name: string | undefined;
    try {
      const body = await response.json();
      message = body?.error?.message;
      name = body?.error?.name;
    } catch {
      // Not JSON; the status line is all there is.
    }
    const status = `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`;
    throw new DataMeshResponseError({
      name,
      message: message
        ? `Request failed with ${status}: ${message}`
        : `Request failed with ${status}`,
      statusCode: response.status,
    });
  }
}
