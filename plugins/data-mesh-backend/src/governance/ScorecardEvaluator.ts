import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ANNOTATION_SOURCE_TEMPLATE,
  type DataProductEntity,
  entityRefKey,
  isDataProductEntity,
} from '@quanta/plugin-data-mesh-common';
import {
  DATA_MESH_PRODUCTS_CHANGED_MAX_PRODUCTS,
  DATA_MESH_PRODUCTS_CHANGED_TOPIC,
  type DataMeshProductChange,
  type DataMeshProductsChangedEvent,
  type PolicyEngine,
  type ProductFacts,
  createMeshIndex,
  dataProductRefsOf,
  waiversFromDescriptor,
} from '@quanta/plugin-data-mesh-node';
import { readCatalog, readMesh } from '../shared/catalog';
import { pause } from '../shared/slices';
import type {
  AccessFactSource,
  ContractFactSource,
  LineageFactSource,
  QualityFactSource,
} from '../shared/facts';
import { type GovernanceHistory, dayOf } from './GovernanceHistory';
import type {
  EvaluationChanges,
  GovernanceStore,
  RunRecord,
  RunTrigger,
  StoredScorecard,
} from './GovernanceStore';
import type { StoredWaiver, WaiverSync, WaiverStore } from './WaiverStore';

/** Change detection reads only names and etags, so pages can be larger. */
const ETAG_PAGE_SIZE = 2000;

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
      store: GovernanceStore;
      waivers: WaiverStore;
      history: GovernanceHistory;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** Records waiver grants, changes, removals and expiries. */
      auditor?: AuditorService;
      /** Longest a run may take before its lock counts as abandoned. */
      timeoutMs: number;
      retentionDays: number;
      lineageFacts?: LineageFactSource;
      qualityFacts?: QualityFactSource;
      contractFacts?: ContractFactSource;
      accessFacts?: AccessFactSource;
      /** Where runs that changed products say so (`data-mesh.products.changed`). */
      events?: EventsService;
      now?: () => Date;
    },
  ) {}

  private retentionDay: string | undefined;

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Reads every entity a policy may look up, page by page. */
  async readMesh(): Promise<Entity[]> {
    return readMesh(this.options);
  }

  /**
   * Evaluates the whole mesh, or only some products (against the whole mesh,
   * as policies such as address uniqueness need it). Returns without work
   * when another evaluation is running; callers get that run instead.
   */
  async evaluate(options: {
    trigger: RunTrigger;
    /** One product, as the API asks. */
    entityRef?: string;
    /** Some products, as change detection asks. */
    entityRefs?: string[];
    /** Products gone from the catalog since they were evaluated. */
    removed?: string[];
    /**
     * The mesh as the caller has just read it (change detection, to find
     * what reads from the changed products): evaluated rather than read
     * again, which at 10,000 products costs seconds.
     */
    entities?: Entity[];
  }): Promise<EvaluationOutcome> {
    const { store, history, engine, logger } = this.options;
    const only =
      options.entityRef || options.entityRefs
        ? new Set([
            ...(options.entityRef ? [options.entityRef] : []),
            ...(options.entityRefs ?? []),
          ])
        : undefined;
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
    let audit: { sync: WaiverSync; expired: StoredWaiver[] } | undefined;
    let changes: EvaluationChanges | undefined;
    try {
      const { result, statements } = await store.countStatements(async () => {
        const entities = options.entities ?? (await this.readMesh());
        const mesh = createMeshIndex(entities);
        const products = entities
          .filter(isDataProductEntity)
          .filter(p => !only || only.has(entityRefKey(p)));
        const now = this.now();
        // Descriptor waivers are read from the entity by the engine itself.
        const waivers = await this.options.waivers.listActiveWaivers(now, {
          source: 'api',
        });
        const waiversByProduct = new Map<string, typeof waivers>();
        for (const waiver of waivers) {
          const list = waiversByProduct.get(waiver.entityRef) ?? [];
          list.push(waiver);
          waiversByProduct.set(waiver.entityRef, list);
        }
        const lineage = await this.options.lineageFacts?.(entities, now);
        const quality = await this.options.qualityFacts?.(
          now,
          only ? products.map(product => entityRefKey(product)) : undefined,
        );
        // A partial run evaluates products that just changed (or one asked
        // for): their contracts are read now, not at the next refresh.
        const contracts = await this.options.contractFacts?.(products, {
          refresh: Boolean(only),
        });
        const access = await this.options.accessFacts?.(products);
        // 10,000 products take a tenth of a second or more: in slices, so
        // that the backend answers other requests meanwhile.
        const scorecards: StoredScorecard[] = [];
        for (const product of products) {
          await pause();
          const ref = entityRefKey(product);
          scorecards.push(
            this.scorecardOf(
              product,
              engine,
              mesh,
              now,
              waiversByProduct,
              lineage?.get(ref),
              quality?.get(ref),
              contracts?.get(ref),
              access?.get(ref),
            ),
          );
        }
        const written = await store.writeEvaluation({
          runId,
          now,
          scorecards,
          complete: !only,
          removed: options.removed,
        });
        const declared = products.flatMap(waiversFromDescriptor);
        const sync = await this.options.waivers.syncDeclaredWaivers(
          declared,
          now,
          only ? [...only, ...(options.removed ?? [])] : undefined,
        );
        const expired = await this.options.waivers.expireWaivers(now);
        audit = { sync, expired };
        // History is kept by the day, so cutting it once a day is enough.
        if (this.retentionDay !== dayOf(now)) {
          await history.enforceRetention(now, this.options.retentionDays);
          this.retentionDay = dayOf(now);
        }
        return { products: products.length, changes: written };
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
      changes = result.changes;
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
    if (audit) await this.auditWaivers(audit.sync, audit.expired);
    if (changes) await this.publishChanges(options.trigger, runId, changes);
    return { started: true, run: (await store.getRun(runId))! };
  }

  /**
   * Re-evaluates the products whose catalog entry changed since they were
   * evaluated, the products that read from them, and drops products that
   * left the catalog — without waiting for the next full run.
   */
  async evaluateChanges(): Promise<
    EvaluationOutcome | { started: false; run: undefined; changed: 0 }
  > {
    const { store } = this.options;
    const current = new Map<string, string | undefined>();
    for await (const item of readCatalog(this.options, {
      kind: 'DataProduct',
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.etag'],
      pageSize: ETAG_PAGE_SIZE,
    })) {
      current.set(entityRefKey(item), item.metadata.etag);
    }

    const evaluated = await store.getEtags();
    const changed = [...current]
      .filter(
        ([ref, etag]) => !evaluated.has(ref) || evaluated.get(ref) !== etag,
      )
      .map(([ref]) => ref);
    const removed = [...evaluated.keys()].filter(ref => !current.has(ref));
    if (changed.length === 0 && removed.length === 0) {
      return { started: false, run: undefined, changed: 0 };
    }
    // Most of the mesh changed (or was never evaluated): a full run is cheaper.
    if (changed.length > current.size / 2) {
      return this.evaluate({ trigger: 'catalog' });
    }
    const touched = new Set([...changed, ...removed]);
    const entities = await this.readMesh();
    const affected = new Set(changed);
    for (const product of entities.filter(isDataProductEntity)) {
      const reads = dataProductRefsOf(product).inputPorts;
      if (
        reads.some(
          port =>
            port.dataProduct && touched.has(entityRefKey(port.dataProduct)),
        )
      ) {
        affected.add(entityRefKey(product));
      }
    }
    return this.evaluate({
      trigger: 'catalog',
      entityRefs: [...affected],
      removed,
      entities,
    });
  }

  /**
   * Tells subscribers (such as the search index) which products changed, in
   * events of at most 500 products. After the run is stored, so that what
   * they read back from the API is the new state. A failure to publish is
   * logged and does not fail the run: subscribers catch up on their own
   * schedules.
   */
  private async publishChanges(
    trigger: RunTrigger,
    runId: number,
    changes: EvaluationChanges,
  ) {
    const { events, logger } = this.options;
    if (!events) return;
    const products: DataMeshProductChange[] = [
      ...changes.changed.map(
        (change): DataMeshProductChange => ({
          entityRef: change.entityRef,
          catalog: change.catalogChanged ? 'updated' : 'unchanged',
          scorecardChanged: change.scorecardChanged,
        }),
      ),
      ...changes.removed.map(
        (entityRef): DataMeshProductChange => ({
          entityRef,
          catalog: 'removed',
          scorecardChanged: false,
        }),
      ),
    ];
    try {
      for (
        let i = 0;
        i < products.length;
        i += DATA_MESH_PRODUCTS_CHANGED_MAX_PRODUCTS
      ) {
        const eventPayload: DataMeshProductsChangedEvent = {
          trigger,
          runId,
          products: products.slice(
            i,
            i + DATA_MESH_PRODUCTS_CHANGED_MAX_PRODUCTS,
          ),
        };
        await events.publish({
          topic: DATA_MESH_PRODUCTS_CHANGED_TOPIC,
          eventPayload,
        });
      }
    } catch (error) {
      logger.warn(
        `Could not publish the ${products.length} data products evaluation run ${runId} changed on ${DATA_MESH_PRODUCTS_CHANGED_TOPIC}: ${error}`,
      );
    }
  }

  private async auditWaivers(sync: WaiverSync, expired: StoredWaiver[]) {
    const { auditor } = this.options;
    if (!auditor) return;
    const events: Array<[string, StoredWaiver]> = [
      ...sync.granted.map(w => ['waiver-grant', w] as [string, StoredWaiver]),
      ...sync.changed.map(w => ['waiver-change', w] as [string, StoredWaiver]),
      ...sync.revoked.map(w => ['waiver-revoke', w] as [string, StoredWaiver]),
      ...expired.map(w => ['waiver-expire', w] as [string, StoredWaiver]),
    ];
    for (const [eventId, waiver] of events) {
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        meta: {
          waiverId: waiver.id,
          source: waiver.source,
          entityRef: waiver.entityRef,
          policyId: waiver.policyId,
          expiresAt: waiver.expiresAt,
          grantedBy: waiver.grantedBy,
          ...(waiver.revokedBy ? { revokedBy: waiver.revokedBy } : {}),
        },
      });
      await event.success();
    }
  }

  private scorecardOf(
    product: DataProductEntity,
    engine: PolicyEngine,
    mesh: ReturnType<typeof createMeshIndex>,
    now: Date,
    waiversByProduct: Map<string, any[]>,
    lineage: ProductFacts['lineage'],
    quality?: ProductFacts['quality'],
    contracts?: ProductFacts['contracts'],
    access?: ProductFacts['access'],
  ): StoredScorecard {
    const entityRef = entityRefKey(product);
    const card = engine.evaluate(
      product,
      {
        mesh,
        now,
        facts: {
          ...(lineage ? { lineage } : {}),
          ...(quality ? { quality } : {}),
          ...(contracts ? { contracts } : {}),
          ...(access ? { access } : {}),
        },
      },
      waiversByProduct.get(entityRef) ?? [],
    );
    // Parsed once already, by the engine's evaluation above.
    const refs = dataProductRefsOf(product);
    return {
      ...card,
      domain: refs.domain && stringifyEntityRef(refs.domain),
      owner: refs.owner && stringifyEntityRef(refs.owner),
      fromTemplate: Boolean(
        product.metadata.annotations?.[ANNOTATION_SOURCE_TEMPLATE],
      ),
      etag: product.metadata.etag,
    };
  }
}
