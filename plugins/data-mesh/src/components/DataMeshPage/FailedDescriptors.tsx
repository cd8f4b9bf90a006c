import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { useAsync } from '../../lib/useAsync';

const useStyles = makeStyles(theme => ({
  team: {
    '&:not(:first-child)': { marginTop: theme.spacing(2) },
  },
  heading: { fontWeight: 'bold' },
  list: { margin: 0, paddingLeft: theme.spacing(3) },
  muted: { color: theme.palette.text.secondary },
  // Locations and catalog messages are long and unbroken.
  wrap: { overflowWrap: 'anywhere' },
}));

/** Longest part of a catalog message shown; the rest is in the catalog. */
const MESSAGE_LENGTH = 300;

const shorten = (message: string) =>
  message.length > MESSAGE_LENGTH
    ? `${message.slice(0, MESSAGE_LENGTH)}…`
    : message;

/** The team a descriptor names, as a link where it is a valid ref. */
function Team(props: { owner?: string; namespace: string }) {
  if (!props.owner) return <>No owner in the file</>;
  try {
    const ref = parseEntityRef(props.owner, {
      defaultKind: 'group',
      defaultNamespace: props.namespace,
    });
    return <EntityRefLink entityRef={ref} />;
  } catch {
    return <>{props.owner}</>;
  }
}

function byOwner(items: FailedDescriptor[]) {
  const groups = new Map<string, FailedDescriptor[]>();
  for (const item of items) {
    const key = item.owner ?? '';
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.entries()];
}

/**
 * DataProduct descriptors the catalog refused, by the team each file names:
 * they have no entity page, so this is where their team finds them. Shown
 * only when there are some.
 */
export function FailedDescriptors() {
  const api = useApi(dataMeshApiRef);
  const classes = useStyles();
  const { value, error } = useAsync(() => api.listFailedDescriptors(), [api]);
  if (error) {
    return (
      <Grid item xs={12}>
        <InfoCard title="Descriptors that failed to load">
          <ResponseErrorPanel error={error} />
        </InfoCard>
      </Grid>
    );
  }
  if (!value?.items.length) return null;
  return (
    <Grid item xs={12}>
      <InfoCard title="Descriptors that failed to load">
        <Typography variant="body2" gutterBottom>
          {`${value.items.length} data product ${
            value.items.length === 1 ? 'descriptor was' : 'descriptors were'
          } refused by the catalog and ${
            value.items.length === 1 ? 'has' : 'have'
          } no page; fix the file and the catalog reads it again.`}
        </Typography>
        {byOwner(value.items).map(([owner, items]) => (
          <section
            key={owner}
            className={classes.team}
            aria-label={`Failed descriptors of ${owner || 'no owner'}`}
          >
            <Typography variant="body2" className={classes.heading}>
              <Team owner={owner || undefined} namespace={items[0].namespace} />{' '}
              <span className={classes.muted}>({items.length})</span>
            </Typography>
            <ul className={classes.list}>
              {items.map(item => (
                <li key={`${item.location}|${item.namespace}|${item.name}`}>
                  <Typography variant="body2" className={classes.wrap}>
                    <strong>{item.name}</strong>
                    {item.location ? (
                      <span
                        className={classes.muted}
                      >{` in ${item.location}`}</span>
                    ) : null}
                    {': '}
                    {item.errors.map(e => shorten(e.message)).join('; ')}
                  </Typography>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </InfoCard>
    </Grid>
  );
}
