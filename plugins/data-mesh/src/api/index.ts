export {
  dataMeshApiRef,
  type AccessDecision,
  type AccessRequestsQuery,
  type DataMeshApi,
  type LineageQuery,
  type ScorecardListQuery,
} from './DataMeshApi';
export { DataMeshClient, DataMeshResponseError } from './DataMeshClient';
export {
  dataMeshQualityApiRef,
  DataMeshQualityClient,
  type DataMeshQualityApi,
} from './DataMeshQualityApi';
