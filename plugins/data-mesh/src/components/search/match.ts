import type { ResultHighlight } from '@backstage/plugin-search-common';
import type { SearchOutputPort, SearchSchemaField } from './document';

/*
 * Which output port or schema field of a result the search words hit. The
 * engines only say that a document matched; the result item shows what in
 * it did, so that "customer_id" finds a product and the item says which port
 * carries the column. A word matches at the start of a word of the value,
 * ignoring case ("cust" finds customer_id, "id" finds customer_id as it
 * finds order-id, but "omer" finds nothing), close to what both engines do
 * with prefixes.
 */

/** The part of a port or field a search matched, best first. */
export const MATCHED_PARTS = [
  'field name',
  'port name',
  'address',
  'contract',
  'format',
  'port type',
] as const;

export type MatchedPart = (typeof MATCHED_PARTS)[number];

/** An output port, or one of its schema fields, that the search matched. */
export type PortMatch = {
  port: SearchOutputPort;
  /** Set when a schema field matched rather than the port itself. */
  field?: SearchSchemaField;
  /** The best part that matched. */
  on: MatchedPart;
  /** How many of the search's words the port or field matches. */
  words: number;
};

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
/** Lunr's query syntax around a word: required, prohibited, wildcard, fuzzy, boost. */
const QUERY_SYNTAX = /^[+-]|[*]|[~^]\d*$/g;

/**
 * The words of a search term to look for in ports and fields: lower case,
 * without query syntax and edge punctuation, at least two characters (a
 * single letter would match nearly every port), each once.
 */
export function searchWords(term: string): string[] {
  const words = term
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .map(word => word.replace(QUERY_SYNTAX, '').replace(EDGE_PUNCTUATION, ''))
    .filter(word => [...word].length >= 2);
  return [...new Set(words)];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms of a word to look for: itself and, for a plural, its singular ("orders" finds order-events). */
function forms(word: string): string[] {
  return [...word].length > 3 && word.endsWith('s') && !word.endsWith('ss')
    ? [word, word.slice(0, -1)]
    : [word];
}

/** A pattern matching any form of one word, longest first, at the start of a word. */
function wordPattern(word: string): RegExp {
  const alternatives = forms(word).map(escapeRegExp).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})`, 'giu');
}

function matchesWord(value: string, word: string): boolean {
  return value !== '' && wordPattern(word).test(value);
}

type Candidate = {
  port: SearchOutputPort;
  field?: SearchSchemaField;
  parts: Array<[MatchedPart, string]>;
};

function candidates(ports: SearchOutputPort[]): Candidate[] {
  return ports.flatMap(port => [
    {
      port,
      parts: [
        ['port name', port.name],
        ['address', port.address],
        ['contract', port.contractLocation],
        ['format', port.format],
        ['port type', port.type],
      ] as Array<[MatchedPart, string]>,
    },
    ...port.fields.map(field => ({
      port,
      field,
      parts: [['field name', field.name]] as Array<[MatchedPart, string]>,
    })),
  ]);
}

/**
 * The ports and schema fields the search term matches, best first: those
 * matching more of the words, then by the part matched (a field's name
 * before a port's name, address, contract, format and type), then in the
 * descriptor's order. Descriptions and field types are in the document's
 * text only: a product the engine found by them shows no port or field. Empty when nothing matched.
 */
export function matchOutputPorts(
  ports: SearchOutputPort[],
  term: string,
): PortMatch[] {
  const words = searchWords(term);
  if (!words.length) return [];
  const rank = (part: MatchedPart) => MATCHED_PARTS.indexOf(part);
  const found: Array<PortMatch & { order: number }> = [];
  candidates(ports).forEach((candidate, order) => {
    const hitWords = words.filter(word =>
      candidate.parts.some(([, value]) => matchesWord(value, word)),
    );
    if (!hitWords.length) return;
    const on = candidate.parts
      .filter(([, value]) => hitWords.some(word => matchesWord(value, word)))
      .map(([part]) => part)
      .sort((a, b) => rank(a) - rank(b))[0];
    found.push({
      port: candidate.port,
      ...(candidate.field ? { field: candidate.field } : {}),
      on,
      words: hitWords.length,
      order,
    });
  });
  return found
    .sort(
      (a, b) =>
        b.words - a.words || rank(a.on) - rank(b.on) || a.order - b.order,
    )
    .map(({ order: _order, ...match }) => match);
}

/** A piece of a text, marked when a search word matched it. */
export type TextPiece = { text: string; match: boolean };

/**
 * Splits a text into pieces, marking where the search words match (at the
 * start of a word, ignoring case), for highlighting.
 */
export function highlightPieces(value: string, term: string): TextPiece[] {
  const ranges: Array<[number, number]> = [];
  for (const word of searchWords(term)) {
    for (const hit of value.matchAll(wordPattern(word))) {
      ranges.push([hit.index, hit.index + hit[0].length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) pieces.push({ text: value.slice(at, from), match: false });
    pieces.push({ text: value.slice(from, end), match: true });
    at = end;
  }
  if (at < value.length) pieces.push({ text: value.slice(at), match: false });
  return pieces;
}

/**
 * The words a search engine marked in a result's highlight (Lunr marks its
 * stemmed, prefix and fuzzy matches, PostgreSQL its stemmed ones), each once
 * and in lower case. Empty without a highlight.
 */
export function markedWords(highlight?: ResultHighlight): string[] {
  if (!highlight?.preTag || !highlight.postTag) return [];
  const pattern = new RegExp(
    `${escapeRegExp(highlight.preTag)}([\\s\\S]*?)${escapeRegExp(
      highlight.postTag,
    )}`,
    'g',
  );
  const words = Object.values(highlight.fields ?? {}).flatMap(value =>
    typeof value === 'string'
      ? [...value.matchAll(pattern)].map(hit => hit[1])
      : [],
  );
  return searchWords(words.join(' '));
}

function sharedPrefix(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * Whether a word the engine marked stands for one of the words typed: it
 * starts as one does (a stem, a near spelling past the third letter).
 * Lunr's fuzzy search also marks any short word two edits away from a short
 * word typed (`v2` for the `id` of `customer_id`), which would only add noise.
 */
function standsForTyped(marked: string, typed: string[]): boolean {
  return (
    !typed.length ||
    typed.some(
      word =>
        sharedPrefix(word, marked) >=
        Math.min(3, [...word].length, [...marked].length),
    )
  );
}

/**
 * The ports and fields a result matched, and the words to mark in them. The
 * words typed come first; when they are in no port or field (the engine
 * found the product by a stem or a near spelling), the words the engine
 * marked in its highlight that stand for them are looked for instead.
 */
export function findPortMatches(
  ports: SearchOutputPort[],
  term: string,
  highlight?: ResultHighlight,
): { matches: PortMatch[]; term: string } {
  const typed = matchOutputPorts(ports, term);
  if (typed.length) return { matches: typed, term };
  const typedWords = searchWords(term);
  const engineTerm = markedWords(highlight)
    .filter(word => standsForTyped(word, typedWords))
    .join(' ');
  const marked = engineTerm ? matchOutputPorts(ports, engineTerm) : [];
  return marked.length
    ? { matches: marked, term: engineTerm }
    : { matches: [], term };
}
