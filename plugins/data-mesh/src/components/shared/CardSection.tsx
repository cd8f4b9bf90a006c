import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  section: {
    '&:not(:first-child)': {
      marginTop: theme.spacing(3),
    },
  },
  title: {
    marginBottom: theme.spacing(1),
  },
  titleWithHint: {
    marginBottom: theme.spacing(0.5),
  },
  hint: {
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(1),
  },
}));

/**
 * A titled part of a card. Its title names it for screen readers, so a
 * card's parts can be found by name.
 */
export function CardSection(props: {
  title: string;
  /** One sentence under the title on what the part shows. */
  hint?: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  return (
    <section className={classes.section} aria-label={props.title}>
      <Typography
        variant="h6"
        component="h3"
        className={props.hint ? classes.titleWithHint : classes.title}
      >
        {props.title}
      </Typography>
      {props.hint && (
        <Typography variant="body2" className={classes.hint}>
          {props.hint}
        </Typography>
      )}
      {props.children}
    </section>
  );
}
