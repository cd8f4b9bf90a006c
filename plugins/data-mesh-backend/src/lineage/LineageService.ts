import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  entityRefKey,
  type LineageResponse,
  type MeshLineageResponse,
  type OpenLineageIngestResponse,
  type UnmappedDatasetsResponse,
} from '@quanta/plugin-data-mesh-common';
import type { ProductFacts } from '@quanta/plugin-data-mesh-node';
import { type ConsumerGrant, LineageGraph } from './LineageGraph';
import type { LineageStore } from './LineageStore';
import type { DatasetMappingRule } from './mapping';
import type { OpenLineageBatch } from './openLineage';
import { FUTURE_LIMIT_MS } from '../shared/time';

const DEFAULT_MISS_REFRESH_MS = 5_000;
const DEFAULT_FOLLOW_AFTER_MS = 60_000;
const MAX_MISSED = 1_000;
const DAY_MS = 86_400_000;

type Observations = {
  /** The stored revision they were read at. */
  revision: number;
  edges: Awaited<ReturnType<LineageStore['listEdges']>>;
  datasets: Awaited<ReturnType<LineageStore['listDatasets']>>;
  declarations: Awaited<ReturnType<LineageStore['listJobDeclarations']>>;
  grants: ConsumerGrant[];
};

/**
 * Keeps the lineage graph of the mesh in memory, per backend instance.
 *
 * The catalog part is rebuilt when older than `refreshAfterMs`: in the
 * background, so queries keep answering from the previous graph, and only
 * while someone asks (an idle portal reads no catalog for lineage). Every
 * governance evaluation also hands over the entities it read. Observations
 * (events and access grants) are reloaded before the next query once the
 * stored revision differs from the one they were read at: events stored
 * through any instance raise it, so every instance shows them at its next
 * query, at the cost of reading one row per query.
 *
 * An evaluation on any instance raises a mesh revision in the database;
 * another instance that sees it at a query reads the mesh again in the
 * background, at most once per `followAfterMs` (a minute), so an edit of a
 * product's declared lineage shows through every instance once an
 * evaluation read it, not after each instance's own refresh.
 *
 * A query for a product the graph does not know (registered since the last
 * read, or missed by an evaluation that read the catalog while it was still
 * importing) looks up that one entity and adds it to the graph; queries that
 * miss together share rebuilds, paced by what a rebuild costs. The whole
 * mesh is then read in the background, so the new product's relations to other new products
 * follow without the query waiting for a read of every entity.
 */
export class LineageService {
  private entities: Entity[] | undefined;
  private entitiesAt = 0;
  private observations: Observations | undefined;
  private graph: LineageGraph | undefined;
  /** Rebuilds started, and the last one's promise. */
  private generation = 0;
  private building: Promise<void> | undefined;
  private observationsDirty = false;
  private catalogRead: Promise<void> | undefined;
  private observationRead: Promise<void> | undefined;
  private grants: (() => Promise<ConsumerGrant[]>) | undefined;
  private revisionCheck: Promise<void> | undefined;
  /** The stored mesh revision the entities here are as new as. */
  private meshRevision: number | undefined;
  /**
   * References still missing after a read made for them (the catalog has
   * them, its mesh query does not list them), with when: not read for again
   * before the next regular refresh.
   */
  private readonly missed = new Map<string, number>();
  /**
   * Entities looked up for queries since the last read of the mesh, with
   * when: a list read before the lookup does not drop or replace them.
   */
  private readonly patches = new Map<string, { entity: Entity; at: number }>();
  private pendingPatches: Entity[] = [];
  private patching: Promise<void> | undefined;
  /** The last rebuild's cost and end, by the machine's clock. */
  private rebuildMs = 0;
  private rebuiltAt = 0;

