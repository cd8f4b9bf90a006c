import { createHash } from 'node:crypto';

import type { DataProductSearchDocument } from '../collator/types';

/*
 * Whole values Lunr indexes of a data product document, beside its words.
 * Lunr splits text on anything but letters and digits, so `customer_id` is
 * the two words `customer` and `id`, and a facet value `domain:default/sales`
 * is `domain`, `default` and `sales`, the first two in every document; a
 * query for either then scores nearly every product. A list is indexed one
 * element to a word, unsplit, so these two lists, which the Lunr indexer
 * makes from the document, let a query look for the whole value. They are
 * fields of Lunr's index only, not of the document other engines index.
 */

/** The Lunr field of identifiers: product name, port names and addresses, schema field names. */
export const IDENTIFIERS_FIELD = 'identifiers';

/** The Lunr field of facet keys, one per facet value. */
export const FACET_KEYS_FIELD = 'facetKeys';

/** The document fields a facet filter may name. */
export const FACET_FIELDS = [
  'domain',
  'owner',
  'type',
  'lifecycle',
  'classification',
  'containsPii',
  'tags',
  'governanceLevel',
  'sloStatus',
] as const;

/** One of {@link FACET_FIELDS}. */
export type FacetField = (typeof FACET_FIELDS)[number];

export function isFacetField(field: string): field is FacetField {
  return (FACET_FIELDS as readonly string[]).includes(field);
}

/**
 * The key of one facet value: `qf` and the first 64 bits of the SHA-256 of
 * `field=value`, in decimal. Only digits after the prefix, so that no
 * engine's pipeline changes it (Lunr's stemmer and trimmer look at letters
 * and punctuation at the ends of a word) and no text query matches it; a
 * hash keeps it short whatever the value.
 */
export function facetKey(field: FacetField, value: string): string {
  const digest = createHash('sha256').update(`${field}=${value}`).digest();
  return `qf${digest.readBigUInt64BE(0)}`;
}

/** An identifier as the index keeps it and a query looks for it. */
export function identifier(value: string): string {
  return value
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Whether a query word is an identifier: letters or digits joined by other characters (`customer_id`, `sales.orders`). */
export function isIdentifier(word: string): boolean {
  return /[\p{L}\p{N}][^\p{L}\p{N}\s]+[\p{L}\p{N}]/u.test(word);
}

/** The product's name, its ports' names and addresses and its schema fields' names, each once. */
export function identifiersOf(document: DataProductSearchDocument): string[] {
  const values = [
    document.name,
    ...(document.outputPorts ?? []).flatMap(port => [
      port.name,
      port.address,
      ...(port.fields ?? []),
    ]),
  ];
  return [
    ...new Set(
      values
        .filter((value): value is string => typeof value === 'string')
        .map(identifier)
        .filter(Boolean),
    ),
  ];
}

/** One key per value of each facet field the document has. */
export function facetKeysOf(document: DataProductSearchDocument): string[] {
  return FACET_FIELDS.flatMap(field => {
    const value: unknown = document[field];
    const values = Array.isArray(value) ? value : [value];
    return values
      .filter((one): one is string => typeof one === 'string' && one !== '')
      .map(one => facetKey(field, one));
  });
}
