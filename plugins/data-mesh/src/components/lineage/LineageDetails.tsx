import { ReactNode, useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDate, shortRef } from '../../lib/format';
import {
  NO_DOMAIN_COLOR,
  swatchStyle,
  useDomainMarks,
} from '../../lib/lineage/domainColors';
import {
  EDGE_COLORS,
  EDGE_STATE_LABELS,
  GraphEdge,
  GraphNode,
  HoverTarget,
  edgeKey,
  edgeState,
  edgeStatus,
  indexEdges,
  kindLabel,
  nodeLabel,
  portPair,
  unique,
} from '../../lib/lineage';

/** Edges listed per direction before the rest are only counted. */
const LISTED_EDGES = 8;

const useStyles = makeStyles(theme => ({
  root: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5),
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.body2.fontSize,
    overflowWrap: 'anywhere',
  },
  heading: {
    fontWeight: 'bold',
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  swatch: {
    flex: 'none',
    width: 10,
    height: 10,
    borderRadius: 2,
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  list: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2.5),
  },
  undeclared: {
    color: EDGE_COLORS.undeclared,
    fontWeight: 'bold',
  },
}));

function Fields(props: { rows: Array<[string, ReactNode]> }) {
  const classes = useStyles();
  const rows = props.rows.filter(
    ([, value]) => value !== undefined && value !== '' && value !== false,
  );
  if (!rows.length) return null;
  return (
    <dl className={classes.fields}>
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Undeclared(props: { count: number }) {
  const classes = useStyles();
  if (!props.count) return null;
  return (
    <span className={classes.undeclared}>
      {`, ${props.count} observed, not declared`}
    </span>
  );
}

function EdgeList(props: {
  title: string;
  edges: GraphEdge[];
  /** The end of each edge to name: the other node. */
  other: 'from' | 'to';
  labels: Map<string, string>;
}) {
  const classes = useStyles();
  const { edges, other, labels } = props;
  if (!edges.length) return null;
  const listed = edges.slice(0, LISTED_EDGES);
  return (
    <section aria-label={props.title}>
      <Typography variant="body2" component="h4" className={classes.heading}>
        {`${props.title} (${edges.length})`}
      </Typography>
      <ul className={classes.list}>
        {listed.map(edge => (
          <li key={edgeKey(edge)}>
            {labels.get(edge[other]) ?? edge[other]}
            {': '}
            {edgeStatus(edge)}
            {edge.counts && edge.counts.total > 1 && (
              <Undeclared count={edge.counts.undeclared} />
            )}
            {edge.ports.length > 0 && (
              <span className={classes.muted}>
                {` (${edge.ports.map(portPair).join(', ')})`}
              </span>
            )}
          </li>
        ))}
        {edges.length > listed.length && (
          <li className={classes.muted}>
            {`and ${edges.length - listed.length} more`}
          </li>
        )}
      </ul>
    </section>
  );
}

function NodeDetails(props: {
  node: GraphNode;
  incoming: GraphEdge[];
  outgoing: GraphEdge[];
  labels: Map<string, string>;
}) {
  const classes = useStyles();
  const markOf = useDomainMarks();
  const { node, incoming, outgoing, labels } = props;
  const isDomain = node.nodeType === 'domain';
  const fields: Array<[string, ReactNode]> = isDomain
    ? [['Data products', String(node.products)]]
    : [
        ['Kind', kindLabel(node)],
        [
          'Type',
          node.nodeType === 'source' ? 'source' : node.productType ?? '',
        ],
        ['Lifecycle', node.lifecycle ?? ''],
        ['Domain', shortRef(node.domain)],
        ['Owner', shortRef(node.owner)],
        // Ports this node's edges go through, declared or seen in runs.
        [
          'Input ports',
          unique(incoming.flatMap(e => e.ports.map(p => p.inputPort))).join(
            ', ',
          ),
        ],
        [
          'Output ports',
          unique(
            outgoing.flatMap(e => [
              ...e.ports.map(p => p.outputPort),
              ...(e.observed?.outputPorts ?? []),
            ]),
          ).join(', '),
        ],
        ['Catalog', node.missing ? 'not in the catalog' : ''],
      ];
  return (
    <>
      <Typography variant="body2" component="h3" className={classes.heading}>
        <span
          aria-hidden
          className={classes.swatch}
          style={swatchStyle(
            node.nodeType === 'source'
              ? { color: NO_DOMAIN_COLOR, pattern: 'solid' }
              : markOf(node.domain),
          )}
        />
        {nodeLabel(node)}
      </Typography>
      <Typography variant="caption" className={classes.muted}>
        {isDomain ? `Domain ${node.entityRef}` : node.entityRef}
      </Typography>
      <Fields rows={fields} />
      <EdgeList
        title="Reads from"
        edges={incoming}
        other="from"
        labels={labels}
      />
      <EdgeList title="Read by" edges={outgoing} other="to" labels={labels} />
    </>
  );
}

function EdgeDetails(props: { edge: GraphEdge; labels: Map<string, string> }) {
  const classes = useStyles();
  const { edge, labels } = props;
  const counts = edge.counts;
  const fields: Array<[string, ReactNode]> =
    counts && counts.total > 1
      ? [
          [
            'Dependencies',
            <>
              {counts.total}
              <Undeclared count={counts.undeclared} />
            </>,
          ],
          ['Declared', String(counts.declared)],
          ['Not observed lately', counts.stale ? String(counts.stale) : ''],
          [
            'Declared by a pipeline only',
            counts.pipelineOnly ? String(counts.pipelineOnly) : '',
          ],
          [
            'Access granted only',
            counts.grantedOnly ? String(counts.grantedOnly) : '',
          ],
        ]
      : [
          ['Status', EDGE_STATE_LABELS[edgeState(edge)]],
          ['Ports', edge.ports.map(portPair).join(', ')],
          ['First seen', formatDate(edge.observed?.firstSeen)],
          ['Last seen', formatDate(edge.observed?.lastSeen)],
          ['Runs', edge.observed ? String(edge.observed.runs) : ''],
          ['Output ports read', edge.observed?.outputPorts.join(', ') ?? ''],
          // What JobEvents declare, kept apart from what runs showed.
          ['Declared by pipeline', edge.pipeline?.jobs.join(', ') ?? ''],
          ['Pipeline declared', formatDate(edge.pipeline?.declaredAt)],
          // Approved access requests: which port, for what, until when.
          [
            'Access granted',
            (edge.granted ?? [])
              .map(g => `${g.outputPort} until ${g.endDate}: ${g.purpose}`)
              .join('; '),
          ],
        ];
  return (
    <>
      <Typography variant="body2" component="h3" className={classes.heading}>
        {`${labels.get(edge.from) ?? edge.from} → ${
          labels.get(edge.to) ?? edge.to
        }`}
      </Typography>
      <Fields rows={fields} />
    </>
  );
}

export type LineageDetailsProps = {
  /** What to describe; a hint to hover when nothing is. */
  target?: HoverTarget;
  nodes: GraphNode[];
  edges: GraphEdge[];
};

/**
 * The details of the node or edge hovered or focused in a
 * {@link LineageGraphView}: what it is, its ports and its edges with what
 * runs showed of them.
 */
export function LineageDetails(props: LineageDetailsProps) {
  const { target, nodes, edges } = props;
  const classes = useStyles();
  const labels = useMemo(
    () => new Map(nodes.map(n => [n.entityRef, nodeLabel(n)])),
    [nodes],
  );
  const index = useMemo(() => indexEdges(edges), [edges]);

  let content: ReactNode;
  if (target && 'node' in target) {
    const node = nodes.find(n => n.entityRef === target.node);
    if (node) {
      content = (
        <NodeDetails
          node={node}
          incoming={index.incoming.get(node.entityRef) ?? []}
          outgoing={index.outgoing.get(node.entityRef) ?? []}
          labels={labels}
        />
      );
    }
  } else if (target) {
    const edge = index.outgoing
      .get(target.edge.from)
      ?.find(e => e.to === target.edge.to);
    if (edge) content = <EdgeDetails edge={edge} labels={labels} />;
  }

  return (
    <aside
      className={classes.root}
      aria-label="Lineage details"
      aria-live="polite"
    >
      {content ?? (
        <Typography variant="body2" className={classes.muted}>
          Hover over or focus a node, or hover over an edge, to see its details.
        </Typography>
      )}
    </aside>
  );
}
