import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  describeValue,
} from '@quanta/plugin-data-mesh-common';
import { lowerRef, referencedEntity } from '../engine/facts';
import type { DataMeshPolicy, MeshIndex, PolicyCheck } from '../engine/types';
import {
  constant,
  fail,
  listOf,
  notApplicable,
  pass,
  prepared,
  text,
  unique,
} from './helpers';

type RefField = 'owner' | 'productOwner' | 'domain';

// Failures naming a missing entity, by label and reference.
const missing = new Map<string, Map<string, PolicyCheck>>();

/**
 * Checks that a reference field names an entity of the catalog. `label` is
 * how messages name the field's target, e.g. `Owner`.
 */
export function referencedEntityExists(
  product: DataProductEntity,
  mesh: MeshIndex,
  field: RefField,
  label: string,
  kind: string,
): PolicyCheck {
  const raw = product.spec?.[field];
  if (raw === undefined || raw === null || raw === '') {
    return fail(`spec.${field} is not set`);
  }
  const facts = prepared(product);
  const shown = facts[field];
  if (!shown) {
    return fail(
      `spec.${field} ${describeValue(raw)} is not a ${kind} reference`,
    );
  }
  if (referencedEntity(facts, mesh, field)) return pass();
  // Products naming a missing entity mostly name the same few; their
  // failure is made once per label and reference.
  let byRef = missing.get(label);
  if (!byRef) missing.set(label, (byRef = new Map()));
  let check = byRef.get(shown);
  if (!check) {
    check = constant(fail(`${label} ${shown} does not exist in the catalog`));
    if (byRef.size >= 1000) byRef.clear();
    byRef.set(shown, check);
  }
  return check;
}

/** A reference written in an entity, as the lower-case text it resolves to. */
function resolvedRef(
  value: string,
  namespace: string | undefined,
): string | undefined {
  try {
    return lowerRef(
      stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: namespace ?? 'default',
        }),
      ),
    );
  } catch {
    // A malformed reference names no group.
    return undefined;
  }
}

// Users and groups are shared by many products; their memberships and
// parents are read once per entity object.
const groupsCache = new WeakMap<Entity, string[]>();
const parentCache = new WeakMap<Entity, string | null>();

/** The groups a user belongs to: `spec.memberOf` and the catalog's memberOf relations. */
function groupsOf(user: Entity): string[] {
  const cached = groupsCache.get(user);
  if (cached) return cached;
  const namespace = user.metadata.namespace ?? 'default';
  const declared: unknown[] = Array.isArray(user.spec?.memberOf)
    ? user.spec.memberOf
    : [];
  const groups: string[] = [];
  for (const value of declared) {
    if (typeof value !== 'string') continue;
    const ref = resolvedRef(value, namespace);
    if (ref) groups.push(ref);
  }
  for (const relation of user.relations ?? []) {
    if (relation.type === 'memberOf') groups.push(lowerRef(relation.targetRef));
  }
  const result = unique(groups);
  groupsCache.set(user, result);
  return result;
}

/** The group a group declares as its parent (`spec.parent`), if any. */
function parentOf(group: Entity): string | undefined {
  let parent = parentCache.get(group);
  if (parent === undefined) {
    const declared = text(group.spec?.parent);
    parent =
      (declared && resolvedRef(declared, group.metadata.namespace)) ?? null;
    parentCache.set(group, parent);
  }
  return parent ?? undefined;
}

/** True when the group is `wanted` or a group below it through `spec.parent`. */
function isWithin(groupRef: string, wanted: string, mesh: MeshIndex): boolean {
  const chain: string[] = [];
  let current: string | undefined = groupRef;
  while (current && !chain.includes(current)) {
    if (current === wanted) return true;
    chain.push(current);
    const group: Entity | undefined = mesh.get(current)?.entity;
    current = group && parentOf(group);
  }
  return false;
}

const NEEDS_OWNERS = constant(
  notApplicable('Needs both an owner and a product owner'),
);
const OWNERS_UNKNOWN = constant(
  notApplicable('The owner or the product owner is not in the catalog'),
);
const NO_PRODUCT_OWNER = constant(
  notApplicable('No product owner is declared'),
);
const PRODUCT_OWNER_UNSET = constant(
  fail('No product owner: spec.productOwner is not set'),
);

export const ownershipPolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.owner-exists',
    title: 'Owned by an existing team',
    attribute: 'ownership',
    severity: 'error',
    rationale:
      'A data product without a team that exists has nobody to answer for it.',
    howToFix:
      'Set spec.owner to the Group of the owning team, such as group:default/sales-data, and make sure that Group is registered in the catalog.',
    check: (product, { mesh }) =>
      referencedEntityExists(product, mesh, 'owner', 'Owner', 'Group'),
  },
  {
    id: 'quanta.product-owner-declared',
    title: 'Product owner declared',
    attribute: 'ownership',
    severity: 'warning',
    rationale:
      'One accountable person decides on priorities, access and changes of the product.',
    howToFix:
      'Set spec.productOwner to the User accountable for the product, such as user:default/maria.silva.',
    check: product =>
      text(product.spec?.productOwner) ? pass() : PRODUCT_OWNER_UNSET,
  },
  {
    id: 'quanta.product-owner-exists',
    title: 'Product owner is an existing user',
    attribute: 'ownership',
    severity: 'error',
    rationale:
      'A product owner who is not in the catalog cannot be reached or notified.',
    howToFix:
      'Set spec.productOwner to a User registered in the catalog, such as user:default/maria.silva, or register that User.',
    check: (product, { mesh }) => {
      if (!text(product.spec?.productOwner)) return NO_PRODUCT_OWNER;
      return referencedEntityExists(
        product,
        mesh,
        'productOwner',
        'Product owner',
        'User',
      );
    },
  },
  {
    id: 'quanta.product-owner-in-owning-team',
    title: 'Product owner belongs to the owning team',
    attribute: 'ownership',
    severity: 'info',
    rationale:
      'A product owner outside the owning team cannot steer the people who build the product.',
    howToFix:
      'Set spec.productOwner to a member of the spec.owner Group (or of a team under it), or add the product owner to that Group (spec.memberOf of the User).',
    check: (product, { mesh }) => {
      const facts = prepared(product);
      const { owner: ownerRef, productOwner: userRef } = facts;
      if (!ownerRef || !userRef) return NEEDS_OWNERS;
      const user = referencedEntity(facts, mesh, 'productOwner')?.entity;
      if (!user || !referencedEntity(facts, mesh, 'owner')) {
        return OWNERS_UNKNOWN;
      }
      const groups = groupsOf(user);
      const owning = lowerRef(ownerRef);
      if (groups.some(g => isWithin(g, owning, mesh))) return pass();
      return fail(
        `Product owner ${userRef} is not a member of ${ownerRef} (${
          groups.length ? `member of ${listOf(groups)}` : 'member of no group'
        })`,
      );
    },
  },
];
