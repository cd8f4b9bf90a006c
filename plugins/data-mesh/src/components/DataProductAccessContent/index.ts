export { DataProductAccessContent } from './DataProductAccessContent';
