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
import { entityRefKey } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef } from '../../api';
import { useAsync } from '../../lib/useAsync';
import {
  FailedDescriptorList,
  MissingModuleNote,
  refusedSummary,
} from '../shared/FailedDescriptorList';

/**
 * Props of {@link EntityGroupFailedDescriptorsCard}.
 *
 * @public
 */
export type GroupFailedDescriptorsCardProps = {
  variant?: InfoCardVariants;
};

/**
 * On a Group page: the DataProduct descriptors of the team that the catalog
 * refused. They have no page of their own, so the team's page is where the
 * team finds them. With the team's files that declare a product the catalog
 * already serves from another file, which the catalog ignores. Says so when
 * there are none, and what to install when the catalog cannot list the
 * refused ones.
 */
export function GroupFailedDescriptorsCard(
  props: GroupFailedDescriptorsCardProps,
) {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const owner = entityRefKey(entity);
  const { value, loading, error } = useAsync(
    () => api.listFailedDescriptors({ owner }),
    [api, owner],
  );

  let content: ReactNode;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (loading || !value) {
    content = <Progress />;
  } else if (value.available && value.items.length === 0) {
    content = (
      <Typography
        variant="body2"
        role="note"
        aria-label="No refused descriptors"
      >
        No refused descriptors for this team.
      </Typography>
    );
  } else {
    // Without the unprocessed entities module the catalog cannot say what it
    // refused, but the files it ignores are still listed.
    content = (
      <>
        {value.available ? null : <MissingModuleNote />}
        {value.items.length > 0 ? (
          <>
            <Typography variant="body2" gutterBottom>
              {refusedSummary(value.items)}
            </Typography>
            <FailedDescriptorList
              label="Refused descriptors of this team"
              items={value.items}
            />
          </>
        ) : null}
      </>
    );
  }

  return (
    <InfoCard
      title="Data product descriptors that failed to load"
      variant={props.variant}
    >
      {content}
    </InfoCard>
  );
}
