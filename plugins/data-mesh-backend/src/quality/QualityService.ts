import { InputError } from '@backstage/errors';
import {
  QUALITY_WINDOW_DAYS,
  type QualityBreachesResponse,
  type QualityCheckView,
  type QualityIngestResponse,
  type QualityPassRateDay,
  type QualityResponse,
  type QualityResultFormat,
  type QualityRunSummary,
} from '@quanta/plugin-data-mesh-common';
import { parseResultsInSlices } from './formats';
import type { ProductDirectory, ProductInfo } from './ProductDirectory';
import type {
  QualityFacts,
  QualityStore,
  StoredQualityRun,
} from './QualityStore';
import {
  CLOCK_SKEW_MS,
  MAX_LOOKBACK_MS,
  WINDOW_MS,
  declaredSlos,
  evaluateSlos,
  lookbackFor,
} from './slo';
import { FUTURE_LIMIT_MS } from '../shared/time';

/** Most failing checks one product's status lists. */
const MAX_FAILING = 200;
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();

function summaryOf(run: StoredQualityRun): QualityRunSummary {
  return {
    source: run.source,
    runId: run.runId,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    receivedAt: iso(run.receivedAt),
    ...(run.url ? { url: run.url } : {}),
    ...(run.outputPort ? { outputPort: run.outputPort } : {}),
    lastUpdatedAt: iso(run.arrivedAt),
    checks: run.checks,
    pass: run.pass,
    warn: run.warn,
    fail: run.fail,
    error: run.error,
  };
}

