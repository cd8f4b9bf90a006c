export {
  DataProductQualityCard,
  type DataProductQualityCardProps,
} from './DataProductQualityCard';
