import type { IndexableDocument } from '@backstage/plugin-search-common';

/**
 * The search document type (index name) of data products.
 *
 * @public
 */
export const DATA_PRODUCT_SEARCH_TYPE = 'data-product';

/**
 * One output port of a data product, as the result item shows it: what
 * names it and its fields. The port's description, its contract's version
 * and each field's type and description are searchable in the document's
 * `text`, and kept out of here, where every engine would index them again.
 *
 * @public
 */
export type DataProductSearchOutputPort = {
  name: string;
  type: string;
  format: string;
  address: string;
  /** Where its contract is, or `''`. */
  contract: string;
  /** The names of its inline schema's fields, in order; empty when it declares none. */
  fields: string[];
  /** Those of `fields` marked as personal data. */
  piiFields: string[];
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
 * Everything searchable is in `text` (description, tags, domain, owner and
 * product owner names, regulations, personal data, upstream products,
 * governance score, and each output port with its address, contract and
 * fields with their types and descriptions). The other fields hold only
 * what a result item shows and what facets filter on, as short values:
 * search engines index every field of a document, so a value kept both here
 * and in `text` costs index size and query time twice. Only the product's
 * description, which the item shows, is in both.
 *
 * Fields meant as facets (`domain`, `owner`, `type`, `lifecycle`,
 * `classification`, `containsPii`, `tags`, `governanceLevel`, `sloStatus`)
 * are strings or lists of strings, so that `filters[field]=value` from a
 * query string matches on every search engine. Every key is present on
 * every document (a missing value is `''`, or `undefined` for the governance
 * fields), because the Lunr engine takes its fields from the first document
 * it indexes.
 *
 * @public
 */
export interface DataProductSearchDocument extends IndexableDocument {
  /** `dataproduct:<namespace>/<name>` */
  entityRef: string;
  /** `metadata.name` */
  name: string;
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
  /** `spec.classification`: public, internal, confidential or restricted, or `''`. */
  classification: string;
  /** `'true'`, `'false'`, or `''` when the descriptor does not say. */
  containsPii: '' | 'true' | 'false';
  /** Its output ports, with the names of their inline schemas' fields. */
  outputPorts: DataProductSearchOutputPort[];
  /**
   * The governance level the data-mesh backend gives it (`none` below the
   * first level); undefined when it was not evaluated yet or the backend
   * could not be read.
   */
  governanceLevel: string | undefined;
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
