import { useMemo } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import { entityRefKey } from '@quanta/plugin-data-mesh-common';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { formatDateTimeUtc } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { Warning } from '../shared/Warning';
import {
  isConflict,
  LocationText,
  OwnerRef,
} from '../shared/FailedDescriptorList';

const useStyles = makeStyles({
  // One line per ignored file; locations are long and unbroken.
  conflict: { display: 'block', overflowWrap: 'anywhere' },
});

const NONE: FailedDescriptor[] = [];

/**
 * On a DataProduct's page: the other files that declare the same product,
 * which the catalog ignores (it serves this page from the file it read
 * first). Shows nothing when there are none, while loading, when the data
 * mesh API is not installed or cannot be made, or when the list cannot be
 * read: the card it sits in must not fail with it.
 */
export function DescriptorConflictWarning() {
  const classes = useStyles();
  const { entity } = useEntity();
  const apis = useApiHolder();
  // Optional: the card renders without the data mesh API, or when the API
  // cannot be made (an app without the backend's address).
  const api = useMemo(() => {
    try {
      return apis.get(dataMeshApiRef);
    } catch {
      return undefined;
    }
  }, [apis]);
  const entityRef = entityRefKey(entity);
  const { value: conflicts = NONE } = useAsync(
    async () =>
      api
        ? (await api.listFailedDescriptors({ entityRef })).items.filter(
            isConflict,
          )
        : NONE,
    [api, entityRef],
  );

  if (!conflicts.length) return null;
  return (
    <Grid item xs={12}>
      <Warning title="Declared in more than one file">
        {conflicts.map(item => {
          const time = formatDateTimeUtc(item.lastTriedAt);
          return (
            <span
              key={`${item.location}|${item.namespace}|${item.name}`}
              className={classes.conflict}
            >
              {'Also declared in '}
              {item.location ? (
                <LocationText location={item.location} />
              ) : (
                'another file'
              )}
              {item.owner ? (
                <>
                  {' (by '}
                  <OwnerRef owner={item.owner} namespace={item.namespace} />)
                </>
              ) : null}
              ; the catalog ignores that file. Remove the product from one of
              the two files, or rename it there.
              {time ? ` Reported ${time}.` : null}
            </span>
          );
        })}
      </Warning>
    </Grid>
  );
}
