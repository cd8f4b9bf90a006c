export {
  DataProductSummaryCard,
  type DataProductSummaryCardProps,
} from './DataProductSummaryCard';
