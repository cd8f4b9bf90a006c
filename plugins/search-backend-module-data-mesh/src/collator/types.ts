import type { IndexableDocument } from '@backstage/plugin-search-common';

/**
 * The search document type (index name) of data products.
 *
 * @public
 */
export const DATA_PRODUCT_SEARCH_TYPE = 'data-product';

/**
 * One field of an output port's inline schema, as indexed.
 *
 * @public
 */
export type DataProductSearchSchemaField = {
  name: string;
  type: string;
  description?: string;
  pii?: boolean;
  classification?: string;
};

/**
 * One output port of a data product, as indexed.
 *
 * @public
 */
export type DataProductSearchOutputPort = {
  name: string;
  type: string;
  format: string;
  address: string;
  description?: string;
  contract?: { location: string; version: string };
  /** The fields of the port's inline schema; empty when it declares none. */
  schema: DataProductSearchSchemaField[];
};

/**
 * What each SLO status value means: `breached` when the data-mesh backend
 * reports at least one declared SLO breached now (`GET /quality/breaches`),
 * `unbreached` when the product declares SLOs and none is breached (met,
 * at risk or without results yet), `no-slos` when it declares none. No
 * value's words are a part of another's, since Lunr filters match words.
 *
 * @public
 */
export type DataProductSearchSloStatus = 'breached' | 'unbreached' | 'no-slos';

/**
 * The search document of one DataProduct (type `data-product`).
 *
 * Fields meant as facets (`domain`, `owner`, `productOwner`, `type`,
 * `lifecycle`, `classification`, `containsPii`, `tags`, `regulations`,
 * `governanceLevel`, `sloStatus`) are strings or lists of strings, so that
 * `filters[field]=value` from a query string matches on every search engine.
 * Every key is present on every document (a missing value is `''`, or
 * `undefined` for the governance fields), because the Lunr engine takes its
 * fields from the first document it indexes.
 *
 * @public
 */
export interface DataProductSearchDocument extends IndexableDocument {
  /** Always `DataProduct`. */
  kind: 'DataProduct';
  /** `dataproduct:<namespace>/<name>` */
  entityRef: string;
  /** `metadata.name` */
  name: string;
  /** `metadata.namespace`, `default` when it has none. */
  namespace: string;
  /** `metadata.description`, or `''`. */
  description: string;
  /** `metadata.tags` */
  tags: string[];
  /** `spec.type`: source-aligned, aggregate or consumer-aligned. */
  type: string;
  /** `spec.lifecycle`: experimental, production, deprecated or retired. */
  lifecycle: string;
  /** Entity ref of the domain. */
  domain: string;
  /** The domain's title, or its name. */
  domainTitle: string;
  /** Entity ref of the owning group. */
  owner: string;
  /** The group's `spec.profile.displayName`, title or name. */
  ownerName: string;
  /** Entity ref of the accountable user, or `''`. */
  productOwner: string;
  /** The user's `spec.profile.displayName`, title or name, or `''`. */
  productOwnerName: string;
  /** `spec.classification`: public, internal, confidential or restricted, or `''`. */
  classification: string;
  /** `'true'`, `'false'`, or `''` when the descriptor does not say. */
  containsPii: '' | 'true' | 'false';
  /** `spec.regulations`, such as GDPR. */
  regulations: string[];
  /** Its output ports, with the fields of their inline schemas. */
  outputPorts: DataProductSearchOutputPort[];
  /** Entity refs of the data products its input ports read. */
  upstream: string[];
  /**
   * The governance level the data-mesh backend gives it (`none` below the
   * first level); undefined when it was not evaluated yet or the backend
   * could not be read.
   */
  governanceLevel: string | undefined;
  /** Governance score, 0 to 100; undefined as for `governanceLevel`. */
  governanceScore: number | undefined;
  /** Undefined when the data-mesh backend's quality API could not be read. */
  sloStatus: DataProductSearchSloStatus | undefined;
  /** The SLOs breached now (`freshness`, `completeness`, ...). */
  slosBreached: string[] | undefined;
  /**
   * The entity ref the search backend checks `catalog.entity.read` on; the
   * search API leaves it out of results.
   */
  authorization: { resourceRef: string };
}
