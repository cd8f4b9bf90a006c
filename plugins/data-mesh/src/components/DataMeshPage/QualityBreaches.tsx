import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  dataMeshQualityApiRef,
  type DataMeshQualityApi,
} from '../../api/DataMeshQualityApi';
import { shortRef } from '../../lib/format';
import { sloLabel } from '../../lib/quality';
import { useAsync } from '../../lib/useAsync';

const useStyles = makeStyles(theme => ({
  domain: {
    '&:not(:first-child)': { marginTop: theme.spacing(2) },
  },
  heading: {
    fontWeight: 'bold',
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(3),
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

function Breaches(props: { api: DataMeshQualityApi }) {
  const classes = useStyles();
  const { value, loading, error } = useAsync(
    () => props.api.getQualityBreaches(),
    [props.api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const breaching = value.domains.reduce((n, d) => n + d.items.length, 0);
  const summary = `${breaching} of ${
    value.products
  } data products with SLOs breach one now${
    value.noData ? `; ${value.noData} have no quality results yet` : ''
  }.`;
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {summary}
      </Typography>
      {value.domains.map(domain => (
        <section
          key={domain.domain}
          className={classes.domain}
          aria-label={`Breaches in ${
            domain.domain === 'none' ? 'no domain' : shortRef(domain.domain)
          }`}
        >
          <Typography variant="body2" className={classes.heading}>
            {domain.domain === 'none' ? (
              'No domain'
            ) : (
              <EntityRefLink entityRef={domain.domain} />
            )}{' '}
            <span className={classes.muted}>({domain.items.length})</span>
          </Typography>
          <ul className={classes.list}>
            {domain.items.map(item => (
              <li key={item.entityRef}>
                <Typography variant="body2">
                  <EntityRefLink
                    entityRef={item.entityRef}
                    title={item.title}
                  />
                  {': '}
                  {item.breached
                    .map(b => `${sloLabel(b.slo)}: ${b.message}`)
                    .join('; ')}
                </Typography>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/**
 * Products breaching an SLO now, by domain, as a full-width item of the
 * page's grid. Shown only where the app provides the quality API, so the
 * page works without it.
 */
export function QualityBreaches() {
  const holder = useApiHolder();
  let api: DataMeshQualityApi | undefined;
  let failure: Error | undefined;
  try {
    api = holder.get(dataMeshQualityApiRef);
  } catch (error) {
    // The API exists but could not be built; say so in this section only.
    failure = error as Error;
  }
  if (!api && !failure) return null;
  return (
    <Grid item xs={12}>
      <InfoCard title="SLO breaches now">
        {api ? <Breaches api={api} /> : <ResponseErrorPanel error={failure!} />}
      </InfoCard>
    </Grid>
  );
}
