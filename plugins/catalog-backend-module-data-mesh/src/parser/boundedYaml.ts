/*
 * The catalog's YAML file reader, as Backstage's own
 * (`parseEntityYaml` of @backstage/plugin-catalog-node) with changes that
 * only hostile or very large files notice:
 *
 * - Duplicate keys are found in one pass over each mapping, where the
 *   `yaml` package compares every key with every earlier one (30,000 keys
 *   held the catalog's event loop 3 s, 60,000 keys 30 s, on every read).
 *   The error is the one that package writes.
 * - Before a document is turned into an entity, its size as JSON is
 *   computed on the YAML tree, each alias costing what its anchor costs
 *   (computed once), so a document that aliases expand beyond a limit is
 *   refused without ever being expanded, stored or read back.
 * - An alias inside the node it names (a cycle) is an error naming the
 *   anchor; the catalog would otherwise fail to store the file and drop
 *   all of it, saying so only in its log.
 * - The event loop runs between slices of the reading (every 10 ms of
 *   reading and composing, and between checking and converting documents),
 *   where the package reads a whole file in one go: half a megabyte held
 *   the catalog's event loop for a quarter of a second or more, a file of
 *   10,000 products over a second.
 *
 * Three more refusals keep what PostgreSQL cannot store out of the catalog
 * (SQLite stores it all, but a catalog behaves the same on both):
 *
 * - An entity reference (`kind:namespace/name`, lower case) longer than
 *   255 characters: the catalog's tables hold references in varchar(255)
 *   columns (`refresh_state.entity_ref`, `final_entities.entity_ref`,
 *   `relations`), so writing the file's entities fails and the whole file
 *   is lost, said only in the log. The catalog's own rules take at most
 *   63 characters for each part, 191 in all, so only an entity it would
 *   refuse anyway is refused here, with an error that can be seen.
 * - U+0000 in the reference: the same, on the same columns.
 * - U+0000 in any other text or field name of a document of a kind other
 *   than DataProduct: PostgreSQL refuses it in the search index the
 *   catalog builds of every entity, so the entity is stored but missing
 *   from every list, said only in the log. (A DataProduct's is refused by
 *   the DataProduct processor, on the product, naming the field.)
 *
 * The search index's own columns (`search.key`, `value`,
 * `original_value`) are varchar(255) too, but the catalog leaves out keys
 * and values longer than 200 characters itself, so long values of other
 * fields are stored as they are.
 *
 * Anything else reads exactly as with Backstage's parser: the same entities,
 * and the same errors (the duplicate-key error, written as the `yaml`
 * package writes it, included). A file nested deeper than the `yaml`
 * package can follow fails as with Backstage's parser, with a sentence
 * added that says why; past 2,000 levels it is refused as soon as the
 * reader gets there, where the package would read all of it first (a
 * second for 512 KB of brackets).
 */
import { stringifyLocationRef } from '@backstage/catalog-model';
import { performance } from 'node:perf_hooks';
import {
  type CatalogProcessorParser,
  type CatalogProcessorResult,
  type LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  DEFAULT_MAX_DESCRIPTOR_DEPTH,
  DEFAULT_MAX_DESCRIPTOR_SIZE,
  CATALOG_LOCATION_ANNOTATIONS,
  MAX_UNCOUNTED_ANNOTATION_SIZE,
  describeCharacter,
  descriptorPath,
  descriptorTooLarge,
  escapeText,
  formatByteSize,
  formatProblem,
  jsonStringBytes,
  quoteText,
  type DataProductProblem,
} from '@quanta/plugin-data-mesh-common';
import {
  type Alias,
  type CST,
  type Document,
  type Node,
  type Pair,
  Composer,
  Lexer,
  LineCounter,
  Parser,
  YAMLError,
  YAMLParseError,
  isAlias,
  isMap,
  isScalar,
  isSeq,
} from 'yaml';
import {
  MAX_DESCRIPTOR_SIZE_KEY,
  MAX_DOCUMENT_SIZE_KEY,
} from '../processor/config';

