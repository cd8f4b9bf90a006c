import type { Entity } from '@backstage/catalog-model';
import type {
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
}

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
