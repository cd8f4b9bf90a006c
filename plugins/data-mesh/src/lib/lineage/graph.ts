import { parseEntityRef } from '@backstage/catalog-model';
import type {
  LineageEdge,
  LineageNode,
  MeshLineageResponse,
} from '@quanta/plugin-data-mesh-common';
import { shortRef } from '../format';

/** The `id` the mesh lineage gives products without a domain. */
export const NO_DOMAIN = 'none';

/**
 * A product or source of a lineage query, or a mesh product. Mesh products
 * have no depth: no entity is queried.
 */
export type EntityGraphNode = Omit<LineageNode, 'depth'> & { depth?: number };

/** A domain standing for its products in the mesh view. */
export type DomainGraphNode = {
  /** The domain's entity ref, or {@link NO_DOMAIN}. */
  entityRef: string;
  nodeType: 'domain';
  domain?: string;
  products: number;
};

/** What the lineage graph draws as a box. */
export type GraphNode = EntityGraphNode | DomainGraphNode;

/**
 * An edge as the graph draws it. Mesh edges carry how many product
 * dependencies they stand for; their flags say whether any of them is
 * declared, undeclared or stale.
 */
export type GraphEdge = LineageEdge & {
  counts?: {
    total: number;
    declared: number;
    undeclared: number;
    stale: number;
    /** Declared by a pipeline's JobEvents only: no input port, no run. */
    pipelineOnly: number;
    /** Made by an access grant only: no input port, no run, no pipeline. */
    grantedOnly: number;
  };
};

/** What the pointer or keyboard focus is on. */
export type HoverTarget =
  | { node: string }
  | {
      edge: { from: string; to: string };
    };

/** How an edge is drawn: one state per edge, the most telling first. */
export type EdgeState =
  | 'undeclared'
  | 'stale'
  | 'declared-observed'
  | 'declared'
  | 'pipeline'
  | 'granted';

export function edgeState(edge: GraphEdge): EdgeState {
  if (edge.undeclared) return 'undeclared';
  if (edge.stale) return 'stale';
  if (edge.observed) return 'declared-observed';
  if (edge.declared) return 'declared';
  // Only a pipeline's JobEvents say so: design-time, not seen in a run.
  if (edge.pipeline || edge.counts?.pipelineOnly) return 'pipeline';
  // Only an approved access request says so: read by agreement.
  if (edge.granted?.length || edge.counts?.grantedOnly) return 'granted';
  return 'declared';
}

export const EDGE_STATE_LABELS: Record<EdgeState, string> = {
  undeclared: 'observed, not declared',
  stale: 'declared, not observed lately',
  'declared-observed': 'declared and observed',
  declared: 'declared',
  pipeline: 'declared by a pipeline only',
  granted: 'access granted only',
};

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

export const edgeKey = (edge: { from: string; to: string }) =>
  `${edge.from}>${edge.to}`;

export function nodeLabel(node: GraphNode): string {
  if (node.nodeType === 'domain') {
    return node.entityRef === NO_DOMAIN
      ? 'No domain'
      : shortRef(node.entityRef);
  }
  if (node.title) return node.title;
  try {
    return parseEntityRef(node.entityRef).name;
  } catch {
    return node.entityRef;
  }
}

/** The edges into and out of each node, to walk paths without scanning every edge. */
export type EdgeIndex = {
  incoming: Map<string, GraphEdge[]>;
  outgoing: Map<string, GraphEdge[]>;
};

export function indexEdges(edges: GraphEdge[]): EdgeIndex {
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  const add = (map: Map<string, GraphEdge[]>, key: string, edge: GraphEdge) => {
    const list = map.get(key);
    if (list) list.push(edge);
    else map.set(key, [edge]);
  };
  for (const edge of edges) {
    add(outgoing, edge.from, edge);
    add(incoming, edge.to, edge);
  }
  return { incoming, outgoing };
}

/**
 * Nodes upstream and downstream of one node, and the edges between them;
 * linear in the nodes and edges reached, so hovering stays instant on large
 * graphs.
 */
export function pathsThrough(
  id: string,
  index: EdgeIndex,
): { nodes: Set<string>; edges: Set<GraphEdge> } {
  const nodes = new Set([id]);
  const on = new Set<GraphEdge>();
  for (const [map, far] of [
    [index.incoming, 'from'],
    [index.outgoing, 'to'],
  ] as const) {
    const seen = new Set([id]);
    const queue = [id];
    for (let head = 0; head < queue.length; head++) {
      for (const edge of map.get(queue[head]) ?? []) {
        on.add(edge);
        const next = edge[far];
        nodes.add(next);
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
  }
  return { nodes, edges: on };
}

/** Products in a mesh lineage answer, whether listed or grouped by domain. */
export function meshProductCount(mesh: MeshLineageResponse): number {
  return mesh.nodes.reduce((sum, node) => sum + node.products, 0);
}

/**
 * The graph of a mesh lineage answer. With `domain`, only that domain's
 * products (of a product answer) and the products they read or feed.
 */
export function meshGraph(
  mesh: MeshLineageResponse,
  domain?: string,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  let nodes: GraphNode[] = mesh.nodes.map(node =>
    mesh.groupBy === 'domain'
      ? {
          entityRef: node.id,
          nodeType: 'domain',
          ...(node.id !== NO_DOMAIN ? { domain: node.id } : {}),
          products: node.products,
        }
      : {
          entityRef: node.id,
          nodeType: 'data-product',
          ...(node.title ? { title: node.title } : {}),
          ...(node.domain ? { domain: node.domain } : {}),
        },
  );
  let known = new Set(nodes.map(n => n.entityRef));
  // Edges may name products missing from the catalog; they have no node.
  let edges = mesh.edges.filter(e => known.has(e.from) && known.has(e.to));
  if (domain && mesh.groupBy === 'product') {
    const inside = new Set(
      nodes
        .filter(n => (n.domain ?? NO_DOMAIN) === domain)
        .map(n => n.entityRef),
    );
    edges = edges.filter(e => inside.has(e.from) || inside.has(e.to));
    known = new Set(inside);
    for (const edge of edges) {
      known.add(edge.from);
      known.add(edge.to);
    }
    nodes = nodes.filter(n => known.has(n.entityRef));
  }
  return {
    nodes,
    edges: edges.map(edge => ({
      from: edge.from,
      to: edge.to,
      ports: [],
      declared: edge.declared > 0,
      undeclared: edge.undeclared > 0,
      stale: edge.stale > 0,
      counts: {
        total: edge.count,
        declared: edge.declared,
        undeclared: edge.undeclared,
        stale: edge.stale,
        pipelineOnly: edge.pipelineOnly ?? 0,
        grantedOnly: edge.grantedOnly ?? 0,
      },
    })),
  };
}
