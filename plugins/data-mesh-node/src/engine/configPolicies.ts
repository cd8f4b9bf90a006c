import type { Config } from '@backstage/config';
import {
  type FilterPredicate,
  evaluateFilterPredicate,
  readFilterPredicateFromConfig,
  readOptionalFilterPredicateFromConfig,
} from '@backstage/filter-predicates';
import {
  type LevelDefinition,
  POLICY_ATTRIBUTES,
  POLICY_SEVERITIES,
  type PolicyAttribute,
  type PolicySeverity,
} from '@quanta/plugin-data-mesh-common';
import { registerPolicies } from './PolicyEngine';
import {
  type SchemaProblem,
  type SchemaRule,
  compileSchemaRule,
  describeProblem,
} from './schemaRule';
import type { DataMeshPolicy, PolicyCheck, RegisteredPolicy } from './types';

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const DOMAIN_SCOPE = /^domain:[^\s/]+\/[^\s/]+$/i;

/** A config error that names the key, what it holds and what it must hold. */
function invalid(key: string, found: unknown, expected: string): Error {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found);
  return new Error(`${key}: found ${shown}, expected ${expected}`);
}

function oneOf<T extends string>(
  config: Config,
  key: string,
  path: string,
  allowed: readonly T[],
): T {
  const value = config.getOptionalString(key);
  if (!value || !allowed.includes(value as T)) {
    throw invalid(`${path}.${key}`, value, `one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function text(config: Config, key: string, path: string, what: string): string {
  const value = config.getOptionalString(key);
  if (!value?.trim()) throw invalid(`${path}.${key}`, value, what);
  return value;
}

/** How many problems a schema policy's message names before it sums up. */
const PROBLEMS_SHOWN = 5;

function schemaMessage(
  problems: SchemaProblem[],
  failMessage: string | undefined,
): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).map(describeProblem);
  const more = problems.length - shown.length;
  const details = `${shown.join('; ')}${
    more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''
  }`;
  return failMessage ? `${failMessage}: ${details}` : details;
}

/**
 * Reads the policies declared in app-config under `dataMesh.policies`. Each
 * rule is data: either `rule`, a filter predicate over the product entity
 * that a passing product matches, or `schema`, a JSON Schema the whole entity
 * must satisfy; either is optionally limited by `appliesTo`. Schemas are
 * checked and compiled here, once; nothing is evaluated as code.
 *
 * @public
 */
export function readConfigPolicies(config: Config): RegisteredPolicy[] {
  const entries = config.getOptionalConfigArray('dataMesh.policies') ?? [];
  const policies: DataMeshPolicy[] = entries.map((entry, i) => {
    const path = `dataMesh.policies[${i}]`;
    const id = entry.getOptionalString('id');
    if (!id || !ID.test(id)) {
      throw invalid(
        `${path}.id`,
        id,
        'a lower-case id of letters, digits, ".", "_" or "-", such as sales.tags-present',
      );
    }
    const scope = entry.getOptionalString('scope') ?? 'global';
    if (scope !== 'global' && !DOMAIN_SCOPE.test(scope)) {
      throw invalid(
        `${path}.scope`,
        scope,
        'global, or a domain reference such as domain:default/sales',
      );
    }
    const hasRule = entry.has('rule');
    const hasSchema = entry.has('schema');
    if (hasRule === hasSchema) {
      throw new Error(
        `${path}: found ${
          hasRule ? 'both rule and schema' : 'neither rule nor schema'
        }, expected one of them: rule (a filter predicate such as { spec.slos: { $exists: true } }) or schema (a JSON Schema the entity must satisfy)`,
      );
    }
    let rule: FilterPredicate | undefined;
    let appliesTo: FilterPredicate | undefined;
    try {
      if (hasRule) rule = readFilterPredicateFromConfig(entry, { key: 'rule' });
      appliesTo = readOptionalFilterPredicateFromConfig(entry, {
        key: 'appliesTo',
      });
    } catch (error) {
      throw new Error(
        `${path}: ${
          (error as Error).message
        }; expected rule (and optionally appliesTo) to be a filter predicate such as { spec.slos: { $exists: true } }`,
      );
    }
    // Compiled once here: products are checked against it on every run.
    const schema: SchemaRule | undefined = hasSchema
      ? compileSchemaRule(entry.get('schema'), `${path}.schema`)
      : undefined;
    const failMessage = entry.getOptionalString('failMessage');
    const ruleFailure: PolicyCheck = Object.freeze({
      status: 'fail',
      message: failMessage ?? `Does not satisfy the rule of ${id}`,
    });
    const notApplicable: PolicyCheck = Object.freeze({
      status: 'not-applicable',
    });
    const pass: PolicyCheck = Object.freeze({ status: 'pass' });
    return {
      id,
      title: text(entry, 'title', path, 'a short title'),
      attribute: oneOf<PolicyAttribute>(
        entry,
        'attribute',
        path,
        POLICY_ATTRIBUTES,
      ),
      severity: oneOf<PolicySeverity>(
        entry,
        'severity',
        path,
        POLICY_SEVERITIES,
      ),
      scope: scope === 'global' ? 'global' : (scope as `domain:${string}`),
      rationale: text(
        entry,
        'rationale',
        path,
        'one line on why the rule exists',
      ),
      howToFix: text(
        entry,
        'howToFix',
        path,
        'what a product team does to pass',
      ),
      check(product) {
        if (
          appliesTo !== undefined &&
          !evaluateFilterPredicate(appliesTo, product)
        ) {
          return notApplicable;
        }
        if (rule !== undefined) {
          return evaluateFilterPredicate(rule, product) ? pass : ruleFailure;
        }
        const problems = schema!.problems(product);
        return problems.length
          ? { status: 'fail', message: schemaMessage(problems, failMessage) }
          : pass;
      },
    };
  });
  return registerPolicies(policies, 'config');
}

/**
 * Reads `dataMesh.levels`: the ladder, lowest first.
 *
 * @public
 */
export function readLevels(config: Config): LevelDefinition[] {
  const entries = config.getOptionalConfigArray('dataMesh.levels') ?? [];
  return entries.map((entry, i) => {
    const path = `dataMesh.levels[${i}]`;
    const policies = entry.getOptionalStringArray('policies');
    if (!policies) {
      throw invalid(`${path}.policies`, undefined, 'a list of policy ids');
    }
    return {
      name: text(entry, 'name', path, 'a level name such as Bronze'),
      policies,
    };
  });
}
