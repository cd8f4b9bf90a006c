import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef } from '../../api';
import { lineageSummary } from '../../lib/lineage';
import { useAsync } from '../../lib/useAsync';
import { LineageGraphView, LineageLegend } from '../lineage/LineageGraphView';
import { entityRefKey } from '@quanta/plugin-data-mesh-common';

/**
 * Props of {@link EntityDataProductLineageCard}.
 *
 * @public
 */
export type DataProductLineageCardProps = {
  variant?: InfoCardVariants;
};

/**
 * The products and sources a data product reads and the products reading
 * it, one hop each way: declared by input ports, observed in OpenLineage
 * events, and where the two disagree.
 */
export function DataProductLineageCard(props: DataProductLineageCardProps) {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const entityRef = entityRefKey(entity);
  const { value, loading, error } = useAsync(
    () => api.getLineage(entityRef, { upstream: 1, downstream: 1 }),
    [api, entityRef],
  );

  let content;
  if (loading) content = <Progress />;
  else if (error) content = <ResponseErrorPanel error={error} />;
  else if (!value || value.nodes.length <= 1) {
    content = (
      <Typography variant="body2">
        No lineage yet: this product declares no input ports, nothing reads it,
        and no OpenLineage events mention it.
      </Typography>
    );
  } else {
    const summary = lineageSummary(value, entityRef);
    content = (
      <>
        <Typography variant="body2" gutterBottom>
          {summary.text}
        </Typography>
        {summary.warnings.map(warning => (
          <Typography
            key={warning}
            variant="body2"
            color="error"
            gutterBottom
            role="alert"
          >
            {warning}
          </Typography>
        ))}
        {/* A graph wider than the card at half size scrolls, not clips. */}
        <div style={{ overflowX: 'auto' }} data-testid="lineage-scroll">
          <LineageGraphView
            nodes={value.nodes}
            edges={value.edges}
            focus={entityRef}
            compact
          />
        </div>
        <LineageLegend domains={summary.domains} />
      </>
    );
  }

  return (
    <InfoCard title="Lineage" variant={props.variant}>
      {content}
    </InfoCard>
  );
}
