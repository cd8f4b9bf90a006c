import type { DataProductProblem } from './validator';
import { fieldPath } from './paths';
import { describeCharacter, quoteText } from '../shared/text';

/**
 * Paths the Backstage catalog leaves out of its search index, and those it
 * writes there itself (`@backstage/plugin-catalog-backend`, its stitcher's
 * `buildEntitySearch`); the second list also holds the annotations that a
 * catalog running the Quanta module adds to a DataProduct.
 */
const SEARCH_SKIPPED = new Set([
  'attachments',
  'relations',
  'status',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.etag',
]);
const SEARCH_ADDED = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.annotations.backstage.io/orphan',
  'metadata.annotations.quanta.dev/address',
];

/** Values the index writes under their path; it leaves out the rest. */
const INDEXED_TYPES = new Set(['string', 'number', 'boolean', 'undefined']);

type Frame = {
  value: unknown;
  /** The path as the search index writes it: object keys joined by dots, lists left out. */
  searchKey: string;
  /** False within a path the index skips. */
  indexed: boolean;
  parent?: Frame;
  key?: string | number;
  /** Set on the step that writes a string list item's own key, `path.item`. */
  listItem?: string;
};

function segmentsOf(frame: Frame, last?: string): Array<string | number> {
  const segments: Array<string | number> = last === undefined ? [] : [last];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) {
    segments.push(f.key!);
  }
  return segments.reverse();
}

const NUL_EXPECTED =
  "text without U+0000 NULL, which the catalog's database cannot store (PostgreSQL refuses it, and the product would vanish from every list): remove the character";

function nulProblem(
  frame: Frame,
  text: string,
  isKey: boolean,
): DataProductProblem {
  const at = text.indexOf('\u0000');
  const position = [...text.slice(0, at)].length + 1;
  return {
    path: fieldPath(segmentsOf(frame, isKey ? text : undefined)),
    found: `${isKey ? 'a field named ' : ''}${quoteText(
      text,
    )}, which has ${describeCharacter('\u0000')} at character ${position}`,
    expected: NUL_EXPECTED,
  };
}

/**
 * Checks that the catalog can store and index a descriptor, which its
 * database and search index cannot for every JSON document; returns the
 * first problem found, or undefined:
 *
 * - U+0000 (NUL) in a field name or a text value: PostgreSQL cannot store
 *   it, so the catalog fails to index the entity and it vanishes from every
 *   list and search, with the error only in the backend log.
 * - Field names whose paths differ only in letter case (`spec.owner` and
 *   `spec.Owner`, or `name` in one port and `Name` in another): the search
 *   index reads paths without case, and the catalog fails to index the
 *   entity in the same way, on every database.
 *
 * Walks the descriptor once, without recursion; call it after
 * {@link checkDescriptorLimits}, which bounds the size of what it walks.
 *
 * @public
 */
export function checkCatalogStorable(
  entity: unknown,
): DataProductProblem | undefined {
  /** Search keys by their lower-case form, with where each was first found. */
  const searchKeys = new Map<string, { key: string; path: () => string }>();
  for (const key of SEARCH_ADDED) {
    searchKeys.set(key, { key, path: () => key });
  }
  /**
   * Keys met already, as written: most repeat (each port has a name), and
   * lower-casing in a locale costs more than the rest of the walk.
   */
  const seen = new Set<string>(SEARCH_ADDED);
  /** String list items the index writes as `path.item`, lower case, once each. */
  const listItems = new Set<string>();
  const seenItems = new Set<string>();
  const addSearchKey = (
    key: string,
    path: () => string,
  ): DataProductProblem | undefined => {
    if (seen.has(key)) return undefined;
    seen.add(key);
    const lower = key.toLocaleLowerCase('en-US');
    const earlier = searchKeys.get(lower);
    if (!earlier) {
      // Where it is, worked out only if another key collides with it.
      searchKeys.set(lower, { key, path });
      return undefined;
    }
    if (earlier.key === key) return undefined;
    const here = path();
    return {
      path: here,
      found: `a field that differs from ${quoteText(
        earlier.path(),
      )} only in letter case`,
      expected:
        "field names that differ in more than letter case: the catalog's search index reads them without case, and cannot index the product otherwise (it would vanish from every list); rename or remove one of them",
    };
  };

  const stack: Frame[] = [{ value: entity, searchKey: '', indexed: true }];
  while (stack.length) {
    const frame = stack.pop()!;
    const { value, searchKey, listItem } = frame;
    if (listItem !== undefined) {
      if (seenItems.has(listItem)) continue;
      seenItems.add(listItem);
      const lower = listItem.toLocaleLowerCase('en-US');
      if (listItems.has(lower)) continue;
      listItems.add(lower);
      const problem = addSearchKey(listItem, () =>
        fieldPath(segmentsOf(frame)),
      );
      if (problem) return problem;
      continue;
    }
    // The index skips some paths whole; text in them is refused all the same.
    const indexed = frame.indexed && !SEARCH_SKIPPED.has(searchKey);
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string' && value.includes('\u0000')) {
        return nulProblem(frame, value, false);
      }
      if (indexed && (value === null || INDEXED_TYPES.has(typeof value))) {
        const problem = addSearchKey(searchKey, () =>
          fieldPath(segmentsOf(frame)),
        );
        if (problem) return problem;
      }
      continue;
    }
    if (Array.isArray(value)) {
      // Items take their list's path; the index also writes each string
      // item as a key of its own, `path.item`, after the item itself.
      for (let i = value.length - 1; i >= 0; i--) {
        const item = value[i];
        if (indexed && typeof item === 'string') {
          stack.push({
            value: undefined,
            searchKey,
            indexed,
            parent: frame,
            key: i,
            listItem: `${searchKey}.${item}`,
          });
        }
        stack.push({ value: item, searchKey, indexed, parent: frame, key: i });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (key.includes('\u0000')) return nulProblem(frame, key, true);
      stack.push({
        value: (value as Record<string, unknown>)[key],
        searchKey: searchKey ? `${searchKey}.${key}` : key,
        indexed,
        parent: frame,
        key,
      });
    }
  }
  return undefined;
}
