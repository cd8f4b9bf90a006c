import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    color: theme.palette.warning.dark,
  },
  icon: {
    fontSize: 20,
    color: theme.palette.warning.main,
  },
  title: {
    fontWeight: 'bold',
    color: theme.palette.text.primary,
  },
  details: {
    color: theme.palette.text.secondary,
  },
}));

/** A visible, inline warning about something missing from a data product. */
export function Warning(props: { title: string; children?: ReactNode }) {
  const classes = useStyles();
  return (
    <div className={classes.root} role="note" aria-label={props.title}>
      <WarningIcon className={classes.icon} titleAccess="Warning" />
      <div>
        <Typography variant="body2" className={classes.title}>
          {props.title}
        </Typography>
        {props.children && (
          <Typography variant="body2" className={classes.details}>
            {props.children}
          </Typography>
        )}
      </div>
    </div>
  );
}