function futureNote(count: number): string[] {
  if (!count) return [];
  return [
    `${count} ${
      count === 1 ? 'run finishes' : 'runs finish'
    } more than 5 minutes after now and ${
      count === 1 ? 'is' : 'are'
    } left out: check the pipeline's clock and time zone`,
  ];
}

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
  /** When the run ended, for documents that carry no time of their own. */
  runAt?: string;
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
      /** Share of the window a duration SLO must hold, in percent. */
      durationSloTarget: number;
    },
  ) {}

  /**
   * A product's quality now: its newest runs, failing checks, the daily
   * pass rate over the window and each declared SLO's status. Undefined
   * for an entity that is not a data product in the catalog.
   */
  async status(
    entityRef: string,
    at: Date,
  ): Promise<QualityResponse | undefined> {
    const { store, directory } = this.options;
    const product = await directory.byRef(entityRef);
    if (!product) return undefined;
    const ref = product.entityRef;
    const now = at.getTime();
    const until = now + CLOCK_SKEW_MS;
    const [inputs, latest] = await Promise.all([
      store
        .sloInputs({
          from: now - WINDOW_MS,
          until,
          lookbackMs: lookbackFor(product.slos, now),
          entityRefs: [ref],
        })
        .then(map => map.get(ref)),
      store.latestRuns(ref, until),
    ]);
    const firstDay = Math.floor(now / DAY) - (QUALITY_WINDOW_DAYS - 1);
    const [failing, byDay] = await Promise.all([
      store.failingChecks(
        latest.map(run => run.pk),
        MAX_FAILING,
      ),
      store.outcomesByDay(ref, firstDay * DAY, until),
    ]);
    const runs = new Map(latest.map(run => [run.pk, run]));
    const failingViews: QualityCheckView[] = failing.map(
      ({ runPk, finishedAt, ...check }) => ({
        ...check,
        source: runs.get(runPk)!.source,
        runId: runs.get(runPk)!.runId,
        at: iso(finishedAt),
      }),
    );
    const days = new Map(byDay.map(d => [d.day, d]));
    const passRate: QualityPassRateDay[] = [];
    for (let day = firstDay; day <= Math.floor(now / DAY); day++) {
      const counts = days.get(day);
      passRate.push({
        day: iso(day * DAY).slice(0, 10),
        checks: counts?.checks ?? 0,
        passed: counts?.passed ?? 0,
        ...(counts?.checks
          ? {
              passRate: Number(
                ((counts.passed / counts.checks) * 100).toFixed(2),
              ),
            }
          : {}),
      });
    }
    const summaries = latest.map(summaryOf);
    return {
      entityRef: ref,
      evaluatedAt: at.toISOString(),
      windowDays: QUALITY_WINDOW_DAYS,
      hasResults: inputs?.firstRunAt !== undefined,
      ...(summaries.length ? { latestRun: summaries[0] } : {}),
      latestRuns: summaries,
      failing: failingViews,
      passRate,
      slos: evaluateSlos({
        slos: product.slos,
        inputs,
        now,
        durationTarget: this.options.durationSloTarget,
      }),
      notes: futureNote(inputs?.futureRuns ?? 0),
    };
  }

  /**
   * Products breaching at least one SLO now, by domain: the whole mesh in
   * two statements.
   */
  async breaches(at: Date): Promise<QualityBreachesResponse> {
    const { store, directory } = this.options;
    const now = at.getTime();
    const products = (await directory.all()).filter(
      p => declaredSlos(p.slos).length > 0,
    );
    const lookback = Math.min(
      MAX_LOOKBACK_MS,
      Math.max(0, ...products.map(p => lookbackFor(p.slos, now))),
    );
    const inputs = await store.sloInputs({
      from: now - WINDOW_MS,
      until: now + CLOCK_SKEW_MS,
      lookbackMs: lookback,
    });
    const byDomain = new Map<string, QualityBreachesResponse['domains'][0]>();
    let noData = 0;
    for (const product of products) {
      const productInputs = inputs.get(product.entityRef);
      if (!productInputs || productInputs.lastRunAt === undefined) {
        noData++;
        continue;
      }
      const breached = evaluateSlos({
        slos: product.slos,
        inputs: productInputs,
        now,
        durationTarget: this.options.durationSloTarget,
      })
        .filter(slo => slo.status === 'breached')
        .map(slo => ({ slo: slo.slo, message: slo.message }));
      if (!breached.length) continue;
      const domain = product.domain ?? 'none';
      const entry = byDomain.get(domain) ?? { domain, items: [] };
      entry.items.push({
        entityRef: product.entityRef,
        ...(product.title ? { title: product.title } : {}),
        ...(product.domain ? { domain: product.domain } : {}),
        ...(product.owner ? { owner: product.owner } : {}),
        breached,
      });
      byDomain.set(domain, entry);
    }
    return {
      evaluatedAt: at.toISOString(),
      products: products.length,
      noData,
      domains: [...byDomain.values()]
        .sort(
          (a, b) =>
            b.items.length - a.items.length || a.domain.localeCompare(b.domain),
        )
        .map(entry => ({
          ...entry,
          items: entry.items.sort((a, b) =>
            a.entityRef.localeCompare(b.entityRef),
          ),
        })),
    };
  }

  /**
   * Quality facts of every product with results, for the governance
   * engine, in one statement: the checks of the newest run of each source
   * and when data last arrived.
   */
  async facts(
    at: Date,
    entityRefs?: string[],
  ): Promise<Map<string, QualityFacts>> {
    return this.options.store.facts(at.getTime() + CLOCK_SKEW_MS, entityRefs);
  }

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
    let runAt: Date | undefined;
    if (query.runAt) {
      runAt = new Date(query.runAt);
      if (runAt.getTime() > receivedAt.getTime() + CLOCK_SKEW_MS) {
        throw new InputError(
          `query.runAt: ${
            query.runAt
          } is after now (${receivedAt.toISOString()}); check the pipeline's clock and time zone`,
        );
      }
    }
    // In slices: a 5 MB document would otherwise hold the event loop, and
    // every other request, for as long as it takes to read.
    const parsed = await parseResultsInSlices(
      query.format ?? 'quanta',
      request.body,
      { receivedAt, runAt },
    );
    // A run from the future would count as fresh data for as long as it
    // lasts; a little skew is noted and left out of the figures instead.
    if (
      Date.parse(parsed.run.finishedAt) >
      receivedAt.getTime() + FUTURE_LIMIT_MS
    ) {
      throw new InputError(
        `body: the run finishes at ${
          parsed.run.finishedAt
        }, more than a day after now (${receivedAt.toISOString()}); check the pipeline's clock and time zone: runs from the future are not stored`,
      );
    }
    const { product, port } = await this.resolve(query, parsed.target);
    const run = {
      ...parsed.run,
      ...(query.source ? { source: query.source } : {}),
      ...(query.runId ? { runId: query.runId } : {}),
      ...(query.url ? { url: query.url } : {}),
    };
    if (run.url && run.url.length > 2000) delete run.url;
    const outcome = await this.options.store.ingest(
      {
        ...run,
        entityRef: product.entityRef,
        outputPort: port,
        undated: parsed.dated === 'receipt',
      },
      receivedAt,
    );
    return {
      entityRef: product.entityRef,
      source: run.source,
      runId: run.runId,
      stored: outcome.stored,
      duplicates: outcome.duplicates,
      skipped: parsed.skipped,
      ...(parsed.dated === 'receipt'
        ? {
            note: `The document carries no time of its own, so the run is dated when it was received (${run.finishedAt}) and does not count as fresh data for the freshness and interval-of-change SLOs. Pass runAt=<ISO 8601 date-time> with the post to date it.`,
          }
        : {}),
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
