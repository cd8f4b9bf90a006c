import { useState } from 'react';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import { useA11yStyles } from '../shared/a11y';

/** The figures behind a chart: one row per day, one column per series. */
export type ChartTable = {
  /** Names of the value columns, after the day. */
  columns: string[];
  rows: Array<{ day: string; values: string[] }>;
};

const useStyles = makeStyles(theme => ({
  table: {
    borderCollapse: 'collapse',
    fontSize: theme.typography.caption.fontSize,
    marginTop: theme.spacing(1),
    '& th, & td': {
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
      textAlign: 'right',
      fontVariantNumeric: 'tabular-nums',
    },
    '& th[scope="row"]': { textAlign: 'left', fontWeight: 'normal' },
  },
  wrapper: {
    maxWidth: '100%',
    overflowX: 'auto',
  },
}));

/**
 * A chart's figures as a table. Screen readers always read it; it is drawn
 * only when someone asks for it, for a keyboard user who cannot hover the
 * points or anyone who wants the exact numbers.
 */
export function ChartDataTable(props: {
  caption: string;
  table: ChartTable;
  /** Only for screen readers, without the button: for small charts in cards. */
  hidden?: boolean;
}) {
  const classes = useStyles();
  const a11y = useA11yStyles();
  const [shown, setShown] = useState(false);
  const table = (
    <table className={classes.table}>
      <caption className={a11y.visuallyHidden}>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {props.table.columns.map(column => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.table.rows.map(row => (
          <tr key={row.day}>
            <th scope="row">{row.day}</th>
            {row.values.map((value, i) => (
              <td key={props.table.columns[i] ?? i}>{value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (props.hidden) {
    return <span className={a11y.visuallyHidden}>{table}</span>;
  }
  return (
    <div>
      <Button
        size="small"
        color="primary"
        className={a11y.focusRing}
        onClick={() => setShown(!shown)}
      >
        {shown ? 'Hide the figures' : 'Show the figures'}
      </Button>
      <div className={shown ? classes.wrapper : a11y.visuallyHidden}>
        {table}
      </div>
    </div>
  );
}
