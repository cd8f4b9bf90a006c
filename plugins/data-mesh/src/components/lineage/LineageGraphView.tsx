import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { LineageEdge, LineageNode } from '@quanta/plugin-data-mesh-common';
import { SERIES_COLORS } from '../charts/palette';
import { layoutLineage } from './layout';

/** How an edge is drawn: one state per edge, the most telling first. */
export type EdgeState =
  | 'undeclared'
  | 'stale'
  | 'declared-observed'
  | 'declared';

export function edgeState(edge: LineageEdge): EdgeState {
  if (edge.undeclared) return 'undeclared';
  if (edge.stale) return 'stale';
  return edge.observed ? 'declared-observed' : 'declared';
}

export const EDGE_COLORS: Record<EdgeState, string> = {
  undeclared: '#fb8c00',
  stale: '#e53935',
  'declared-observed': '#43a047',
  declared: '#9e9e9e',
};

/** A domain's colour: stable across views, from a hash of its ref. */
export function domainColor(domain: string | undefined): string {
  if (!domain) return '#757575';
  let hash = 0;
  for (let i = 0; i < domain.length; i++) {
    hash = (hash * 31 + domain.charCodeAt(i)) | 0;
  }
  return SERIES_COLORS[Math.abs(hash) % SERIES_COLORS.length];
}

export function nodeLabel(node: LineageNode): string {
  return node.title ?? parseEntityRef(node.entityRef).name;
}

