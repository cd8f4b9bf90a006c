import type { Entity } from '@backstage/catalog-model';
import type { ProductFacts } from '@quanta/plugin-data-mesh-node';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';

/*
 * What governance learns from the other capabilities, as the facts the
 * policy engine receives. Lineage and quality each provide one source;
 * plugin.ts hands them to governance, so neither folder imports the other.
 */

/** Observed lineage per product, worked out from the entities an evaluation just read. */
export type LineageFactSource = (
  entities: Entity[],
  now: Date,
) => Promise<Map<string, ProductFacts['lineage']>>;

/** Quality facts of the products with results (all, or these), in one query. */
export type QualityFactSource = (
  now: Date,
  entityRefs?: string[],
) => Promise<Map<string, ProductFacts['quality']>>;

/**
 * What takes access grants besides the policies: lineage draws them as
 * consumer edges, reading the list again after a change.
 */
export interface GrantListener {
  useGrants(grants: () => Promise<AccessRequest[]>): void;
  grantsChanged(): void;
}

/** The approved access grants of these products' ports, in one query. */
export type AccessFactSource = (
  products: Entity[],
) => Promise<Map<string, ProductFacts['access']>>;

/** What the contracts capability last read of these products' output ports, in a few queries. */
export type ContractFactSource = (
  products: Entity[],
  options?: {
    /**
     * Read the products' contracts first: they are the few whose
     * descriptors just changed, judged on what they point at now.
     */
    refresh?: boolean;
  },
) => Promise<Map<string, ProductFacts['contracts']>>;
