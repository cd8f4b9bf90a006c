import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatScore, scoreBand } from '../../lib/governance';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(9em, 1fr) 2fr 2.5em',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
  },
  track: {
    height: 8,
    borderRadius: 4,
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
  },
  fill: {
    height: '100%',
    borderRadius: 4,
  },
  low: { backgroundColor: theme.palette.error.main },
  medium: { backgroundColor: theme.palette.warning.main },
  high: { backgroundColor: theme.palette.success.main },
  value: {
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
  },
}));

/** A 0–100 score as a labelled bar. */
export function ScoreBar(props: { label: string; score: number }) {
  const classes = useStyles();
  const score = Math.max(0, Math.min(100, props.score));
  return (
    <div className={classes.row}>
      <Typography variant="body2" component="span">
        {props.label}
      </Typography>
      <div
        role="meter"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(score)}
        className={classes.track}
      >
        <div
          className={`${classes.fill} ${classes[scoreBand(score)]}`}
          style={{ width: `${score}%` }}
        />
      </div>
      <Typography variant="body2" component="span" className={classes.value}>
        {formatScore(score)}
      </Typography>
    </div>
  );
}
