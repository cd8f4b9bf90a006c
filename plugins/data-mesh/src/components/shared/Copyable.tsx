import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import { breakable } from '../../lib/breakable';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    maxWidth: '100%',
    // Backstage's copy button takes no class: its keyboard focus is outlined
    // from here, as the plugin's other buttons are.
    '& button:focus-visible, & button.Mui-focusVisible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  code: {
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    // Wraps between the parts of an address, inside one only when a part
    // alone is wider than the column.
    overflowWrap: 'break-word',
    minWidth: 0,
  },
}));

/** Monospace text with a button that copies it. */
export function Copyable(props: { text: string; what: string }) {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <code className={classes.code}>{breakable(props.text)}</code>
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
