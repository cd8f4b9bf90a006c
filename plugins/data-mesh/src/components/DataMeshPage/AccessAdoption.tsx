import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { AccessAdoptionResponse } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { shortRef } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

const useStyles = makeStyles(theme => ({
  tiles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    marginBottom: theme.spacing(2),
  },
  value: {
    fontWeight: 'bold',
    fontVariantNumeric: 'tabular-nums',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  number: {
    fontVariantNumeric: 'tabular-nums',
  },
}));

/** `6 h`, `1.5 days`: a wait in the unit a reader thinks in. */
export function formatHours(hours: number): string {
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

function Figure(props: { label: string; value: string | number }) {
  const classes = useStyles();
  return (
    <div role="group" aria-label={props.label}>
      <Typography variant="h5" component="p" className={classes.value}>
        {props.value}
      </Typography>
      <Typography variant="body2" className={classes.muted}>
        {props.label}
      </Typography>
    </div>
  );
}

function Figures(props: { value: AccessAdoptionResponse }) {
  const classes = useStyles();
  const { value } = props;
  const { timeToApprove: wait } = value;
  return (
    <div className={classes.tiles}>
      <Figure label="Grants now" value={value.grants} />
      <Figure label="Consumers holding them" value={value.consumers} />
      <Figure label="Requests waiting" value={value.pending} />
      <Figure
        label={`Median time to approve (${value.days} days)`}
        value={
          wait.medianHours === undefined ? '–' : formatHours(wait.medianHours)
        }
      />
    </div>
  );
}

function ByProduct(props: { value: AccessAdoptionResponse }) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Consumers per data product">
      <TableHead>
        <TableRow>
          <TableCell>Data product</TableCell>
          <TableCell>Domain</TableCell>
          <TableCell align="right">Consumers</TableCell>
          <TableCell align="right">Grants</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.value.products.map(product => (
          <TableRow key={product.entityRef}>
            <TableCell>
              <EntityRefLink entityRef={product.entityRef}>
                {product.title ?? shortRef(product.entityRef)}
              </EntityRefLink>
            </TableCell>
            <TableCell>
              {product.domain ? shortRef(product.domain) : ''}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {product.consumers}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {product.grants}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ByDomain(props: { value: AccessAdoptionResponse }) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Consumers per domain">
      <TableHead>
        <TableRow>
          <TableCell>Domain</TableCell>
          <TableCell align="right">Products with grants</TableCell>
          <TableCell align="right">Consumers</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.value.domains.map(domain => (
          <TableRow key={domain.domain}>
            <TableCell>
              {domain.domain === 'none' ? 'No domain' : shortRef(domain.domain)}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {domain.products}
            </TableCell>
            <TableCell align="right" className={classes.number}>
              {domain.consumers}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Who consumes what across the mesh, for platform owners: grants and
 * consumers now, per product and per domain, requests waiting, and how long
 * consumers wait for an approval.
 */
export function AccessAdoption(props: { days: number }) {
  const classes = useStyles();
  const api = useApi(dataMeshApiRef);
  const { value, loading, error } = useAsync(
    () => api.getAccessAdoption({ days: props.days }),
    [api, props.days],
  );
  let content;
  if (error) content = <ResponseErrorPanel error={error} />;
  else if (loading && !value) content = <Progress />;
  else if (value) {
    const { timeToApprove: wait } = value;
    content = (
      <>
        <Figures value={value} />
        <Typography variant="body2" className={classes.muted} paragraph>
          {wait.approved
            ? `${wait.approved} requests approved by an owner in the last ${
                value.days
              } days; 9 in 10 within ${formatHours(wait.p90Hours ?? 0)}.`
            : `No request was approved by an owner in the last ${value.days} days.`}
          {wait.autoApproved
            ? ` ${wait.autoApproved} approved at once (public data).`
            : ''}{' '}
          {value.pending ? (
            // Relative: the inbox is the page's Access requests tab.
            <Link to="access">See the requests waiting for a decision.</Link>
          ) : null}
        </Typography>
        {value.products.length ? (
          <Grid container spacing={2}>
            <Grid item xs={12} md={7}>
              <ByProduct value={value} />
            </Grid>
            <Grid item xs={12} md={5}>
              <ByDomain value={value} />
            </Grid>
          </Grid>
        ) : (
          <Typography variant="body2" role="status">
            No consumer holds a grant yet: consumers ask for access on a data
            product's Access tab.
          </Typography>
        )}
      </>
    );
  }
  return (
    <Grid item xs={12}>
      <InfoCard title="Access to data">{content}</InfoCard>
    </Grid>
  );
}
