import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  NO_DOMAIN_COLOR,
  swatchStyle,
  useDomainMarks,
  type DomainMark,
} from '../../lib/lineage/domainColors';
import { shortRef } from '../../lib/format';
import {
  EDGE_COLORS,
  EDGE_DASHES,
  EDGE_STATE_LABELS,
  EdgeState,
  GraphEdge,
  GraphNode,
  HoverTarget,
  NO_DOMAIN,
  edgeDetails,
  edgeKey,
  edgeState,
  indexEdges,
  layoutLineage,
  nodeDetails,
  nodeLabel,
  pathsThrough,
  plural,
} from '../../lib/lineage';

/**
 * The smallest text the graph draws, in pixels at natural size. A graph is
 * never drawn smaller than that: a label under 11 px is unreadable, so a
 * graph wider than its container scrolls instead of shrinking.
 */
export const MIN_LABEL_PX = 11;

const useStyles = makeStyles(theme => ({
  svg: {
    display: 'block',
    // At natural size or zoomed in, never shrunk: wide graphs scroll.
    maxWidth: 'none',
    height: 'auto',
    margin: '0 auto',
    fontFamily: theme.typography.fontFamily,
  },
  node: {
    cursor: 'pointer',
    // SVG groups draw no outline of their own: keyboard focus shows as a
    // ring around the box instead, apart from the box's own border (which
    // is already thick for the product in view and for domains).
    '&:focus': { outline: 'none' },
    '&:focus-visible $focusRing': { visibility: 'visible' },
  },
  focusRing: {
    visibility: 'hidden',
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 2,
    strokeDasharray: '4 2',
    pointerEvents: 'none',
  },
}));

export type LineageGraphViewProps = {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The entity the view is about, drawn bold. */
  focus?: string;
  /**
   * Times the natural size; undefined draws the graph at its natural size,
   * shrunk to the container's width when wider (down to half its size).
   */
  scale?: number;
  /** Smaller boxes for cards. */
  compact?: boolean;
  /** Write how many dependencies each edge stands for on it (mesh edges). */
  edgeCounts?: boolean;
  /** Instead of navigating to the entity page; makes the nodes buttons. */
  onNodeClick?: (node: GraphNode) => void;
  /** What the pointer or keyboard focus moved to; undefined when it left. */
  onHover?: (target: HoverTarget | undefined) => void;
};

