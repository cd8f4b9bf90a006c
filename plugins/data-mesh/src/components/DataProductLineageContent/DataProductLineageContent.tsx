import { useMemo, useState } from 'react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef } from '../../api';
import { useAsync } from '../../lib/useAsync';
import { LineageGraphView, LineageLegend } from '../lineage/LineageGraphView';
import { lineageSummary } from '../lineage/summary';

const DEPTHS = [0, 1, 2, 3, 4, 5];
const ALL = 'all';

/**
 * The lineage explorer of a data product: depth each way, filters by domain
 * and node type, zoom, path highlight and details on hover.
 */
export function DataProductLineageContent() {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const [upstream, setUpstream] = useState(2);
  const [downstream, setDownstream] = useState(2);
  const [domain, setDomain] = useState(ALL);
  const [nodeType, setNodeType] = useState(ALL);
  const [scale, setScale] = useState<number | undefined>(undefined);
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
          'Upstream',
          upstream,
          DEPTHS.map(d => ({ value: d, label: `${d} hops` })),
          v => setUpstream(Number(v)),
        )}
        {select(
          'Downstream',
          downstream,
          DEPTHS.map(d => ({ value: d, label: `${d} hops` })),
          v => setDownstream(Number(v)),
        )}
        {select(
          'Domain',
          domain,
          [
            { value: ALL, label: 'All domains' },
            ...domains.map(d => ({ value: d, label: parseEntityRef(d).name })),
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
          ],
          setNodeType,
        )}
        <Button onClick={() => setScale(s => (s ?? 1) * 0.8)}>Zoom out</Button>
        <Button onClick={() => setScale(s => (s ?? 1) * 1.25)}>Zoom in</Button>
        <Button onClick={() => setScale(undefined)}>Fit</Button>
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
          <Box mt={2} style={{ overflow: 'auto', maxHeight: '70vh' }}>
            <LineageGraphView
              nodes={shown.nodes}
              edges={shown.edges}
              focus={entityRef}
              scale={scale}
            />
          </Box>
          <LineageLegend domains={domains} />
        </>
      )}
    </Paper>
  );
}
