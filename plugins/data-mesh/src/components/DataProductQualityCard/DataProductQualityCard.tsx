import {
  InfoCard,
  InfoCardVariants,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import { readableTextOn } from '../../lib/palette';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type {
  QualityCheckView,
  QualityResponse,
  QualityRunSummary,
  SloEvaluation,
  SloStatus,
} from '@quanta/plugin-data-mesh-common';
import { dataMeshQualityApiRef } from '../../api/DataMeshQualityApi';
import { formatDate } from '../../lib/format';
import {
  checkStatusLabel,
  describeBudget,
  sloLabel,
  sloStatusLabel,
} from '../../lib/quality';
import { useAsync } from '../../lib/useAsync';
import { Sparkline } from '../charts/Sparkline';
import { Warning } from '../shared/Warning';
import { entityRefKey } from '@quanta/plugin-data-mesh-common';

const useStyles = makeStyles(theme => ({
  section: {
    '&:not(:first-child)': { marginTop: theme.spacing(2) },
  },
  heading: {
    fontWeight: 'bold',
    marginBottom: theme.spacing(0.5),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  trend: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
}));

/**
 * Props of {@link EntityDataProductQualityCard}.
 *
 * @public
 */
export type DataProductQualityCardProps = {
  variant?: InfoCardVariants;
};

function useStatusColor() {
  const theme = useTheme();
  return (status: SloStatus | QualityCheckView['status']): string => {
    switch (status) {
      case 'met':
      case 'pass':
        return theme.palette.success?.main ?? '#2e7d32';
      case 'at-risk':
      case 'warn':
        return theme.palette.warning?.main ?? '#ed6c02';
      case 'breached':
      case 'fail':
      case 'error':
        return theme.palette.error.main;
      default:
        return theme.palette.grey[500];
    }
  };
}

function SloChips(props: { slos: SloEvaluation[] }) {
  const classes = useStyles();
  const colorOf = useStatusColor();
  if (!props.slos.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        The product declares no SLOs (spec.slos), so there is nothing to judge
        the results against.
      </Typography>
    );
  }
  const explained = props.slos.filter(slo => slo.status !== 'met');
  return (
    <>
      <ul className={classes.chips} aria-label="SLO status">
        {props.slos.map(slo => (
          <li key={slo.slo}>
            <Chip
              size="small"
              label={`${sloLabel(slo.slo)}: ${sloStatusLabel(slo.status)}`}
              title={
                slo.errorBudget
                  ? `${slo.message}. ${describeBudget(slo.errorBudget)}`
                  : slo.message
              }
              style={{
                backgroundColor: colorOf(slo.status),
                color: readableTextOn(colorOf(slo.status)),
              }}
            />
          </li>
        ))}
      </ul>
      {explained.length > 0 && (
        <ul className={classes.list} aria-label="Why">
          {explained.map(slo => (
            <li key={slo.slo}>
              <Typography variant="body2">
                <strong>{sloLabel(slo.slo)}</strong>: {slo.message}
                {slo.errorBudget ? `. ${describeBudget(slo.errorBudget)}` : ''}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function LatestRun(props: { run: QualityRunSummary; sources: number }) {
  const classes = useStyles();
  const { run } = props;
  const counts = [
    `${run.pass} passed`,
    run.warn ? `${run.warn} with warnings` : '',
    run.fail ? `${run.fail} failed` : '',
    run.error ? `${run.error} could not run` : '',
  ].filter(Boolean);
  return (
    <div role="group" aria-label="Latest run">
      <Typography variant="body2">
        {run.source}, run {run.runId}, finished {formatDate(run.finishedAt)} at{' '}
        {new Date(run.finishedAt).toISOString().slice(11, 16)} UTC: {run.checks}{' '}
        {run.checks === 1 ? 'check' : 'checks'}
        {run.checks ? `, ${counts.join(', ')}` : ''}.
        {run.url && (
          <>
            {' '}
            <Link to={run.url}>Open the run</Link>
          </>
        )}
      </Typography>
      {props.sources > 1 && (
        <Typography variant="caption" className={classes.muted}>
          Results come from {props.sources} sources; failing checks below are
          those of each one's latest run.
        </Typography>
      )}
    </div>
  );
}

function FailingChecks(props: { checks: QualityCheckView[] }) {
  const classes = useStyles();
  const colorOf = useStatusColor();
  if (!props.checks.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No check fails in the latest runs.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Failing checks">
      {props.checks.map(check => {
        const figures = [
          check.measured !== undefined ? `measured ${check.measured}` : '',
          check.threshold !== undefined ? `threshold ${check.threshold}` : '',
          check.dataset ? `on ${check.dataset}` : '',
        ].filter(Boolean);
        return (
          <li key={`${check.source}:${check.runId}:${check.checkId}`}>
            <Typography variant="body2">
              <strong>{check.name}</strong>{' '}
              <Chip
                size="small"
                label={checkStatusLabel(check.status)}
                style={{
                  backgroundColor: colorOf(check.status),
                  color: readableTextOn(colorOf(check.status)),
                }}
              />
              {check.message ? ` ${check.message}` : ''}
            </Typography>
            {figures.length > 0 && (
              <Typography variant="caption" className={classes.muted}>
                {figures.join(', ')}
              </Typography>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function PassRate(props: { quality: QualityResponse }) {
  const classes = useStyles();
  const points = props.quality.passRate
    .filter(day => day.passRate !== undefined)
    .map(day => ({ day: day.day, value: day.passRate! }));
  const totals = props.quality.passRate.reduce(
    (sum, day) => ({
      checks: sum.checks + day.checks,
      passed: sum.passed + day.passed,
    }),
    { checks: 0, passed: 0 },
  );
  if (!points.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No results in the last {props.quality.windowDays} days.
      </Typography>
    );
  }
  const overall = Number(((totals.passed / totals.checks) * 100).toFixed(1));
  return (
    <div className={classes.trend}>
      <Sparkline
        points={points}
        label={`Pass rate per day over ${props.quality.windowDays} days`}
        format={value => `${value}%`}
      />
      <Typography variant="body2">
        {overall}% of {totals.checks} results passed in{' '}
        {props.quality.windowDays} days
      </Typography>
    </div>
  );
}

/**
 * Data quality of a data product: each SLO's status against the results
 * pipelines posted, the latest run, the checks failing now and the pass rate
 * over 30 days. A product without results says so.
 */
export function DataProductQualityCard(props: DataProductQualityCardProps) {
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(dataMeshQualityApiRef);
  const entityRef = entityRefKey(entity);
  const { value, loading, error } = useAsync(
    () => api.getQuality(entityRef),
    [api, entityRef],
  );

  let content;
  if (loading) content = <Progress />;
  else if (error) content = <ResponseErrorPanel error={error} />;
  else if (!value) {
    content = (
      <Typography variant="body2">
        The data mesh backend does not know this data product yet.
      </Typography>
    );
  } else {
    content = (
      <>
        {value.notes.map(note => (
          <div className={classes.section} key={note}>
            <Warning title="Some results are left out">{note}</Warning>
          </div>
        ))}
        {!value.hasResults && (
          <div className={classes.section}>
            <Warning title="No quality results yet">
              Pipelines post their check results to the portal (POST
              /api/data-mesh/quality/results); until one does, no SLO of this
              product can be judged.
            </Warning>
          </div>
        )}
        <div className={classes.section}>
          <Typography variant="body2" className={classes.heading}>
            SLOs
          </Typography>
          <SloChips slos={value.slos} />
        </div>
        {value.latestRun && (
          <>
            <div className={classes.section}>
              <Typography variant="body2" className={classes.heading}>
                Latest run
              </Typography>
              <LatestRun
                run={value.latestRun}
                sources={value.latestRuns.length}
              />
            </div>
            <div className={classes.section}>
              <Typography variant="body2" className={classes.heading}>
                Failing checks
              </Typography>
              <FailingChecks checks={value.failing} />
            </div>
          </>
        )}
        {value.hasResults && (
          <div className={classes.section}>
            <Typography variant="body2" className={classes.heading}>
              Pass rate
            </Typography>
            <PassRate quality={value} />
          </div>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Data quality"
      subheader="Results pipelines posted, against the SLOs, over 30 days"
      variant={props.variant}
    >
      {content}
    </InfoCard>
  );
}