/** Lineage as an SVG graph, upstream on the left, laid out in layers. */
export function LineageGraphView(props: LineageGraphViewProps) {
  const { nodes, edges, focus, scale, compact, edgeCounts, onNodeClick } =
    props;
  const classes = useStyles();
  const theme = useTheme();
  const markOf = useDomainMarks();
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const [hovered, setHovered] = useState<{ node?: string; edge?: GraphEdge }>(
    {},
  );

  const nodeWidth = compact ? 150 : 190;
  const nodeHeight = compact ? 30 : 38;
  let layerGap = compact ? 50 : 80;
  // Room between layers for the counts written on mesh edges.
  if (edgeCounts) layerGap = 150;
  const layout = useMemo(
    () =>
      layoutLineage(
        { nodes: nodes.map(n => ({ id: n.entityRef })), edges },
        {
          nodeWidth,
          nodeHeight,
          layerGap,
          nodeGap: compact ? 10 : 16,
        },
      ),
    [nodes, edges, nodeWidth, nodeHeight, layerGap, compact],
  );
  const index = useMemo(() => indexEdges(edges), [edges]);
  const highlighted = useMemo(() => {
    if (hovered.node) return pathsThrough(hovered.node, index);
    if (hovered.edge) {
      return {
        nodes: new Set([hovered.edge.from, hovered.edge.to]),
        edges: new Set([hovered.edge]),
      };
    }
    return undefined;
  }, [hovered, index]);

  const hover = (target: { node?: string; edge?: GraphEdge }) => {
    setHovered(target);
    if (target.node) props.onHover?.({ node: target.node });
    else if (target.edge) {
      props.onHover?.({
        edge: { from: target.edge.from, to: target.edge.to },
      });
    } else props.onHover?.(undefined);
  };

  const open = (node: GraphNode) => {
    if (onNodeClick) {
      onNodeClick(node);
      return;
    }
    if (
      (node.nodeType !== 'domain' && node.missing) ||
      node.entityRef === NO_DOMAIN
    ) {
      return;
    }
    const ref = parseEntityRef(node.entityRef);
    navigate(
      entityRoute({ kind: ref.kind, namespace: ref.namespace, name: ref.name }),
    );
  };

  const pad = 8;
  const width = layout.width + pad * 2;
  const height = layout.height + pad * 2;
  // Zooming out stops at natural size, where the smallest label is 11 px.
  const factor = Math.max(scale ?? 1, 1);
  const maxChars = Math.floor((nodeWidth - 16) / (compact ? 6.5 : 7.5));
  const paper = theme.palette.background.paper;

  return (
    <svg
      className={classes.svg}
      viewBox={`${-pad} ${-pad} ${width} ${height}`}
      width={width * factor}
      height={height * factor}
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
            // One size for every stroke width, heavy mesh edges included.
            markerUnits="userSpaceOnUse"
            markerWidth="10"
            markerHeight="10"
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
        const d = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${
          x2 - bend
        } ${y2}, ${x2} ${y2}`;
        const dimmed = highlighted && !highlighted.edges.has(edge);
        // Heavier lines for edges standing for more dependencies.
        const weight = edge.counts
          ? Math.min(4.5, Math.log2(edge.counts.total))
          : 0;
        return (
          <g
            key={edgeKey(edge)}
            opacity={dimmed ? 0.15 : 1}
            onMouseEnter={() => hover({ edge })}
            onMouseLeave={() => hover({})}
          >
            <path
              data-testid={`edge ${edge.from} ${edge.to}`}
              data-state={state}
              d={d}
              fill="none"
              stroke={EDGE_COLORS[state]}
              strokeWidth={(state === 'undeclared' ? 2.5 : 1.5) + weight}
              strokeDasharray={EDGE_DASHES[state]}
              markerEnd={`url(#lineage-arrow-${state})`}
            >
              <title>{edgeDetails(edge)}</title>
            </path>
            {/* A wider, invisible stroke, so thin edges are easy to hover. */}
            <path
              d={d}
              fill="none"
              stroke="transparent"
              strokeWidth={12}
              pointerEvents="stroke"
            />
            {edgeCounts && edge.counts && (
              <text
                data-testid={`edge count ${edge.from} ${edge.to}`}
                x={(x1 + x2) / 2}
                // Above the line rather than across it.
                y={(y1 + y2) / 2 - 9}
                textAnchor="middle"
                dominantBaseline="central"
                fontSize={MIN_LABEL_PX}
                fill={theme.palette.text.primary}
                stroke={paper}
                strokeWidth={3}
                paintOrder="stroke"
              >
                {edge.counts.total}
                {edge.counts.undeclared > 0 && (
                  <tspan fill={EDGE_COLORS.undeclared} fontWeight="bold">
                    {` (${edge.counts.undeclared} undeclared)`}
                  </tspan>
                )}
              </text>
            )}
          </g>
        );
      })}
      {nodes.map(node => {
        const at = layout.nodes.get(node.entityRef);
        if (!at) return null;
        const label = nodeLabel(node);
        const caption =
          node.nodeType === 'domain'
            ? plural(node.products, 'data product')
            : undefined;
        const mark: DomainMark =
          node.nodeType === 'source'
            ? { color: NO_DOMAIN_COLOR, pattern: 'solid' }
            : markOf(node.domain);
        const color = mark.color;
        const isFocus = node.entityRef === focus;
        const missing = node.nodeType !== 'domain' && node.missing;
        const dimmed = highlighted && !highlighted.nodes.has(node.entityRef);
        return (
          <g
            key={node.entityRef}
            className={classes.node}
            transform={`translate(${at.x} ${at.y})`}
            role={onNodeClick ? 'button' : 'link'}
            tabIndex={0}
            aria-label={caption ? `${label}, ${caption}` : label}
            data-testid={`node ${node.entityRef}`}
            opacity={dimmed ? 0.3 : 1}
            onClick={() => open(node)}
            onKeyDown={event => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                open(node);
              }
            }}
            onMouseEnter={() => hover({ node: node.entityRef })}
            onMouseLeave={() => hover({})}
            onFocus={() => hover({ node: node.entityRef })}
            onBlur={() => hover({})}
          >
            <title>{nodeDetails(node)}</title>
            <rect
              className={classes.focusRing}
              data-focus-ring=""
              x={-4}
              y={-4}
              width={nodeWidth + 8}
              height={nodeHeight + 8}
              rx={10}
            />
            <rect
              width={nodeWidth}
              height={nodeHeight}
              rx={node.nodeType === 'source' ? 2 : 8}
              fill={paper}
              stroke={color}
              strokeWidth={isFocus || node.nodeType === 'domain' ? 3 : 1.5}
              strokeDasharray={missing ? '3 3' : undefined}
            />
            <DomainStripe mark={mark} height={nodeHeight} />
            <text
              x={14}
              y={caption ? nodeHeight / 2 - 7 : nodeHeight / 2}
              dominantBaseline="central"
              fontSize={compact ? MIN_LABEL_PX : 12}
              fontWeight={isFocus || caption ? 'bold' : 'normal'}
              fill={theme.palette.text.primary}
            >
              {shortenLabel(label, maxChars)}
            </text>
            {caption && (
              <text
                x={14}
                y={nodeHeight / 2 + 8}
                dominantBaseline="central"
                fontSize={MIN_LABEL_PX}
                fill={theme.palette.text.secondary}
              >
                {caption}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/**
 * What the colours and strokes of the graph mean: the edge states drawn
 * (all unless given) and the domains.
 */
/**
 * A label cut to fit its box, at a word boundary where there is one: the
 * words shown are then words of the node's accessible name, as speech input
 * needs (the whole label shows on hover).
 */
export function shortenLabel(label: string, maxChars: number): string {
  if (label.length <= maxChars) return label;
  const cut = label.slice(0, maxChars - 1);
  const space = cut.search(/[\s-][^\s-]*$/);
  // Only a first word too long for the box is cut inside.
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}

/**
 * The domain's stripe on the left of a node: solid, or dashed or doubled
 * where the mesh has more domains than the palette has colours.
 */
function DomainStripe(props: { mark: DomainMark; height: number }) {
  const { mark, height } = props;
  if (mark.pattern === 'solid') {
    return <rect width={6} height={height} rx={2} fill={mark.color} />;
  }
  if (mark.pattern === 'double') {
    return (
      <g data-pattern="double">
        <rect width={2.5} height={height} fill={mark.color} />
        <rect x={4} width={2.5} height={height} fill={mark.color} />
      </g>
    );
  }
  const segments = 4;
  const step = height / segments;
  return (
    <g data-pattern="dashed">
      {Array.from({ length: segments }, (_, i) => (
        <rect
          key={i}
          y={i * step}
          width={6}
          height={step * 0.6}
          fill={mark.color}
        />
      ))}
    </g>
  );
}

export function LineageLegend(props: {
  domains?: string[];
  states?: EdgeState[];
}) {
  const markOf = useDomainMarks();
  const states = props.states ?? [
    'declared',
    'declared-observed',
    'undeclared',
    'stale',
    'pipeline',
    'granted',
  ];
  const items = states.map(state => ({
    label: EDGE_STATE_LABELS[state],
    state,
  }));
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
              strokeDasharray={EDGE_DASHES[item.state]}
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
              ...swatchStyle(markOf(domain)),
            }}
          />
          {domain === NO_DOMAIN ? 'No domain' : shortRef(domain)}
        </li>
      ))}
    </ul>
  );
}
