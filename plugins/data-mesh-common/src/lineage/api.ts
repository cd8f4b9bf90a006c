/*
 * Shapes of the lineage REST API of the data-mesh backend plugin
 * (`/api/data-mesh`). Declared lineage comes from input ports, observed
 * lineage from OpenLineage events.
 */
import type { DataProductLifecycle, DataProductType } from '../kind/types';

/**
 * Deepest a lineage query may go in either direction.
 *
 * @public
 */
export const LINEAGE_MAX_DEPTH = 5;
/**
 * Most nodes a lineage query may ask for.
 *
 * @public
 */
export const LINEAGE_MAX_LIMIT = 5000;
/**
 * Nodes a lineage query answers with unless asked otherwise.
 *
 * @public
 */
export const LINEAGE_DEFAULT_LIMIT = 1000;

/**
 * A data product, an external source (Component, API, Resource) an input
 * port reads, or a consumer that is no data product (a Component holding an
 * access grant).
 *
 * @public
 */
export type LineageNodeType = 'data-product' | 'source' | 'consumer';

/**
 * A node of a lineage graph: a data product or an external source.
 *
 * @public
 */
export type LineageNode = {
  /** Lower-case `kind:namespace/name`. */
  entityRef: string;
  nodeType: LineageNodeType;
  /** `metadata.title`, when the entity has one. */
  title?: string;
  /** Entity ref of the product's domain (data products only). */
  domain?: string;
  /** Entity ref of the owning group. */
  owner?: string;
  productType?: DataProductType;
  lifecycle?: DataProductLifecycle;
  /** Hops from the queried entity: negative upstream, positive downstream, 0 for itself. */
  depth: number;
  /** Referenced by a port or seen in events, but not in the catalog. */
  missing?: boolean;
};

/**
 * A pair of ports a declared edge connects.
 *
 * @public
 */
export type LineagePortPair = {
  /** Output port of the upstream product; absent for sources and unnamed ports. */
  outputPort?: string;
  /** Input port of the downstream product. */
  inputPort: string;
};

/**
 * What OpenLineage events showed about an edge.
 *
 * @public
 */
export type LineageObservation = {
  firstSeen: string;
  lastSeen: string;
  /** Completed runs that read the upstream and wrote the downstream. */
  runs: number;
  /** Output ports of the upstream product that the runs read. */
  outputPorts: string[];
};

/**
 * What pipelines declared about an edge in OpenLineage JobEvents: design-time
 * lineage (a job's inputs and outputs), sent without a run.
 *
 * @public
 */
export type LineagePipelineDeclaration = {
  /** The declaring jobs, as `namespace/name`. */
  jobs: string[];
  /** The latest JobEvent's eventTime among them. */
  declaredAt: string;
  /** Output ports of the upstream product that the jobs declare reading. */
  outputPorts: string[];
};

/**
 * An approved access grant: the downstream node may read an output port of
 * the upstream product.
 *
 * @public
 */
export type LineageGrant = {
  /** The access request it was granted by. */
  requestId: string;
  /** The output port granted. */
  outputPort: string;
  purpose: string;
  /** The last day of access, `YYYY-MM-DD`. */
  endDate: string;
  /** Who asked for it. */
  requester: string;
};

/**
 * One upstream-to-downstream dependency between two nodes, declared by input
 * ports, observed in OpenLineage RunEvents, declared by a pipeline in
 * OpenLineage JobEvents, or any of these.
 *
 * @public
 */
export type LineageEdge = {
  /** Entity ref of the upstream node. */
  from: string;
  /** Entity ref of the downstream node. */
  to: string;
  /** The input ports declaring this dependency; empty when only observed. */
  ports: LineagePortPair[];
  declared: boolean;
  observed?: LineageObservation;
  /** Declared by a pipeline's JobEvents; kept apart from what runs showed. */
  pipeline?: LineagePipelineDeclaration;
  /** Approved access grants of the upstream product's ports to the downstream node. */
  granted?: LineageGrant[];
  /** Observed, but no input port of the downstream product declares it. */
  undeclared: boolean;
  /**
   * Declared, the downstream product's runs are observed, yet this edge was
   * not seen within `staleAfterDays`.
   */
  stale: boolean;
};

/**
 * `GET /lineage/:kind/:namespace/:name?upstream=1&downstream=1&limit=1000`
 *
 * @public
 */
export type LineageResponse = {
  /** The queried entity. */
  entityRef: string;
  upstream: number;
  downstream: number;
  limit: number;
  /** The queried entity first, then by distance. */
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Some nodes within the asked depth were left out to stay within `limit`. */
  truncated: boolean;
  /** When the catalog was last read into the lineage index. */
  indexedAt: string;
  staleAfterDays: number;
};

/**
 * The whole mesh, or its domains, for an overview.
 *
 * @public
 */
export type MeshLineageResponse = {
  /** `product` lists every product; `domain` aggregates products by domain. */
  groupBy: 'product' | 'domain';
  nodes: Array<{
    /** A product's entity ref, or a domain's entity ref (`none` for products without one). */
    id: string;
    title?: string;
    domain?: string;
    /** Products inside (1 for a product). */
    products: number;
  }>;
  edges: Array<{
    from: string;
    to: string;
    /** Product-to-product dependencies the edge stands for. */
    count: number;
    declared: number;
    undeclared: number;
    stale: number;
    /**
     * Dependencies only a pipeline's JobEvents declare: no input port, no
     * run. Absent (0) from backends before JobEvents were read.
     */
    pipelineOnly?: number;
    /**
     * Dependencies only an access grant makes: no input port, no run, no
     * pipeline declaration. Absent (0) from backends without access grants.
     */
    grantedOnly?: number;
  }>;
  indexedAt: string;
};

/**
 * A dataset seen in OpenLineage events that maps to no output port.
 *
 * @public
 */
export type UnmappedDataset = {
  namespace: string;
  name: string;
  firstSeen: string;
  lastSeen: string;
  /** Last time a run wrote it, when one did. */
  lastWritten?: string;
};

/**
 * `GET /lineage/unmapped?limit=100&offset=0` (most recently seen first)
 *
 * @public
 */
export type UnmappedDatasetsResponse = {
  items: UnmappedDataset[];
  totalItems: number;
};

/**
 * `POST /openlineage`: what one batch stored.
 *
 * @public
 */
export type OpenLineageIngestResponse = {
  /** Events accepted: RunEvents, JobEvents and DatasetEvents. */
  events: number;
  /** Of them, JobEvents: design-time lineage, stored apart from runs. */
  jobEvents: number;
  /** Of them, DatasetEvents: datasets made known, without lineage. */
  datasetEvents: number;
  /** Dataset-to-dataset edges written (new or seen again). */
  edges: number;
  /** Datasets written (new or seen again). */
  datasets: number;
  /**
   * Fields read, from the outputs' `columnLineage` facets: one per input
   * field and output dataset (new or seen again).
   */
  fieldReads: number;
};
