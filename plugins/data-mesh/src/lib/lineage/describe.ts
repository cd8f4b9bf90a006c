/** Text of the lineage details panel and of the graph's tooltips. */

import { parseEntityRef } from '@backstage/catalog-model';
import { formatDate } from '../format';
import {
  EDGE_STATE_LABELS,
  GraphEdge,
  GraphNode,
  edgeState,
  nodeLabel,
  plural,
} from './graph';

const KIND_LABELS: Record<string, string> = {
  dataproduct: 'Data product',
  api: 'API',
  domain: 'Domain',
};

/** What a node is, in words: `Data product`, `API`, `Source`. */
export function kindLabel(node: GraphNode): string {
  if (node.nodeType === 'domain') return 'Domain';
  let kind: string;
  try {
    kind = parseEntityRef(node.entityRef).kind.toLocaleLowerCase('en-US');
  } catch {
    if (node.nodeType === 'source') return 'Source';
    return node.nodeType === 'consumer' ? 'Consumer' : 'Data product';
  }
  return KIND_LABELS[kind] ?? `${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
}

/** An output port and the input port reading it, or the input port alone. */
export const portPair = (pair: GraphEdge['ports'][number]) =>
  pair.outputPort ? `${pair.outputPort} → ${pair.inputPort}` : pair.inputPort;

/** The distinct values, sorted, without blanks. */
export const unique = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/** An edge in a few words: its state, or the dependencies it stands for. */
export function edgeStatus(edge: GraphEdge): string {
  if (edge.counts && edge.counts.total > 1) {
    return plural(edge.counts.total, 'dependency', 'dependencies');
  }
  const state = EDGE_STATE_LABELS[edgeState(edge)];
  return edge.observed
    ? `${state}, last seen ${formatDate(edge.observed.lastSeen)}`
    : state;
}

/** A node's tooltip: its name, ref, type, domain and owner. */
export function nodeDetails(node: GraphNode): string {
  if (node.nodeType === 'domain') {
    return `${nodeLabel(node)}: ${plural(node.products, 'data product')}`;
  }
  return [
    `${nodeLabel(node)} (${node.entityRef})`,
    node.nodeType === 'source' ? 'source' : node.productType,
    node.domain && `domain ${parseEntityRef(node.domain).name}`,
    node.owner && `owner ${parseEntityRef(node.owner).name}`,
    node.missing ? 'not in the catalog' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** An edge's tooltip: its ends, its state or count, and its ports. */
export function edgeDetails(edge: GraphEdge): string {
  const state = EDGE_STATE_LABELS[edgeState(edge)];
  if (edge.counts && edge.counts.total > 1) {
    return `${edge.from} → ${edge.to}: ${plural(
      edge.counts.total,
      'dependency',
      'dependencies',
    )}, ${edge.counts.undeclared} observed, not declared`;
  }
  const ports = edge.ports.length
    ? ` (${edge.ports.map(portPair).join(', ')})`
    : '';
  return `${edge.from} → ${edge.to}: ${state}${ports}`;
}
