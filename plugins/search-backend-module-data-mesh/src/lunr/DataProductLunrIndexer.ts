import { BatchSearchEngineIndexer } from '@backstage/plugin-search-backend-node';
import type { IndexableDocument } from '@backstage/plugin-search-common';
import lunr from 'lunr';
import type { DataProductSearchDocument } from '../collator/types';
import {
  FACET_KEYS_FIELD,
  IDENTIFIERS_FIELD,
  facetKeysOf,
  identifiersOf,
} from './keys';

/**
 * The fields of a data product document Lunr indexes: what a query matches
 * (`text` holds the description, names, ports and fields), the short values
 * the text does not say, and two made from the document: its identifiers
 * whole and a key per facet value (see `keys.ts`).
 */
export const DATA_PRODUCT_LUNR_FIELDS = [
  'title',
  'text',
  'type',
  'lifecycle',
  'classification',
  IDENTIFIERS_FIELD,
  FACET_KEYS_FIELD,
] as const;

const EXTRACTORS: Partial<
  Record<string, (document: DataProductSearchDocument) => string[]>
> = {
  [IDENTIFIERS_FIELD]: identifiersOf,
  [FACET_KEYS_FIELD]: facetKeysOf,
};

/**
 * Backstage's Lunr indexer, for data product documents: the same tokenizer,
 * pipelines and positions (for highlights), but only
 * {@link DATA_PRODUCT_LUNR_FIELDS} rather than every key of the first
 * document. Lunr keeps, for every distinct word, an entry per field, and
 * scores each field a word matches: the document's other fields repeat the
 * text (description, names) or are references whose words (`domain`,
 * `default`) every product holds, and indexing them doubled the heap and
 * the time of queries at 10,000 products.
 */
export class DataProductLunrIndexer extends BatchSearchEngineIndexer {
  readonly #builder = new lunr.Builder();
  readonly #documents: Record<string, IndexableDocument> = {};

  constructor() {
    // Backstage's Lunr indexer's batch.
    super({ batchSize: 1000 });
    const builder = this.#builder;
    builder.tokenizer.separator = /[^\p{L}\p{N}]+/u;
    builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    builder.searchPipeline.add(lunr.stemmer);
    builder.metadataWhitelist = ['position'];
    builder.ref('location');
    for (const field of DATA_PRODUCT_LUNR_FIELDS) {
      const extractor = EXTRACTORS[field];
      builder.field(
        field,
        extractor ? { extractor: extractor as (doc: object) => string[] } : {},
      );
    }
  }

  async initialize(): Promise<void> {}

  async finalize(): Promise<void> {}

  async index(documents: IndexableDocument[]): Promise<void> {
    for (const document of documents) {
      this.#builder.add(document);
      this.#documents[document.location] = document;
    }
  }

  buildIndex(): lunr.Index {
    return this.#builder.build();
  }

  getDocumentStore(): Record<string, IndexableDocument> {
    return this.#documents;
  }
}