  constructor(
    private readonly options: {
      store: LineageStore;
      readMesh: () => Promise<Entity[]>;
      rules: DatasetMappingRule[];
      staleAfterDays: number;
      refreshAfterMs: number;
      /**
       * A product the graph doesn't know yet (created since the last read)
       * makes the query read the catalog again, at most this often, so an
       * unknown reference cannot make every request read the whole mesh.
       */
      missRefreshAfterMs?: number;
      /**
       * At most how often an evaluation on another instance makes this one
       * read the mesh again.
       */
      followAfterMs?: number;
      /**
       * The catalog's entity for a reference, asked when a query misses:
       * the entity found is added to the graph, and a reference the catalog
       * does not have is answered at once, so requests for made-up
       * references cannot keep the instance reading the mesh. Without it,
       * or when it fails, a miss reads the whole mesh before answering.
       */
      getEntity?: (entityRef: string) => Promise<Entity | undefined>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  get staleAfterDays(): number {
    return this.options.staleAfterDays;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The current graph: built on first use, then refreshed as described above. */
  async current(): Promise<LineageGraph> {
    await this.checkRevision();
    if (!this.entities) await this.readCatalog();
    else if (
      this.now().getTime() - this.entitiesAt >
      this.options.refreshAfterMs
    ) {
      this.readCatalogInBackground(
        `Lineage: reading the catalog failed; answering from the graph of ${new Date(
          this.entitiesAt,
        ).toISOString()}`,
      );
    }
    if (this.observationsDirty || !this.observations) {
      await this.readObservations();
    }
    return this.graph!;
  }

  /**
   * Where approved access grants come from; they are edges of their own.
   * Read with the observations.
   */
  useGrants(grants: () => Promise<ConsumerGrant[]>): void {
    this.grants = grants;
    this.observationsDirty = true;
  }

  /**
   * A grant was approved, revoked or expired on this instance: the next
   * query here reads them again, and the raised revision tells the other
   * instances. Never rejects: a failed raise is logged, and the others see
   * the change with their next catalog rebuild.
   */
  grantsChanged(): Promise<void> {
    this.observationsDirty = true;
    return this.options.store
      .raiseRevision()
      .catch(error =>
        this.options.logger.warn(
          `Lineage: could not tell other instances that access grants changed; they show it with their next catalog rebuild`,
          error,
        ),
      );
  }

  /**
   * Marks the observations stale when the stored revision moved since they
   * were read, and reads the mesh in the background when an evaluation
   * elsewhere read a newer one; concurrent queries share one read of both.
   */
  private checkRevision(): Promise<void> {
    if (!this.observations) return Promise.resolve();
    this.revisionCheck ??= (async () => {
      try {
        const { stored, mesh } = await this.options.store.revisions();
        if (stored !== this.observations?.revision) {
          this.observationsDirty = true;
        }
        if (
          this.meshRevision !== undefined &&
          mesh !== this.meshRevision &&
          this.now().getTime() - this.entitiesAt >=
            (this.options.followAfterMs ?? DEFAULT_FOLLOW_AFTER_MS)
        ) {
          this.readCatalogInBackground(
            `Lineage: reading the mesh another instance evaluated failed; answering from the graph of ${new Date(
              this.entitiesAt,
            ).toISOString()}`,
          );
        }
      } finally {
        this.revisionCheck = undefined;
      }
    })();
    return this.revisionCheck;
  }

  /**
   * Rebuilds from entities read elsewhere (the governance evaluation), read
   * no earlier than `readAt`.
   */
  async useEntities(entities: Entity[], readAt: Date): Promise<LineageGraph> {
    await this.checkRevision();
    this.entities = this.withPatches(entities, readAt.getTime());
    this.entitiesAt = this.now().getTime();
    if (!this.observations || this.observationsDirty) {
      await this.readObservations();
    } else await this.rebuild();
    await this.options.store.raiseMeshRevision().then(
      raised => {
        this.meshRevision = raised;
      },
      error =>
        this.options.logger.warn(
          `Lineage: could not tell other instances that the mesh was read anew; they show it with their next catalog rebuild`,
          error,
        ),
    );
    return this.graph!;
  }

  /**
   * Resolves once the reads and rebuilds running now, and those they start,
   * have finished. A rebuild yields to other requests for as long as the
   * machine needs, so waiting for one turn of the event loop is not enough.
   */
  async settled(): Promise<void> {
    let waited: Array<Promise<unknown>> = [];
    for (;;) {
      const running = [
        this.revisionCheck,
        this.catalogRead,
        this.observationRead,
        this.patching,
        this.building,
      ].filter((p): p is Promise<void> => p !== undefined);
      const previous = waited;
      if (
        running.length === previous.length &&
        running.every((p, i) => p === previous[i])
      ) {
        return;
      }
      await Promise.allSettled(running);
      waited = running;
    }
  }

  /** Lineage facts of every observed product, for the policy engine. */
  async factsFor(
    entities: Entity[],
    now: Date,
  ): Promise<Map<string, NonNullable<ProductFacts['lineage']>>> {
    const graph = await this.useEntities(entities, now);
    return graph.facts(now, this.options.staleAfterDays);
  }

  async query(
    entityRef: string,
    options: { upstream: number; downstream: number; limit: number },
  ): Promise<LineageResponse | undefined> {
    let graph = await this.current();
    const missedAt = this.missed.get(entityRef);
    if (
      !graph.has(entityRef) &&
      (missedAt === undefined ||
        this.now().getTime() - missedAt > this.options.refreshAfterMs)
    ) {
      graph = await this.findMissing(entityRef);
      if (!graph.has(entityRef)) {
        // Bounded: such references are rare, and forgetting them only
        // costs one more lookup each.
        if (this.missed.size >= MAX_MISSED) this.missed.clear();
        this.missed.set(entityRef, this.now().getTime());
      }
    }
    return graph.query(entityRef, {
      ...options,
      now: this.now(),
      staleAfterDays: this.options.staleAfterDays,
    });
  }

  /**
   * The graph with `entityRef` in it if the catalog has it: the entity is
   * looked up and added; without a lookup, or when it fails, the whole mesh
   * is read (at most once per `missRefreshAfterMs`).
   */
  private async findMissing(entityRef: string): Promise<LineageGraph> {
    let entity: Entity | undefined;
    let found = false;
    if (this.options.getEntity) {
      try {
        entity = await this.options.getEntity(entityRef);
        found = true;
      } catch (error) {
        this.options.logger.warn(
          `Lineage: could not ask the catalog for ${entityRef}; reading the mesh`,
          error as Error,
        );
      }
    }
    if (found) {
      if (!entity) return this.graph!;
      await this.patch(entity);
      if (this.refreshDue()) {
        this.readCatalogInBackground(
          `Lineage: reading the catalog after adding ${entityRef} failed; its relations to other new products show after the next refresh`,
        );
      }
    } else if (this.refreshDue()) {
      await this.readCatalog();
    }
    return this.graph!;
  }

  private refreshDue(): boolean {
    return (
      this.now().getTime() - this.entitiesAt >=
      (this.options.missRefreshAfterMs ?? DEFAULT_MISS_REFRESH_MS)
    );
  }

  /**
   * Adds an entity to the graph. Entities added while a rebuild waits its
   * turn join it: after a bulk import, many queries miss within seconds of
   * each other, their lookups answering one by one, and a rebuild of a large
   * mesh takes a large part of a second. A rebuild waits as long after the
   * previous one as that one took, so that rebuilding uses at most half the
   * instance's time and each serves the lookups answered meanwhile.
   */
  private patch(entity: Entity): Promise<void> {
    this.pendingPatches.push(entity);
    this.patching ??= (async () => {
      // After a rebuild in flight, which would otherwise be superseded.
      await this.building?.catch(() => undefined);
      const wait = this.rebuiltAt + this.rebuildMs - performance.now();
      await new Promise(resolve => {
        if (wait > 0) setTimeout(resolve, wait);
        else setImmediate(resolve);
      });
    })().then(() => {
      this.patching = undefined;
      const batch = this.pendingPatches;
      this.pendingPatches = [];
      const at = this.now().getTime();
      for (const added of batch) {
        this.patches.set(entityRefKey(added), { entity: added, at });
      }
      this.entities = this.withPatches(this.entities ?? [], at);
      return this.rebuild();
    });
    return this.patching;
  }

  /**
   * A list of the mesh with the entities looked up since it was read: they
   * replace the list's copy or are added. Lookups older than the list are
   * forgotten, since the list has their current state (or their removal).
   */
  private withPatches(entities: Entity[], readAt: number): Entity[] {
    for (const [ref, { at }] of this.patches) {
      if (at < readAt) this.patches.delete(ref);
    }
    if (!this.patches.size) return entities;
    return [
      ...entities.filter(e => !this.patches.has(entityRefKey(e))),
      ...[...this.patches.values()].map(p => p.entity),
    ];
  }

  async mesh(options: {
    groupBy: 'auto' | 'product' | 'domain';
    maxProducts: number;
  }): Promise<MeshLineageResponse> {
    const graph = await this.current();
    return graph.mesh({
      ...options,
      now: this.now(),
      staleAfterDays: this.options.staleAfterDays,
    });
  }

  async unmapped(options: {
    limit: number;
    offset: number;
  }): Promise<UnmappedDatasetsResponse> {
    const graph = await this.current();
    const unmapped = graph
      .unmapped(this.observations!.datasets)
      .sort(
        (a, b) =>
          b.lastSeen - a.lastSeen ||
          a.namespace.localeCompare(b.namespace) ||
          a.name.localeCompare(b.name),
      );
    return {
      totalItems: unmapped.length,
      items: unmapped
        .slice(options.offset, options.offset + options.limit)
        .map(d => ({
          namespace: d.namespace,
          name: d.name,
          firstSeen: new Date(d.firstSeen).toISOString(),
          lastSeen: new Date(d.lastSeen).toISOString(),
          ...(d.lastWritten === undefined
            ? {}
            : { lastWritten: new Date(d.lastWritten).toISOString() }),
        })),
    };
  }

  /**
   * The fields each consumer product reads from `port` of `producer`, as
   * column lineage shows them; products without column lineage for it are
   * absent. Per input and output dataset only the fields of the newest
   * runs count (seen within `staleAfterDays` of the newest read), so a
   * field a consumer stopped reading drops out once its pipeline reports.
   */
  async fieldsRead(
    producer: string,
    port: string,
  ): Promise<Map<string, string[]>> {
    const graph = await this.current();
    const inputs = (await this.options.store.listFieldReadInputs()).filter(
      input => {
        const target = graph.mapDataset(input.namespace, input.name);
        return target?.entityRef === producer && target.port === port;
      },
    );
    if (!inputs.length) return new Map();
    const reads = await this.options.store.listFieldReads(
      inputs.map(i => i.key),
    );
    const pairs = new Map<
      string,
      { consumer: string; newest: number; reads: typeof reads }
    >();
    for (const read of reads) {
      const consumer = graph.mapDataset(
        read.outputNamespace,
        read.outputName,
      )?.entityRef;
      if (!consumer || consumer === producer) continue;
      const key = `${read.inputKey}\u0000${read.outputNamespace}\u0000${read.outputName}`;
      const pair = pairs.get(key) ?? { consumer, newest: 0, reads: [] };
      pair.newest = Math.max(pair.newest, read.lastSeen);
      pair.reads.push(read);
      pairs.set(key, pair);
    }
    const window = this.options.staleAfterDays * DAY_MS;
    const fields = new Map<string, Set<string>>();
    for (const pair of pairs.values()) {
      const set = fields.get(pair.consumer) ?? new Set<string>();
      for (const read of pair.reads) {
        if (read.lastSeen >= pair.newest - window) set.add(read.field);
      }
      fields.set(pair.consumer, set);
    }
    return new Map(
      [...fields].map(([consumer, set]) => [consumer, [...set].sort()]),
    );
  }

  async ingest(batch: OpenLineageBatch): Promise<OpenLineageIngestResponse> {
    // An event from the future would look fresh for as long as it lasts.
    const latest = this.now().getTime() + FUTURE_LIMIT_MS;
    for (const event of [...batch.runs, ...batch.jobs, ...batch.datasets]) {
      if (Date.parse(event.eventTime) > latest) {
        throw new InputError(
          `${batch.paths.get(event) ?? 'body'}.eventTime: ${
            event.eventTime
          } is more than a day after now (${this.now().toISOString()}); check the producer's clock and time zone: events from the future are not stored`,
        );
      }
    }
    const stored = await this.options.store.ingest(batch);
    this.observationsDirty = true;
    return stored;
  }

  /** Starts a read unless one runs; its failure is logged once, by its starter. */
  private readCatalogInBackground(failure: string): void {
    if (this.catalogRead) return;
    this.readCatalog().catch(error => this.options.logger.warn(failure, error));
  }

  private readCatalog(): Promise<void> {
    this.catalogRead ??= (async () => {
      try {
        const readAt = this.now().getTime();
        // Read first: an evaluation meanwhile raises it past this value.
        const { mesh } = await this.options.store.revisions();
        const entities = await this.options.readMesh();
        const observations = await this.loadObservations();
        this.meshRevision = mesh;
        this.entities = this.withPatches(entities, readAt);
        this.entitiesAt = this.now().getTime();
        this.observations = observations;
        await this.rebuild();
      } finally {
        this.catalogRead = undefined;
      }
    })();
    return this.catalogRead;
  }

  private readObservations(): Promise<void> {
    this.observationRead ??= (async () => {
      try {
        // Cleared first: events stored while reading mark it dirty again.
        this.observationsDirty = false;
        this.observations = await this.loadObservations();
        await this.rebuild();
      } catch (error) {
        this.observationsDirty = true;
        throw error;
      } finally {
        this.observationRead = undefined;
      }
    })();
    return this.observationRead;
  }

  private async loadObservations(): Promise<Observations> {
    // Read first: a batch stored meanwhile raises it past this value, so the
    // next query reads again rather than missing it.
    const revision = (await this.options.store.revisions()).stored;
    const [edges, datasets, declarations, grants] = await Promise.all([
      this.options.store.listEdges(),
      this.options.store.listDatasets(),
      this.options.store.listJobDeclarations(),
      this.grants?.() ?? [],
    ]);
    return { revision, edges, datasets, declarations, grants };
  }

  /**
   * Builds the graph from the entities and observations held now, in
   * slices, queries meanwhile answering from the previous graph. Of rebuilds
   * that overlap, the one started last wins (it holds what the others
   * held, or newer); each resolves once a graph at least as new as its own
   * is in place.
   */
  private rebuild(): Promise<void> {
    const { entities, observations } = this;
    if (!entities || !observations) return Promise.resolve();
    const generation = ++this.generation;
    const started = performance.now();
    const building = (async () => {
      const graph = (
        await LineageGraph.built(
          entities,
          this.options.rules,
          new Date(this.entitiesAt),
        )
      )
        .observe(observations.edges, observations.datasets)
        .declare(observations.declarations)
        .grant(observations.grants);
      if (generation === this.generation) {
        this.graph = graph;
        this.rebuiltAt = performance.now();
        this.rebuildMs = this.rebuiltAt - started;
      } else {
        await this.building;
      }
    })();
    this.building = building;
    return building;
  }
}