/**
 * The annotation of the entity that stands in for a DataProduct the reader
 * refused: its value is the refusal, which the DataProduct processor raises
 * as the entity's processing error.
 */
export const ANNOTATION_REFUSED_BY_READER = 'quanta.dev/refused-by-file-reader';

/** Entity references the catalog's database holds (`refresh_state.entity_ref`, and others, are varchar(255)). */
export const MAX_ENTITY_REF_LENGTH = 255;

/** Limits of {@link readCatalogYaml}, in bytes of JSON. */
export type CatalogYamlLimits = {
  /** The largest DataProduct document. */
  maxDescriptorSize: number;
  /** The largest document of any other kind. */
  maxDocumentSize: number;
  /** Config keys that set the limits, for messages. */
  descriptorSizeKey: string;
  documentSizeKey: string;
};

type Tree = Node | Pair | null | undefined;

/** What one walk over a document's tree finds. */
type Walk = {
  duplicates: YAMLParseError[];
  cycle?: { alias: Alias; path: Array<string | number> };
  /** The first text or field name holding U+0000. */
  nul?: { text: string; path: Array<string | number>; isKey: boolean };
  /** Size as JSON of each node walked, aliases taking their anchor's. */
  sizes: Map<Node, number>;
  /** The node each alias names. */
  targets: Map<Alias, Node>;
  /** Members not counted: the location annotations of an entity. */
  uncounted: Set<Pair>;
};

const isPlainObject = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null);

/** A key as the document's JSON writes it, or undefined for a key that is a list or mapping. */
function keyText(key: Tree, targets: Map<Alias, Node>): string | undefined {
  const node = isAlias(key) ? targets.get(key) : key;
  if (node === null || node === undefined) return '';
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? undefined : String(value);
}

/** Bytes of a scalar as JSON; a lower bound for the rare ones that are objects (YAML 1.1 dates, binary). */
function scalarBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return jsonStringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'bigint':
      return String(value).length;
    case 'undefined':
      return 4;
    default:
      return value === null ? 4 : 2;
  }
}

/** The root mapping's value at `key`, through an alias. */
function member(
  node: Tree,
  key: string,
  targets?: Map<Alias, Node>,
): { pair: Pair; value: Tree } | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const k = isAlias(pair.key) ? targets?.get(pair.key) : pair.key;
    if (isScalar(k) && k.value === key) {
      const value =
        isAlias(pair.value) && targets
          ? targets.get(pair.value)
          : (pair.value as Tree);
      return { pair, value };
    }
  }
  return undefined;
}

const stringOf = (node: Tree): string | undefined =>
  isScalar(node) && typeof node.value === 'string' ? node.value : undefined;

/**
 * Walks a document's tree once, without recursion, in the order the `yaml`
 * package resolves aliases (each node before its children, keys before
 * values), and finds its duplicate keys, its first cycle and the size of
 * every node as JSON.
 */
