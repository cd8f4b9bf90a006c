import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  DATA_MESH_PRODUCT_RESOURCE_TYPE,
  type DataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import { z } from 'zod';

/**
 * How a condition on data products reads as a query: the product field and
 * the entity references it may hold (any of them, compared regardless of
 * case). Conditions are applied to products loaded from the catalog; this
 * form is for plugins that filter products in a query instead.
 *
 * @public
 */
export type DataMeshProductQuery = {
  key: 'spec.owner' | 'spec.productOwner';
  values: string[];
};

/**
 * The data product as a permission resource
 * ({@link @quanta/plugin-data-mesh-common#DATA_MESH_PRODUCT_RESOURCE_TYPE}),
 * loaded by its entity reference: the resource of
 * `data-mesh.access.approve`.
 *
 * @public
 */
export const dataMeshProductPermissionResourceRef = createPermissionResourceRef<
  DataProductEntity,
  DataMeshProductQuery
>().with({
  pluginId: 'data-mesh',
  resourceType: DATA_MESH_PRODUCT_RESOURCE_TYPE,
});

/** An entity reference as a lower-case full reference, or undefined if it is not one. */
function refKey(
  ref: unknown,
  defaults: { defaultKind: string; defaultNamespace: string },
): string | undefined {
  if (typeof ref !== 'string' || !ref.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), defaults),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * "Is owner of the product": the product's owner (`spec.owner`, a Group
 * unless its reference names another kind) or its product owner
 * (`spec.productOwner`, a User) is one of `claims`. References compare as
 * entity references, regardless of case, with the product's namespace for a
 * reference that leaves it out. Policies usually pass the caller's
 * ownership references (`user.info.ownershipEntityRefs`), so that the owner
 * team's members and the product owner match.
 *
 * @public
 */
export const isProductOwner = createPermissionRule({
  name: 'IS_PRODUCT_OWNER',
  description:
    'Allow data products whose owner (spec.owner) or product owner (spec.productOwner) is one of the claims',
  resourceRef: dataMeshProductPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity references, one of which must be the product owner or the owning group, such as the user ownership references',
      ),
  }),
  apply: (product, { claims }) => {
    const wanted = new Set(
      claims.flatMap(claim => {
        const key = refKey(claim, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        return key ? [key] : [];
      }),
    );
    const defaultNamespace = product.metadata.namespace ?? 'default';
    const owners = [
      refKey(product.spec?.owner, { defaultKind: 'group', defaultNamespace }),
      refKey(product.spec?.productOwner, {
        defaultKind: 'user',
        defaultNamespace,
      }),
    ];
    return owners.some(owner => owner !== undefined && wanted.has(owner));
  },
  toQuery: ({ claims }) => ({
    anyOf: [
      { key: 'spec.owner', values: claims },
      { key: 'spec.productOwner', values: claims },
    ],
  }),
});

/**
 * The rules of the data product resource, by name, as the data-mesh backend
 * registers them.
 *
 * @public
 */
export const dataMeshProductPermissionRules = { isProductOwner };

const productConditionExports = createConditionExports({
  resourceRef: dataMeshProductPermissionResourceRef,
  rules: dataMeshProductPermissionRules,
});

/**
 * Conditions on data products for permission policies, such as
 * `dataMeshProductConditions.isProductOwner({ claims: user.info.ownershipEntityRefs })`.
 *
 * @public
 */
export const dataMeshProductConditions = productConditionExports.conditions;

/**
 * A conditional decision on a data product permission
 * (`data-mesh.access.approve`), for permission policies:
 *
 * ```ts
 * if (isPermission(request.permission, dataMeshAccessApprovePermission)) {
 *   return createDataMeshProductConditionalDecision(
 *     request.permission,
 *     dataMeshProductConditions.isProductOwner({
 *       claims: user?.info.ownershipEntityRefs ?? [],
 *     }),
 *   );
 * }
 * ```
 *
 * @public
 */
export const createDataMeshProductConditionalDecision =
  productConditionExports.createConditionalDecision;
