import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { AccessRequest } from '@quanta/plugin-data-mesh-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef } from '../../api';
import { breakable } from '../../lib/breakable';
import { formatDate } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import {
  DecisionButtons,
  RefLink,
  SensitivityChips,
  useAccessDecisions,
  useAccessStyles,
} from '../DataProductAccessContent/AccessParts';

/** Oldest first: the longest waiting is decided first. */
const oldestFirst = (a: AccessRequest, b: AccessRequest) =>
  a.createdAt.localeCompare(b.createdAt);

/**
 * The access requests waiting for the signed-in user's decision, across
 * every product they may approve for, with Approve and Deny. The backend
 * picks them (`GET /access/inbox`); each decision reloads the list.
 */
export function AccessInbox() {
  const api = useApi(dataMeshApiRef);
  const classes = useAccessStyles();
  const { value, loading, error, retry } = useAsync(
    () => api.getAccessInbox(),
    [api],
  );
  const decisions = useAccessDecisions(retry);

  if (error) return <ResponseErrorPanel error={error} />;
  if (loading && !value) return <Progress />;
  const items = [...(value?.items ?? [])].sort(oldestFirst);

  return (
    <InfoCard
      title="Waiting for your decision"
      subheader="Requests for access to the data products you may approve for, oldest first."
    >
      {decisions.element}
      {items.length === 0 ? (
        <Typography variant="body2" className={classes.muted} role="status">
          No request waits for your decision.
        </Typography>
      ) : (
        <Table
          className={classes.table}
          size="small"
          aria-label="Access requests waiting for your decision"
        >
          <TableHead>
            <TableRow>
              <TableCell>Product and port</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Purpose</TableCell>
              <TableCell>Until</TableCell>
              <TableCell>Sensitivity</TableCell>
              <TableCell>Decision</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(request => (
              <TableRow key={request.id}>
                <TableCell>
                  <RefLink entityRef={request.entityRef} />
                  <Typography variant="body2" className={classes.muted}>
                    {breakable(request.port)}
                  </Typography>
                </TableCell>
                <TableCell>
                  <RefLink entityRef={request.consumer} />
                </TableCell>
                <TableCell>
                  <RefLink entityRef={request.requester} />
                  <Typography variant="body2" className={classes.muted}>
                    on {formatDate(request.createdAt)}
                  </Typography>
                </TableCell>
                <TableCell className={classes.prose}>
                  {request.purpose}
                </TableCell>
                <TableCell>{formatDate(request.endDate)}</TableCell>
                <TableCell>
                  <SensitivityChips sensitivity={request.sensitivity} />
                </TableCell>
                <TableCell>
                  <DecisionButtons
                    request={request}
                    start={decisions.start}
                    busy={decisions.busyId === request.id}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {value && value.totalItems > value.items.length && (
        <Typography variant="body2" className={classes.muted}>
          Showing {value.items.length} of {value.totalItems} requests; decide
          these to see the others.
        </Typography>
      )}
    </InfoCard>
  );
}
