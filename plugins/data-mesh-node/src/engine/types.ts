import type { Entity } from '@backstage/catalog-model';
import type {
  ContractChange,
  DataProductEntity,
  PolicyAttribute,
  PolicyDescription,
  PolicyScope,
  PolicySeverity,
} from '@quanta/plugin-data-mesh-common';

/**
 * What a policy says about one product.
 *
 * @public
 */
export type PolicyCheck =
  | { status: 'pass'; message?: string }
  | { status: 'fail'; message: string }
  | { status: 'not-applicable'; message?: string };

/**
 * An entity of the mesh as policies see it: identity, and the spec for lookups.
 *
 * @public
 */
export type IndexedEntity = {
  /** Lower-case `kind:namespace/name`. */
  ref: string;
  kind: string;
  entity: Entity;
};

/**
 * The catalog as policies see it during one evaluation: every entity a data
 * product may refer to, indexed once, so a policy never queries the catalog.
 *
 * @public
 */
export interface MeshIndex {
  /** The entity a (full or short) reference points at, or undefined. */
  get(ref: string): IndexedEntity | undefined;
  /** Every data product of the mesh. */
  dataProducts(): DataProductEntity[];
  /** Refs of the data products whose output ports declare this address. */
  productsServing(address: string): string[];
  /** Refs of the data products that read from this product's output ports. */
  consumersOf(productRef: string): string[];
}

/**
 * Facts other parts of the mesh know about a product, for policies that use them.
 *
 * @public
 */
export interface ProductFacts {
  /**
   * Quality: the newest result per check, and when data last arrived.
   * Undefined until quality results are pushed for the product.
   */
  quality?: {
    checks: Array<{ name: string; passed: boolean; at: string }>;
    lastUpdatedAt?: string;
  };
  /**
   * Observed lineage, compared with the declared input ports. Undefined until
   * OpenLineage events show runs reading or writing the product.
   */
  lineage?: {
    /** Refs of the products and sources the product's runs read. */
    upstream: string[];
    /** Refs of the products whose runs read this product. */
    downstream: string[];
    /** Upstream products the runs read that no input port declares. */
    undeclaredUpstream?: string[];
    /** Declared upstream products not seen in the runs within the stale period. */
    staleUpstream?: string[];
    /** Days without an observation after which a declared edge counts as stale. */
    staleAfterDays?: number;
  };
  /**
   * The contracts the output ports declare, as the portal last read them.
   * Undefined where the portal does not read contracts.
   */
  contracts?: ContractFacts;
  /**
   * The approved access grants of the product's output ports. Undefined
   * where the portal does not manage access.
   */
  access?: AccessFacts;
}

/**
 * One approved access grant of an output port.
 *
 * @public
 */
export type AccessGrantFacts = {
  /** The access request it came from. */
  requestId: string;
  port: string;
  /** The product or component holding it. */
  consumer: string;
  /** The last day of access, `YYYY-MM-DD`. */
  endDate: string;
  /** ISO 8601 time it was approved. */
  approvedAt?: string;
  /** The port's classification when it was asked for. */
  classification?: string;
  containsPii: boolean;
};

/**
 * The access grants of a product's output ports.
 *
 * @public
 */
export type AccessFacts = {
  grants: AccessGrantFacts[];
};

/**
 * A property of a contract's schema object, as the policies compare it.
 *
 * @public
 */
export type ContractPropertyFacts = {
  name: string;
  /** ODCS `logicalType`: string, number, integer, boolean, date, object, array, ... */
  logicalType?: string;
  /** The type in the storage system, such as `VARCHAR` or `NUMBER(14,2)`. */
  physicalType?: string;
  /** ODCS `required`: false when not written. */
  required: boolean;
  /** The properties of an object property. */
  properties?: ContractPropertyFacts[];
};

/**
 * A schema object (table, view, topic) of a contract.
 *
 * @public
 */
export type ContractObjectFacts = {
  name: string;
  physicalName?: string;
  properties: ContractPropertyFacts[];
};

