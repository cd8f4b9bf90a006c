import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { describeCharacter } from './text';

/**
 * A part of an entity reference, or of an entity's identity.
 *
 * @public
 */
export type EntityRefPart = 'kind' | 'namespace' | 'name';

const ALLOWED: Record<EntityRefPart, RegExp> = {
  kind: /[A-Za-z0-9]/,
  // Upper case is allowed here: the catalog compares references lower-cased,
  // so `group:Default/x` names the entity in namespace `default`.
  namespace: /[A-Za-z0-9-]/,
  name: /[A-Za-z0-9_.-]/,
};

const VALID: Record<EntityRefPart, (part: string) => boolean> = {
  kind: KubernetesValidatorFunctions.isValidKind,
  namespace: part =>
    KubernetesValidatorFunctions.isValidNamespace(part.toLowerCase()),
  name: KubernetesValidatorFunctions.isValidObjectName,
};

/**
 * What is wrong with one part of a reference, or with an entity's own name
 * or namespace, by the catalog's rules: words that follow "whose name" or
 * "which", naming the first characters it does not allow by code point (has
 * U+200B ZERO WIDTH SPACE at character 3), or undefined when the catalog
 * accepts it. Namespaces are compared lower-cased, as in references.
 *
 * @public
 */
export function entityRefPartProblem(
  part: string,
  which: EntityRefPart,
): string | undefined {
  if (VALID[which](part)) return undefined;
  const offending: string[] = [];
  let position = 0;
  let first = 0;
  for (const character of part) {
    position++;
    if (!ALLOWED[which].test(character)) {
      if (offending.length === 0) first = position;
      const described = describeCharacter(character);
      if (!offending.includes(described)) offending.push(described);
      if (offending.length === 3) break;
    }
  }
  if (offending.length) {
    return `has ${offending.join(', ')}${
      offending.length === 1
        ? ` at character ${first}`
        : ` from character ${first}`
    }`;
  }
  if (part.length > 63) return `is ${part.length} characters long`;
  if (which === 'kind') return 'starts with a digit';
  // Only letters, digits and separators, so a separator is at either end.
  return /[A-Za-z0-9]/.test(part[0])
    ? `ends with ${JSON.stringify(part[part.length - 1])}`
    : `starts with ${JSON.stringify(part[0])}`;
}