function walk(document: Document.Parsed): Walk {
  const result: Walk = {
    duplicates: [],
    sizes: new Map(),
    targets: new Map(),
    uncounted: new Set(),
  };
  const { sizes, targets, uncounted } = result;
  const anchors = new Map<string, Node>();
  /** Collections entered and not yet left: an alias naming one is a cycle. */
  const open = new Set<Node>();
  type Step = {
    node: Tree;
    leave?: boolean;
    parent?: Step;
    key?: string | number;
    /** Set on the step of a mapping's key, not its value. */
    isKey?: boolean;
  };
  const pathOf = (step: Step) => {
    const segments: Array<string | number> = [];
    for (let s: Step | undefined = step; s?.parent; s = s.parent) {
      segments.push(s.key!);
    }
    return segments.reverse();
  };
  const stack: Step[] = [{ node: document.contents }];
  while (stack.length) {
    const step = stack.pop()!;
    const node = step.node;
    if (node === null || node === undefined) continue;
    if (step.leave) {
      open.delete(node as Node);
      sizes.set(node as Node, collectionBytes(node as Node, result));
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) {
        targets.set(node, target);
        if (open.has(target) && !result.cycle) {
          result.cycle = { alias: node, path: pathOf(step) };
        }
      }
      continue;
    }
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
      anchors.set(node.anchor, node);
    }
    if (isScalar(node)) {
      sizes.set(node, scalarBytes(node.value));
      if (
        !result.nul &&
        typeof node.value === 'string' &&
        node.value.includes('\u0000')
      ) {
        result.nul = {
          text: node.value,
          path: pathOf(step),
          isKey: Boolean(step.isKey),
        };
      }
      continue;
    }
    if (isMap(node)) {
      open.add(node);
      stack.push({ node, leave: true });
      if (step.key === 'metadata' && step.parent && !step.parent.parent) {
        markUncounted(node, uncounted);
      }
      // Keys equal as the `yaml` package compares them: the same scalar
      // value (NaN never equals itself there); lists and mappings never.
      const seen = new Set<unknown>();
      const children: Step[] = [];
      node.items.forEach((pair, i) => {
        const key = pair.key as Tree;
        if (isScalar(key)) {
          const value = key.value;
          if (!(typeof value === 'number' && Number.isNaN(value))) {
            if (seen.has(value)) {
              const at = key.range?.[0] ?? 0;
              result.duplicates.push(
                new YAMLParseError(
                  [at, at + 1],
                  'DUPLICATE_KEY',
                  'Map keys must be unique',
                ),
              );
            } else {
              seen.add(value);
            }
          }
        }
        const name = isScalar(key) ? String(key.value ?? '') : i;
        children.push({ node: key, parent: step, key: name, isKey: true });
        children.push({ node: pair.value as Tree, parent: step, key: name });
      });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      continue;
    }
    if (isSeq(node)) {
      open.add(node);
      stack.push({ node, leave: true });
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push({ node: node.items[i] as Tree, parent: step, key: i });
      }
    }
  }
  return result;
}

/**
 * Marks the members of an entity's `metadata.annotations` that its checks
 * leave out (see CATALOG_LOCATION_ANNOTATIONS), and the annotations whole
 * when they hold nothing else, so that this measure is never above the
 * DataProduct processor's. Only for annotations written
 * in place, not through aliases: those count, which is stricter by at most
 * 20 KiB for a file that aliases its metadata or annotations.
 */
function markUncounted(metadata: Node, uncounted: Set<Pair>) {
  const found = member(metadata, 'annotations');
  const annotations = found?.value;
  if (!isMap(annotations)) return;
  let counted = 0;
  for (const pair of annotations.items) {
    const key = pair.key as Tree;
    const value = pair.value as Tree;
    if (
      isScalar(key) &&
      typeof key.value === 'string' &&
      CATALOG_LOCATION_ANNOTATIONS.includes(key.value) &&
      isScalar(value) &&
      typeof value.value === 'string' &&
      jsonStringBytes(value.value, MAX_UNCOUNTED_ANNOTATION_SIZE) <=
        MAX_UNCOUNTED_ANNOTATION_SIZE
    ) {
      uncounted.add(pair);
    } else {
      counted++;
    }
  }
  // Holding nothing else, they are left out whole, as a catalog adds them
  // to a descriptor written without annotations.
  if (counted === 0 && annotations.items.length > 0) uncounted.add(found!.pair);
}

/** Size of a node walked, through an alias; 0 for an alias in a cycle, which is refused before any size counts. */
function sizeOf(node: Tree, walked: Walk): number {
  if (node === null || node === undefined) return 4;
  const target = isAlias(node) ? walked.targets.get(node) : (node as Node);
  return (target && walked.sizes.get(target)) ?? 0;
}

