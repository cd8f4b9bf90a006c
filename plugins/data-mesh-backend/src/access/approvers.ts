import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  DATA_MESH_PRODUCT_RESOURCE_TYPE,
  type DataProductEntity,
  dataMeshAccessApprovePermission,
} from '@quanta/plugin-data-mesh-common';

/** The part of a permission rule this module calls. */
type Rule = {
  apply(resource: DataProductEntity, params: any): boolean;
  paramsSchema?: unknown;
};

/** The registered rules of the data product resource, by name. */
export type ProductRuleset = { getRuleByName(name: string): Rule };

/** Parameters the rule's schema accepts; true for a rule without one. */
function validParams(rule: Rule, params: unknown): boolean {
  const schema = rule.paramsSchema as
    | {
        '~standard'?: { validate(value: unknown): unknown };
        safeParse?(value: unknown): { success: boolean };
      }
    | undefined;
  if (!schema) return true;
  if (schema['~standard']) {
    const result = schema['~standard'].validate(params) as {
      issues?: unknown;
      then?: unknown;
    };
    return typeof result.then !== 'function' && !result.issues;
  }
  return schema.safeParse ? schema.safeParse(params).success : true;
}

/** A full, lower-case entity reference, or undefined when `ref` is not one. */
export function refKeyOf(
  ref: unknown,
  defaultKind: string,
  defaultNamespace = 'default',
): string | undefined {
  if (typeof ref !== 'string' || !ref.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), { defaultKind, defaultNamespace }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/** A product's owner group and product owner, as full entity references. */
export function productOwners(product: DataProductEntity): string[] {
  const namespace = product.metadata.namespace ?? 'default';
  return [
    refKeyOf(product.spec.owner, 'group', namespace),
    refKeyOf(product.spec.productOwner, 'user', namespace),
  ].filter((ref): ref is string => Boolean(ref));
}

/**
 * Who may approve, deny and revoke access to a product: the policy's
 * decision on `data-mesh.access.approve` for the caller, asked once, then
 * applied to each product. ALLOW covers every product, DENY none, and a
 * CONDITIONAL decision the products its conditions hold for, evaluated with
 * the rules registered for the data product resource (IS_PRODUCT_OWNER, and
 * any a module adds).
 */
export class ProductApprovers {
  constructor(
    private readonly options: {
      permissions: PermissionsService;
      ruleset: ProductRuleset;
      logger: LoggerService;
    },
  ) {}

  async decision(credentials: BackstageCredentials): Promise<PolicyDecision> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: dataMeshAccessApprovePermission }],
      { credentials },
    );
    return decision;
  }

  allows(decision: PolicyDecision, product: DataProductEntity): boolean {
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
    return this.holds(decision.conditions, product);
  }

  private holds(
    criteria: PermissionCriteria<PermissionCondition>,
    product: DataProductEntity,
  ): boolean {
    if ('allOf' in criteria) {
      return criteria.allOf.every(c => this.holds(c, product));
    }
    if ('anyOf' in criteria) {
      return criteria.anyOf.some(c => this.holds(c, product));
    }
    if ('not' in criteria) return !this.holds(criteria.not, product);
    // A condition the policy got wrong (another resource type, an unknown
    // rule, bad parameters) allows nothing: refusing is the safe reading.
    if (criteria.resourceType !== DATA_MESH_PRODUCT_RESOURCE_TYPE) {
      this.options.logger.warn(
        `The permission policy answered ${dataMeshAccessApprovePermission.name} with a condition on ${criteria.resourceType}; only ${DATA_MESH_PRODUCT_RESOURCE_TYPE} conditions apply, so it allows nothing`,
      );
      return false;
    }
    let rule: Rule;
    try {
      rule = this.options.ruleset.getRuleByName(criteria.rule);
    } catch (error) {
      this.options.logger.warn(
        `The permission policy answered ${
          dataMeshAccessApprovePermission.name
        } with an unknown rule ${criteria.rule}: ${
          (error as Error).message
        }; it allows nothing`,
      );
      return false;
    }
    const params = criteria.params ?? {};
    if (!validParams(rule, params)) {
      this.options.logger.warn(
        `The permission policy answered ${
          dataMeshAccessApprovePermission.name
        } with rule ${
          criteria.rule
        } and parameters its schema refuses (${JSON.stringify(
          params,
        )}); it allows nothing`,
      );
      return false;
    }
    return rule.apply(product, params);
  }
}
