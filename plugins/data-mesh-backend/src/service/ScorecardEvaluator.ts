import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type DataProductEntity,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import {
  type PolicyEngine,
  createMeshIndex,
  dataProductRefsOf,
} from '@quanta/plugin-data-mesh-node';
import type {
  DataMeshStore,
  RunRecord,
  RunTrigger,
  StoredScorecard,
} from '../database/DataMeshStore';

/** Kinds a data product's policies may look up. */
const MESH_KINDS = [
  'DataProduct',
  'Group',
  'User',
  'Domain',
  'System',
  'Component',
  'API',
  'Resource',
];
const PAGE_SIZE = 500;

export type EvaluationOutcome =
  | { started: true; run: RunRecord }
  | { started: false; run: RunRecord | undefined };

/**
 * Evaluates the mesh: reads the catalog in pages, evaluates every product in
 * memory and writes the results in one transaction. Only one evaluation runs
 * at a time, across all backend instances.
 */
export class ScorecardEvaluator {
  constructor(
    private readonly options: {
      engine: PolicyEngine;
      store: DataMeshStore;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** Longest a run may take before its lock counts as abandoned. */
      timeoutMs: number;
      retentionDays: number;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Reads every entity a policy may look up, page by page. */
  async readMesh(): Promise<Entity[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: { kind: MESH_KINDS }, limit: PAGE_SIZE },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }

  /**
   * Evaluates the whole mesh, or only `entityRef` (against the whole mesh, as
   * policies such as address uniqueness need it). Returns without work when
   * another evaluation is running; callers get that run instead.
   */
  async evaluate(options: {
    trigger: RunTrigger;
    entityRef?: string;
  }): Promise<EvaluationOutcome> {
    const { store, engine, logger } = this.options;
    const startedAt = this.now();
    const lock = await store.tryStartRun(
      options.trigger,
      startedAt,
      this.options.timeoutMs,
    );
    if (!lock.started) {
      return { started: false, run: await store.getRun(lock.runId) };
    }
    const { runId } = lock;
    try {
      const { result, statements } = await store.countStatements(async () => {
        const entities = await this.readMesh();
        const mesh = createMeshIndex(entities);
        const products = entities
          .filter(isDataProductEntity)
          .filter(
            p =>
              !options.entityRef ||
              stringifyEntityRef(p).toLocaleLowerCase('en-US') ===
                options.entityRef,
          );
        const now = this.now();
        const waivers = await store.listActiveWaivers(now);
        const waiversByProduct = new Map<string, typeof waivers>();
        for (const waiver of waivers) {
          const list = waiversByProduct.get(waiver.entityRef) ?? [];
          list.push(waiver);
          waiversByProduct.set(waiver.entityRef, list);
        }
        const scorecards = products.map(product =>
          this.scorecardOf(product, engine, mesh, now, waiversByProduct),
        );
        await store.writeEvaluation({
          runId,
          now,
          scorecards,
          complete: !options.entityRef,
        });
        await store.enforceRetention(now, this.options.retentionDays);
        return { products: products.length };
      });
      const finishedAt = this.now();
      await store.finishRun(runId, {
        status: 'completed',
        finishedAt,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        products: result.products,
        policies: engine.policies.length,
        statements,
      });
      logger.info(
        `Evaluated ${result.products} data products against ${
          engine.policies.length
        } policies in ${
          finishedAt.getTime() - startedAt.getTime()
        } ms (${statements} SQL statements)`,
      );
    } catch (error) {
      const finishedAt = this.now();
      await store.finishRun(runId, {
        status: 'failed',
        finishedAt,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        error: String((error as Error)?.message ?? error),
      });
      logger.error(`Data mesh evaluation ${runId} failed`, error as Error);
      throw error;
    }
    return { started: true, run: (await store.getRun(runId))! };
  }

  private scorecardOf(
    product: DataProductEntity,
    engine: PolicyEngine,
    mesh: ReturnType<typeof createMeshIndex>,
    now: Date,
    waiversByProduct: Map<string, any[]>,
  ): StoredScorecard {
    const entityRef = stringifyEntityRef(product).toLocaleLowerCase('en-US');
    const card = engine.evaluate(
      product,
      { mesh, now, facts: {} },
      waiversByProduct.get(entityRef) ?? [],
    );
    // Parsed once already, by the engine's evaluation above.
    const refs = dataProductRefsOf(product);
    return {
      ...card,
      domain: refs.domain && stringifyEntityRef(refs.domain),
      owner: refs.owner && stringifyEntityRef(refs.owner),
    };
  }
}
