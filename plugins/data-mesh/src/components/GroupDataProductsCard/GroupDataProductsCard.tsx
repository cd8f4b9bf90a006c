import { ReactNode } from 'react';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef } from '../../api';
import { policyIndex } from '../../lib/governance';
import { useAsync } from '../../lib/useAsync';
import { productColumns, ProductTable } from '../shared/ProductTable';
import { entityRefKey } from '@quanta/plugin-data-mesh-common';

const useStyles = makeStyles(theme => ({
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/** The team's products are few; one page covers any real team. */
const LIMIT = 100;

/**
 * Props of {@link EntityGroupDataProductsCard}.
 *
 * @public
 */
export type GroupDataProductsCardProps = {
  variant?: InfoCardVariants;
};

/**
 * The data products a team owns, each with its level, score and the policies
 * that block its next level.
 */
export function GroupDataProductsCard(props: GroupDataProductsCardProps) {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const owner = entityRefKey(entity);
  const { value, loading, error } = useAsync(
    () =>
      Promise.all([
        api.listScorecards({ owner, limit: LIMIT }),
        api.getPolicies(),
      ]),
    [api, owner],
  );

  let content: ReactNode;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (loading || !value) {
    content = <Progress />;
  } else {
    const [list, { policies, levels }] = value;
    const titles = policyIndex(policies);
    if (list.items.length === 0) {
      content = (
        <div role="note" aria-label="No evaluated data products">
          <Typography variant="subtitle1" component="p">
            This team owns no evaluated data product.
          </Typography>
          <Typography variant="body2" className={classes.muted}>
            Data products owned by this team appear here once the mesh has
            evaluated them.
          </Typography>
        </div>
      );
    } else {
      content = (
        <>
          <ProductTable
            label="Data products of this team"
            items={list.items}
            columns={[
              productColumns.product,
              productColumns.level(levels),
              productColumns.score,
              productColumns.nextLevel(id => titles.get(id)?.title ?? id),
            ]}
          />
          {list.totalItems > list.items.length && (
            <Typography variant="body2" className={classes.muted}>
              Showing {list.items.length} of {list.totalItems} data products.
            </Typography>
          )}
        </>
      );
    }
  }

  return (
    <InfoCard title="Data products and their levels" variant={props.variant}>
      {content}
    </InfoCard>
  );
}
