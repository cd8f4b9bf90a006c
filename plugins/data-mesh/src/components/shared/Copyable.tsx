import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    maxWidth: '100%',
  },
  code: {
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    overflowWrap: 'anywhere',
  },
}));

/** Monospace text with a button that copies it. */
export function Copyable(props: { text: string; what: string }) {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <code className={classes.code}>{props.text}</code>
      <CopyTextButton
        text={props.text}
        aria-label={`Copy ${props.what}`}
        tooltipText={`${props.what[0].toLocaleUpperCase(
          'en-US',
        )}${props.what.slice(1)} copied to clipboard`}
      />
    </span>
  );
}
