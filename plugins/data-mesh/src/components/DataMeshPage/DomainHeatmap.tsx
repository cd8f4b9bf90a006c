import ButtonBase from '@material-ui/core/ButtonBase';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import type { PolicyAttribute, Rollup } from '@quanta/plugin-data-mesh-common';
import { shortRef } from '../../lib/format';
import {
  attributeLabel,
  attributesOf,
  formatScore,
  scoreColor,
} from '../../lib/governance';

const useStyles = makeStyles(theme => ({
  wrapper: {
    overflowX: 'auto',
  },
  header: {
    fontSize: theme.typography.caption.fontSize,
    verticalAlign: 'bottom',
    lineHeight: 1.2,
    // The theme's cell padding and break-word squeeze attribute names into
    // columns as narrow as the scores and split them mid-word.
    padding: theme.spacing(1, 0.5),
    wordBreak: 'normal',
  },
  cell: {
    padding: 2,
    minWidth: 56,
  },
  button: {
    width: '100%',
    minHeight: 32,
    borderRadius: 2,
    color: theme.palette.common.black,
    fontVariantNumeric: 'tabular-nums',
    fontWeight: 'bold',
    // ButtonBase marks keyboard focus with a class, not :focus-visible alone.
    '&:focus-visible, &.Mui-focusVisible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  domain: {
    justifyContent: 'flex-start',
    padding: theme.spacing(0.5, 1),
    color: theme.palette.primary.main,
    fontWeight: 'bold',
    textDecoration: 'underline',
    whiteSpace: 'nowrap',
  },
  empty: {
    textAlign: 'center',
    color: theme.palette.text.secondary,
  },
}));

/**
 * Domains down, usability attributes across, each cell coloured by the
 * domain's average attribute score and showing it. A table rather than a
 * drawing, so every number can be read and each cell is a button that lists
 * the domain's products.
 */
export function DomainHeatmap(props: {
  domains: Rollup[];
  onSelect: (domain: string, attribute?: PolicyAttribute) => void;
}) {
  const classes = useStyles();
  const domains = [...props.domains].sort((a, b) =>
    shortRef(a.key).localeCompare(shortRef(b.key)),
  );
  const attributes = attributesOf(...domains.map(d => d.attributes));

  return (
    <div className={classes.wrapper}>
      <Table size="small" aria-label="Score per domain and attribute">
        <TableHead>
          <TableRow>
            <TableCell className={classes.header}>Domain</TableCell>
            <TableCell className={classes.header} align="right">
              Products
            </TableCell>
            <TableCell className={classes.header} align="center">
              Score
            </TableCell>
            {attributes.map(attribute => (
              <TableCell
                key={attribute}
                className={classes.header}
                align="center"
              >
                {attributeLabel(attribute)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {domains.map(domain => {
            const name = shortRef(domain.key);
            return (
              <TableRow key={domain.key}>
                <TableCell
                  component="th"
                  scope="row"
                  role="rowheader"
                  className={classes.cell}
                >
                  <ButtonBase
                    className={`${classes.button} ${classes.domain}`}
                    onClick={() => props.onSelect(domain.key)}
                    aria-label={`${name}: list its products`}
                  >
                    {name}
                  </ButtonBase>
                </TableCell>
                <TableCell align="right">{domain.products}</TableCell>
                <TableCell className={classes.cell}>
                  <ButtonBase
                    className={classes.button}
                    style={{ backgroundColor: scoreColor(domain.score) }}
                    onClick={() => props.onSelect(domain.key)}
                    title={`${name}, overall score: ${formatScore(
                      domain.score,
                    )}`}
                    aria-label={`${name}, overall score: ${formatScore(
                      domain.score,
                    )}`}
                  >
                    {formatScore(domain.score)}
                  </ButtonBase>
                </TableCell>
                {attributes.map(attribute => {
                  const score = domain.attributes[attribute];
                  const label = `${name}, ${attributeLabel(attribute)}`;
                  if (typeof score !== 'number') {
                    return (
                      <TableCell
                        key={attribute}
                        className={`${classes.cell} ${classes.empty}`}
                        title={`${label}: no applicable policy`}
                      >
                        –
                      </TableCell>
                    );
                  }
                  return (
                    <TableCell key={attribute} className={classes.cell}>
                      <ButtonBase
                        className={classes.button}
                        style={{ backgroundColor: scoreColor(score) }}
                        onClick={() => props.onSelect(domain.key, attribute)}
                        title={`${label}: ${formatScore(score)}`}
                        aria-label={`${label}: ${formatScore(score)}`}
                      >
                        {formatScore(score)}
                      </ButtonBase>
                    </TableCell>
                  );
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
