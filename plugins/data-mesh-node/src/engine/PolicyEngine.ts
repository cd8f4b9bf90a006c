import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  type AttributeScores,
  type DataProductEntity,
  type LevelDefinition,
  type PolicyDescription,
  type PolicyResult,
  type PolicySource,
  type ProductScorecard,
  type Waiver,
} from '@quanta/plugin-data-mesh-common';
import { dataProductRefsOf } from './refs';
import type {
  DataMeshPolicy,
  PolicyCheck,
  PolicyContext,
  RegisteredPolicy,
} from './types';

/** Registers code policies under a source, with the defaults filled in. */
export function registerPolicies(
  policies: DataMeshPolicy[],
  source: PolicySource,
): RegisteredPolicy[] {
  return policies.map(policy => ({
    description: {
      id: policy.id,
      title: policy.title,
      attribute: policy.attribute,
      severity: policy.severity,
      scope: normalizeScope(policy.scope ?? 'global'),
      rationale: policy.rationale,
      howToFix: policy.howToFix,
      source,
    },
    check: policy.check,
  }));
}

function normalizeScope(scope: string): PolicyDescription['scope'] {
  return scope === 'global'
    ? 'global'
    : (scope.toLocaleLowerCase('en-US') as PolicyDescription['scope']);
}

/** Waivers a product declares in its descriptor (`spec.waivers`). */
export function waiversFromDescriptor(product: DataProductEntity): Waiver[] {
  const entityRef = stringifyEntityRef(product).toLocaleLowerCase('en-US');
  const declared = Array.isArray(product.spec?.waivers)
    ? product.spec.waivers
    : [];
  return declared
    .filter(
      w => w && typeof w.policy === 'string' && typeof w.expires === 'string',
    )
    .map(w => ({
      entityRef,
      policyId: w.policy,
      reason: w.reason,
      expiresAt: w.expires,
      grantedBy: w.approvedBy ?? 'catalog',
      source: 'catalog' as const,
    }));
}

/**
 * When a waiver stops applying. A date without a time means the whole of
 * that day (UTC) is still covered.
 */
export function waiverEnd(expiresAt: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(expiresAt);
  const end = Date.parse(dateOnly ? `${expiresAt}T23:59:59.999Z` : expiresAt);
  return Number.isNaN(end) ? -Infinity : end;
}

const PASSING = new Set(['pass', 'waived']);
const COUNTED = new Set(['pass', 'waived', 'fail', 'error']);

/**
 * Evaluates policies for data products. The same engine serves the scheduled
 * runs, on-demand evaluation and the scaffolder's checks before a repository
 * exists, so a product is judged the same way everywhere.
 */
export class PolicyEngine {
  private readonly policyList: RegisteredPolicy[];
  private readonly levelList: LevelDefinition[];

  /**
   * @param levels - lowest first. A product holds a level when it passes (or
   * has waived) every in-scope policy of that level and of every level below.
   */
  constructor(options: {
    policies: RegisteredPolicy[];
    levels?: LevelDefinition[];
  }) {
    const ids = new Map<string, PolicySource>();
    for (const policy of options.policies) {
      const { id, source } = policy.description;
      const earlier = ids.get(id);
      if (earlier) {
        throw new Error(
          `Policy id "${id}" is declared twice (${earlier} and ${source}); policy ids must be unique`,
        );
      }
      ids.set(id, source);
    }
    for (const level of options.levels ?? []) {
      const unknown = level.policies.filter(id => !ids.has(id));
      if (unknown.length) {
        throw new Error(
          `Level "${level.name}" names unknown policies: ${unknown.join(
            ', ',
          )}; expected ids from the policy catalog`,
        );
      }
    }
    this.policyList = options.policies;
    this.levelList = options.levels ?? [];
  }

  get policies(): PolicyDescription[] {
    return this.policyList.map(p => p.description);
  }

  get levels(): LevelDefinition[] {
    return this.levelList;
  }

  /** Evaluates every in-scope policy for one product. */
  evaluate(
    product: DataProductEntity,
    context: PolicyContext,
    waivers: Waiver[] = [],
  ): ProductScorecard {
    const entityRef = stringifyEntityRef(product).toLocaleLowerCase('en-US');
    const domain = dataProductRefsOf(product).domain;
    // stringifyEntityRef of a domain ref already reads `domain:<ns>/<name>`,
    // the form domain scopes are written in.
    const domainScope = domain
      ? stringifyEntityRef(domain).toLocaleLowerCase('en-US')
      : undefined;
    const now = context.now.getTime();
    const activeWaivers = new Map<string, Waiver>();
    for (const waiver of [...waiversFromDescriptor(product), ...waivers]) {
      if (waiverEnd(waiver.expiresAt) >= now) {
        activeWaivers.set(waiver.policyId, waiver);
      }
    }

    const results: PolicyResult[] = [];
    const attributeCounts = new Map<
      string,
      { passed: number; counted: number }
    >();
    let passed = 0;
    let counted = 0;
    for (const policy of this.policyList) {
      const { id, scope, attribute } = policy.description;
      if (scope !== 'global' && scope !== domainScope) continue;
      const result = this.runCheck(
        policy,
        product,
        context,
        activeWaivers.get(id),
      );
      results.push(result);
      if (!COUNTED.has(result.status)) continue;
      const counts = attributeCounts.get(attribute) ?? {
        passed: 0,
        counted: 0,
      };
      counts.counted++;
      counted++;
      if (PASSING.has(result.status)) {
        counts.passed++;
        passed++;
      }
      attributeCounts.set(attribute, counts);
    }

    const attributes: AttributeScores = {};
    for (const [attribute, counts] of attributeCounts) {
      attributes[attribute as keyof AttributeScores] = percent(
        counts.passed,
        counts.counted,
      );
    }
    return {
      entityRef,
      level: this.levelOf(results),
      score: percent(passed, counted),
      attributes,
      results,
    };
  }

  private runCheck(
    policy: RegisteredPolicy,
    product: DataProductEntity,
    context: PolicyContext,
    waiver: Waiver | undefined,
  ): PolicyResult {
    const policyId = policy.description.id;
    let check: PolicyCheck;
    try {
      check = policy.check(product, context);
    } catch (error) {
      return {
        policyId,
        status: 'error',
        message: `The policy failed to run: ${(error as Error).message}`,
      };
    }
    if (check.status === 'fail' && waiver) {
      return {
        policyId,
        status: 'waived',
        message: `Waived until ${waiver.expiresAt} by ${waiver.grantedBy}: ${waiver.reason}. Without the waiver: ${check.message}`,
      };
    }
    return check.message === undefined
      ? { policyId, status: check.status }
      : { policyId, status: check.status, message: check.message };
  }

  private levelOf(results: PolicyResult[]): string | undefined {
    const status = new Map(results.map(r => [r.policyId, r.status]));
    let held: string | undefined;
    for (const level of this.levelList) {
      const holds = level.policies.every(id => {
        const s = status.get(id);
        // A policy outside the product's scope does not hold it back.
        return (
          s === undefined ||
          s === 'pass' ||
          s === 'waived' ||
          s === 'not-applicable'
        );
      });
      if (!holds) break;
      held = level.name;
    }
    return held;
  }
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}