/** Bytes of a list or mapping as JSON, its items sized already. */
function collectionBytes(node: Node, walked: Walk): number {
  if (isSeq(node)) {
    let bytes = 2 + Math.max(0, node.items.length - 1);
    for (const item of node.items) bytes += sizeOf(item as Tree, walked);
    return bytes;
  }
  if (isMap(node)) {
    let bytes = 2;
    let members = 0;
    for (const pair of node.items) {
      if (walked.uncounted.has(pair)) continue;
      if (members++ > 0) bytes += 1;
      bytes += keyBytes(pair.key as Tree, walked) + 1;
      bytes += sizeOf(pair.value as Tree, walked);
    }
    return bytes;
  }
  return walked.sizes.get(node) ?? 0;
}

function keyBytes(key: Tree, walked: Walk): number {
  const text = keyText(key, walked.targets);
  return text === undefined ? 2 : jsonStringBytes(text);
}

/**
 * Where a document passes `limit` bytes of JSON, named as the DataProduct
 * processor names it (`checkDescriptorLimits`), so that both say the same of
 * the same descriptor: that walk counts a mapping's braces and all its keys
 * when it enters it, a list's brackets and commas, then each value in turn,
 * and reports the key, list or value during which the count passes the
 * limit. Here the sizes of whole values are known, so the walk goes
 * straight down the one value that holds that point, through aliases.
 */
function whereLimitPassed(
  root: Tree,
  limit: number,
  walked: Walk,
): Array<string | number> {
  const segments: Array<string | number> = [];
  let node = root;
  let used = 0;
  for (;;) {
    if (isAlias(node)) node = walked.targets.get(node);
    let next: Tree | undefined;
    if (isSeq(node)) {
      used += 2 + Math.max(0, node.items.length - 1);
      if (used > limit) return segments;
      for (let i = 0; i < node.items.length; i++) {
        const size = sizeOf(node.items[i] as Tree, walked);
        if (used + size > limit) {
          segments.push(i);
          next = node.items[i] as Tree;
          break;
        }
        used += size;
      }
    } else if (isMap(node)) {
      used += 2;
      const pairs = node.items.filter(pair => !walked.uncounted.has(pair));
      const names = pairs.map(
        (pair, i) => keyText(pair.key as Tree, walked.targets) ?? String(i),
      );
      for (let i = 0; i < pairs.length; i++) {
        if (i > 0) used += 1;
        used += keyBytes(pairs[i].key as Tree, walked) + 1;
        if (used > limit) return [...segments, names[i]];
      }
      for (let i = 0; i < pairs.length; i++) {
        const size = sizeOf(pairs[i].value as Tree, walked);
        if (used + size > limit) {
          segments.push(names[i]);
          next = pairs[i].value as Tree;
          break;
        }
        used += size;
      }
    }
    // A scalar, or a collection whose own brackets passed the limit.
    if (next === undefined || next === null) return segments;
    node = next;
  }
}

/**
 * The `yaml` package's pretty error (`prettifyError`, which it does not
 * export): ` at line L, column C:` and the line with a pointer under the
 * position. Written again so that a duplicate key found here reads as the
 * one found there.
 */
function prettify(error: YAMLError, src: string, lc: LineCounter) {
  if (error.pos[0] === -1) return;
  error.linePos = error.pos.map(pos => lc.linePos(pos)) as any;
  const { line, col } = error.linePos![0];
  error.message += ` at line ${line}, column ${col}`;
  let ci = col - 1;
  let lineStr = src
    .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
    .replace(/[\n\r]+$/, '');
  if (ci >= 60 && lineStr.length > 80) {
    const trimStart = Math.min(ci - 39, lineStr.length - 79);
    lineStr = `…${lineStr.substring(trimStart)}`;
    ci -= trimStart - 1;
  }
  if (lineStr.length > 80) lineStr = `${lineStr.substring(0, 79)}…`;
  if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
    let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
    if (prev.length > 80) prev = `${prev.substring(0, 79)}…\n`;
    lineStr = prev + lineStr;
  }
  if (/[^ ]/.test(lineStr)) {
    let count = 1;
    const end = error.linePos![1];
    if (end?.line === line && end.col > col) {
      count = Math.max(1, Math.min(end.col - col, 80 - ci));
    }
    const pointer = ' '.repeat(ci) + '^'.repeat(count);
    error.message += `:\n\n${lineStr}\n${pointer}\n`;
  }
}

