import {
  entityRefKey,
  formatProblem,
  parseIsoDate,
  validateWaiver,
  type AttributeScores,
  type DataProductEntity,
  type LevelDefinition,
  type PolicyAttribute,
  type PolicyDescription,
  type PolicyResult,
  type PolicySource,
  type ProductScorecard,
  type Waiver,
} from '@quanta/plugin-data-mesh-common';
import { lowerRef, preparedProduct, releaseMesh } from './facts';
import type {
  DataMeshPolicy,
  PolicyCheck,
  PolicyContext,
  RegisteredPolicy,
} from './types';

/**
 * Registers code policies under a source, with the defaults filled in.
 *
 * @public
 */
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

/** A descriptor waiver the validator rejects, and why. */
type IgnoredWaiver = { policyId: string; why: string };

/**
 * The waivers a descriptor declares, split into those that pass the same
 * checks as the descriptor validator (`validateWaiver`) and those that do
 * not, which are never applied: a waiver with no reason, or one that ends on
 * 30 February, exempts nothing.
 */
function readDescriptorWaivers(product: DataProductEntity): {
  waivers: Waiver[];
  ignored: IgnoredWaiver[];
} {
  const declared: unknown[] = Array.isArray(product.spec?.waivers)
    ? product.spec.waivers
    : [];
  const waivers: Waiver[] = [];
  const ignored: IgnoredWaiver[] = [];
  if (!declared.length) return { waivers, ignored };
  const entityRef = entityRefKey(product);
  declared.forEach((w: any, i) => {
    const problems = validateWaiver(w, `spec.waivers[${i}]`);
    if (problems.length) {
      if (typeof w?.policy === 'string') {
        ignored.push({ policyId: w.policy, why: formatProblem(problems[0]) });
      }
      return;
    }
    waivers.push({
      entityRef,
      policyId: w.policy,
      reason: w.reason,
      expiresAt: w.expires,
      grantedBy: w.approvedBy ?? 'catalog',
      source: 'catalog' as const,
    });
  });
  return { waivers, ignored };
}

/**
 * Waivers a product declares in its descriptor (`spec.waivers`), leaving out
 * those the descriptor validator rejects (see `validateWaiver` of
 * `@quanta/plugin-data-mesh-common`), which the engine never applies.
 *
 * @public
 */
export function waiversFromDescriptor(product: DataProductEntity): Waiver[] {
  return readDescriptorWaivers(product).waivers;
}

/**
 * When a waiver stops applying, in milliseconds since the epoch. A date
 * without a time means the whole of that day (UTC) is still covered; a
 * date-time without an offset is UTC. A value that is not a date that exists
 * (read with `parseIsoDate`, as the validator reads it) gives -Infinity: the
 * waiver never applies.
 *
 * @public
 */
export function waiverEnd(expiresAt: string): number {
  const date = parseIsoDate(expiresAt);
  if (!date) return -Infinity;
  return date.dateOnly ? date.time + 86_400_000 - 1 : date.time;
}

/** A policy as the engine runs it, with its place in the tallies. */
type CompiledPolicy = {
  id: string;
  check: RegisteredPolicy['check'];
  /** Index into the engine's attribute list. */
  attribute: number;
  /** Index of the lowest level that needs this policy, or -1. */
  level: number;
  /** Shared results for outcomes without a message, which most are. */
  passResult: PolicyResult;
  notApplicableResult: PolicyResult;
  /**
   * The last check object seen and the result made of it: policies return
   * the same constant object for their common outcomes, so its result is
   * made once instead of once per product.
   */
  lastCheck?: PolicyCheck;
  lastResult?: PolicyResult;
  /**
   * Results with a message, by message, while sharing them pays: many
   * products fail a policy in the same words, but some policies name the
   * product in every message.
   */
  byMessage?: Map<string, PolicyResult>;
  messagesSeen: number;
  messagesShared: number;
};

/** The waivers that apply to one product, and those ignored, by policy id. */
type ActiveWaivers = {
  active: Map<string, Waiver>;
  /** Why the descriptor's waiver for a policy was not applied. */
  ignored: Map<string, string>;
};

/** How many distinct messages per policy the engine keeps results for. */
const MESSAGES_KEPT = 256;

const frozen = (result: PolicyResult): PolicyResult => Object.freeze(result);

/**
 * Evaluates policies for data products. The same engine serves the scheduled
 * runs, on-demand evaluation and the scaffolder's checks before a repository
 * exists, so a product is judged the same way everywhere.
 *
 * Scorecards share their result objects (they are frozen): a mesh evaluation
 * holds hundreds of thousands of results, most of them a plain pass.
 *
 * @public
 */
