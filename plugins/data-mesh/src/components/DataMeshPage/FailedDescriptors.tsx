import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { useAsync } from '../../lib/useAsync';
import {
  FailedDescriptorList,
  MissingModuleNote,
  OwnerRef,
  refusedSummary,
} from '../shared/FailedDescriptorList';

const useStyles = makeStyles(theme => ({
  team: {
    '&:not(:first-child)': { marginTop: theme.spacing(2) },
  },
  heading: { fontWeight: 'bold' },
  muted: { color: theme.palette.text.secondary },
}));

/** The team a descriptor names, as a link where it is a valid ref. */
function Team(props: { owner?: string; namespace: string }) {
  if (!props.owner) return <>No owner in the file</>;
  return <OwnerRef owner={props.owner} namespace={props.namespace} />;
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
 * they have no entity page, so this is where their team finds them. With the
 * second files declaring a product the catalog already serves, which it
 * ignores. Shown only when there are some, also when the catalog cannot list
 * refused descriptors but there are ignored files.
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
        {value.available ? null : <MissingModuleNote />}
        <Typography variant="body2" gutterBottom>
          {refusedSummary(value.items)}
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
            <FailedDescriptorList items={items} />
          </section>
        ))}
      </InfoCard>
    </Grid>
  );
}
