export { GroupFailedDescriptorsCard } from './GroupFailedDescriptorsCard';
export type { GroupFailedDescriptorsCardProps } from './GroupFailedDescriptorsCard';