/** Adds duplicate-key errors among a document's own, in the order of their positions, as the `yaml` package reports them. */
function mergeErrors(document: Document.Parsed, found: YAMLParseError[]) {
  if (!found.length) return;
  // The walk checks a mapping's keys before it enters their values, where
  // the package composes (and checks) each value before the next key.
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  const errors = document.errors;
  const merged: YAMLParseError[] = [];
  let i = 0;
  for (const error of found) {
    while (i < errors.length && errors[i].pos[0] <= error.pos[0]) {
      merged.push(errors[i++]);
    }
    merged.push(error);
  }
  while (i < errors.length) merged.push(errors[i++]);
  document.errors = merged;
}

/** `line 12` of an offset. */
const lineOf = (lc: LineCounter, offset: number | undefined) =>
  `line ${lc.linePos(offset ?? 0).line || 1}`;

/** The entity's identity as its document writes it, each part a string or undefined. */
function identityOf(document: Document.Parsed, targets: Map<Alias, Node>) {
  const root = document.contents;
  const read = (node: Tree, key: string) => {
    const found = member(node, key, targets);
    return found ? stringOf(found.value) ?? null : undefined;
  };
  const metadata = member(root, 'metadata', targets)?.value;
  return {
    apiVersion: read(root, 'apiVersion'),
    kind: read(root, 'kind'),
    name: read(metadata, 'name'),
    namespace: read(metadata, 'namespace'),
  };
}

/**
 * The problem with an entity reference the catalog's database cannot
 * store: U+0000 in it, or longer than {@link MAX_ENTITY_REF_LENGTH}
 * characters. Undefined when it can, or when its parts are not text (the
 * catalog's own checks refuse those).
 */
function refProblem(identity: ReturnType<typeof identityOf>) {
  const { kind, name } = identity;
  const namespace = identity.namespace ?? 'default';
  if (typeof kind !== 'string' || typeof name !== 'string') return undefined;
  if (typeof namespace !== 'string') return undefined;
  const parts: Array<[string, string]> = [
    ['kind', kind],
    ['metadata.namespace', namespace],
    ['metadata.name', name],
  ];
  for (const [field, value] of parts) {
    const at = value.indexOf('\u0000');
    if (at >= 0) {
      return `${field} is ${quoteText(value)}, which has ${describeCharacter(
        '\u0000',
      )} at character ${
        [...value.slice(0, at)].length + 1
      }: the catalog's database cannot store it in the entity's reference; remove the character`;
    }
  }
  const ref = `${kind}:${namespace}/${name}`.toLowerCase();
  const length = [...ref].length;
  if (length <= MAX_ENTITY_REF_LENGTH) return undefined;
  const [field, value] = parts.reduce((a, b) =>
    [...b[1]].length > [...a[1]].length ? b : a,
  );
  return `its reference ${quoteText(ref, 60)} is ${length.toLocaleString(
    'en-US',
  )} characters long, and the catalog's database stores references of at most ${MAX_ENTITY_REF_LENGTH}: ${field} has ${[
    ...value,
  ].length.toLocaleString(
    'en-US',
  )} characters (the catalog takes names and namespaces of at most 63)`;
}

/**
 * Nesting beyond which a file is refused before it is read. The `yaml`
 * package composes nesting by recursion and gives up at some 1,000 levels
 * anyway, with Backstage's `Maximum call stack size exceeded`; but its
 * parser first reads all of the nesting, which for a file that is nothing
 * else (100,000 levels in 200 KB) held the catalog's event loop 0.65 s, and
 * over a second for a file of 512 KB.
 */
