import type {
  LineageResponse,
  MeshLineageResponse,
} from '@quanta/plugin-data-mesh-common';
import { shortRef } from '../format';
import {
  GraphEdge,
  GraphNode,
  NO_DOMAIN,
  meshProductCount,
  plural,
} from './graph';

/** One line of counts, the warnings worth a reader's attention, and the domains shown. */
export function lineageSummary(
  lineage: Pick<
    LineageResponse,
    'nodes' | 'edges' | 'truncated' | 'staleAfterDays'
  >,
  focus: string,
): { text: string; warnings: string[]; domains: string[] } {
  const upstream = lineage.edges.filter(e => e.to === focus).length;
  const downstream = lineage.edges.filter(e => e.from === focus).length;
  const undeclared = lineage.edges.filter(e => e.undeclared);
  const stale = lineage.edges.filter(e => e.stale);
  const warnings: string[] = [];
  if (undeclared.length) {
    warnings.push(
      `${plural(
        undeclared.length,
        'dependency is',
        'dependencies are',
      )} observed in runs but not declared as input ports.`,
    );
  }
  // Declared by a pipeline's JobEvents, by no input port, seen in no run.
  const pipelineOnly = lineage.edges.filter(
    e => e.pipeline && !e.declared && !e.observed,
  );
  if (pipelineOnly.length) {
    warnings.push(
      `${plural(
        pipelineOnly.length,
        'dependency is',
        'dependencies are',
      )} declared by a pipeline but not as input ports.`,
    );
  }
  if (stale.length) {
    warnings.push(
      `${plural(
        stale.length,
        'declared input was',
        'declared inputs were',
      )} not read in the last ${lineage.staleAfterDays} days.`,
    );
  }
  if (lineage.truncated) {
    warnings.push('Only part of the lineage is shown: it has too many nodes.');
  }
  const domains = [
    ...new Set(
      lineage.nodes.map(n => n.domain).filter((d): d is string => Boolean(d)),
    ),
  ].sort();
  const granted = lineage.edges.filter(
    e => e.from === focus && e.granted?.length,
  ).length;
  return {
    text: `Reads ${plural(upstream, 'upstream', 'upstreams')}; read by ${plural(
      downstream,
      'consumer',
      'consumers',
    )}${granted ? `, ${granted} with an access grant` : ''}.`,
    warnings,
    domains,
  };
}

/** A domain of the mesh view in words, `no domain` for products without one. */
export const meshDomainName = (domain: string) =>
  domain === NO_DOMAIN ? 'no domain' : shortRef(domain);

/** One line of counts for the mesh view, or for one domain's part of it. */
export function meshLineageSummary(
  mesh: MeshLineageResponse,
  graph: { nodes: GraphNode[]; edges: GraphEdge[] },
  domain: string | undefined,
): string {
  const sum = (key: 'total' | 'undeclared') =>
    graph.edges.reduce((n, e) => n + (e.counts?.[key] ?? 0), 0);
  const undeclared = `${sum('undeclared')} observed, not declared`;
  if (domain) {
    const inside = graph.nodes.filter(
      n => (n.domain ?? NO_DOMAIN) === domain,
    ).length;
    return `${plural(inside, 'data product')} in ${meshDomainName(
      domain,
    )}, with ${plural(
      graph.nodes.length - inside,
      'product',
    )} of other domains they read from or are read by; ${plural(
      sum('total'),
      'dependency',
      'dependencies',
    )}, ${undeclared}.`;
  }
  if (mesh.groupBy === 'domain') {
    const domains = graph.nodes.filter(n => n.entityRef !== NO_DOMAIN).length;
    return `${plural(meshProductCount(mesh), 'data product')} in ${plural(
      domains,
      'domain',
    )}; ${plural(
      sum('total'),
      'dependency',
      'dependencies',
    )} between domains, ${undeclared}.`;
  }
  return `${plural(graph.nodes.length, 'data product')}; ${plural(
    sum('total'),
    'dependency',
    'dependencies',
  )}, ${undeclared}.`;
}
