import { InputError } from '@backstage/errors';
import type {
  QualityIngestResponse,
  QualityResultFormat,
} from '@quanta/plugin-data-mesh-common';
import type { QualityStore } from '../database/QualityStore';
import { parseResults } from './formats';
import type { ProductDirectory, ProductInfo } from './ProductDirectory';

/** Query parameters of `POST /quality/results`, validated. */
export type IngestQuery = {
  format?: QualityResultFormat;
  entityRef?: string;
  address?: string;
  dataset?: string;
  outputPort?: string;
  source?: string;
  runId?: string;
  url?: string;
};

const list = (refs: string[]) =>
  refs.length > 3
    ? `${refs.slice(0, 3).join(', ')} and ${refs.length - 3} more`
    : refs.join(', ');

/**
 * Quality results: where a posted document belongs, storing it, and what
 * the stored results say about each product's SLOs.
 */
export class QualityService {
  constructor(
    private readonly options: {
      store: QualityStore;
      directory: ProductDirectory;
    },
  ) {}

  /**
   * Converts, places and stores one posted document. Query parameters win
   * over what the document says: `source`, `runId` and `url` replace the
   * run's; `entityRef`, `address` or `dataset` name the product.
   */
  async ingest(request: {
    body: string;
    query: IngestQuery;
    receivedAt: Date;
  }): Promise<QualityIngestResponse> {
    const { query, receivedAt } = request;
    const parsed = parseResults(query.format ?? 'quanta', request.body, {
      receivedAt,
    });
    const { product, port } = await this.resolve(query, parsed.target);
    const run = {
      ...parsed.run,
      ...(query.source ? { source: query.source } : {}),
      ...(query.runId ? { runId: query.runId } : {}),
      ...(query.url ? { url: query.url } : {}),
    };
    if (run.url && run.url.length > 2000) delete run.url;
    const outcome = await this.options.store.ingest(
      { ...run, entityRef: product.entityRef, outputPort: port },
      receivedAt,
    );
    return {
      entityRef: product.entityRef,
      source: run.source,
      runId: run.runId,
      stored: outcome.stored,
      duplicates: outcome.duplicates,
      skipped: parsed.skipped,
    };
  }

  /** The product (and output port) results belong to, or a 400 naming the field. */
  private async resolve(
    query: IngestQuery,
    target: { entityRef?: string; address?: string; outputPort?: string } = {},
  ): Promise<{ product: ProductInfo; port?: string }> {
    const { directory } = this.options;
    const given = (['entityRef', 'address', 'dataset'] as const).filter(
      key => query[key],
    );
    if (given.length > 1) {
      throw new InputError(
        `query: name the data product once, by entityRef, address or dataset; found ${given.join(
          ' and ',
        )}`,
      );
    }
    type Match = { product: ProductInfo; port?: string };
    const byAddress = async (
      address: string,
      field: string,
      find: (value: string) => ReturnType<ProductDirectory['byAddress']>,
    ): Promise<Match> => {
      const serving = await find(address);
      const products = [...new Set(serving.map(s => s.product.entityRef))];
      if (products.length === 0) {
        throw new InputError(
          `${field}: no output port of a data product in the catalog is at "${address}"`,
        );
      }
      if (products.length > 1) {
        throw new InputError(
          `${field}: "${address}" matches output ports of ${
            products.length
          } data products (${list(products)}); post with entityRef instead`,
        );
      }
      return { product: serving[0].product, port: serving[0].port };
    };
    const byRef = async (ref: string, field: string): Promise<Match> => {
      const product = await directory.byRef(ref);
      if (!product) {
        throw new InputError(
          `${field}: ${ref} is not a data product in the catalog`,
        );
      }
      return { product };
    };

    let match: Match;
    if (query.entityRef)
      match = await byRef(query.entityRef, 'query.entityRef');
    else if (query.address) {
      match = await byAddress(query.address, 'query.address', a =>
        directory.byAddress(a),
      );
    } else if (query.dataset) {
      match = await byAddress(query.dataset, 'query.dataset', d =>
        directory.byDataset(d),
      );
    } else if (target.entityRef) {
      match = await byRef(target.entityRef, 'body.entityRef');
    } else if (target.address) {
      match = await byAddress(target.address, 'body.address', a =>
        directory.byAddress(a),
      );
    } else {
      throw new InputError(
        'query.entityRef: expected the data product the results are about, as entityRef=dataproduct:default/orders, address=<an output port address> or dataset=<a table name>',
      );
    }
    const found = match.product;

    const named = query.outputPort ?? target.outputPort;
    if (named) {
      const field = query.outputPort ? 'query.outputPort' : 'body.outputPort';
      if (!found.outputPorts.some(p => p.name === named)) {
        throw new InputError(
          `${field}: ${
            found.entityRef
          } has no output port "${named}"; its ports are ${
            found.outputPorts.map(p => p.name).join(', ') || 'none'
          }`,
        );
      }
      return { product: found, port: named };
    }
    return match;
  }
}