const MAX_NESTING = 2000;

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super('nested too deep');
  }
}

/** Lexemes read between two looks at the clock. */
const LEXEMES_PER_CHECK = 256;

/** Longest the reader holds the event loop before other work gets a turn. */
const TURN_BUDGET_MS = 10;

/** Lets the event loop run what waits, between two parts of the reading. */
const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * The documents of a file, read as `parseAllDocuments` of the `yaml`
 * package reads them with Backstage's options (`merge: false`) but without
 * its duplicate-key check (`uniqueKeys: false`, see {@link walk}). The
 * package's lexer, parser and composer are driven a token at a time, as its
 * `parse` and `compose` do, so that the event loop runs every
 * {@link TURN_BUDGET_MS} of a large file (a file of 10,000 products held it
 * over a second when its documents were composed in one go), and each
 * document is composed as soon as it is parsed, so that the parser's tokens
 * of the whole file are never held at once. The depth of what the parser
 * holds open is watched: nesting deeper than {@link MAX_NESTING} stops the
 * reading there (throwing TooDeep). Documents are returned only at the end,
 * so that a file either fails whole or yields its documents.
 */
async function parseDocuments(
  text: string,
  lineCounter: LineCounter,
): Promise<Document.Parsed[]> {
  const parser = new Parser(lineCounter.addNewLine);
  // Its `end`, which closes what is still open, is not in its types.
  const closing = parser as unknown as { end(): Generator<CST.Token> };
  const composer = new Composer({ merge: false, uniqueKeys: false });
  const documents: Document.Parsed[] = [];
  const compose = (tokens: Iterable<CST.Token>) => {
    for (const token of tokens) {
      for (const document of composer.next(token)) documents.push(document);
    }
  };
  lineCounter.addNewLine(0);
  let count = 0;
  let turnStart = performance.now();
  for (const lexeme of new Lexer().lex(text)) {
    compose(parser.next(lexeme));
    if (parser.stack.length > MAX_NESTING) {
      throw new TooDeep(parser.stack[parser.stack.length - 1].offset);
    }
    if (
      ++count % LEXEMES_PER_CHECK === 0 &&
      performance.now() - turnStart >= TURN_BUDGET_MS
    ) {
      await nextTurn();
      turnStart = performance.now();
    }
  }
  compose(closing.end());
  for (const document of composer.end()) documents.push(document);
  for (const document of documents) {
    for (const error of document.errors) prettify(error, text, lineCounter);
    for (const warning of document.warnings) {
      prettify(warning, text, lineCounter);
    }
  }
  return documents;
}

/**
 * Backstage's message for a file that exhausts the `yaml` package's stack
 * (it composes nesting by recursion, and gives up at some 1,000 levels),
 * with a sentence that says why; any other message as it is.
 */
function withReason(message: string): string {
  if (!message.includes('Maximum call stack size exceeded')) return message;
  return `${message}${
    message.endsWith('\n') ? '' : '\n'
  }(The file nests lists or mappings deeper than the YAML reader can follow, which is several hundred levels; entities need a few, and a DataProduct may nest at most ${DEFAULT_MAX_DESCRIPTOR_DEPTH}.)`;
}

/**
 * Reads a catalog file's YAML documents as Backstage's parser does, each
 * into an entity or an error on the file's location, refusing the
 * documents no catalog should read: see the comment at the top of this
 * file. A DataProduct that is too large or holds a cycle becomes a stand-in
 * entity with only its identity and the refusal (see
 * {@link ANNOTATION_REFUSED_BY_READER}), so that the refusal shows on the
 * product, its last good version stays served, and the file's other
 * entities are read; other documents it refuses are errors on the location.
 */
