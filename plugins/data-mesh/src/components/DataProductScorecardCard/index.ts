export { DataProductScorecardCard } from './DataProductScorecardCard';
export type { DataProductScorecardCardProps } from './DataProductScorecardCard';
