import type { Entity } from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type LineageEdge,
  type LineageGrant,
  type LineageNode,
  type LineageNodeType,
  type LineagePortPair,
  type LineageResponse,
  type MeshLineageResponse,
  dataProductAddress,
  entityRefKey,
  isDataProductEntity,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import type { ProductFacts } from '@quanta/plugin-data-mesh-node';
import { normalizeAddress } from '../shared/address';
import { SLICE, type Work, runInSlices, runNow } from '../shared/slices';
import { type DatasetMappingRule, candidates } from './mapping';

const DAY_MS = 86_400_000;

/** An observed dataset-to-dataset edge, as stored. */
export type ObservedDatasetEdge = {
  inputNamespace: string;
  inputName: string;
  outputNamespace: string;
  outputName: string;
  /** Epoch milliseconds. */
  firstSeen: number;
  lastSeen: number;
  runs: number;
};

/** A dataset seen in events, as stored. */
export type ObservedDataset = {
  namespace: string;
  name: string;
  firstSeen: number;
  lastSeen: number;
  lastWritten?: number;
};

/** A job's inputs and outputs as its newest JobEvent declares them, as stored. */
export type JobDeclaration = {
  jobNamespace: string;
  jobName: string;
  /** Epoch milliseconds. */
  declaredAt: number;
  inputs: Array<{ namespace: string; name: string }>;
  outputs: Array<{ namespace: string; name: string }>;
};

/**
 * An approved access grant, as the access capability lists them: `consumer`
 * may read `port` of `entityRef`.
 */
export type ConsumerGrant = {
  id: string;
  entityRef: string;
  port: string;
  consumer: string;
  purpose: string;
  endDate: string;
  requester: string;
};

type Node = Omit<LineageNode, 'depth'>;

type Observation = {
  firstSeen: number;
  lastSeen: number;
  runs: number;
  outputPorts: string[];
};

type PipelineDeclaration = {
  jobs: string[];
  declaredAt: number;
  outputPorts: string[];
};

type Edge = {
  from: string;
  to: string;
  ports: LineagePortPair[];
  observed?: Observation;
  pipeline?: PipelineDeclaration;
  granted?: LineageGrant[];
};

type Target = { entityRef: string; port?: string };

/**
 * Declared and observed lineage of the whole mesh as adjacency lists, so
 * that any view is answered in memory: one request, no query per node.
 */
export class LineageGraph {
  private readonly nodes = new Map<string, Node>();
  private readonly edges = new Map<string, Edge>();
  private readonly upstream = new Map<string, Edge[]>();
  private readonly downstream = new Map<string, Edge[]>();
  private readonly addresses = new Map<string, Target>();
  /** The same, keyed in lower case, for names that compare regardless of case. */
  private readonly addressesIgnoringCase = new Map<string, Target>();
  /**
   * Products an observed run wrote, with when that was first seen: their
   * declared inputs go stale once runs have been watched for the whole
   * period without reading them.
   */
  private readonly written = new Map<string, number>();
  private readonly mappedCache = new Map<string, Target | null>();
  /** Entities other than products, for consumers that hold grants. */
  private readonly others = new Map<string, Entity>();

  constructor(
    entities: Entity[],
    private readonly rules: DatasetMappingRule[],
    readonly indexedAt: Date,
  ) {
    runNow(this.index(entities));
  }

  /**
   * The same graph, built in slices with the event loop answering other
   * requests between them: indexing 10,000 products takes a few hundred
   * milliseconds, which an instance would otherwise spend answering nothing.
   */
  static async built(
    entities: Entity[],
    rules: DatasetMappingRule[],
    indexedAt: Date,
  ): Promise<LineageGraph> {
    const graph = new LineageGraph([], rules, indexedAt);
    await runInSlices(graph.index(entities));
    return graph;
  }