export async function* readCatalogYaml(
  data: Buffer | string,
  location: LocationSpec,
  limits: CatalogYamlLimits,
): AsyncIterable<CatalogProcessorResult> {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = (await parseDocuments(text, lineCounter)).filter(d => d);
  } catch (e) {
    const loc = stringifyLocationRef(location);
    if (e instanceof TooDeep) {
      yield processingResult.generalError(
        location,
        `Failed to parse YAML at ${loc}: at ${lineOf(
          lineCounter,
          e.offset,
        )} the file nests lists or mappings more than ${MAX_NESTING.toLocaleString(
          'en-US',
        )} levels deep, deeper than the YAML reader can follow (which is several hundred levels); entities need a few, and a DataProduct may nest at most ${DEFAULT_MAX_DESCRIPTOR_DEPTH}. Nothing of the file was read`,
      );
      return;
    }
    yield processingResult.generalError(
      location,
      withReason(`Failed to parse YAML at ${loc}, ${e}`),
    );
    return;
  }
  for (const document of documents) {
    await nextTurn();
    const walked = walk(document);
    for (const error of walked.duplicates) prettify(error, text, lineCounter);
    mergeErrors(document, walked.duplicates);
    if (document.errors?.length) {
      const loc = stringifyLocationRef(location);
      yield processingResult.generalError(
        location,
        withReason(`YAML error at ${loc}, ${document.errors[0]}`),
      );
      continue;
    }
    const refused = refusal(document, walked, location, lineCounter, limits);
    if (refused) {
      yield refused;
      continue;
    }
    await nextTurn();
    const json = document.toJSON();
    if (isPlainObject(json)) {
      yield processingResult.entity(location, json);
    } else if (json !== null) {
      const message = `Expected object at root, got ${typeof json}`;
      yield processingResult.generalError(location, message);
    }
  }
}

/** The result that refuses a document, or undefined to read it. */
function refusal(
  document: Document.Parsed,
  walked: Walk,
  location: LocationSpec,
  lc: LineCounter,
  limits: CatalogYamlLimits,
): CatalogProcessorResult | undefined {
  const root = document.contents;
  if (!root) return undefined;
  const loc = stringifyLocationRef(location);
  const line = lineOf(lc, root.range?.[0]);
  const identity = identityOf(document, walked.targets);
  const ref = refProblem(identity);
  if (ref) {
    return processingResult.generalError(
      location,
      `Entity at ${line} of ${loc} refused: ${ref}`,
    );
  }
  const isProduct = identity.kind === DATA_PRODUCT_KIND;
  // A stand-in needs what the catalog checks of every entity it is given.
  const { apiVersion, name, namespace } = identity;
  const standIn =
    isProduct &&
    typeof apiVersion === 'string' &&
    typeof name === 'string' &&
    namespace !== null
      ? (problem: DataProductProblem, hint: string) =>
          processingResult.entity(location, {
            apiVersion,
            kind: DATA_PRODUCT_KIND,
            metadata: {
              name,
              ...(namespace !== undefined ? { namespace } : {}),
              annotations: {
                [ANNOTATION_REFUSED_BY_READER]: `DataProduct refused, nothing of it was read: ${formatProblem(
                  problem,
                )} (${hint}; found by the catalog's file reader at ${line} of ${escapeText(
                  loc,
                  300,
                )})`,
              },
            },
          })
      : undefined;

  if (walked.cycle) {
    const { alias, path } = walked.cycle;
    const { line: aliasLine, col } = lc.linePos(alias.range?.[0] ?? 0);
    const anchor = escapeText(alias.source, 60);
    const where = `the alias *${anchor} at line ${aliasLine}, column ${col}`;
    if (standIn) {
      return standIn(
        {
          path: descriptorPath(path),
          found: `${where}, which repeats &${anchor}, a node that holds it: a cycle`,
          expected:
            'a value that does not hold itself: write out the values the alias should repeat',
        },
        'no entity can hold a cycle',
      );
    }
    return processingResult.generalError(
      location,
      `YAML error at ${loc}, ${where} (${descriptorPath(
        path,
      )}) repeats the anchor &${anchor} of a node that holds it: a cycle, which no entity can hold. Write out the values the alias should repeat`,
    );
  }

  if (walked.nul && !isProduct) {
    const { text, path, isKey } = walked.nul;
    const at = [...text.slice(0, text.indexOf('\u0000'))].length + 1;
    return processingResult.generalError(
      location,
      `Entity at ${line} of ${loc} refused: ${descriptorPath(path)} is ${
        isKey ? 'a field named ' : ''
      }${quoteText(text)}, which has ${describeCharacter(
        '\u0000',
      )} at character ${at}: the catalog's database cannot store it (PostgreSQL refuses it in the catalog's search index, and the entity would be missing from every list); remove the character`,
    );
  }

  const size = sizeOf(root, walked);
  const [limit, key] =
    isProduct && limits.maxDescriptorSize <= limits.maxDocumentSize
      ? [limits.maxDescriptorSize, limits.descriptorSizeKey]
      : [limits.maxDocumentSize, limits.documentSizeKey];
  if (size <= limit) return undefined;
  const path = descriptorPath(whereLimitPassed(root, limit, walked));
  if (standIn) {
    return standIn(
      descriptorTooLarge(path, limit),
      `the limit is ${key}; YAML aliases count each time they repeat their anchor`,
    );
  }
  const what =
    typeof identity.kind === 'string'
      ? `${escapeText(identity.kind, 60)} document`
      : 'document';
  return processingResult.generalError(
    location,
    `YAML error at ${loc}, the ${what} at ${line} is larger than ${formatByteSize(
      limit,
    )} as JSON, with its YAML aliases expanded (the limit is passed at ${path}); the catalog takes documents of at most ${formatByteSize(
      limit,
    )} (${key}). Look for aliases that repeat large parts, or split the document`,
  );
}

