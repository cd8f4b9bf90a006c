import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ConcreteLunrQuery,
  LunrSearchEngine,
  type LunrSearchEngineIndexer,
} from '@backstage/plugin-search-backend-node';
import type { SearchQuery } from '@backstage/plugin-search-common';
import lunr from 'lunr';
import { DATA_PRODUCT_SEARCH_TYPE } from '../collator/types';
import { DataProductLunrIndexer } from './DataProductLunrIndexer';
import {
  FACET_KEYS_FIELD,
  IDENTIFIERS_FIELD,
  facetKey,
  identifier,
  isFacetField,
  isIdentifier,
} from './keys';

/** Letters and digits: the words Backstage's Lunr indexer splits text into. */
const WORD = /[\p{L}\p{N}]+/gu;

/** Words joined by hyphens only. */
const HYPHENATED = /^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)+$/u;

/**
 * Backstage's Lunr engine with a query translator for data products.
 *
 * Backstage's translator looks for each word of a query as typed, as a
 * prefix and within two edits, and filters on each word of a facet's value.
 * On data products that costs seconds at 10,000 products: `customer_id` is
 * `customer` or `id`, and `id` within two edits is nearly every short word,
 * so Lunr scores nearly every product; `domain:default/sales` requires
 * `domain` and `default`, which every product holds. This engine indexes
 * `data-product` documents with the `DataProductLunrIndexer` (only the
 * fields queries need, and each product's identifiers and facet values
 * whole), and on that index
 *
 * - looks for an identifier typed (`customer_id`, `sales.orders`,
 *   `iceberg://lake/sales/orders`) whole, and as a prefix, among the
 *   product's identifiers (its name, ports, addresses and schema fields),
 *   and for the words of a hyphenated one (`real-time`) of three letters or
 *   more, ranked below;
 * - looks for any other word as typed (stemmed), as a prefix from three
 *   letters, within one edit from five letters and two from eight; a word
 *   that 5% of the products hold (and at least 50) only as typed;
 * - filters on each facet's one key (the value whole), and on one of the
 *   values of a facet given several;
 * - with filters, returns only the products that hold a word of the query
 *   (Lunr's optional words would list the facet's other products after).
 *
 * At 10,000 products its queries answer within 100 ms at p95 where
 * Backstage's took up to 1.9 s (bench/README.md, "Search"). Other indices (the catalog collator's, TechDocs) and filters on other
 * fields get Backstage's translator as it is.
 *
 * @public
 */
export class DataMeshLunrSearchEngine extends LunrSearchEngine {
  /** Where the data product documents of the current index are. */
  #dataProductLocations: string[] = [];

  constructor(options: { logger: LoggerService }) {
    super(options);
    const backstage = this.translator as (
      query: SearchQuery,
    ) => ConcreteLunrQuery;
    const index = () => this.lunrIndices[DATA_PRODUCT_SEARCH_TYPE];
    const products = () => this.#dataProductLocations.length;
    this.setTranslator(query => {
      const translated = backstage(query);
      return {
        ...translated,
        lunrQueryBuilder(q) {
          if (
            !q.allFields.includes(FACET_KEYS_FIELD) ||
            !q.allFields.includes(IDENTIFIERS_FIELD)
          ) {
            translated.lunrQueryBuilder.call(q, q);
            return;
          }
          buildDataProductQuery(q, query, {
            backstage,
            index: index(),
            products: products(),
          });
        },
      };
    });
  }

