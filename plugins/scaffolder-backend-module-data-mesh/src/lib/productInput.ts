import { InputError } from '@backstage/errors';
import {
  type DataProductEntity,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import type { z as zod } from 'zod/v3';

/** The `entity` input of the actions that write files from a descriptor. */
export const productInput = (z: typeof zod) =>
  z
    .record(z.any())
    .describe(
      'The DataProduct, such as the entity output of data-mesh:write:descriptor',
    );

/** The `entity` input as a DataProduct, or a 400 naming the input. */
export function productFromInput(value: unknown): DataProductEntity {
  if (!value || !isDataProductEntity(value as DataProductEntity)) {
    throw new InputError('entity must be a DataProduct descriptor');
  }
  return value as DataProductEntity;
}
