import {
  InfoCard,
  InfoCardVariants,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity, useEntityOwnership } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import { readableTextOn } from '../../lib/palette';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  QualityCheckView,
  QualityResponse,
  QualityRunSummary,
  SloEvaluation,
} from '@quanta/plugin-data-mesh-common';
import { dataMeshQualityApiRef } from '../../api/DataMeshQualityApi';
import { formatDate } from '../../lib/format';
import { checkStatusLabel, describeBudget } from '../../lib/quality';
import { useAsync } from '../../lib/useAsync';
import { Sparkline } from '../charts/Sparkline';
import { Warning } from '../shared/Warning';
import { SloChip, useStatusColor } from '../shared/SloStatus';
import { entityRefKey } from '@quanta/plugin-data-mesh-common';

const useStyles = makeStyles(theme => ({
  section: {
    '&:not(:first-child)': { marginTop: theme.spacing(2) },
  },
  heading: {
    fontWeight: 'bold',
    marginBottom: theme.spacing(0.5),
  },
  slos: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    '& > li:not(:first-child)': { marginTop: theme.spacing(0.5) },
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
  /**
   * Where the Quanta repository's files are on the web, e.g.
   * `https://github.com/acme/quanta/blob/main`: the product's owners get a
   * link to its README's section on posting quality results
   * (`README.md#data-quality`). Without it they are told where to look.
   */
  docsBaseUrl?: string;
};

/** The section of the repository README that says how pipelines post results. */
export const QUALITY_DOCS_PATH = 'README.md#data-quality';

/** The address of the docs on posting results, or undefined without a base. */
export function qualityDocsUrl(docsBaseUrl?: string): string | undefined {
  const base = docsBaseUrl?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/${QUALITY_DOCS_PATH}`;
}

/** For the product's owners only: where to read how a pipeline posts results. */
function ConnectPipeline(props: { docsBaseUrl?: string }) {
  const classes = useStyles();
  const url = qualityDocsUrl(props.docsBaseUrl);
  return (
    <Typography
      variant="body2"
      className={classes.section}
      role="note"
      aria-label="For this product's owners"
    >
      {url ? (
        <Link to={url}>How to connect a pipeline</Link>
      ) : (
        <>
          How to connect a pipeline: see &ldquo;Data quality&rdquo; in the
          Quanta README.
        </>
      )}
    </Typography>
  );
}

/** Said once in the card's note instead of under every SLO. */
const NO_RESULTS_REASONS = [
  'No quality results have been posted for this product',
];

/**
 * One line per declared SLO: its status, then what the status rests on and
 * what is left of its error budget. A reason every SLO shares because no
 * results exist is said once, above, not on each line.
 */
function SloLines(props: { slos: SloEvaluation[] }) {
  const classes = useStyles();
  if (!props.slos.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        This product declares no SLOs, so there is nothing to judge its results
        against.
      </Typography>
    );
  }
  return (
    <ul className={classes.slos} aria-label="SLO status">
      {props.slos.map(slo => {
        const reason = NO_RESULTS_REASONS.includes(slo.message)
          ? undefined
          : `${slo.message}${
              slo.errorBudget ? `. ${describeBudget(slo.errorBudget)}` : ''
            }`;
        return (
          <li key={slo.slo}>
            <SloChip slo={slo} />
            {reason && (
              <Typography
                variant="body2"
                component="span"
                className={classes.muted}
              >
                {' '}
                {reason}
              </Typography>
            )}
          </li>
        );
      })}
    </ul>
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
  // Guests and other teams read the card as consumers; only the owning
  // team is shown where the docs on posting results are.
  const { loading: ownershipLoading, isOwnedEntity } = useEntityOwnership();
  const isOwner = !ownershipLoading && isOwnedEntity(entity);
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
              No pipeline has posted quality checks for this product yet, so
              none of its SLOs can be judged.
            </Warning>
          </div>
        )}
        <div className={classes.section}>
          <Typography variant="body2" className={classes.heading}>
            SLOs
          </Typography>
          <SloLines slos={value.slos} />
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
        {isOwner && <ConnectPipeline docsBaseUrl={props.docsBaseUrl} />}
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