  /**
   * Data products are indexed by the `DataProductLunrIndexer`, which
   * indexes only the fields queries need; other types as Backstage does.
   * As Backstage's engine, a run that fails or finds no document leaves
   * the index as it was; a run that succeeds also drops the documents of
   * products that are gone, which Backstage's engine keeps in memory.
   */
  async getIndexer(type: string): Promise<LunrSearchEngineIndexer> {
    if (type !== DATA_PRODUCT_SEARCH_TYPE) return super.getIndexer(type);
    const indexer = new DataProductLunrIndexer();
    let failed = false;
    indexer.on('error', () => {
      failed = true;
    });
    indexer.on('close', () => {
      const documents = indexer.getDocumentStore();
      const locations = Object.keys(documents);
      if (failed || locations.length === 0) {
        this.logger
          .child({ documentType: type })
          .warn(
            `Index for ${type} was not ${
              this.lunrIndices[type] ? 'replaced' : 'created'
            }: ${
              failed
                ? 'an error was encountered'
                : 'indexer received 0 documents'
            }`,
          );
        return;
      }
      this.lunrIndices[type] = narrowingResults(indexer.buildIndex());
      const store = { ...this.docStore };
      for (const location of this.#dataProductLocations) delete store[location];
      this.docStore = Object.assign(store, documents);
      this.#dataProductLocations = locations;
    });
    // The declared type is Backstage's Lunr indexer, which its package does
    // not export at run time to extend; the search backend uses what is
    // returned as the Writable of documents every indexer is.
    return indexer as unknown as LunrSearchEngineIndexer;
  }
}

/**
 * What a data product query's results must hold beyond what Lunr enforces
 * (its required clauses, the single-valued facets).
 *
 * Lunr returns every product that matches a query's required clauses and
 * ranks those that also match optional ones first. Filtered by domain, a
 * search for `customer_id` would list the domain's other products after,
 * holding neither; a facet given several values would rank rather than
 * filter. Requiring the words instead would require each of them and
 * double a query's time, and Lunr has no "one of these values". So the
 * translator notes here what a result must also hold, and the index drops
 * the results that do not.
 */
type Narrowing = {
  /** At least one typed word: a match in a field that is not a filter. */
  words: boolean;
  /** Whether the query has filters; without, every result holds a word. */
  filtered: boolean;
  /** `field\0term` of filters on other fields, which are not words... */
  filterTerms: Set<string>;
  /** ...unless typed as one too. */
  wordTerms: Set<string>;
  /** Of each facet given several values, the keys: one must match. */
  oneOf: Set<string>[];
};

const narrowings = new WeakMap<lunr.Query, Narrowing>();

const fieldTerm = (field: string, term: string) => `${field}\u0000${term}`;

/** The index, whose queries keep only the results their narrowing allows. */
function narrowingResults(index: lunr.Index): lunr.Index {
  const query = index.query.bind(index);
  index.query = (builder: lunr.Index.QueryBuilder) => {
    let narrowing: Narrowing | undefined;
    const results = query(function build(this: lunr.Query, q: lunr.Query) {
      builder.call(q, q);
      narrowing = narrowings.get(q);
    });
    // Most queries have no filter: their results are left as they are.
    if (!narrowing?.filtered) return results;
    const { words, filterTerms, wordTerms, oneOf } = narrowing;
    return results.filter(result => {
      const matched = Object.entries(result.matchData.metadata).flatMap(
        ([term, fields]) => Object.keys(fields).map(field => ({ field, term })),
      );
      return (
        (!words ||
          matched.some(
            ({ field, term }) =>
              field !== FACET_KEYS_FIELD &&
              (wordTerms.has(term) || !filterTerms.has(fieldTerm(field, term))),
          )) &&
        oneOf.every(keys =>
          matched.some(
            ({ field, term }) => field === FACET_KEYS_FIELD && keys.has(term),
          ),
        )
      );
    });
  };
  return index;
}

/**
 * A word in at least this share of the products (and at least
 * `COMMON_WORD_MIN_DOCUMENTS` of them) finds enough as typed: its
 * prefixes and near spellings would add little but work, as Lunr collects
 * every match of every expanded word before it filters and ranks (at
 * 10,000 products, 0.5 s for a word most hold, and seconds of garbage
 * collection after).
 */
const COMMON_WORD_SHARE = 0.05;
const COMMON_WORD_MIN_DOCUMENTS = 50;

/**
 * What a built Lunr index holds (lunr's `Index` attributes), which its type
 * declarations leave out.
 */
type IndexInternals = {
  pipeline: lunr.Pipeline;
  invertedIndex: Record<string, Record<string, Record<string, unknown>>>;
};

/** How many products hold the word as typed (after the search pipeline) in their text. */
function documentsWith(index: lunr.Index | undefined, word: string): number {
  if (!index) return 0;
  const { pipeline, invertedIndex } = index as unknown as IndexInternals;
  let most = 0;
  for (const term of pipeline.runString(word)) {
    const posting = invertedIndex[term]?.text;
    if (posting) most = Math.max(most, Object.keys(posting).length);
  }
  return most;
}

function buildDataProductQuery(
  q: lunr.Query,
  query: SearchQuery,
  options: {
    backstage: (query: SearchQuery) => ConcreteLunrQuery;
    index: lunr.Index | undefined;
    /** How many products the index holds. */
    products: number;
  },
) {
  const { backstage, index, products } = options;
  const common = Math.max(
    COMMON_WORD_MIN_DOCUMENTS,
    Math.ceil(products * COMMON_WORD_SHARE),
  );
  const narrowing: Narrowing = {
    words: false,
    filtered: Object.keys(query.filters ?? {}).length > 0,
    filterTerms: new Set(),
    wordTerms: new Set(),
    oneOf: [],
  };
  narrowings.set(q, narrowing);
  const { pipeline } = (index ?? {}) as Partial<IndexInternals>;
  for (const typed of (query.term ?? '').split(/\s+/)) {
    const id = identifier(typed);
    if (!id) continue;
    narrowing.words = true;
    for (const term of pipeline?.runString(id) ?? [id]) {
      narrowing.wordTerms.add(term);
    }
    if (isIdentifier(id)) {
      q.term(id, {
        fields: [IDENTIFIERS_FIELD],
        usePipeline: true,
        boost: 100,
      });
      q.term(id, {
        fields: [IDENTIFIERS_FIELD],
        usePipeline: false,
        boost: 10,
        wildcard: lunr.Query.wildcard.TRAILING,
      });
      // Words joined by hyphens are also prose (`real-time`, `end-of-day`):
      // their words too, ranked below. An identifier of other joiners is
      // not looked for word by word: its short words (`id`) are in nearly
      // every product.
      if (HYPHENATED.test(id)) {
        for (const word of id.match(WORD) ?? []) {
          if (word.length >= 3) q.term(word, { usePipeline: true, boost: 1 });
        }
      }
      continue;
    }
    // Optional, as in Backstage's translator; with filters, results that
    // hold none of the words are dropped after (`Narrowing`).
    // (Required, Lunr would build and intersect sets of every product
    // holding it in each field: twice the time at 10,000 products.)
    q.term(id, { usePipeline: true, boost: 100 });
    if (documentsWith(index, id) >= common) continue;
    if (id.length >= 3) {
      q.term(id, {
        usePipeline: false,
        boost: 10,
        wildcard: lunr.Query.wildcard.TRAILING,
      });
    }
    // Near spellings of longer words only: within two edits, a short word
    // is nearly every short word. The index holds stems (`invoic` for
    // `invoices`), so a long word's misspelling is often two edits away.
    if (id.length >= 5) {
      q.term(id, {
        usePipeline: false,
        boost: 1,
        editDistance: id.length >= 8 ? 2 : 1,
      });
    }
  }

  const others: NonNullable<SearchQuery['filters']> = {};
  for (const [field, raw] of Object.entries(query.filters ?? {})) {
    const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    if (!isFacetField(field)) {
      others[field] = raw;
    } else if (['string', 'number', 'boolean'].includes(typeof value)) {
      q.term(facetKey(field, String(value)), {
        fields: [FACET_KEYS_FIELD],
        usePipeline: false,
        presence: lunr.Query.presence.REQUIRED,
      });
    } else if (Array.isArray(value) && value.length) {
      // Lunr has no "one of these is required": each value is optional
      // (ranking the products holding several first) and the narrowing
      // keeps the products holding one. No value chosen filters nothing.
      const keys = value.map(one => facetKey(field, String(one)));
      narrowing.oneOf.push(new Set(keys));
      for (const key of keys) {
        q.term(key, { fields: [FACET_KEYS_FIELD], usePipeline: false });
      }
    }
  }
  if (Object.keys(others).length) {
    // Fields of no facet (a portal's own): Backstage's filters, which also
    // refuse a field this index does not have. Their terms are no words.
    const before = q.clauses.length;
    backstage({ ...query, term: '', filters: others }).lunrQueryBuilder.call(
      q,
      q,
    );
    for (const clause of q.clauses.slice(before)) {
      const terms =
        clause.usePipeline === false || !pipeline
          ? [clause.term]
          : pipeline.runString(clause.term);
      for (const field of clause.fields ?? []) {
        for (const term of terms) {
          narrowing.filterTerms.add(fieldTerm(field, term));
        }
      }
    }
  }
}
