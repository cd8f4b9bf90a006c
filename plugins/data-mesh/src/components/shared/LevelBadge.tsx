import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { levelLabel } from '../../lib/governance';

const useStyles = makeStyles(theme => ({
  level: {
    fontWeight: 'bold',
    color: theme.palette.common.black,
  },
}));

/** The level a product holds, or "No level yet" below the first. */
export function LevelBadge(props: {
  level?: string;
  color?: string;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const held = props.level && props.level !== 'none';
  return (
    <Chip
      size={props.size ?? 'small'}
      variant={held ? 'default' : 'outlined'}
      label={levelLabel(props.level)}
      aria-label={held ? `Level ${props.level}` : 'No level yet'}
      className={held ? classes.level : undefined}
      style={held && props.color ? { backgroundColor: props.color } : undefined}
    />
  );
}
