import { ReactNode } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type {
  PolicyDescription,
  ScorecardResponse,
  StoredWaiver,
} from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef } from '../../api';
import { formatDate, formatDateTimeUtc } from '../../lib/format';
import {
  attributeLabel,
  attributesOf,
  bySeverity,
  formatScore,
} from '../../lib/governance';
import { useAsync } from '../../lib/useAsync';
import { Sparkline } from '../charts/Sparkline';
import { LevelBadge } from '../shared/LevelBadge';
import { ScoreBar } from '../shared/ScoreBar';
import { EvaluateButton } from '../shared/EvaluateButton';
import { CardSection } from '../shared/CardSection';
import { isFullEntityRef } from '@quanta/plugin-data-mesh-common';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  score: {
    fontWeight: 'bold',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  item: {
    padding: theme.spacing(1, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  itemTitle: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    fontWeight: 'bold',
  },
  trend: {
    display: 'flex',
    flexDirection: 'column',
    marginTop: theme.spacing(1),
  },
}));

type Result = ScorecardResponse['results'][number];

function SeverityChip(props: { severity?: PolicyDescription['severity'] }) {
  if (!props.severity) {
    return null;
  }
  return (
    <Chip
      size="small"
      variant={props.severity === 'error' ? 'default' : 'outlined'}
      color={props.severity === 'error' ? 'secondary' : 'default'}
      label={props.severity}
    />
  );
}

function HowToFix(props: { policy?: PolicyDescription }) {
  if (!props.policy?.howToFix) {
    return null;
  }
  return (
    <Typography variant="body2">
      <strong>How to fix:</strong> {props.policy.howToFix}
    </Typography>
  );
}

