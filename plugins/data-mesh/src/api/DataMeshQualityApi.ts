import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import type {
  QualityBreachesResponse,
  QualityResponse,
} from '@quanta/plugin-data-mesh-common';
import { DataMeshBackend, entityPath } from './DataMeshBackend';

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
  private readonly backend: DataMeshBackend;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new DataMeshBackend(options);
  }

  /** {@inheritDoc DataMeshQualityApi.getQuality} */
  async getQuality(
    entityRef: string | CompoundEntityRef,
  ): Promise<QualityResponse | undefined> {
    return this.backend.jsonOrUndefined(`/quality/${entityPath(entityRef)}`);
  }

  /** {@inheritDoc DataMeshQualityApi.getQualityBreaches} */
  async getQualityBreaches(): Promise<QualityBreachesResponse> {
    return this.backend.json('/quality/breaches');
  }
}
