import { ReactNode, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef } from '../../api';
import { formatDate, formatDateTimeUtc } from '../../lib/format';
import {
  formatScore,
  loadOverview,
  policyIndex,
  Selection,
  selectionFromParams,
  selectionToParams,
} from '../../lib/governance';
import { useAsync } from '../../lib/useAsync';
import { AccessAdoption } from './AccessAdoption';
import { AdoptionCharts } from './AdoptionCharts';
import { DomainHeatmap } from './DomainHeatmap';
import { LevelDistribution } from './LevelDistribution';
import { MeshLineage } from './MeshLineage';
import { ProductDrillDown } from './ProductDrillDown';
import { FailedDescriptors } from './FailedDescriptors';
import { QualityBreaches } from './QualityBreaches';
import { WorstPolicies } from './WorstPolicies';
import { EvaluateButton } from '../shared/EvaluateButton';
import { useDocumentTitle } from '../shared/useDocumentTitle';
import { DataMeshSections } from './DataMeshSections';

const useStyles = makeStyles(theme => ({
  tiles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
  },
  tileValue: {
    fontWeight: 'bold',
    fontVariantNumeric: 'tabular-nums',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * Props of {@link DataMeshPage}.
 *
 * @public
 */
export type DataMeshOverviewProps = {
  /** Days of adoption history in the charts; 90 by default. */
  days?: number;
};

function Tile(props: { label: string; value: ReactNode }) {
  const classes = useStyles();
  return (
    <div role="group" aria-label={props.label}>
      <Typography variant="h4" component="p" className={classes.tileValue}>
        {props.value}
      </Typography>
      <Typography variant="body2" className={classes.muted}>
        {props.label}
      </Typography>
    </div>
  );
}

/**
 * Governance across the mesh for platform owners: adoption over time, levels,
 * a domain by attribute heatmap, the policies failing most, the products
 * behind each number, and the lineage between products and domains.
 */
export function DataMeshOverview(props: DataMeshOverviewProps) {
  const { days = 90 } = props;
  const classes = useStyles();
  const api = useApi(dataMeshApiRef);
  const { value, loading, error, retry } = useAsync(
    () => loadOverview(api, days),
    [api, days],
  );
  // The drill-down lives in the address, so Back from a product returns to it.
  const [params, setParams] = useSearchParams();
  const selection = selectionFromParams(params);
  const setSelection = (next: Selection | undefined) =>
    setParams(selectionToParams(next), { replace: true });
  const drillDownRef = useRef<HTMLDivElement>(null);
  const selectionKey = JSON.stringify(selection ?? null);
  useEffect(() => {
    // Opened below what was clicked; brought into view when it is not.
    if (selection) {
      drillDownRef.current?.scrollIntoView?.({
        block: 'nearest',
        behavior: 'smooth',
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectionKey]);

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && !value) {
    return <Progress />;
  }
  if (!value) {
    return null;
  }
  const { adoption, domains, policies, lastRun } = value;
  const byId = policyIndex(policies.policies);
  const latest = adoption.days[adoption.days.length - 1];

  if (!latest) {
    return (
      <InfoCard title="No evaluation yet">
        <div role="note" aria-label="No evaluation yet">
          <Typography paragraph>
            The mesh has not been evaluated yet, so there is nothing to chart.
            The backend evaluates every data product on a schedule; the first
            results appear after its first run.
          </Typography>
          <EvaluateButton
            label="Evaluate the mesh now"
            emphasis="contained"
            onEvaluated={retry}
          />
        </div>
      </InfoCard>
    );
  }

  const share = latest.products
    ? Math.round((latest.fromTemplate / latest.products) * 100)
    : 0;
  const drillDown = selection && (
    <Grid item xs={12} ref={drillDownRef}>
      <InfoCard>
        <ProductDrillDown
          selection={selection}
          policies={byId}
          ladder={policies.levels}
          onClose={() => setSelection(undefined)}
        />
      </InfoCard>
    </Grid>
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title="The mesh today"
          subheader={
            lastRun
              ? `Last evaluated ${
                  formatDateTimeUtc(lastRun.startedAt) ??
                  formatDate(lastRun.startedAt)
                }${lastRun.status === 'failed' ? ' (the run failed)' : ''}`
              : `As of ${latest.day}`
          }
          action={
            <Button
              color="primary"
              onClick={() => setSelection({ kind: 'all' })}
            >
              List all data products
            </Button>
          }
        >
          <div className={classes.tiles}>
            <Tile label="Data products" value={latest.products} />
            <Tile label="Average score" value={formatScore(latest.score)} />
            <Tile label="Created from a template" value={`${share}%`} />
            <Tile label="Policies" value={policies.policies.length} />
          </div>
        </InfoCard>
      </Grid>
      {selection?.kind === 'all' && drillDown}
      <Grid item xs={12}>
        <InfoCard title={`Adoption over the last ${days} days`}>
          <AdoptionCharts
            adoption={adoption}
            ladder={policies.levels}
            policies={byId}
            days={days}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Levels now">
          <LevelDistribution
            levels={latest.levels}
            ladder={policies.levels}
            onSelect={level => setSelection({ kind: 'level', level })}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Policies failing most">
          <WorstPolicies topFailing={adoption.topFailing} policies={byId} />
        </InfoCard>
      </Grid>
      {selection?.kind === 'level' && drillDown}
      <Grid item xs={12}>
        <InfoCard title="Domains by usability attribute">
          {domains.length === 0 ? (
            <Typography variant="body2" className={classes.muted}>
              No domain has evaluated data products yet.
            </Typography>
          ) : (
            <DomainHeatmap
              domains={domains}
              onSelect={(domain, attribute) =>
                setSelection({ kind: 'domain', domain, attribute })
              }
            />
          )}
        </InfoCard>
      </Grid>
      {selection?.kind === 'domain' && drillDown}
      <FailedDescriptors />
      <QualityBreaches />
      <AccessAdoption days={days} />
      <Grid item xs={12}>
        <MeshLineage />
      </Grid>
    </Grid>
  );
}

/**
 * The Data Mesh page of the legacy frontend system, with its own header and
 * two tabs: the overview, and the access requests waiting for the signed-in
 * user at `access`. The new frontend system wraps the same tabs in the
 * plugin's page.
 */
export function DataMeshPage(props: DataMeshOverviewProps) {
  return (
    <Page themeId="tool">
      <Header
        title="Data Mesh"
        subtitle="Governance and adoption across the data products"
      />
      <DataMeshSections overview={<DataMeshOverview {...props} />} />
    </Page>
  );
}

/**
 * The page body for the new frontend system, whose page brings the header
 * but neither a main landmark nor a document title: this sets both, so that
 * "Skip to content" lands here and the browser tab reads "Data Mesh | <app>".
 */
export function DataMeshPageContent(props: DataMeshOverviewProps) {
  useDocumentTitle('Data Mesh');
  return (
    <main aria-label="Data Mesh">
      <DataMeshSections overview={<DataMeshOverview {...props} />} />
    </main>
  );
}
