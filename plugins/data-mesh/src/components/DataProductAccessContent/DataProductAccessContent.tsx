import { useState } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type AccessRequest,
  dataMeshAccessApprovePermission,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { dataMeshApiRef } from '../../api';
import { breakable } from '../../lib/breakable';
import { formatDate, shortRef } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { CardSection } from '../shared/CardSection';
import { byUrgency } from './access';
import {
  DecisionButtons,
  ProvisioningStatus,
  RefLink,
  SensitivityChips,
  StatusChip,
  useAccessDecisions,
  useAccessStyles,
} from './AccessParts';
import {
  type AccessPort,
  type ConsumerOption,
  type ConsumerOptions,
  RequestAccessForm,
} from './RequestAccessForm';

const KIND_WORDS: Record<string, string> = {
  dataproduct: 'data product',
  component: 'component',
};

/**
 * The data products and components that the signed-in user's teams own
 * (and the user, for a component owned by a person), but not the product
 * itself: what a request can be for.
 */
function useConsumerOptions(self: string): ConsumerOptions {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const { loading, value, error } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    if (!ownershipEntityRefs.length) return [];
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: ['DataProduct', 'Component'],
        'relations.ownedBy': ownershipEntityRefs,
      },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    return items
      .map((entity): ConsumerOption => {
        const ref = entityRefKey(entity);
        const kind =
          KIND_WORDS[entity.kind.toLocaleLowerCase('en-US')] ?? entity.kind;
        const title = entity.metadata.title ?? entity.metadata.name;
        return { ref, label: `${title} (${kind} ${shortRef(ref)})` };
      })
      .filter(option => option.ref !== self)
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [identityApi, catalogApi, self]);
  return { loading, options: value, error };
}

/** One output port: how sensitive it is, and the request form. */
function PortAccess(props: {
  entityRef: string;
  port: AccessPort;
  consumers: ConsumerOptions;
  now: Date;
  onRequested: () => void;
}) {
  const { port } = props;
  const classes = useAccessStyles();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState<AccessRequest>();
  const formId = `access-form-${port.port}`;
  return (
    <InfoCard
      title={<span>{breakable(port.port)}</span>}
      subheader={port.address}
    >
      <section aria-label={`Sensitivity of ${port.port}`}>
        <SensitivityChips sensitivity={port} showApproval />
      </section>
      {sent && (
        <Alert severity="success" role="status" className={classes.alert}>
          {sent.status === 'approved'
            ? `Access approved at once: ${shortRef(sent.consumer)} may read ${
                sent.port
              } until ${formatDate(sent.endDate)}.`
            : `Request sent for ${shortRef(
                sent.consumer,
              )}: an owner of the product decides. It is listed under “Who consumes this”.`}
        </Alert>
      )}
      <Button
        variant="outlined"
        color="primary"
        style={{ marginTop: 16 }}
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-label={`Request access to ${port.port}`}
        onClick={() => {
          setSent(undefined);
          setOpen(!open);
        }}
      >
        Request access
      </Button>
      {open && (
        <div id={formId}>
          <RequestAccessForm
            entityRef={props.entityRef}
            port={port}
            consumers={props.consumers}
            now={props.now}
            onCancel={() => setOpen(false)}
            onRequested={request => {
              setSent(request);
              setOpen(false);
              props.onRequested();
            }}
          />
        </div>
      )}
    </InfoCard>
  );
}

/** A request that is not a grant: pending, denied, revoked or expired. */
function RequestItem(props: {
  request: AccessRequest;
  decisions?: ReturnType<typeof useAccessDecisions>;
}) {
  const { request, decisions } = props;
  const classes = useAccessStyles();
  return (
    <li>
      <div className={classes.chips}>
        <StatusChip status={request.status} />
        <Typography variant="body2" component="span">
          <strong>
            <RefLink entityRef={request.consumer} />
          </strong>
          , asked by <RefLink entityRef={request.requester} /> on{' '}
          {formatDate(request.createdAt)}, until {formatDate(request.endDate)}
        </Typography>
      </div>
      <Typography variant="body2" className={classes.prose}>
        Purpose: {request.purpose}
      </Typography>
      {request.reason && (
        <Typography variant="body2" className={classes.prose}>
          Reason: {request.reason}
          {request.decidedBy && (
            <span className={classes.muted}>
              {' '}
              ({shortRef(request.decidedBy)}
              {request.decidedAt ? `, ${formatDate(request.decidedAt)}` : ''})
            </span>
          )}
        </Typography>
      )}
      {decisions && (
        <DecisionButtons
          request={request}
          start={decisions.start}
          busy={decisions.busyId === request.id}
        />
      )}
    </li>
  );
}