export class PolicyEngine {
  private readonly policyList: RegisteredPolicy[];
  private readonly levelList: LevelDefinition[];
  private readonly compiled: CompiledPolicy[];
  private readonly attributeNames: PolicyAttribute[] = [];
  /** Which policies apply, by domain scope; `global` holds the global ones. */
  private readonly plans = new Map<string, CompiledPolicy[]>();
  private readonly passedBy: Int32Array;
  private readonly countedBy: Int32Array;
  private readonly attributeOrder: Int32Array;
  private busy = false;
  private lastAttributeOrder: number[] = [];
  private attributesTemplate: AttributeScores = {};

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

    const lowestLevel = new Map<string, number>();
    this.levelList.forEach((level, index) => {
      for (const id of level.policies) {
        if (!lowestLevel.has(id)) lowestLevel.set(id, index);
      }
    });
    const global: CompiledPolicy[] = [];
    const byDomain = new Map<string, RegisteredPolicy[]>();
    this.compiled = this.policyList.map(policy => {
      const { id, attribute, scope } = policy.description;
      let attributeIndex = this.attributeNames.indexOf(attribute);
      if (attributeIndex < 0) {
        attributeIndex = this.attributeNames.push(attribute) - 1;
      }
      const compiled: CompiledPolicy = {
        id,
        check: policy.check,
        attribute: attributeIndex,
        level: lowestLevel.get(id) ?? -1,
        passResult: frozen({ policyId: id, status: 'pass' }),
        notApplicableResult: frozen({ policyId: id, status: 'not-applicable' }),
        byMessage: new Map(),
        messagesSeen: 0,
        messagesShared: 0,
      };
      if (scope === 'global') global.push(compiled);
      else byDomain.set(scope, [...(byDomain.get(scope) ?? []), policy]);
      return compiled;
    });
    this.plans.set('global', global);
    this.passedBy = new Int32Array(this.attributeNames.length);
    this.countedBy = new Int32Array(this.attributeNames.length);
    this.attributeOrder = new Int32Array(this.attributeNames.length);
    // A domain's plan keeps the catalog order of global and local policies.
    for (const scope of byDomain.keys()) {
      this.plans.set(
        scope,
        this.compiled.filter((_, i) => {
          const s = this.policyList[i].description.scope;
          return s === 'global' || s === scope;
        }),
      );
    }
  }

  /** Descriptions of the policies the engine checks, in catalog order. */
  get policies(): PolicyDescription[] {
    return this.policyList.map(p => p.description);
  }

  /** The level ladder, lowest level first. */
  get levels(): LevelDefinition[] {
    return this.levelList;
  }

  /** Evaluates every in-scope policy for one product. */
  evaluate(
    product: DataProductEntity,
    context: PolicyContext,
    waivers: Waiver[] = [],
  ): ProductScorecard {
    const prepared = preparedProduct(product, context.mesh);
    const entityRef = prepared.ref;
    // The text of a domain ref reads `domain:<ns>/<name>`, the form domain
    // scopes are written in.
    const plan =
      (this.plans.size > 1 &&
        prepared.domain !== undefined &&
        this.plans.get(lowerRef(prepared.domain))) ||
      this.plans.get('global')!;
    const activeWaivers = this.activeWaivers(product, context, waivers);

    // The tallies are reused from product to product, unless a policy
    // evaluates another product while this one is under way.
    const reuse = !this.busy;
    const size = this.attributeNames.length;
    const passedBy = reuse ? this.passedBy.fill(0) : new Int32Array(size);
    const countedBy = reuse ? this.countedBy.fill(0) : new Int32Array(size);
    // Attributes appear in the scorecard in the order they are first counted.
    const attributeOrder = reuse ? this.attributeOrder : new Int32Array(size);
    let attributesCounted = 0;
    this.busy = true;
    const results = new Array<PolicyResult>(plan.length);
    let passed = 0;
    let counted = 0;
    // Index of the lowest level a failing policy holds back.
    let blockedLevel = this.levelList.length;
    try {
      for (let i = 0; i < plan.length; i++) {
        const policy = plan[i];
        const result = this.runCheck(
          policy,
          product,
          context,
          activeWaivers?.active.get(policy.id),
          activeWaivers?.ignored.get(policy.id),
        );
        results[i] = result;
        const status = result.status;
        const passing = status === 'pass' || status === 'waived';
        if (!passing && status !== 'not-applicable') {
          if (policy.level >= 0 && policy.level < blockedLevel) {
            blockedLevel = policy.level;
          }
          if (status !== 'fail' && status !== 'error') continue;
        } else if (!passing) {
          continue;
        }
        const a = policy.attribute;
        if (countedBy[a]++ === 0) attributeOrder[attributesCounted++] = a;
        counted++;
        if (passing) {
          passedBy[a]++;
          passed++;
        }
      }
    } finally {
      if (reuse) this.busy = false;
      releaseMesh(prepared);
    }

    const attributes = this.attributesLike(attributeOrder, attributesCounted);
    for (let i = 0; i < attributesCounted; i++) {
      const a = attributeOrder[i];
      attributes[this.attributeNames[a]] = percent(passedBy[a], countedBy[a]);
    }
    return {
      entityRef,
      level:
        blockedLevel > 0 ? this.levelList[blockedLevel - 1].name : undefined,
      score: percent(passed, counted),
      attributes,
      results,
    };
  }

  /**
   * An object with the attributes in this order, to fill in. Products mostly
   * count the same attributes in the same order; copying an object of that
   * shape is cheaper than adding the attributes one by one.
   */
  private attributesLike(order: Int32Array, length: number): AttributeScores {
    const last = this.lastAttributeOrder;
    let same = last.length === length;
    for (let i = 0; same && i < length; i++) same = last[i] === order[i];
    if (!same) {
      this.lastAttributeOrder = Array.from(order.subarray(0, length));
      const template: AttributeScores = {};
      for (const a of this.lastAttributeOrder) {
        template[this.attributeNames[a]] = 0;
      }
      this.attributesTemplate = template;
    }
    return { ...this.attributesTemplate };
  }

  /**
   * The waivers in force by policy id, and why the descriptor's invalid
   * waivers were ignored, or undefined when the product has none of either.
   */
  private activeWaivers(
    product: DataProductEntity,
    context: PolicyContext,
    waivers: Waiver[],
  ): ActiveWaivers | undefined {
    const declared = product.spec?.waivers;
    if (!waivers.length && !(Array.isArray(declared) && declared.length)) {
      return undefined;
    }
    const now = context.now.getTime();
    const fromDescriptor = readDescriptorWaivers(product);
    const active = new Map<string, Waiver>();
    for (const waiver of [...fromDescriptor.waivers, ...waivers]) {
      if (waiverEnd(waiver.expiresAt) >= now) {
        active.set(waiver.policyId, waiver);
      }
    }
    const ignored = new Map<string, string>();
    for (const { policyId, why } of fromDescriptor.ignored) {
      if (!ignored.has(policyId)) ignored.set(policyId, why);
    }
    return { active, ignored };
  }

  private runCheck(
    policy: CompiledPolicy,
    product: DataProductEntity,
    context: PolicyContext,
    waiver: Waiver | undefined,
    ignoredWaiver: string | undefined,
  ): PolicyResult {
    const policyId = policy.id;
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
    // A failure that an invalid waiver was meant to cover says why the
    // waiver did not apply, so the team sees what to fix.
    const message =
      check.status === 'fail' && ignoredWaiver
        ? `${check.message}. A waiver for this policy was ignored: ${ignoredWaiver}`
        : check.message;
    const last = policy.lastResult;
    if (
      check === policy.lastCheck &&
      last &&
      last.status === check.status &&
      last.message === message
    ) {
      return last;
    }
    let result: PolicyResult;
    if (message !== undefined) {
      result = this.resultWithMessage(policy, check.status, message);
    } else if (check.status === 'pass') {
      result = policy.passResult;
    } else if (check.status === 'not-applicable') {
      result = policy.notApplicableResult;
    } else {
      result = frozen({ policyId, status: check.status });
    }
    policy.lastCheck = check;
    policy.lastResult = result;
    return result;
  }

  private resultWithMessage(
    policy: CompiledPolicy,
    status: PolicyResult['status'],
    message: string,
  ): PolicyResult {
    const byMessage = policy.byMessage;
    if (!byMessage) return frozen({ policyId: policy.id, status, message });
    const known = byMessage.get(message);
    if (known?.status === status) {
      policy.messagesShared++;
      return known;
    }
    const result = frozen({ policyId: policy.id, status, message });
    if (byMessage.size < MESSAGES_KEPT) byMessage.set(message, result);
    // Stop looking once it is clear that this policy's messages rarely repeat.
    if (++policy.messagesSeen >= 4 * MESSAGES_KEPT) {
      if (policy.messagesShared < policy.messagesSeen) {
        policy.byMessage = undefined;
      }
      policy.messagesSeen = policy.messagesShared = 0;
    }
    return result;
  }
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((part / whole) * 1000) / 10;
}
