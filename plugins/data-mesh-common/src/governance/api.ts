/*
 * Shapes of the governance REST API of the data-mesh backend plugin
 * (`/api/data-mesh`). The backend answers with them; the frontend's API
 * client reads them.
 */
import type {
  AttributeScores,
  LevelDefinition,
  PolicyDescription,
  PolicyResult,
  Waiver,
} from './types';

/**
 * `GET /policies`
 *
 * @public
 */
export type PoliciesResponse = {
  policies: PolicyDescription[];
  levels: LevelDefinition[];
};

/**
 * The next rung of the ladder a product does not hold yet, and what blocks it.
 *
 * @public
 */
export type NextLevel = {
  name: string;
  /** Ids of the policies of that level that fail or error for the product. */
  blocking: string[];
};

/**
 * One day of a product's history.
 *
 * @public
 */
export type ScorecardHistoryPoint = {
  /** YYYY-MM-DD, UTC */
  day: string;
  level?: string;
  score: number;
};

/**
 * A waiver as stored: granted through the API or declared in the descriptor.
 *
 * @public
 */
export type StoredWaiver = Waiver & {
  id: number;
  grantedAt: string;
  /** Set by whoever revoked it, or `catalog` when the descriptor dropped it. */
  revokedAt?: string;
  revokedBy?: string;
  /** When the backend noticed it had run out. */
  expiredAt?: string;
};

/**
 * `GET /scorecards/:kind/:namespace/:name?days=90&policies=full`
 *
 * With `policies=ids` the results carry policy ids only; the texts are those
 * of `GET /policies`, which change only with a deployment.
 *
 * @public
 */
export type ScorecardResponse = {
  entityRef: string;
  domain?: string;
  owner?: string;
  level?: string;
  score: number;
  attributes: AttributeScores;
  evaluatedAt: string;
  runId: number;
  results: Array<
    PolicyResult & {
      /** When the status last changed. */
      since: string;
      /**
       * Absent for a policy removed since the evaluation, and when asked
       * with `policies=ids`.
       */
      policy?: PolicyDescription;
    }
  >;
  /** Undefined when the product holds the top level. */
  nextLevel?: NextLevel;
  waivers: StoredWaiver[];
  /** Oldest first. */
  history: ScorecardHistoryPoint[];
};

/**
 * One product in a list of scorecards.
 *
 * @public
 */
export type ScorecardSummary = {
  entityRef: string;
  domain?: string;
  owner?: string;
  level?: string;
  score: number;
  attributes: AttributeScores;
  evaluatedAt: string;
  /** Ids of the policies that fail or error now. */
  failing: string[];
  nextLevel?: NextLevel;
};

/**
 * `GET /scorecards?owner=group:default/x&domain=domain:default/y&level=Gold&limit=&offset=`
 * (`level=none` lists products below the first level).
 *
 * @public
 */
export type ScorecardListResponse = {
  items: ScorecardSummary[];
  totalItems: number;
};

/**
 * What a rollup aggregates: a domain, an owner group or the whole mesh.
 *
 * @public
 */
export type RollupKind = 'domain' | 'owner' | 'mesh';

/**
 * Scores of a domain, an owner group or the whole mesh on one day.
 *
 * @public
 */
export type Rollup = {
  /** YYYY-MM-DD, UTC */
  day: string;
  kind: RollupKind;
  /** Entity ref of the domain or group, or `mesh`. */
  key: string;
  products: number;
  /** Average product score, 0 to 100. */
  score: number;
  /** Number of products per level name (or `none`). */
  levels: Record<string, number>;
  attributes: AttributeScores;
};

/**
 * `GET /rollups/:kind?days=1&key=` (oldest first)
 *
 * @public
 */
export type RollupsResponse = { items: Rollup[] };

/**
 * One day of the whole mesh, for the adoption charts.
 *
 * @public
 */
export type AdoptionDay = {
  day: string;
  products: number;
  /** Products whose descriptor names the template that created them. */
  fromTemplate: number;
  score: number;
  /** Number of products per level name (or `none`). */
  levels: Record<string, number>;
};

/**
 * One policy's outcomes across the mesh on one day.
 *
 * @public
 */
export type PolicyDay = {
  day: string;
  pass: number;
  fail: number;
  waived: number;
  /** Failing and erroring products are not passing; not-applicable ones don't count. */
  passRate: number;
};

/**
 * `GET /adoption?days=90`
 *
 * @public
 */
export type AdoptionResponse = {
  /** Oldest first, one entry per day with an evaluation. */
  days: AdoptionDay[];
  /** Per policy, oldest first. */
  policies: Array<{ policyId: string; title?: string; days: PolicyDay[] }>;
  /** Now: products, average score and level distribution per domain. */
  domains: Rollup[];
  /** Now: the policies failing for the most products, most first. */
  topFailing: Array<{
    policyId: string;
    title?: string;
    failing: number;
    applicable: number;
  }>;
};

/**
 * One evaluation run: what started it, how it ended and what it covered.
 *
 * @public
 */
export type RunRecord = {
  id: number;
  trigger: 'schedule' | 'api' | 'catalog';
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  products?: number;
  policies?: number;
  statements?: number;
  error?: string;
};

/**
 * `GET /runs?limit=20` (newest first)
 *
 * @public
 */
export type RunsResponse = { items: RunRecord[] };

/**
 * `POST /evaluations` body `{ entityRef? }`: 201 when started, 409 when one is running.
 *
 * @public
 */
export type EvaluationResponse = {
  started: boolean;
  /** The run started, or the one already running. */
  run?: RunRecord;
};

/**
 * `GET /waivers?entityRef=`
 *
 * @public
 */
export type WaiversResponse = { items: StoredWaiver[] };

/**
 * `POST /waivers` body; answered with the StoredWaiver, 201.
 *
 * @public
 */
export type WaiverRequest = {
  entityRef: string;
  policyId: string;
  reason: string;
  expiresAt: string;
};

/**
 * A DataProduct descriptor the catalog could not turn into an entity (an
 * invalid name, a wrong-case kind, a descriptor over the size limit), as
 * the catalog's unprocessed entities module lists it; or a second file
 * declaring a product the catalog already serves from another, which the
 * catalog ignores (`state: 'conflict'`).
 *
 * @public
 */
export type FailedDescriptor = {
  /** `metadata.name` as the file has it, which may be what was refused. */
  name: string;
  namespace: string;
  /** `kind` as written, such as `dataProduct`. */
  kind: string;
  /** `spec.owner` as written, when the file names one. */
  owner?: string;
  /** Where the catalog read it, such as `file:/repos/returns/catalog-info.yaml`. */
  location?: string;
  /**
   * Where the catalog's unprocessed entities module lists it, or `conflict`
   * for a file the catalog ignores because another declares the same
   * product.
   */
  state: 'failed' | 'pending' | 'conflict';
  /** For a conflict: the product the catalog serves, such as `dataproduct:default/orders`. */
  entityRef?: string;
  /** For a conflict: the file the catalog serves the product from. */
  servedLocation?: string;
  /** When the catalog last read the file (or reported the conflict), ISO 8601. */
  lastTriedAt?: string;
  /** The catalog's reasons. */
  errors: Array<{ name: string; message: string }>;
};

/**
 * `GET /descriptors/failed?owner=`
 *
 * @public
 */
export type FailedDescriptorsResponse = {
  /** False when the catalog has no unprocessed entities module to ask. */
  available: boolean;
  /** Why nothing could be listed, when `available` is false. */
  reason?: string;
  items: FailedDescriptor[];
};
