import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { levelColor, levelLabel } from '../../lib/governance';
import { readableTextOn } from '../../lib/palette';
import { useLevelLadder } from './useLevelLadder';

const useStyles = makeStyles({
  level: {
    fontWeight: 'bold',
  },
});

/**
 * The level a product holds, or "No level yet" below the first, in the
 * level's colour on the ladder: the same on every page.
 */
export function LevelBadge(props: {
  level?: string;
  color?: string;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const ladder = useLevelLadder();
  const held = props.level && props.level !== 'none';
  const color =
    props.color ??
    (held && ladder.length ? levelColor(props.level!, ladder) : undefined);
  return (
    <Chip
      size={props.size ?? 'small'}
      variant={held ? 'default' : 'outlined'}
      label={levelLabel(props.level)}
      aria-label={held ? `Level ${props.level}` : 'No level yet'}
      className={held ? classes.level : undefined}
      style={
        held && color
          ? { backgroundColor: color, color: readableTextOn(color) }
          : undefined
      }
    />
  );
}
