export { DataProductPortsCard } from './DataProductPortsCard';
export type { DataProductPortsCardProps } from './DataProductPortsCard';
