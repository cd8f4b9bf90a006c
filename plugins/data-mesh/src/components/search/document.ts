import type { SearchDocument } from '@backstage/plugin-search-common';

/**
 * The search type of the documents `@quanta/plugin-search-backend-module-data-mesh`
 * indexes, one per DataProduct.
 *
 * @public
 */
export const DATA_PRODUCT_SEARCH_TYPE = 'data-product';

/**
 * A field of an output port's schema, as the result item reads it. Its type
 * and description are only in the document's text, which the engine
 * searches; the document keeps the names the item shows.
 */
export type SearchSchemaField = {
  name: string;
  pii: boolean;
};

/** An output port, as the result item reads it. */
export type SearchOutputPort = {
  name: string;
  type: string;
  format: string;
  address: string;
  contractLocation: string;
  fields: SearchSchemaField[];
};

/** What the result item shows of a `data-product` document. */
export type DataProductResult = {
  title: string;
  location: string;
  description: string;
  type: string;
  domain: string;
  domainTitle: string;
  owner: string;
  ownerName: string;
  /** Absent before the product's first evaluation, or without the data-mesh backend. */
  governanceLevel?: string;
  sloStatus?: 'breached' | 'unbreached' | 'no-slos';
  slosBreached: string[];
  outputPorts: SearchOutputPort[];
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readPort(port: Json): SearchOutputPort {
  const pii = new Set(list(port.piiFields).map(text));
  return {
    name: text(port.name),
    type: text(port.type),
    format: text(port.format),
    address: text(port.address),
    contractLocation: text(port.contract),
    fields: list(port.fields)
      .map(text)
      .filter(Boolean)
      .map(name => ({ name, pii: pii.has(name) })),
  };
}

/**
 * Reads a search document of type `data-product`. The index may hold
 * documents written by an older or newer collator, so every field is read
 * for what it is and a missing one is empty rather than an error.
 */
export function readDataProductResult(
  document: SearchDocument,
): DataProductResult {
  const doc = document as unknown as Json;
  const sloStatus = text(doc.sloStatus);
  const level = text(doc.governanceLevel);
  return {
    title: text(doc.title) || text(doc.name),
    location: text(doc.location),
    description: text(doc.description),
    type: text(doc.type),
    domain: text(doc.domain),
    domainTitle: text(doc.domainTitle),
    owner: text(doc.owner),
    ownerName: text(doc.ownerName),
    governanceLevel: level || undefined,
    sloStatus:
      sloStatus === 'breached' ||
      sloStatus === 'unbreached' ||
      sloStatus === 'no-slos'
        ? sloStatus
        : undefined,
    slosBreached: list(doc.slosBreached).map(text).filter(Boolean),
    outputPorts: list(doc.outputPorts).filter(isObject).map(readPort),
  };
}
