import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  status: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * Starts an evaluation, of one product when `entityRef` is given or else of
 * the whole mesh, and says how it went.
 */
export function EvaluateButton(props: {
  entityRef?: string;
  label: string;
  /** `contained` where the button is the page's main action. */
  emphasis?: 'contained' | 'outlined';
  onEvaluated: () => void;
}) {
  const classes = useStyles();
  const api = useApi(dataMeshApiRef);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string>();
  const { entityRef, emphasis = 'outlined' } = props;

  const evaluate = async () => {
    setBusy(true);
    setStatus(undefined);
    try {
      const outcome = await (entityRef
        ? api.evaluate({ entityRef })
        : api.evaluate());
      if (!outcome.started) {
        setStatus(
          'An evaluation is running already; try again when it has finished.',
        );
      } else if (outcome.run?.status === 'failed') {
        setStatus(
          `The evaluation failed${
            outcome.run.error ? `: ${outcome.run.error}` : '.'
          }`,
        );
      } else {
        setStatus('Evaluated just now.');
        props.onEvaluated();
      }
    } catch (error) {
      setStatus(`Could not evaluate: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={classes.root}>
      <Button
        variant={emphasis}
        size={emphasis === 'outlined' ? 'small' : 'medium'}
        color="primary"
        onClick={evaluate}
        disabled={busy}
      >
        {busy ? 'Evaluating…' : props.label}
      </Button>
      {status && (
        <Typography variant="body2" role="status" className={classes.status}>
          {status}
        </Typography>
      )}
    </div>
  );
}