  /** Indexes entities, pausing between slices of them. */
  private *index(entities: Entity[]): Work<void> {
    const others = this.others;
    const products: DataProductEntity[] = [];
    for (const entity of entities) {
      if (isDataProductEntity(entity)) products.push(entity);
      else others.set(entityRefKey(entity), entity);
    }
    // Each product's reference and parsed refs, for the second pass too.
    const indexed: Array<{
      product: DataProductEntity;
      ref: string;
      refs: ReturnType<typeof parseDataProductRefs>['refs'];
    }> = [];
    let count = 0;
    for (const product of products) {
      if (++count % SLICE === 0) yield;
      const ref = entityRefKey(product);
      const { refs } = parseDataProductRefs(product);
      indexed.push({ product, ref, refs });
      this.nodes.set(ref, {
        entityRef: ref,
        nodeType: 'data-product',
        title: product.metadata.title,
        domain: refs.domain && entityRefKey(refs.domain),
        owner: refs.owner && entityRefKey(refs.owner),
        productType: product.spec?.type,
        lifecycle: product.spec?.lifecycle,
      });
      this.addresses.set(dataProductAddress(product), { entityRef: ref });
      const outputs: unknown[] = Array.isArray(product.spec?.outputPorts)
        ? product.spec.outputPorts
        : [];
      for (const port of outputs as any[]) {
        if (typeof port?.address !== 'string') continue;
        const address = normalizeAddress(port.address);
        // The first product to declare an address keeps it; a duplicate is
        // a governance failure of its own.
        if (address && !this.addresses.has(address)) {
          const target = {
            entityRef: ref,
            port: typeof port.name === 'string' ? port.name : undefined,
          };
          this.addresses.set(address, target);
          const lower = address.toLowerCase();
          if (!this.addressesIgnoringCase.has(lower)) {
            this.addressesIgnoringCase.set(lower, target);
          }
        }
      }
    }
    for (const { product, ref, refs } of indexed) {
      if (++count % SLICE === 0) yield;
      const inputs: unknown[] = Array.isArray(product.spec?.inputPorts)
        ? product.spec.inputPorts
        : [];
      inputs.forEach((port: any, index) => {
        const parsed = refs.inputPorts[index];
        const upstreamRef = parsed?.dataProduct ?? parsed?.source;
        if (!upstreamRef) return;
        const from = entityRefKey(upstreamRef);
        if (!this.nodes.has(from)) {
          const entity = others.get(from);
          this.nodes.set(from, {
            entityRef: from,
            nodeType: parsed?.dataProduct ? 'data-product' : 'source',
            title: entity?.metadata.title,
            owner:
              typeof entity?.spec?.owner === 'string'
                ? entityRefKey(entity.spec.owner)
                : undefined,
            ...(entity ? {} : { missing: true }),
          });
        }
        this.edgeOf(from, ref).ports.push({
          ...(parsed?.dataProduct && typeof port.outputPort === 'string'
            ? { outputPort: port.outputPort }
            : {}),
          inputPort:
            typeof port.name === 'string' ? port.name : `#${index + 1}`,
        });
      });
    }
  }

  /** The product (and port) serving a dataset, by the mapping rules. */
  mapDataset(namespace: string, name: string): Target | undefined {
    const key = `${namespace}\u0000${name}`;
    const known = this.mappedCache.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: Target | undefined;
    for (const { address, ignoreCase } of candidates(
      this.rules,
      namespace,
      name,
    )) {
      found =
        this.addresses.get(address) ??
        (ignoreCase
          ? this.addressesIgnoringCase.get(address.toLowerCase())
          : undefined);
      if (found) break;
    }
    this.mappedCache.set(key, found ?? null);
    return found;
  }

