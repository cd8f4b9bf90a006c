import { useState } from 'react';
import { stringify } from 'yaml';
import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  type ContractChange,
  type ContractImpactResponse,
  contractImpactSummary,
} from '@quanta/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef } from '../../api';
import { breakable } from '../../lib/breakable';
import { CardSection } from '../shared/CardSection';
import { useContractStyles } from './ContractDocument';

const LEVELS: Array<{ level: ContractChange['level']; title: string }> = [
  { level: 'breaking', title: 'Breaking' },
  { level: 'warning', title: 'Needs a look' },
  { level: 'compatible', title: 'Compatible' },
];

/** The answer in one sentence, worded as the scaffolder action and CI word it. */
export const impactSummary = contractImpactSummary;

/** How a consumer is known to read the port, in words. */
const VIA_LABELS: Record<string, string> = {
  declared: 'declared',
  observed: 'observed',
  granted: 'access granted',
};

function Consumers(props: { impact: ContractImpactResponse }) {
  const classes = useContractStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const { consumers } = props.impact;
  if (!consumers.length) {
    return (
      <Typography variant="body2" className={classes.empty}>
        No product is known to read this port: none declares it as an input, and
        no pipeline was seen reading it.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Consumers">
      {consumers.map(consumer => {
        const ref = parseEntityRef(consumer.entityRef);
        const fields = consumer.fields?.length
          ? `; reads ${consumer.fields.join(', ')}`
          : '';
        return (
          <li key={consumer.entityRef}>
            <Typography variant="body2" component="span">
              <Link
                to={entityRoute({
                  kind: ref.kind,
                  namespace: ref.namespace,
                  name: ref.name,
                })}
              >
                {consumer.title ?? ref.name}
              </Link>{' '}
              (owner {consumer.owner?.title ?? consumer.owner?.ref ?? 'none'};{' '}
              {consumer.via.map(via => VIA_LABELS[via] ?? via).join(' and ')}
              {fields}):{' '}
              {consumer.affectedBy.length ? (
                <strong>affected by {consumer.affectedBy.join('; ')}</strong>
              ) : (
                'not affected'
              )}
            </Typography>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A producer's check of a change before publishing it: the proposed
 * contract (the current one to start from), and what the portal answers —
 * every change with its rule, the version it needs, and the consumer
 * products it reaches.
 */
export function ContractImpactCheck(props: {
  entityRef: string;
  port: string;
  current?: Record<string, unknown>;
}) {
  const api = useApi(dataMeshApiRef);
  const classes = useContractStyles();
  const [text, setText] = useState(() =>
    props.current ? stringify(props.current) : '',
  );
  const [impact, setImpact] = useState<ContractImpactResponse>();
  const [error, setError] = useState<string>();
  const [checking, setChecking] = useState(false);

  const check = async () => {
    setChecking(true);
    setError(undefined);
    try {
      setImpact(
        await api.checkContractImpact({
          entityRef: props.entityRef,
          port: props.port,
          contract: text,
        }),
      );
    } catch (e) {
      setImpact(undefined);
      setError((e as Error).message);
    } finally {
      setChecking(false);
    }
  };

  return (
    <CardSection title="Check a change before publishing it">
      <Typography variant="body2" className={classes.secondary}>
        Edit the contract as you would publish it; the portal compares it with
        the version it has and tells you which consumer products it breaks.
        Nothing is stored.
      </Typography>
      <TextField
        id={`proposed-contract-${props.port}`}
        label={`Proposed contract of ${props.port} (YAML)`}
        multiline
        minRows={8}
        maxRows={24}
        fullWidth
        variant="outlined"
        margin="normal"
        value={text}
        onChange={event => setText(event.target.value)}
        inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
      />
      <Button
        variant="contained"
        color="primary"
        onClick={check}
        disabled={checking || !text.trim()}
      >
        {checking ? 'Checking…' : 'Check the impact'}
      </Button>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {impact && (
        <section aria-label="Impact of the proposed contract">
          <Typography variant="body1" role="status" className={classes.heading}>
            {impactSummary(impact)}
          </Typography>
          {[...impact.proposed.problems, impact.versionProblem]
            .filter((problem): problem is string => !!problem)
            .map(problem => (
              <Typography key={problem} variant="body2" color="error">
                {problem}
              </Typography>
            ))}
          {LEVELS.map(({ level, title }) => {
            const changes = impact.changes.filter(c => c.level === level);
            if (!changes.length) return null;
            return (
              <div key={level}>
                <Typography variant="h6" component="h4">
                  {title}
                </Typography>
                <ul className={classes.list} aria-label={`${title} changes`}>
                  {changes.map(change => (
                    <li key={`${change.rule} ${change.path}`}>
                      <Typography variant="body2" className={classes.prose}>
                        {change.message}{' '}
                        <span className={classes.secondary}>
                          ({breakable(change.rule)})
                        </span>
                      </Typography>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
          {impact.current && (
            <>
              <Typography variant="h6" component="h4">
                Consumers
              </Typography>
              <Consumers impact={impact} />
            </>
          )}
        </section>
      )}
    </CardSection>
  );
}
