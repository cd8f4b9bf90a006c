/**
 * Scaffolder actions that check a data product against governance before its
 * repository exists, write its descriptor, contracts, models, quality checks
 * and CODEOWNERS from structured input, publish it locally, and check what a
 * contract change does to the product's consumers.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDataMesh as default } from './module';
export {
  createValidateAction,
  type ValidateFinding,
  type ValidateInput,
  type ValidateOutput,
} from './actions/validate';
export {
  createWriteDescriptorAction,
  type WriteDescriptorInput,
  type WriteDescriptorOutput,
} from './actions/writeDescriptor';
export { createWriteContractsAction } from './actions/writeContracts';
export { createWriteModelsAction } from './actions/writeModels';
export { createWriteQualityChecksAction } from './actions/writeQualityChecks';
export { createWriteCodeownersAction } from './actions/writeCodeowners';
export { createWriteSchemasAction } from './actions/writeSchemas';
export { createPublishLocalAction } from './actions/publishLocal';
export { createRegisterLocalAction } from './actions/registerLocal';
export {
  createContractImpactAction,
  type ContractImpactChange,
  type ContractImpactFailOn,
  type ContractImpactInput,
  type ContractImpactOutput,
} from './actions/contractImpact';
export { createScaffolderPolicyEngine } from './lib/governance';
export {
  buildDataProduct,
  type ProductInput,
  type ProductEntityRef,
  type ProductInputPort,
  type ProductOutputPort,
  type TemplateInfoLike,
} from './lib/descriptor';
export { buildContract } from './lib/odcs';
