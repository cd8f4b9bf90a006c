export {
  DataMeshPage,
  DataMeshPageContent,
  DataMeshOverview,
} from './DataMeshPage';
export type { DataMeshOverviewProps } from './DataMeshPage';