  /** Adds what events showed; call once, before any query. */
  observe(edges: ObservedDatasetEdge[], datasets: ObservedDataset[]): this {
    for (const dataset of datasets) {
      if (dataset.lastWritten === undefined) continue;
      const target = this.mapDataset(dataset.namespace, dataset.name);
      if (target) this.wroteAt(target.entityRef, dataset.firstSeen);
    }
    for (const row of edges) {
      const input = this.mapDataset(row.inputNamespace, row.inputName);
      const output = this.mapDataset(row.outputNamespace, row.outputName);
      if (output) this.wroteAt(output.entityRef, row.firstSeen);
      if (!input || !output || input.entityRef === output.entityRef) continue;
      const edge = this.edgeOf(input.entityRef, output.entityRef);
      const seen = edge.observed;
      if (!seen) {
        edge.observed = {
          firstSeen: row.firstSeen,
          lastSeen: row.lastSeen,
          runs: row.runs,
          outputPorts: input.port ? [input.port] : [],
        };
        continue;
      }
      seen.firstSeen = Math.min(seen.firstSeen, row.firstSeen);
      seen.lastSeen = Math.max(seen.lastSeen, row.lastSeen);
      seen.runs = Math.max(seen.runs, row.runs);
      if (input.port && !seen.outputPorts.includes(input.port)) {
        seen.outputPorts.push(input.port);
      }
    }
    return this;
  }

  /**
   * Adds what pipelines declare in JobEvents, apart from what runs showed:
   * it neither counts as observed nor keeps a declared input fresh.
   */
  declare(declarations: JobDeclaration[]): this {
    for (const declaration of declarations) {
      const job = `${declaration.jobNamespace}/${declaration.jobName}`;
      const outputs = declaration.outputs
        .map(d => this.mapDataset(d.namespace, d.name))
        .filter((t): t is Target => Boolean(t));
      if (!outputs.length) continue;
      for (const dataset of declaration.inputs) {
        const input = this.mapDataset(dataset.namespace, dataset.name);
        if (!input) continue;
        for (const output of outputs) {
          if (input.entityRef === output.entityRef) continue;
          const edge = this.edgeOf(input.entityRef, output.entityRef);
          const pipeline = (edge.pipeline ??= {
            jobs: [],
            declaredAt: declaration.declaredAt,
            outputPorts: [],
          });
          if (!pipeline.jobs.includes(job)) pipeline.jobs.push(job);
          pipeline.declaredAt = Math.max(
            pipeline.declaredAt,
            declaration.declaredAt,
          );
          if (input.port && !pipeline.outputPorts.includes(input.port)) {
            pipeline.outputPorts.push(input.port);
          }
        }
      }
    }
    return this;
  }

  /**
   * Adds approved access grants: the consumer reads the producer's port by
   * agreement, whether or not an input port declares it or a run showed it.
   * A consumer that is no data product (a Component) is a `consumer` node.
   */
  grant(grants: ConsumerGrant[]): this {
    for (const grant of grants) {
      const from = entityRefKey(grant.entityRef);
      const to = entityRefKey(grant.consumer);
      if (from === to || !this.nodes.has(from)) continue;
      if (!this.nodes.has(to)) {
        const entity = this.others.get(to);
        this.nodes.set(to, {
          entityRef: to,
          nodeType: to.startsWith('dataproduct:') ? 'data-product' : 'consumer',
          title: entity?.metadata.title,
          owner:
            typeof entity?.spec?.owner === 'string'
              ? entityRefKey(entity.spec.owner)
              : undefined,
          ...(entity ? {} : { missing: true }),
        });
      }
      const edge = this.edgeOf(from, to);
      (edge.granted ??= []).push({
        requestId: grant.id,
        outputPort: grant.port,
        purpose: grant.purpose,
        endDate: grant.endDate,
        requester: grant.requester,
      });
    }
    return this;
  }

  private wroteAt(entityRef: string, time: number) {
    const first = this.written.get(entityRef);
    if (first === undefined || time < first) this.written.set(entityRef, time);
  }

  /** Datasets no output port address matches. */
  unmapped<T extends { namespace: string; name: string }>(datasets: T[]): T[] {
    return datasets.filter(d => !this.mapDataset(d.namespace, d.name));
  }

  has(ref: string): boolean {
    return this.nodes.has(entityRefKey(ref));
  }

  get size(): { nodes: number; edges: number } {
    return { nodes: this.nodes.size, edges: this.edges.size };
  }

