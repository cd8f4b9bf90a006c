/**
 * Types, JSON schema and validator of the DataProduct kind, shared by the
 * Quanta data mesh plugins.
 *
 * @packageDocumentation
 */
export * from './kind/types';
export {
  validateDataProduct,
  validateWaiver,
  formatProblem,
  describeValue,
  parseDataProductRefs,
  MAX_REPORTED_PROBLEMS,
  type DataProductProblem,
  type DataProductRefs,
  type ValidateDataProductOptions,
} from './kind/validator';
export * from './kind/limits';
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
export * from './shared/dates';
export { entityRefPartProblem, type EntityRefPart } from './shared/entityNames';
export {
  escapeText,
  quoteText,
  describeCharacter,
  MAX_ECHOED_LENGTH,
} from './shared/text';
export {
  compareContracts,
  SLA_UNIT_SECONDS,
  contractChangeRules,
  requiredVersionBump,
  type ContractChange,
  type ContractChangeLevel,
  type ContractChangeRule,
  type ContractChangeRuleId,
} from './contracts/changes';
export * from './contracts/api';
export * from './access/api';
export * from './contracts/impact';
export {
  contractVersionProblem,
  parseContractVersion,
} from './contracts/versions';
