import { ReactNode } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  LevelDefinition,
  ScorecardSummary,
} from '@quanta/plugin-data-mesh-common';
import { formatScore, levelColor, levelLabel } from '../../lib/governance';
import { LevelBadge } from './LevelBadge';

const useStyles = makeStyles(theme => ({
  number: {
    fontVariantNumeric: 'tabular-nums',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  table: {
    // Each row's way in is its product's link: outlined on keyboard focus.
    '& a:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

/** One column of a {@link ProductTable}: its header and each row's cell. */
export type ProductColumn = {
  header: string;
  /** Right-aligned with tabular figures, so numbers line up. */
  numeric?: boolean;
  cell: (item: ScorecardSummary) => ReactNode;
  /** The cell's tooltip, e.g. what a count stands for. */
  title?: (item: ScorecardSummary) => string;
};

function NextLevelBlockers(props: {
  item: ScorecardSummary;
  titleOf: (policyId: string) => string;
}) {
  const { item, titleOf } = props;
  const classes = useStyles();
  return item.nextLevel ? (
    <Typography variant="body2">
      {levelLabel(item.nextLevel.name)}:{' '}
      <span className={classes.muted}>
        {item.nextLevel.blocking.map(titleOf).join(', ')}
      </span>
    </Typography>
  ) : (
    <Typography variant="body2" className={classes.muted}>
      {item.level ? 'Holds the top level' : '–'}
    </Typography>
  );
}

/** The columns both product tables show, for {@link ProductTable}. */
export const productColumns = {
  /** The product's name, linking to its catalog page. */
  product: {
    header: 'Data product',
    cell: item => (
      <EntityRefLink entityRef={item.entityRef} defaultKind="dataproduct" />
    ),
  },
  /** The level held, as a badge in the ladder's colour. */
  level: (ladder: LevelDefinition[]): ProductColumn => ({
    header: 'Level',
    cell: item => (
      <LevelBadge
        level={item.level}
        color={item.level ? levelColor(item.level, ladder) : undefined}
      />
    ),
  }),
  score: {
    header: 'Score',
    numeric: true,
    cell: item => formatScore(item.score),
  },
  /** The next level and the titles of the policies that keep the product from it. */
  nextLevel: (titleOf: (policyId: string) => string): ProductColumn => ({
    header: 'What blocks the next level',
    cell: item => <NextLevelBlockers item={item} titleOf={titleOf} />,
  }),
} satisfies Record<string, ProductColumn | ((...args: any[]) => ProductColumn)>;

/** Data products as a small table, one row each, in the given order. */
export function ProductTable(props: {
  label: string;
  items: ScorecardSummary[];
  columns: ProductColumn[];
  className?: string;
}) {
  const { items, columns } = props;
  const classes = useStyles();
  return (
    <Table
      size="small"
      aria-label={props.label}
      className={[classes.table, props.className].filter(Boolean).join(' ')}
    >
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <TableCell
              key={column.header}
              align={column.numeric ? 'right' : undefined}
            >
              {column.header}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={item.entityRef}>
            {columns.map(column => (
              <TableCell
                key={column.header}
                align={column.numeric ? 'right' : undefined}
                className={column.numeric ? classes.number : undefined}
                title={column.title?.(item)}
              >
                {column.cell(item)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
