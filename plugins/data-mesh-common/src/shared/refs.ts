import {
  type CompoundEntityRef,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { entityRefPartProblem } from './entityNames';
import { quoteText } from './text';

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

/**
 * What the catalog requires of each part of an entity reference, as
 * messages state it.
 *
 * @public
 */
export const ENTITY_REF_RULES =
  "whose kind is letters and digits, whose namespace is lower-case letters, digits and '-', and whose name is letters, digits, '-', '_' and '.' starting and ending with a letter or digit, each at most 63 characters (the catalog's rules for entity kinds, namespaces and names)";

/** `jane@example.com`, checked without a regular expression that could backtrack. */
function looksLikeEmail(value: string): boolean {
  const at = value.indexOf('@');
  return (
    at > 0 &&
    at === value.lastIndexOf('@') &&
    value.indexOf('.', at) > at + 1 &&
    !/\s/.test(value)
  );
}

/**
 * Reads an entity reference written `[kind:][namespace/]name`, with the
 * defaults for what it leaves out, and holds each part to the catalog's rules
 * for kinds, namespaces and names (see {@link ENTITY_REF_RULES}). A reference
 * that breaks them can never resolve: a Cyrillic letter that looks Latin, a
 * zero-width space, a bidi control, a second `/` or an e-mail address. For
 * those, `problem` says what is wrong after the quoted, escaped value, naming
 * invisible characters by code point, such as: whose name has U+200B ZERO
 * WIDTH SPACE at character 6.
 *
 * @public
 */
export function readEntityRef(
  value: string,
  context: { defaultKind: string; defaultNamespace: string },
): { ref: CompoundEntityRef } | { problem: string } {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, context);
  } catch {
    return {
      problem: `${quoteText(value)}, not of the form [kind:][namespace/]name`,
    };
  }
  for (const which of ['kind', 'namespace', 'name'] as const) {
    const problem = entityRefPartProblem(ref[which], which);
    if (problem) {
      const email =
        which === 'name' && looksLikeEmail(value) ? ', an e-mail address' : '';
      return {
        problem: `${quoteText(value)}${email}, whose ${which} ${problem}`,
      };
    }
  }
  return { ref };
}
