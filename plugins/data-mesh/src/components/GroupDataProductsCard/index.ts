export { GroupDataProductsCard } from './GroupDataProductsCard';
export type { GroupDataProductsCardProps } from './GroupDataProductsCard';
