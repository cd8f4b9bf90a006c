import { useSearchParams } from 'react-router-dom';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  type ContractPortView,
  entityRefKey,
} from '@quanta/plugin-data-mesh-common';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import InfoIcon from '@material-ui/icons/InfoOutlined';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { dataMeshApiRef } from '../../api';
import { breakable } from '../../lib/breakable';
import { formatDateTimeUtc } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { CardSection } from '../shared/CardSection';
import { Copyable } from '../shared/Copyable';
import { ContractDocument, useContractStyles } from './ContractDocument';
import { ContractImpactCheck } from './ContractImpactCheck';
import { VersionHistory } from './VersionHistory';
import { statusInWords, textOf } from './odcs';

const useStyles = makeStyles(theme => ({
  status: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  ok: { color: theme.palette.success.main },
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  neutral: { color: theme.palette.text.secondary },
  tab: {
    textTransform: 'none',
    // Port names wrap after their separators rather than widen the tab.
    maxWidth: 320,
  },
  tabLabel: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    fontFamily: 'monospace',
    overflowWrap: 'break-word',
    textAlign: 'left',
  },
  tabStatus: {
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
  },
}));

const ICONS = {
  ok: CheckCircleIcon,
  error: ErrorIcon,
  warning: WarningIcon,
  neutral: InfoIcon,
};

/** The port's contract status as one line, with the reason when it failed. */
function PortStatus(props: { port: ContractPortView }) {
  const classes = useStyles();
  const words = statusInWords(props.port);
  const Icon = ICONS[words.tone];
  return (
    <div
      className={classes.status}
      role="status"
      aria-label={`Contract status of ${props.port.port}`}
    >
      <Icon className={classes[words.tone]} aria-hidden />
      <div>
        <Typography variant="body1">
          <strong>{words.label}</strong>
        </Typography>
        {words.detail && (
          <Typography variant="body2" style={{ overflowWrap: 'break-word' }}>
            {words.detail}
          </Typography>
        )}
        {props.port.readAt && (
          <Typography variant="caption" color="textSecondary">
            Last read {formatDateTimeUtc(props.port.readAt)}
          </Typography>
        )}
      </div>
    </div>
  );
}

/** One output port's contract: status, the contract consumers read, history. */
function PortContract(props: { port: ContractPortView; entityRef: string }) {
  const { port } = props;
  const classes = useContractStyles();
  const shown = port.versions.find(version => version.document);
  const documentVersion = shown && textOf(shown.document?.version);
  let documentTitle = 'Current contract';
  let documentHint = 'What the producer promises consumers of this port.';
  if (shown && !shown.current) {
    documentTitle = 'Last contract read';
    documentHint =
      'The contract cannot be read now; this is the last version the portal read, which may no longer hold.';
  }
  return (
    <InfoCard title={<span>Contract of {breakable(port.port)}</span>}>
      <PortStatus port={port} />
      {port.location && (
        <CardSection title="Where it is declared">
          <Grid container spacing={2}>
            <Grid item xs={12} md={8}>
              <Copyable
                text={port.location}
                what={`contract location of ${port.port}`}
              />
            </Grid>
            {port.declaredVersion && (
              <Grid item xs={12} md={4}>
                <Typography variant="body2">
                  The descriptor declares version {port.declaredVersion}
                  {documentVersion &&
                    shown?.current &&
                    documentVersion !== port.declaredVersion &&
                    `; the contract says ${documentVersion}`}
                </Typography>
              </Grid>
            )}
          </Grid>
        </CardSection>
      )}
      {shown?.document && (
        <section aria-label={documentTitle}>
          <Typography variant="h5" component="h3" className={classes.heading}>
            {documentTitle}
          </Typography>
          <Typography variant="body2" className={classes.secondary}>
            {documentHint}
          </Typography>
          <ContractDocument port={port.port} document={shown.document} />
        </section>
      )}
      {port.status !== 'undeclared' && (
        <VersionHistory port={port.port} versions={port.versions} />
      )}
      {port.status !== 'undeclared' && (
        <ContractImpactCheck
          entityRef={props.entityRef}
          port={port.port}
          current={shown?.document}
        />
      )}
      {port.status === 'undeclared' && (
        <Typography variant="body2" className={classes.secondary}>
          Producers declare one with <code>contract.location</code> on the
          output port in the descriptor.
        </Typography>
      )}
    </InfoCard>
  );
}

/**
 * The contracts of a data product's output ports, for consumers (what each
 * port promises, and how that changed) and producers (why a contract cannot
 * be read). `?port=<name>` opens that port.
 */
export function DataProductContractContent() {
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const classes = useStyles();
  const shared = useContractStyles();
  const entityRef = entityRefKey(entity);
  const [params, setParams] = useSearchParams();
  const { value, loading, error } = useAsync(
    () => api.getContracts(entityRef),
    [api, entityRef],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  if (loading && !value) return <Progress />;
  const ports = value?.ports ?? [];
  if (ports.length === 0) {
    return (
      <InfoCard title="Contract">
        <Typography variant="body2" className={shared.empty}>
          This data product declares no output ports, so it has no contract
        </Typography>
      </InfoCard>
    );
  }
  const asked = params.get('port');
  const selected = ports.find(p => p.port === asked) ?? ports[0];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {asked !== null && asked !== selected.port && (
          <Typography variant="body2" role="alert" className={shared.prose}>
            This data product has no output port named {asked}; showing{' '}
            {selected.port}.
          </Typography>
        )}
        <Tabs
          value={selected.port}
          onChange={(_event, port: string) =>
            setParams(
              previous => {
                const next = new URLSearchParams(previous);
                next.set('port', port);
                return next;
              },
              { replace: true },
            )
          }
          variant="scrollable"
          scrollButtons="auto"
          indicatorColor="primary"
          aria-label="Output ports"
        >
          {ports.map(port => (
            <Tab
              key={port.port}
              value={port.port}
              className={classes.tab}
              label={
                <span className={classes.tabLabel}>
                  <span>{breakable(port.port)}</span>
                  <span className={classes.tabStatus}>
                    {statusInWords(port).label}
                  </span>
                </span>
              }
            />
          ))}
        </Tabs>
      </Grid>
      <Grid item xs={12}>
        <PortContract
          key={selected.port}
          port={selected}
          entityRef={entityRef}
        />
      </Grid>
    </Grid>
  );
}