  /**
   * The neighbourhood of one entity, level by level in both directions at
   * once so that a cap keeps the nearest levels of both. Undefined for an entity
   * the graph does not know.
   */
  query(
    entityRef: string,
    options: {
      upstream: number;
      downstream: number;
      limit: number;
      now: Date;
      staleAfterDays: number;
    },
  ): LineageResponse | undefined {
    const root = entityRefKey(entityRef);
    if (!this.nodes.has(root)) return undefined;
    const depth = new Map<string, number>([[root, 0]]);
    let truncated = false;
    let up = [root];
    let down = [root];
    const maxDepth = Math.max(options.upstream, options.downstream);
    for (let level = 1; level <= maxDepth; level++) {
      if (level <= options.upstream) {
        const next: string[] = [];
        for (const ref of up) {
          for (const edge of this.upstream.get(ref) ?? []) {
            if (depth.has(edge.from)) continue;
            if (depth.size >= options.limit) {
              truncated = true;
              break;
            }
            depth.set(edge.from, -level);
            next.push(edge.from);
          }
        }
        up = next;
      }
      if (level <= options.downstream) {
        const next: string[] = [];
        for (const ref of down) {
          for (const edge of this.downstream.get(ref) ?? []) {
            if (depth.has(edge.to)) continue;
            if (depth.size >= options.limit) {
              truncated = true;
              break;
            }
            depth.set(edge.to, level);
            next.push(edge.to);
          }
        }
        down = next;
      }
    }
    const nodes: LineageNode[] = [];
    const edges: LineageEdge[] = [];
    const staleBefore = options.now.getTime() - options.staleAfterDays * DAY_MS;
    for (const [ref, d] of depth) {
      nodes.push({ ...this.nodes.get(ref)!, depth: d });
      // Every edge between two included nodes, also those the walk did not
      // take (between two nodes at the same distance, or back edges).
      for (const edge of this.upstream.get(ref) ?? []) {
        if (depth.has(edge.from)) edges.push(this.describe(edge, staleBefore));
      }
    }
    return {
      entityRef: root,
      upstream: options.upstream,
      downstream: options.downstream,
      limit: options.limit,
      nodes,
      edges,
      truncated,
      indexedAt: this.indexedAt.toISOString(),
      staleAfterDays: options.staleAfterDays,
    };
  }

  /**
   * Every product and the edges between them, or, above `maxProducts`,
   * domains with the edges between domains counted.
   */
  mesh(options: {
    groupBy: 'auto' | 'product' | 'domain';
    maxProducts: number;
    now: Date;
    staleAfterDays: number;
  }): MeshLineageResponse {
    const products = [...this.nodes.values()].filter(
      n => n.nodeType === 'data-product' && !n.missing,
    );
    let groupBy = options.groupBy;
    if (groupBy === 'auto') {
      groupBy = products.length > options.maxProducts ? 'domain' : 'product';
    }
    const staleBefore = options.now.getTime() - options.staleAfterDays * DAY_MS;
    const keyOf = (ref: string) => {
      if (groupBy === 'product') return ref;
      return this.nodes.get(ref)?.domain ?? 'none';
    };
    const nodes = new Map<string, MeshLineageResponse['nodes'][number]>();
    for (const product of products) {
      const id = keyOf(product.entityRef);
      const node = nodes.get(id);
      if (node) node.products++;
      else {
        nodes.set(id, {
          id,
          ...(groupBy === 'product' && product.title
            ? { title: product.title }
            : {}),
          ...(product.domain ? { domain: product.domain } : {}),
          products: 1,
        });
      }
    }
    const edges = new Map<string, MeshLineageResponse['edges'][number]>();
    for (const edge of this.edges.values()) {
      const from = this.nodes.get(edge.from);
      if (from?.nodeType !== 'data-product' || from.missing) continue;
      // The mesh is products: a component holding a grant is not drawn.
      const to = this.nodes.get(edge.to);
      if (to?.nodeType !== 'data-product' || to.missing) continue;
      const fromKey = keyOf(edge.from);
      const toKey = keyOf(edge.to);
      if (fromKey === toKey) continue;
      const key = `${fromKey}\u0000${toKey}`;
      const described = this.describe(edge, staleBefore);
      const sum = edges.get(key) ?? {
        from: fromKey,
        to: toKey,
        count: 0,
        declared: 0,
        undeclared: 0,
        stale: 0,
        pipelineOnly: 0,
        grantedOnly: 0,
      };
      sum.count++;
      if (described.declared) sum.declared++;
      if (described.undeclared) sum.undeclared++;
      if (described.stale) sum.stale++;
      if (described.pipeline && !described.declared && !described.observed) {
        sum.pipelineOnly = (sum.pipelineOnly ?? 0) + 1;
      }
      if (
        described.granted &&
        !described.declared &&
        !described.observed &&
        !described.pipeline
      ) {
        sum.grantedOnly = (sum.grantedOnly ?? 0) + 1;
      }
      edges.set(key, sum);
    }
    return {
      groupBy,
      nodes: [...nodes.values()],
      edges: [...edges.values()],
      indexedAt: this.indexedAt.toISOString(),
    };
  }

