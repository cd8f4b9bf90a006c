/**
 * Types, JSON schema and validator of the DataProduct kind, shared by the
 * Quanta data mesh plugins.
 *
 * @packageDocumentation
 */
export * from './kind/types';
export {
  validateDataProduct,
  formatProblem,
  describeValue,
  parseDataProductRefs,
  type DataProductProblem,
  type DataProductRefs,
} from './kind/validator';
export { dataProductSchema } from './kind/schema';
export * from './governance/types';
export * from './governance/api';
export * from './lineage/api';
export * from './quality/types';
export * from './quality/api';
export { qualityResultsSchema } from './quality/schema';
export * from './permissions';
export * from './shared/duration';
export * from './shared/refs';