/** Approved requests: who reads the product, for what, until when. */
function GrantsTable(props: {
  grants: AccessRequest[];
  decisions?: ReturnType<typeof useAccessDecisions>;
}) {
  const { grants, decisions } = props;
  const classes = useAccessStyles();
  if (!grants.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No one has access yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Grants" className={classes.table}>
      <TableHead>
        <TableRow>
          <TableCell>Consumer</TableCell>
          <TableCell>Port</TableCell>
          <TableCell>Requested by</TableCell>
          <TableCell>Purpose</TableCell>
          <TableCell>Until</TableCell>
          <TableCell>In the platform</TableCell>
          {decisions && <TableCell>Action</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {grants.map(grant => (
          <TableRow key={grant.id}>
            <TableCell>
              <RefLink entityRef={grant.consumer} />
            </TableCell>
            <TableCell>{breakable(grant.port)}</TableCell>
            <TableCell>
              <RefLink entityRef={grant.requester} />
            </TableCell>
            <TableCell className={classes.prose}>{grant.purpose}</TableCell>
            <TableCell>{formatDate(grant.endDate)}</TableCell>
            <TableCell>
              <ProvisioningStatus request={grant} />
            </TableCell>
            {decisions && (
              <TableCell>
                <DecisionButtons
                  request={grant}
                  start={decisions.start}
                  busy={decisions.busyId === grant.id}
                />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The grants, then every other request grouped by port, pending first. */
function WhoConsumes(props: { entityRef: string; reloadKey: number }) {
  const { entityRef } = props;
  const api = useApi(dataMeshApiRef);
  const classes = useAccessStyles();
  const { value, loading, error, retry } = useAsync(async () => {
    const [grants, requests] = await Promise.all([
      api.listAccessGrants({ entityRef }),
      api.listAccessRequests({ entityRef }),
    ]);
    return { grants, requests };
  }, [api, entityRef, props.reloadKey]);
  const decisions = useAccessDecisions(retry);
  const approval = usePermission({
    permission: dataMeshAccessApprovePermission,
    resourceRef: entityRef,
  });
  // The backend decides who may approve; only the permission API's definite
  // "no" hides the buttons. One that cannot answer (a condition it cannot
  // check from here) leaves them, and the backend's 403 says why.
  const canDecide =
    !approval.loading && (approval.allowed || approval.error !== undefined);

  if (error) {
    return (
      <Alert severity="error" role="alert">
        {error.message}
      </Alert>
    );
  }
  if (loading && !value) return <Progress />;
  if (!value) return null;

  const others = value.requests.items
    .filter(request => request.status !== 'approved')
    .sort(byUrgency);
  const ports = [...new Set(others.map(request => request.port))];
  const shownDecisions = canDecide ? decisions : undefined;
  return (
    <>
      {decisions.element}
      <CardSection
        title="Grants"
        hint="Approved access: who reads this product, for what and until when, and whether the grant took effect in the data platform."
      >
        <GrantsTable
          grants={[...value.grants.items].sort((a, b) =>
            a.endDate.localeCompare(b.endDate),
          )}
          decisions={shownDecisions}
        />
        {value.grants.totalItems > value.grants.items.length && (
          <Typography variant="body2" className={classes.muted}>
            Showing {value.grants.items.length} of {value.grants.totalItems}{' '}
            grants.
          </Typography>
        )}
      </CardSection>
      <CardSection
        title="Requests"
        hint="Pending requests wait for an owner of the product; denied, revoked and expired ones stay for the record."
      >
        {!ports.length && (
          <Typography variant="body2" className={classes.muted}>
            No pending or past requests.
          </Typography>
        )}
        {ports.map(port => (
          <div key={port}>
            <Typography variant="subtitle1" component="h4">
              {breakable(port)}
            </Typography>
            <ul
              className={classes.list}
              aria-label={`Access requests of ${port}`}
            >
              {others
                .filter(request => request.port === port)
                .map(request => (
                  <RequestItem
                    key={request.id}
                    request={request}
                    decisions={shownDecisions}
                  />
                ))}
            </ul>
          </div>
        ))}
        {value.requests.totalItems > value.requests.items.length && (
          <Typography variant="body2" className={classes.muted}>
            Showing the {value.requests.items.length} most recent of{' '}
            {value.requests.totalItems} requests.
          </Typography>
        )}
      </CardSection>
    </>
  );
}

/**
 * Access to a data product's output ports: how sensitive each is and a form
 * to ask for it, then who consumes the product — the grants with whether
 * they took effect, and the other requests — with the decisions an owner
 * makes on them.
 */
export function DataProductAccessContent() {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const classes = useAccessStyles();
  const entityRef = entityRefKey(entity);
  // "Today" and the default end date follow from when the tab opened.
  const [now] = useState(() => new Date());
  const [reloadKey, setReloadKey] = useState(0);
  const consumers = useConsumerOptions(entityRef);
  const { value, loading, error } = useAsync(
    () => api.getAccessPorts(entityRef),
    [api, entityRef],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (loading && !value) return <Progress />;
  const ports = value?.ports ?? [];

  return (
    <Grid container spacing={3}>
      {ports.length === 0 && (
        <Grid item xs={12}>
          <InfoCard title="Request access">
            <Typography variant="body2" className={classes.muted}>
              This data product declares no output ports, so there is nothing to
              ask access to.
            </Typography>
          </InfoCard>
        </Grid>
      )}
      {ports.map(port => (
        <Grid item xs={12} lg={ports.length > 1 ? 6 : 12} key={port.port}>
          <PortAccess
            entityRef={entityRef}
            port={port}
            consumers={consumers}
            now={now}
            onRequested={() => setReloadKey(key => key + 1)}
          />
        </Grid>
      ))}
      <Grid item xs={12}>
        <InfoCard title="Who consumes this">
          <WhoConsumes entityRef={entityRef} reloadKey={reloadKey} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
