export { DataProductAboutCard } from './DataProductAboutCard';
export type { DataProductAboutCardProps } from './DataProductAboutCard';
