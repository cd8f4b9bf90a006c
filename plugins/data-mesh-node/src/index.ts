/**
 * Node library of the Quanta data mesh: the policy engine, the built-in
 * policies and the extension point for a portal's own policies.
 *
 * @packageDocumentation
 */
export * from './engine/types';
export { createMeshIndex } from './engine/meshIndex';
export { dataProductRefsOf } from './engine/refs';
export {
  PolicyEngine,
  registerPolicies,
  waiversFromDescriptor,
  waiverEnd,
} from './engine/PolicyEngine';
export { readConfigPolicies, readLevels } from './engine/configPolicies';
export { builtInPolicies } from './policies';
export {
  type IsoDuration,
  parseIsoDuration,
  addIsoDuration,
  formatElapsed,
} from './policies/duration';
export * from './extensions';
export * from './events';
export * from './access';
export * from './accessPermissions';