/**
 * An SLA property of a contract (ODCS `slaProperties`), such as
 * `{ property: 'latency', value: 1, unit: 'd' }`.
 *
 * @public
 */
export type ContractSlaFacts = {
  property: string;
  value?: string | number | boolean;
  unit?: string;
  /** The object or property it applies to; absent for the whole contract. */
  element?: string;
};

/**
 * What changed from the version of a contract before the current one.
 *
 * @public
 */
export type ContractChangeFacts = {
  /** The `version` the previous document declared. */
  fromVersion: string;
  /** The `version` the current document declares. */
  toVersion: string;
  /** The semantic version bump the changes need. */
  requiredVersionBump: 'major' | 'minor' | 'patch' | 'none';
  /** Each change, classified as the contracts capability classifies it. */
  changes: Array<Pick<ContractChange, 'rule' | 'level' | 'path' | 'message'>>;
  /**
   * The ODCS `status` the previous document declares (`active`,
   * `deprecated`, `retired`, ...), as written; absent when it declares none.
   */
  fromStatus?: string;
  /** ISO 8601 time the portal first read the previous document. */
  fromFirstSeen?: string;
  /** ISO 8601 time the portal first read the current document. */
  toFirstSeen?: string;
};

/**
 * One output port's declared contract and what the last read of it found.
 *
 * @public
 */
export type ContractPortFacts = {
  port: string;
  /** `contract.location` as the descriptor writes it. */
  location: string;
  /** `contract.version` as the descriptor writes it. */
  declaredVersion?: string;
  /**
   * `ok`: read and a valid contract; `unreadable` (see `reason`) and
   * `invalid`: the last read failed; `pending`: not read since it was
   * declared. Any other status is a failed read too.
   */
  status: 'ok' | 'unreadable' | 'invalid' | 'pending' | (string & {});
  /** A short code for why, such as `not-found` or `not-allowed`. */
  reason?: string;
  /** What went wrong, in words. */
  message?: string;
  /** ISO 8601 time of the last read. */
  readAt?: string;
  /** The contract the last read found, when it is `ok`. */
  contract?: {
    id: string;
    version: string;
    apiVersion: string;
    schema: ContractObjectFacts[];
    sla: ContractSlaFacts[];
  };
  /** Changes from the version seen before the current one; absent for a first version. */
  changes?: ContractChangeFacts;
};

/**
 * The contracts of a product's output ports.
 *
 * @public
 */
export type ContractFacts = {
  /** Every output port that declares a contract, in the descriptor's order. */
  ports: ContractPortFacts[];
  /**
   * Days a contract version must be published as `deprecated` before a
   * version that breaks it, while consumers still read the port.
   */
  noticePeriodDays: number;
};

/**
 * What a policy check may read besides the product itself.
 *
 * @public
 */
export interface PolicyContext {
  /** Index of the whole mesh, for checks that look at other entities. */
  mesh: MeshIndex;
  /** The moment of the evaluation, for anything that ages. */
  now: Date;
  /** Facts about the product being checked. */
  facts: ProductFacts;
}

/**
 * A policy written in code. Checks are synchronous and pure: everything they
 * need is in the product and the context, so a whole mesh evaluates in memory.
 *
 * @public
 */
export interface DataMeshPolicy {
  /** Stable id, e.g. `quanta.owner-exists`; unique across all policies. */
  id: string;
  /** Short name shown on scorecards. */
  title: string;
  /**
   * The attribute the policy serves; its results count towards that
   * attribute's score.
   */
  attribute: PolicyAttribute;
  /** How much a failure matters. */
  severity: PolicySeverity;
  /** Defaults to `global`. */
  scope?: PolicyScope;
  /** One line: why the mesh wants this. */
  rationale: string;
  /** What the product team does to pass. */
  howToFix: string;
  /** Checks one product; synchronous and pure. */
  check(product: DataProductEntity, context: PolicyContext): PolicyCheck;
}

/**
 * A policy as the engine holds it: described, with where it came from.
 *
 * @public
 */
export type RegisteredPolicy = {
  description: PolicyDescription;
  check: DataMeshPolicy['check'];
};