function FailingPolicies(props: { results: Result[] }) {
  const classes = useStyles();
  const failing = props.results
    .filter(r => r.status === 'fail' || r.status === 'error')
    .sort(
      (a, b) =>
        bySeverity(a.policy?.severity, b.policy?.severity) ||
        (a.policy?.title ?? a.policyId).localeCompare(
          b.policy?.title ?? b.policyId,
        ),
    );
  if (failing.length === 0) {
    return (
      <Typography variant="body2" className={classes.muted}>
        Every applicable policy passes.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Failing policies">
      {failing.map(result => (
        <li key={result.policyId} className={classes.item}>
          <Typography
            variant="body2"
            component="div"
            className={classes.itemTitle}
          >
            {result.policy?.title ?? result.policyId}
            <SeverityChip severity={result.policy?.severity} />
            {result.status === 'error' && (
              <Chip size="small" variant="outlined" label="check errored" />
            )}
          </Typography>
          {result.message && (
            <Typography variant="body2" className={classes.muted}>
              {result.message}
            </Typography>
          )}
          <HowToFix policy={result.policy} />
        </li>
      ))}
    </ul>
  );
}

function NextLevel(props: { scorecard: ScorecardResponse }) {
  const classes = useStyles();
  const { nextLevel, level, results } = props.scorecard;
  if (!nextLevel) {
    return (
      <Typography variant="body2" className={classes.muted}>
        {level
          ? `This product holds the top level, ${level}.`
          : 'No level ladder is configured.'}
      </Typography>
    );
  }
  const byId = new Map(results.map(r => [r.policyId, r]));
  return (
    <ul className={classes.list} aria-label={`What blocks ${nextLevel.name}`}>
      {nextLevel.blocking.map(id => {
        const result = byId.get(id);
        return (
          <li key={id} className={classes.item}>
            <Typography
              variant="body2"
              component="div"
              className={classes.itemTitle}
            >
              {result?.policy?.title ?? id}
            </Typography>
            <HowToFix policy={result?.policy} />
          </li>
        );
      })}
    </ul>
  );
}

function GrantedBy(props: { waiver: StoredWaiver }) {
  const { grantedBy, source } = props.waiver;
  if (source === 'catalog' || grantedBy === 'catalog') {
    return <>the product's descriptor</>;
  }
  if (isFullEntityRef(grantedBy)) {
    return <EntityRefLink entityRef={grantedBy} defaultKind="user" />;
  }
  return <>{grantedBy}</>;
}

function Waivers(props: { scorecard: ScorecardResponse }) {
  const classes = useStyles();
  const titles = new Map(
    props.scorecard.results.map(r => [r.policyId, r.policy?.title]),
  );
  return (
    <ul className={classes.list} aria-label="Active waivers">
      {props.scorecard.waivers.map(waiver => (
        <li key={waiver.id} className={classes.item}>
          <Typography
            variant="body2"
            component="div"
            className={classes.itemTitle}
          >
            {titles.get(waiver.policyId) ?? waiver.policyId}
          </Typography>
          <Typography variant="body2">{waiver.reason}</Typography>
          <Typography variant="body2" className={classes.muted}>
            Expires {formatDate(waiver.expiresAt)}, granted by{' '}
            <GrantedBy waiver={waiver} />
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/**
 * Props of {@link EntityDataProductScorecardCard}.
 *
 * @public
 */
export type DataProductScorecardCardProps = {
  variant?: InfoCardVariants;
  /** Days of score history in the trend; 90 by default. */
  days?: number;
};

/**
 * How well a data product meets the mesh's policies: its level, score per
 * usability attribute, what fails and how to fix it, what blocks the next
 * level, its waivers and the trend of its score.
 */
export function DataProductScorecardCard(props: DataProductScorecardCardProps) {
  const { days = 90 } = props;
  const classes = useStyles();
  const { entity } = useEntity();
  const api = useApi(dataMeshApiRef);
  const entityRef = stringifyEntityRef(entity);
  const {
    value: scorecard,
    loading,
    error,
    retry,
  } = useAsync(
    () => api.getScorecard(entityRef, { days }),
    [api, entityRef, days],
  );

  let content: ReactNode;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (loading && !scorecard) {
    content = <Progress />;
  } else if (!scorecard) {
    content = (
      <div role="note" aria-label="Not evaluated yet">
        <Typography variant="subtitle1" component="p">
          This data product has not been evaluated yet.
        </Typography>
        <Typography variant="body2" className={classes.muted} paragraph>
          Its scorecard appears after the next scheduled evaluation of the mesh,
          or right away when you evaluate it now.
        </Typography>
        <EvaluateButton
          entityRef={entityRef}
          label="Evaluate now"
          onEvaluated={retry}
        />
      </div>
    );
  } else {
    const attributes = attributesOf(scorecard.attributes);
    content = (
      <>
        <div className={classes.summary}>
          <LevelBadge level={scorecard.level} size="medium" />
          <Typography variant="h5" component="p" className={classes.score}>
            Score {formatScore(scorecard.score)}
            <Typography component="span" className={classes.muted}>
              {' '}
              / 100
            </Typography>
          </Typography>
          <Typography variant="body2" className={classes.muted}>
            Evaluated{' '}
            {formatDateTimeUtc(scorecard.evaluatedAt) ??
              formatDate(scorecard.evaluatedAt)}
          </Typography>
        </div>
        {scorecard.history.length > 0 && (
          <div className={classes.trend}>
            <Typography variant="caption" className={classes.muted}>
              Score over the last {days} days
            </Typography>
            <Sparkline
              label={`Score over the last ${days} days`}
              points={scorecard.history.map(point => ({
                day: point.day,
                value: point.score,
              }))}
              format={formatScore}
            />
          </div>
        )}
        <CardSection title="Score per attribute">
          {attributes.map(attribute => (
            <ScoreBar
              key={attribute}
              label={attributeLabel(attribute)}
              score={scorecard.attributes[attribute] ?? 0}
            />
          ))}
        </CardSection>
        {(scorecard.nextLevel || scorecard.level) && (
          <CardSection
            title={
              scorecard.nextLevel
                ? `What blocks ${scorecard.nextLevel.name}`
                : 'Next level'
            }
          >
            <NextLevel scorecard={scorecard} />
          </CardSection>
        )}
        <CardSection title="Failing policies">
          <FailingPolicies results={scorecard.results} />
        </CardSection>
        {scorecard.waivers.length > 0 && (
          <CardSection title="Waivers">
            <Waivers scorecard={scorecard} />
          </CardSection>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Governance scorecard"
      variant={props.variant}
      action={
        scorecard ? (
          <EvaluateButton
            entityRef={entityRef}
            label="Re-evaluate"
            onEvaluated={retry}
          />
        ) : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
