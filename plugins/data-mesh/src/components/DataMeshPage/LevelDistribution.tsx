import ButtonBase from '@material-ui/core/ButtonBase';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { LevelDefinition } from '@quanta/plugin-data-mesh-common';
import { levelColor, levelLabel, orderedLevels } from '../../lib/governance';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: '9em 1fr 3em',
    alignItems: 'center',
    gap: theme.spacing(1),
    width: '100%',
    padding: theme.spacing(0.5),
    borderRadius: theme.shape.borderRadius,
    textAlign: 'left',
    '&:hover': {
      backgroundColor: theme.palette.action.hover,
    },
    '&:focus-visible, &.Mui-focusVisible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  track: {
    height: 16,
    backgroundColor: theme.palette.action.hover,
    borderRadius: 2,
    overflow: 'hidden',
  },
  bar: {
    height: '100%',
  },
  count: {
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
  },
}));

/**
 * How many products hold each level now, lowest first. Each level is a button
 * that lists its products.
 */
export function LevelDistribution(props: {
  levels: Record<string, number>;
  ladder: LevelDefinition[];
  onSelect: (level: string) => void;
}) {
  const classes = useStyles();
  // Every rung shows, empty ones too: nobody at Gold yet is worth seeing.
  const levels: Record<string, number> = {
    ...Object.fromEntries(props.ladder.map(level => [level.name, 0])),
    ...props.levels,
  };
  const names = orderedLevels(props.ladder, levels);
  const total = names.reduce((sum, name) => sum + levels[name], 0);
  return (
    <ul className={classes.list} aria-label="Products per level">
      {names.map(name => {
        const count = levels[name];
        const share = total ? (count / total) * 100 : 0;
        return (
          <li key={name}>
            <ButtonBase
              className={classes.row}
              onClick={() => props.onSelect(name)}
              // Named by what it shows ("Bronze 4") and then what it does,
              // so that speech input can use the visible words.
              aria-label={`${levelLabel(name)} ${count} products, list them`}
              title={`${levelLabel(name)}: ${count} of ${total} products`}
            >
              <Typography variant="body2" component="span">
                {levelLabel(name)}
              </Typography>{' '}
              <span className={classes.track} aria-hidden="true">
                <span
                  className={classes.bar}
                  style={{
                    display: 'block',
                    width: `${share}%`,
                    backgroundColor: levelColor(name, props.ladder),
                  }}
                />
              </span>
              <Typography
                variant="body2"
                component="span"
                className={classes.count}
              >
                {count}
              </Typography>
            </ButtonBase>
          </li>
        );
      })}
    </ul>
  );
}
