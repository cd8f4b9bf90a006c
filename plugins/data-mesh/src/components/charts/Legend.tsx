import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
  },
  item: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  swatch: {
    display: 'inline-block',
    width: 12,
    height: 12,
    borderRadius: 2,
  },
}));

/** Colour keys of a chart, as a list the reader can follow. */
export function Legend(props: {
  label: string;
  items: Array<{ name: string; color: string }>;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.root} aria-label={props.label}>
      {props.items.map(item => (
        <li key={item.name} className={classes.item}>
          <span
            className={classes.swatch}
            style={{ backgroundColor: item.color }}
            aria-hidden="true"
          />
          {item.name}
        </li>
      ))}
    </ul>
  );
}
