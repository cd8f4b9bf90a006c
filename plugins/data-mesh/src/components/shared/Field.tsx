import { ReactNode } from 'react';
import Grid, { GridSize } from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';

const useStyles = makeStyles(theme => ({
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    // Narrow columns wrap the hint icon below the label rather than clip it.
    flexWrap: 'wrap',
    marginBottom: theme.spacing(0.5),
  },
  hintIcon: {
    fontSize: 12,
  },
  value: {
    fontSize: theme.typography.body2.fontSize,
    // Long addresses break where they must; names break between words.
    overflowWrap: 'break-word',
    minWidth: 0,
  },
  empty: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  caption: {
    display: 'block',
    color: theme.palette.text.secondary,
  },
}));

/** Props of {@link Field}. */
export type FieldProps = {
  label: string;
  /** Shown in a tooltip next to the label, e.g. which usability attribute this serves. */
  hint?: string;
  /** Shown under the value in small print. */
  caption?: ReactNode;
  /** Shown in italics when there are no children. */
  emptyText?: string;
  children?: ReactNode;
  xs?: GridSize;
  sm?: GridSize;
  lg?: GridSize;
};

/** A labelled value in a card, laid out in a Grid container. */
export function Field(props: FieldProps) {
  const { label, hint, caption, emptyText = 'Not declared', children } = props;
  const classes = useStyles();
  const hasValue =
    children !== undefined && children !== null && children !== false;
  return (
    <Grid item xs={props.xs ?? 12} sm={props.sm ?? 6} lg={props.lg ?? 4}>
      <Typography variant="h2" component="h4" className={classes.label}>
        {label}
        {hint && (
          <InfoOutlinedIcon className={classes.hintIcon} titleAccess={hint} />
        )}
      </Typography>
      <div className={classes.value}>
        {hasValue ? (
          children
        ) : (
          <Typography variant="body2" className={classes.empty}>
            {emptyText}
          </Typography>
        )}
        {caption && (
          <Typography variant="caption" className={classes.caption}>
            {caption}
          </Typography>
        )}
      </div>
    </Grid>
  );
}