/**
 * The largest catalog document of a kind other than DataProduct that the
 * module's file reader takes by default, as JSON with its YAML aliases
 * expanded: 16 MiB. It is generous on purpose, being there only to stop
 * alias expansion: inline API definitions, the largest documents portals
 * hold, run to a few MiB, and a document of 100 MiB held the catalog's
 * event loop for 6 to 8 s on each read (`bench/catalog-descriptors.ts`).
 *
 * @public
 */
export const DEFAULT_MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;

/**
 * Options of {@link createCatalogFileParser}, in bytes of JSON.
 *
 * @public
 */
export type CatalogFileParserOptions = {
  /** The largest DataProduct document. Default 512 KiB (`DEFAULT_MAX_DESCRIPTOR_SIZE` of `@quanta/plugin-data-mesh-common`). */
  maxDescriptorSize?: number;
  /** The largest document of any other kind. Default {@link DEFAULT_MAX_DOCUMENT_SIZE}. */
  maxDocumentSize?: number;
};

/**
 * A catalog file parser (for `catalogModelExtensionPoint.setEntityDataParser`)
 * that reads YAML as Backstage's own parser does, but bounds the work a
 * hostile file can cause: duplicate keys found in linear time, documents
 * whose YAML aliases expand beyond a limit refused before they are
 * expanded, alias cycles and entity references the catalog's database
 * cannot store refused with an error that names them. A DataProduct it
 * refuses becomes an entity with only its name, which the DataProduct
 * processor refuses with the reason, so that the error shows on the
 * product and the rest of its file is read. Every other document reads as
 * with Backstage's parser.
 *
 * @public
 */
export function createCatalogFileParser(
  options: CatalogFileParserOptions = {},
): CatalogProcessorParser {
  const limits: CatalogYamlLimits = {
    maxDescriptorSize: options.maxDescriptorSize ?? DEFAULT_MAX_DESCRIPTOR_SIZE,
    maxDocumentSize: options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE,
    descriptorSizeKey: MAX_DESCRIPTOR_SIZE_KEY,
    documentSizeKey: MAX_DOCUMENT_SIZE_KEY,
  };
  return async function* parseCatalogFile({ data, location }) {
    yield* readCatalogYaml(data, location, limits);
  };
}
