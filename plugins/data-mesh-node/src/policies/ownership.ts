import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type DataProductRefs,
  describeValue,
} from '@quanta/plugin-data-mesh-common';
import { dataProductRefsOf } from '../engine/refs';
import type { DataMeshPolicy, MeshIndex, PolicyCheck } from '../engine/types';
import {
  fail,
  listOf,
  notApplicable,
  pass,
  refText,
  text,
  unique,
} from './helpers';

type RefField = 'owner' | 'productOwner' | 'domain';

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
  const ref = dataProductRefsOf(product)[field];
  if (!ref) {
    return fail(
      `spec.${field} ${describeValue(raw)} is not a ${kind} reference`,
    );
  }
  const shown = refText(ref);
  return mesh.get(shown)
    ? pass()
    : fail(`${label} ${shown} does not exist in the catalog`);
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The groups a user belongs to: `spec.memberOf` and the catalog's memberOf relations. */
function groupsOf(user: Entity): string[] {
  const namespace = user.metadata.namespace ?? 'default';
  const declared: unknown[] = Array.isArray(user.spec?.memberOf)
    ? user.spec.memberOf
    : [];
  const groups: string[] = [];
  for (const value of declared) {
    if (typeof value !== 'string') continue;
    try {
      groups.push(
        lower(
          stringifyEntityRef(
            parseEntityRef(value, {
              defaultKind: 'group',
              defaultNamespace: namespace,
            }),
          ),
        ),
      );
    } catch {
      // A malformed membership names no group.
    }
  }
  for (const relation of user.relations ?? []) {
    if (relation.type === 'memberOf') groups.push(lower(relation.targetRef));
  }
  return unique(groups);
}

/** The group itself and every group above it through `spec.parent`. */
function groupAndAncestors(groupRef: string, mesh: MeshIndex): string[] {
  const chain: string[] = [];
  let current: string | undefined = groupRef;
  while (current && !chain.includes(current)) {
    chain.push(current);
    const group = mesh.get(current)?.entity;
    const parent = text(group?.spec?.parent);
    if (!group || !parent) break;
    try {
      current = lower(
        stringifyEntityRef(
          parseEntityRef(parent, {
            defaultKind: 'group',
            defaultNamespace: group.metadata.namespace ?? 'default',
          }),
        ),
      );
    } catch {
      current = undefined;
    }
  }
  return chain;
}

function refs(product: DataProductEntity): DataProductRefs {
  return dataProductRefsOf(product);
}

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
      text(product.spec?.productOwner)
        ? pass()
        : fail('No product owner: spec.productOwner is not set'),
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
      if (!text(product.spec?.productOwner)) {
        return notApplicable('No product owner is declared');
      }
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
      const { owner, productOwner } = refs(product);
      if (!owner || !productOwner) {
        return notApplicable('Needs both an owner and a product owner');
      }
      const ownerRef = refText(owner);
      const userRef = refText(productOwner);
      const user = mesh.get(userRef)?.entity;
      if (!user || !mesh.get(ownerRef)) {
        return notApplicable(
          'The owner or the product owner is not in the catalog',
        );
      }
      const groups = groupsOf(user);
      const owning = lower(ownerRef);
      if (groups.some(g => groupAndAncestors(g, mesh).includes(owning))) {
        return pass();
      }
      return fail(
        `Product owner ${userRef} is not a member of ${ownerRef} (${
          groups.length ? `member of ${listOf(groups)}` : 'member of no group'
        })`,
      );
    },
  },
];