  /** Lineage facts for the policies, for every product with observations. */
  facts(
    now: Date,
    staleAfterDays: number,
  ): Map<string, NonNullable<ProductFacts['lineage']>> {
    const staleBefore = now.getTime() - staleAfterDays * DAY_MS;
    const out = new Map<string, NonNullable<ProductFacts['lineage']>>();
    const factsOf = (ref: string) => {
      let facts = out.get(ref);
      if (!facts) {
        facts = {
          upstream: [],
          downstream: [],
          undeclaredUpstream: [],
          staleUpstream: [],
          staleAfterDays,
        };
        out.set(ref, facts);
      }
      return facts;
    };
    for (const ref of this.written.keys()) factsOf(ref);
    for (const edge of this.edges.values()) {
      const described = this.describe(edge, staleBefore);
      if (edge.observed) {
        factsOf(edge.to).upstream.push(edge.from);
        factsOf(edge.from).downstream.push(edge.to);
        if (described.undeclared) {
          factsOf(edge.to).undeclaredUpstream!.push(edge.from);
        }
      }
      if (described.stale) factsOf(edge.to).staleUpstream!.push(edge.from);
    }
    return out;
  }

  private describe(edge: Edge, staleBefore: number): LineageEdge {
    const declared = edge.ports.length > 0;
    const observed = edge.observed;
    const pipeline = edge.pipeline;
    return {
      from: edge.from,
      to: edge.to,
      ports: edge.ports,
      declared,
      ...(observed
        ? {
            observed: {
              firstSeen: new Date(observed.firstSeen).toISOString(),
              lastSeen: new Date(observed.lastSeen).toISOString(),
              runs: observed.runs,
              outputPorts: observed.outputPorts,
            },
          }
        : {}),
      ...(pipeline
        ? {
            pipeline: {
              jobs: [...pipeline.jobs].sort(),
              declaredAt: new Date(pipeline.declaredAt).toISOString(),
              outputPorts: pipeline.outputPorts,
            },
          }
        : {}),
      ...(edge.granted ? { granted: edge.granted } : {}),
      undeclared: Boolean(observed) && !declared,
      stale:
        declared &&
        this.nodes.get(edge.from)?.nodeType === 'data-product' &&
        (this.written.get(edge.to) ?? Infinity) < staleBefore &&
        (!observed || observed.lastSeen < staleBefore),
    };
  }

  private edgeOf(from: string, to: string): Edge {
    const key = `${from}\u0000${to}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { from, to, ports: [] };
      this.edges.set(key, edge);
      const ups = this.upstream.get(to);
      if (ups) ups.push(edge);
      else this.upstream.set(to, [edge]);
      const downs = this.downstream.get(from);
      if (downs) downs.push(edge);
      else this.downstream.set(from, [edge]);
      if (!this.nodes.has(from)) this.addMissing(from);
      if (!this.nodes.has(to)) this.addMissing(to);
    }
    return edge;
  }

  private addMissing(ref: string) {
    const nodeType: LineageNodeType = ref.startsWith('dataproduct:')
      ? 'data-product'
      : 'source';
    this.nodes.set(ref, { entityRef: ref, nodeType, missing: true });
  }
}
