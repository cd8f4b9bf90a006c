import { dataProductSchema as generatedDataProductSchema } from './validateDataProductSchema.generated';

/**
 * JSON schema (draft-07) of the DataProduct descriptor, the one
 * {@link validateDataProduct} checks against, for tools that validate
 * descriptors themselves.
 *
 * @public
 */
export const dataProductSchema: Record<string, unknown> =
  generatedDataProductSchema;
