export {
  DataProductLineageCard,
  type DataProductLineageCardProps,
} from './DataProductLineageCard';
