import type { LineageResponse } from '@quanta/plugin-data-mesh-common';

const plural = (count: number, one: string, many: string) =>
  `${count} ${count === 1 ? one : many}`;

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
  return {
    text: `Reads ${plural(upstream, 'upstream', 'upstreams')}; read by ${plural(
      downstream,
      'consumer',
      'consumers',
    )}.`,
    warnings,
    domains,
  };
}
