import { useApi } from '@backstage/core-plugin-api';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  LevelDefinition,
  PolicyDescription,
  ScorecardSummary,
} from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef, ScorecardListQuery } from '../../api';
import { downloadCsv } from '../../lib/csv';
import { shortRef } from '../../lib/format';
import {
  attributeLabel,
  describeSelection,
  formatScore,
  listAllScorecards,
  scorecardsToCsv,
  selectionCsvFileName,
  Selection,
} from '../../lib/governance';
import { useAsync } from '../../lib/useAsync';
import { productColumns, ProductTable } from '../shared/ProductTable';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  title: {
    flexGrow: 1,
  },
  wrapper: {
    overflowX: 'auto',
  },
  // The theme breaks table cells mid-word; headers wrap at spaces only.
  table: {
    '& th': { wordBreak: 'normal' },
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * The products of a domain, a level or the whole mesh, worst first, linking
 * to each product, with a CSV download of the list.
 */
export function ProductDrillDown(props: {
  selection: Selection;
  policies: Map<string, PolicyDescription>;
  ladder: LevelDefinition[];
  onClose: () => void;
}) {
  const { selection, policies, ladder } = props;
  const classes = useStyles();
  const api = useApi(dataMeshApiRef);
  const query: ScorecardListQuery = {};
  if (selection.kind === 'domain') query.domain = selection.domain;
  if (selection.kind === 'level') query.level = selection.level;
  const { value, loading, error } = useAsync(
    () => listAllScorecards(api, query),
    [api, query.domain, query.level],
  );
  const attribute =
    selection.kind === 'domain' ? selection.attribute : undefined;
  const sortKey = (item: ScorecardSummary) =>
    attribute ? item.attributes[attribute] ?? 101 : item.score;
  const items = [...(value ?? [])].sort(
    (a, b) => sortKey(a) - sortKey(b) || a.entityRef.localeCompare(b.entityRef),
  );
  const title = describeSelection(selection);
  const titleOf = (id: string) => policies.get(id)?.title ?? id;

  return (
    <section aria-label={title}>
      <div className={classes.toolbar}>
        <Typography variant="h6" component="h3" className={classes.title}>
          {title}
          {value && (
            <Typography component="span" className={classes.muted}>
              {' '}
              ({value.length})
            </Typography>
          )}
        </Typography>
        <Button
          variant="outlined"
          size="small"
          color="primary"
          disabled={!value || value.length === 0}
          onClick={() =>
            downloadCsv(
              selectionCsvFileName(selection),
              scorecardsToCsv(items, policies),
            )
          }
        >
          Download CSV
        </Button>
        <Button size="small" onClick={props.onClose}>
          Close
        </Button>
      </div>
      {error && <ResponseErrorPanel error={error} />}
      {loading && <Progress />}
      {value && value.length === 0 && (
        <Typography variant="body2" className={classes.muted}>
          No evaluated data product matches.
        </Typography>
      )}
      {items.length > 0 && (
        <div className={classes.wrapper}>
          <ProductTable
            label={title}
            items={items}
            className={classes.table}
            columns={[
              productColumns.product,
              {
                header: 'Domain',
                cell: item => (item.domain ? shortRef(item.domain) : '–'),
              },
              {
                header: 'Owner',
                cell: item =>
                  item.owner ? (
                    <EntityRefLink entityRef={item.owner} defaultKind="group" />
                  ) : (
                    '–'
                  ),
              },
              productColumns.level(ladder),
              productColumns.score,
              ...(attribute
                ? [
                    {
                      header: attributeLabel(attribute),
                      numeric: true,
                      cell: (item: ScorecardSummary) =>
                        formatScore(item.attributes[attribute]),
                    },
                  ]
                : []),
              {
                header: 'Failing policies',
                numeric: true,
                cell: item => item.failing.length,
                title: item => item.failing.map(titleOf).join(', '),
              },
              productColumns.nextLevel(titleOf),
            ]}
          />
        </div>
      )}
    </section>
  );
}
