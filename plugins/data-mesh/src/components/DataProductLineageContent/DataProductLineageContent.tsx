import { useMemo, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  LINEAGE_MAX_DEPTH,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { lineageSummary } from '../../lib/lineage';
import { useAsync } from '../../lib/useAsync';
import {
  LineageExplorer,
  LineageExplorerZoom,
  useLineageExplorer,
} from '../lineage/LineageExplorer';
import { LineageLegend } from '../lineage/LineageGraphView';

// No 0: leaving a direction out is what the direction control is for.
const DEPTHS = Array.from({ length: LINEAGE_MAX_DEPTH }, (_, i) => i + 1);
const ALL = 'all';

/** Which way from the product the explorer follows dependencies. */
type LineageDirection = 'both' | 'upstream' | 'downstream';

/**
 * The lineage explorer of a data product: direction and depth, filters by
 * domain and node type, zoom, path highlight and details on hover.
 */
export function DataProductLineageContent() {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const entityRef = entityRefKey(entity);
  const [direction, setDirection] = useState<LineageDirection>('both');
  const [upstreamDepth, setUpstreamDepth] = useState(2);
  const [downstreamDepth, setDownstreamDepth] = useState(2);
  const [domain, setDomain] = useState(ALL);
  const [nodeType, setNodeType] = useState(ALL);
  const explorer = useLineageExplorer();
  // The depth of a direction left out is kept for when it comes back.
  const upstream = direction === 'downstream' ? 0 : upstreamDepth;
  const downstream = direction === 'upstream' ? 0 : downstreamDepth;
  const { value, loading, error } = useAsync(
    () => api.getLineage(entityRef, { upstream, downstream }),
    [api, entityRef, upstream, downstream],
  );

  const shown = useMemo(() => {
    if (!value) return undefined;
    const nodes = value.nodes.filter(
      n =>
        n.entityRef === entityRef ||
        ((domain === ALL || n.domain === domain) &&
          (nodeType === ALL || n.nodeType === nodeType)),
    );
    const ids = new Set(nodes.map(n => n.entityRef));
    const edges = value.edges.filter(e => ids.has(e.from) && ids.has(e.to));
    return { nodes, edges };
  }, [value, domain, nodeType, entityRef]);

  const domains = value ? lineageSummary(value, entityRef).domains : [];
  // A domain chosen before a new query stays choosable even if now absent.
  const domainOptions =
    domain === ALL || domains.includes(domain) ? domains : [...domains, domain];
  const hops = DEPTHS.map(d => ({
    value: d,
    label: d === 1 ? '1 hop' : `${d} hops`,
  }));
  const select = (
    label: string,
    current: string | number,
    options: Array<{ value: string | number; label: string }>,
    onChange: (value: string) => void,
  ) => (
    <TextField
      select
      id={`lineage-${label.toLocaleLowerCase('en-US')}`}
      label={label}
      value={current}
      onChange={event => onChange(event.target.value)}
      variant="outlined"
      size="small"
      style={{ minWidth: 140 }}
    >
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Paper style={{ padding: 16 }}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
      >
        {select(
          'Direction',
          direction,
          [
            { value: 'both', label: 'Upstream and downstream' },
            { value: 'upstream', label: 'Upstream only' },
            { value: 'downstream', label: 'Downstream only' },
          ],
          v => setDirection(v as LineageDirection),
        )}
        {direction !== 'downstream' &&
          select('Upstream', upstreamDepth, hops, v =>
            setUpstreamDepth(Number(v)),
          )}
        {direction !== 'upstream' &&
          select('Downstream', downstreamDepth, hops, v =>
            setDownstreamDepth(Number(v)),
          )}
        {select(
          'Domain',
          domain,
          [
            { value: ALL, label: 'All domains' },
            ...domainOptions.map(d => ({
              value: d,
              label: parseEntityRef(d).name,
            })),
          ],
          setDomain,
        )}
        {select(
          'Type',
          nodeType,
          [
            { value: ALL, label: 'All' },
            { value: 'data-product', label: 'Data products' },
            { value: 'source', label: 'Sources' },
            { value: 'consumer', label: 'Consumers with access' },
          ],
          setNodeType,
        )}
        <LineageExplorerZoom state={explorer} />
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {!loading && !error && !value && (
        <Typography variant="body2">No lineage for this entity.</Typography>
      )}
      {value && shown && (
        <>
          {lineageSummary(value, entityRef).warnings.map(warning => (
            <Typography
              key={warning}
              variant="body2"
              color="error"
              role="alert"
            >
              {warning}
            </Typography>
          ))}
          <LineageExplorer
            state={explorer}
            nodes={shown.nodes}
            edges={shown.edges}
            focus={entityRef}
          />
          <LineageLegend domains={domains} />
        </>
      )}
    </Paper>
  );
}
