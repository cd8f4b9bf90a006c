import {
  type CompoundEntityRef,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * A full entity reference as the HTTP APIs take it: `kind:namespace/name`,
 * with the characters Backstage allows in each part.
 *
 * @public
 */
export const FULL_ENTITY_REF_PATTERN =
  '^[a-zA-Z0-9_.-]+:[a-zA-Z0-9_.-]+/[a-zA-Z0-9_.-]+$';

const FULL_ENTITY_REF = new RegExp(FULL_ENTITY_REF_PATTERN);

/**
 * True for a string written as a full entity reference (`kind:namespace/name`).
 *
 * @public
 */
export function isFullEntityRef(value: unknown): value is string {
  return typeof value === 'string' && FULL_ENTITY_REF.test(value);
}

/**
 * The key under which Quanta stores and looks up an entity: its reference,
 * lower-cased. Backstage compares references case-insensitively, so
 * `DataProduct:default/Orders` and `dataproduct:default/orders` are one key.
 * `toLowerCase` gives the same result as `toLocaleLowerCase('en-US')` (English
 * has no special casing rules) without the locale handling, which matters at
 * hundreds of thousands of calls per evaluation.
 *
 * @public
 */
export function entityRefKey(ref: string | Entity | CompoundEntityRef): string {
  return (
    typeof ref === 'string' ? ref : stringifyEntityRef(ref)
  ).toLowerCase();
}
