export { DataProductContractContent } from './DataProductContractContent';
