/**
 * The baseline usability attributes of a data product, which every policy
 * serves, plus the two housekeeping categories.
 *
 * @public
 */
export const USABILITY_ATTRIBUTES = [
  'discoverable',
  'addressable',
  'understandable',
  'trustworthy',
  'natively-accessible',
  'interoperable',
  'valuable-on-its-own',
  'secure',
] as const;
/**
 * One of {@link USABILITY_ATTRIBUTES}.
 *
 * @public
 */
export type UsabilityAttribute = (typeof USABILITY_ATTRIBUTES)[number];

/**
 * What a policy can be filed under: a usability attribute, `ownership` or
 * `lifecycle`.
 *
 * @public
 */
export const POLICY_ATTRIBUTES = [
  ...USABILITY_ATTRIBUTES,
  'ownership',
  'lifecycle',
] as const;
/**
 * One of {@link POLICY_ATTRIBUTES}.
 *
 * @public
 */
export type PolicyAttribute = (typeof POLICY_ATTRIBUTES)[number];

/**
 * How much a failing policy matters, least first.
 *
 * @public
 */
export const POLICY_SEVERITIES = ['info', 'warning', 'error'] as const;
/**
 * One of {@link POLICY_SEVERITIES}.
 *
 * @public
 */
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

/**
 * `global`, or `domain:<namespace>/<name>` for a domain's own rules.
 *
 * @public
 */
export type PolicyScope = 'global' | `domain:${string}`;

/**
 * Where a policy comes from.
 *
 * @public
 */
export type PolicySource = 'built-in' | 'config' | 'module';

/**
 * What a policy is, without how it is checked.
 *
 * @public
 */
export type PolicyDescription = {
  /** Stable id, e.g. `quanta.owner-exists`. */
  id: string;
  title: string;
  attribute: PolicyAttribute;
  severity: PolicySeverity;
  scope: PolicyScope;
  /** One line: why the mesh wants this. */
  rationale: string;
  /** What the product team does to pass. */
  howToFix: string;
  source: PolicySource;
};

/**
 * Outcome of one policy for one product. `not-applicable` means the policy
 * does not concern this product (e.g. a retention rule on a product without
 * PII) and counts neither way; `waived` counts as passing.
 *
 * @public
 */
export const POLICY_STATUSES = [
  'pass',
  'fail',
  'waived',
  'not-applicable',
  'error',
] as const;
/**
 * One of {@link POLICY_STATUSES}.
 *
 * @public
 */
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

/**
 * Outcome of one policy for one product.
 *
 * @public
 */
export type PolicyResult = {
  policyId: string;
  status: PolicyStatus;
  /** Why it failed, or what the waiver says; absent on a plain pass. */
  message?: string;
};

/**
 * A time-boxed, justified exemption of one product from one policy.
 *
 * @public
 */
export type Waiver = {
  /** Entity ref of the data product. */
  entityRef: string;
  policyId: string;
  reason: string;
  /** ISO-8601 date or date-time after which the waiver stops applying. */
  expiresAt: string;
  /** Who granted it: an entity ref of a user, or `catalog` for waivers in the descriptor. */
  grantedBy: string;
  source: 'catalog' | 'api';
};

/**
 * A named rung of the level ladder: the policies a product must pass to hold it.
 *
 * @public
 */
export type LevelDefinition = {
  name: string;
  policies: string[];
};

/**
 * Share of applicable policies passed (or waived) per attribute, 0 to 100.
 *
 * @public
 */
export type AttributeScores = Partial<Record<PolicyAttribute, number>>;

/**
 * A product's scorecard as one evaluation leaves it.
 *
 * @public
 */
export type ProductScorecard = {
  entityRef: string;
  /** Highest level whose policies all pass or are waived; undefined below the first. */
  level?: string;
  /** Share of all applicable policies passed or waived, 0 to 100. */
  score: number;
  attributes: AttributeScores;
  results: PolicyResult[];
};