function nodeDetails(node: LineageNode): string {
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

/** Nodes upstream and downstream of one node, and the edges between them. */
function pathsThrough(
  id: string,
  edges: LineageEdge[],
): { nodes: Set<string>; edges: Set<LineageEdge> } {
  const nodes = new Set([id]);
  const on = new Set<LineageEdge>();
  for (const direction of ['up', 'down'] as const) {
    const queue = [id];
    const seen = new Set([id]);
    while (queue.length) {
      const current = queue.shift()!;
      for (const edge of edges) {
        const [near, far] =
          direction === 'up' ? [edge.to, edge.from] : [edge.from, edge.to];
        if (near !== current) continue;
        on.add(edge);
        nodes.add(far);
        if (!seen.has(far)) {
          seen.add(far);
          queue.push(far);
        }
      }
    }
  }
  return { nodes, edges: on };
}

const useStyles = makeStyles(theme => ({
  svg: {
    display: 'block',
    maxWidth: '100%',
    height: 'auto',
    fontFamily: theme.typography.fontFamily,
  },
  node: {
    cursor: 'pointer',
    '&:focus': { outline: 'none' },
    '&:focus rect': { strokeWidth: 3 },
  },
}));

export type LineageGraphViewProps = {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** The entity the view is about, drawn bold. */
  focus?: string;
  /** Times the natural size; undefined fits the width of the container. */
  scale?: number;
  /** Smaller boxes for cards. */
  compact?: boolean;
  /** Instead of navigating to the entity page. */
  onNodeClick?: (node: LineageNode) => void;
};

/** Lineage as an SVG graph, upstream on the left, laid out in layers. */
export function LineageGraphView(props: LineageGraphViewProps) {
  const { nodes, edges, focus, scale, compact, onNodeClick } = props;
  const classes = useStyles();
  const theme = useTheme();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const [hovered, setHovered] = useState<string>();

  const nodeWidth = compact ? 150 : 190;
  const nodeHeight = compact ? 30 : 38;
  const layout = useMemo(
    () =>
      layoutLineage(
        { nodes: nodes.map(n => ({ id: n.entityRef })), edges },
        {
          nodeWidth,
          nodeHeight,
          layerGap: compact ? 50 : 80,
          nodeGap: compact ? 10 : 16,
        },
      ),
    [nodes, edges, nodeWidth, nodeHeight, compact],
  );
  const highlighted = useMemo(
    () => (hovered ? pathsThrough(hovered, edges) : undefined),
    [hovered, edges],
  );

  const open = (node: LineageNode) => {
    if (onNodeClick) {
      onNodeClick(node);
      return;
    }
    if (node.missing) return;
    const ref = parseEntityRef(node.entityRef);
    navigate(
      entityRoute({ kind: ref.kind, namespace: ref.namespace, name: ref.name }),
    );
  };

  const pad = 8;
  const width = layout.width + pad * 2;
  const height = layout.height + pad * 2;
  const maxChars = Math.floor((nodeWidth - 16) / (compact ? 6.5 : 7.5));

  return (
    <svg
      className={classes.svg}
      viewBox={`${-pad} ${-pad} ${width} ${height}`}
      width={scale ? width * scale : '100%'}
      style={scale ? { maxWidth: 'none' } : undefined}
      role="group"
      aria-label="Lineage graph"
    >
      <defs>
        {(Object.keys(EDGE_COLORS) as EdgeState[]).map(state => (
          <marker
            key={state}
            id={`lineage-arrow-${state}`}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={EDGE_COLORS[state]} />
          </marker>
        ))}
      </defs>
      {edges.map(edge => {
        const from = layout.nodes.get(edge.from);
        const to = layout.nodes.get(edge.to);
        if (!from || !to) return null;
        const state = edgeState(edge);
        const x1 = from.x + nodeWidth;
        const y1 = from.y + nodeHeight / 2;
        const x2 = to.x;
        const y2 = to.y + nodeHeight / 2;
        // Back edges (cycles) leave rightwards and come round.
        const bend = Math.max(40, Math.abs(x2 - x1) / 2);
        const dimmed = highlighted && !highlighted.edges.has(edge);
        return (
          <path
            key={`${edge.from}>${edge.to}`}
            data-testid={`edge ${edge.from} ${edge.to}`}
            data-state={state}
            d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${
              x2 - bend
            } ${y2}, ${x2} ${y2}`}
            fill="none"
            stroke={EDGE_COLORS[state]}
            strokeWidth={state === 'undeclared' ? 2.5 : 1.5}
            strokeDasharray={edge.declared ? undefined : '6 4'}
            opacity={dimmed ? 0.15 : 1}
            markerEnd={`url(#lineage-arrow-${state})`}
          >
            <title>
              {`${edge.from} → ${edge.to}: ${
                {
                  undeclared: 'observed, not declared',
                  stale: 'declared, not observed lately',
                  'declared-observed': 'declared and observed',
                  declared: 'declared',
                }[state]
              }${
                edge.ports.length
                  ? ` (${edge.ports
                      .map(p =>
                        p.outputPort
                          ? `${p.outputPort} → ${p.inputPort}`
                          : p.inputPort,
                      )
                      .join(', ')})`
                  : ''
              }`}
            </title>
          </path>
        );
      })}
      {nodes.map(node => {
        const at = layout.nodes.get(node.entityRef);
        if (!at) return null;
        const label = nodeLabel(node);
        const color =
          node.nodeType === 'source' ? '#757575' : domainColor(node.domain);
        const isFocus = node.entityRef === focus;
        const dimmed = highlighted && !highlighted.nodes.has(node.entityRef);
        return (
          <g
            key={node.entityRef}
            className={classes.node}
            transform={`translate(${at.x} ${at.y})`}
            role="link"
            tabIndex={0}
            aria-label={label}
            data-testid={`node ${node.entityRef}`}
            opacity={dimmed ? 0.3 : 1}
            onClick={() => open(node)}
            onKeyDown={event => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                open(node);
              }
            }}
            onMouseEnter={() => setHovered(node.entityRef)}
            onMouseLeave={() => setHovered(undefined)}
            onFocus={() => setHovered(node.entityRef)}
            onBlur={() => setHovered(undefined)}
          >
            <title>{nodeDetails(node)}</title>
            <rect
              width={nodeWidth}
              height={nodeHeight}
              rx={node.nodeType === 'source' ? 2 : 8}
              fill={theme.palette.background.paper}
              stroke={color}
              strokeWidth={isFocus ? 3 : 1.5}
              strokeDasharray={node.missing ? '3 3' : undefined}
            />
            <rect width={6} height={nodeHeight} rx={2} fill={color} />
            <text
              x={14}
              y={nodeHeight / 2}
              dominantBaseline="central"
              fontSize={compact ? 11 : 12}
              fontWeight={isFocus ? 'bold' : 'normal'}
              fill={theme.palette.text.primary}
            >
              {label.length > maxChars
                ? `${label.slice(0, maxChars - 1)}…`
                : label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** What the colours and strokes of the graph mean. */
export function LineageLegend(props: { domains?: string[] }) {
  const items: Array<{ label: string; state: EdgeState; dashed?: boolean }> = [
    { label: 'declared', state: 'declared' },
    { label: 'declared and observed', state: 'declared-observed' },
    { label: 'observed, not declared', state: 'undeclared', dashed: true },
    { label: 'declared, not observed lately', state: 'stale' },
  ];
  return (
    <ul
      aria-label="Legend"
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 16,
        listStyle: 'none',
        padding: 0,
        margin: '8px 0 0',
        fontSize: 12,
      }}
    >
      {items.map(item => (
        <li key={item.state} style={{ display: 'flex', alignItems: 'center' }}>
          <svg width={28} height={10} aria-hidden style={{ marginRight: 6 }}>
            <line
              x1={0}
              y1={5}
              x2={28}
              y2={5}
              stroke={EDGE_COLORS[item.state]}
              strokeWidth={item.state === 'undeclared' ? 2.5 : 1.5}
              strokeDasharray={item.dashed ? '6 4' : undefined}
            />
          </svg>
          {item.label}
        </li>
      ))}
      {(props.domains ?? []).map(domain => (
        <li key={domain} style={{ display: 'flex', alignItems: 'center' }}>
          <span
            aria-hidden
            style={{
              width: 10,
              height: 10,
              borderRadius: 2,
              marginRight: 6,
              background: domainColor(domain),
            }}
          />
          {parseEntityRef(domain).name}
        </li>
      ))}
    </ul>
  );
}
