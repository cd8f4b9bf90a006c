export { DataProductSlosCard } from './DataProductSlosCard';
export type { DataProductSlosCardProps } from './DataProductSlosCard';
