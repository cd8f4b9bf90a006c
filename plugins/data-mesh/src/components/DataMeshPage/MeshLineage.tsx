import { useMemo, useState } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef } from '../../api';
import {
  meshDomainName,
  meshGraph,
  meshLineageSummary,
  meshProductCount,
} from '../../lib/lineage';
import { useAsync } from '../../lib/useAsync';
import {
  LineageExplorer,
  LineageExplorerZoom,
  useLineageExplorer,
} from '../lineage/LineageExplorer';
import { LineageLegend } from '../lineage/LineageGraphView';

/** Products up to which the mesh is drawn product by product; above, by domain. */
export const MESH_LINEAGE_MAX_PRODUCTS = 150;

/**
 * Products up to which the whole mesh may still be drawn product by product
 * on request: the layout takes milliseconds even then, but more boxes than
 * this are no longer readable.
 */
export const MESH_LINEAGE_PRODUCT_LIMIT = 1000;

type GroupBy = 'auto' | 'product' | 'domain';

/** Props of {@link MeshLineage}. */
export type MeshLineageProps = {
  /** Above this many products the mesh is grouped by domain at first. */
  maxProducts?: number;
};

/**
 * Lineage across the whole mesh: every product and its dependencies, or, for
 * a large mesh, one box per domain with the dependencies between domains
 * counted. A domain opens its products and those they read or feed.
 */
export function MeshLineage(props: MeshLineageProps) {
  const { maxProducts = MESH_LINEAGE_MAX_PRODUCTS } = props;
  const api = useApi(dataMeshApiRef);
  const [groupBy, setGroupBy] = useState<GroupBy>('auto');
  const [domain, setDomain] = useState<string>();
  const explorer = useLineageExplorer();
  // A domain's products come from the product list, filtered here: the
  // backend answers for the whole mesh only.
  const query: GroupBy = domain ? 'product' : groupBy;
  const { value, loading, error } = useAsync(
    () => api.getMeshLineage({ groupBy: query, maxProducts }),
    [api, query, maxProducts],
  );
  // Until the product list arrives, a domain answer is not what was asked.
  const mesh =
    value && (!domain || value.groupBy === 'product') ? value : undefined;
  const graph = useMemo(() => mesh && meshGraph(mesh, domain), [mesh, domain]);

  const show = (next: GroupBy, nextDomain?: string) => {
    setGroupBy(next);
    setDomain(nextDomain);
    explorer.reset();
  };

  let content;
  if (error) content = <ResponseErrorPanel error={error} />;
  else if (loading || !mesh || !graph) content = <Progress />;
  else if (mesh.nodes.length === 0) {
    content = (
      <Typography variant="body2">
        No data products in the lineage yet: the backend reads them from the
        catalog, then draws their input ports and OpenLineage events here.
      </Typography>
    );
  } else {
    const byDomain = mesh.groupBy === 'domain';
    const total = meshProductCount(mesh);
    const domains = byDomain
      ? []
      : [
          ...new Set(
            graph.nodes
              .map(n => n.domain)
              .filter((d): d is string => Boolean(d)),
          ),
        ].sort();
    content = (
      <>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 12 }}
        >
          <ButtonGroup size="small" aria-label="Show the mesh by">
            <Button
              aria-pressed={!byDomain && !domain}
              variant={!byDomain && !domain ? 'contained' : 'outlined'}
              // Past the limit, products are reached through their domain.
              disabled={total > MESH_LINEAGE_PRODUCT_LIMIT}
              onClick={() => show('product')}
            >
              Data products
            </Button>
            <Button
              aria-pressed={byDomain}
              variant={byDomain ? 'contained' : 'outlined'}
              onClick={() => show('domain')}
            >
              Domains
            </Button>
          </ButtonGroup>
          <LineageExplorerZoom state={explorer} />
        </Box>
        {domain && (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {`Showing the domain ${meshDomainName(domain)}. `}
            <Button size="small" color="primary" onClick={() => show(groupBy)}>
              Back to the whole mesh
            </Button>
          </Typography>
        )}
        <Typography variant="body2" style={{ marginTop: 8 }}>
          {meshLineageSummary(mesh, graph, domain)}
        </Typography>
        {byDomain && (
          <Typography variant="body2" color="textSecondary">
            {total > maxProducts
              ? `Grouped by domain: the mesh has more than ${maxProducts} data products. `
              : 'Grouped by domain. '}
            Select a domain to see its data products.
          </Typography>
        )}
        <LineageExplorer
          state={explorer}
          nodes={graph.nodes}
          edges={graph.edges}
          edgeCounts={byDomain}
          onNodeClick={
            byDomain ? node => show(groupBy, node.entityRef) : undefined
          }
        />
        {/* The mesh index counts edges; it does not say which were observed. */}
        <LineageLegend
          domains={domains}
          states={['declared', 'undeclared', 'stale', 'pipeline', 'granted']}
        />
      </>
    );
  }

  return <InfoCard title="Mesh lineage">{content}</InfoCard>;
}
