import { ReactNode } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef } from '../../api';
import { formatScore, levelColor, policyIndex } from '../../lib/governance';
import { useAsync } from '../../lib/useAsync';
import { LevelBadge } from '../shared/LevelBadge';

const useStyles = makeStyles(theme => ({
  muted: {
    color: theme.palette.text.secondary,
  },
  number: {
    fontVariantNumeric: 'tabular-nums',
  },
}));

/** The team's products are few; one page covers any real team. */
const LIMIT = 100;

/** Props of {@link GroupDataProductsCard}. */
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
  const owner = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
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
          <Table size="small" aria-label="Data products of this team">
            <TableHead>
              <TableRow>
                <TableCell>Data product</TableCell>
                <TableCell>Level</TableCell>
                <TableCell align="right">Score</TableCell>
                <TableCell>What blocks the next level</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list.items.map(item => (
                <TableRow key={item.entityRef}>
                  <TableCell>
                    <EntityRefLink
                      entityRef={item.entityRef}
                      defaultKind="dataproduct"
                    />
                  </TableCell>
                  <TableCell>
                    <LevelBadge
                      level={item.level}
                      color={
                        item.level ? levelColor(item.level, levels) : undefined
                      }
                    />
                  </TableCell>
                  <TableCell align="right" className={classes.number}>
                    {formatScore(item.score)}
                  </TableCell>
                  <TableCell>
                    {item.nextLevel ? (
                      <>
                        <Typography variant="body2" component="span">
                          {item.nextLevel.name}:{' '}
                        </Typography>
                        <Typography
                          variant="body2"
                          component="span"
                          className={classes.muted}
                        >
                          {item.nextLevel.blocking
                            .map(id => titles.get(id)?.title ?? id)
                            .join(', ')}
                        </Typography>
                      </>
                    ) : (
                      <Typography variant="body2" className={classes.muted}>
                        {item.level ? 'Holds the top level' : '–'}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
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
