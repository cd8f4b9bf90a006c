export {
  dataMeshApiRef,
  type DataMeshApi,
  type ScorecardListQuery,
} from './DataMeshApi';
export { DataMeshClient, DataMeshResponseError } from './DataMeshClient';
