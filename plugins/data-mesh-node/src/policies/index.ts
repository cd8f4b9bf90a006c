import type { DataMeshPolicy } from '../engine/types';
import { accessPolicies } from './access';
import { addressablePolicies } from './addressable';
import { contractPolicies } from './contracts';
import { discoverablePolicies } from './discoverable';
import { interoperablePolicies } from './interoperable';
import { lifecyclePolicies } from './lifecycle';
import { lineagePolicies } from './lineage';
import { nativelyAccessiblePolicies } from './nativelyAccessible';
import { ownershipPolicies } from './ownership';
import { securePolicies } from './secure';
import { trustworthyPolicies } from './trustworthy';
import { understandablePolicies } from './understandable';
import { valuablePolicies } from './valuable';

/**
 * The built-in policy library, applied to every product of the mesh.
 *
 * @public
 */
export const builtInPolicies: DataMeshPolicy[] = [
  ...ownershipPolicies,
  ...discoverablePolicies,
  ...understandablePolicies,
  ...addressablePolicies,
  ...interoperablePolicies,
  ...nativelyAccessiblePolicies,
  ...trustworthyPolicies,
  ...securePolicies,
  ...lifecyclePolicies,
  ...valuablePolicies,
  ...lineagePolicies,
  ...contractPolicies,
  ...accessPolicies,
];
