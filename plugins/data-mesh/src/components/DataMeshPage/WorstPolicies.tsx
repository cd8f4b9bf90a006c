import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  AdoptionResponse,
  PolicyDescription,
} from '@quanta/plugin-data-mesh-common';
import { attributeLabel } from '../../lib/governance';

const useStyles = makeStyles(theme => ({
  list: {
    margin: 0,
    paddingLeft: theme.spacing(3),
  },
  item: {
    padding: theme.spacing(1, 0),
  },
  title: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontWeight: 'bold',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

/** The policies failing for the most products now, with how to fix them. */
export function WorstPolicies(props: {
  topFailing: AdoptionResponse['topFailing'];
  policies: Map<string, PolicyDescription>;
  limit?: number;
}) {
  const classes = useStyles();
  const items = props.topFailing
    .filter(item => item.failing > 0)
    .slice(0, props.limit ?? 10);
  if (items.length === 0) {
    return (
      <Typography variant="body2" className={classes.muted}>
        No policy fails for any product.
      </Typography>
    );
  }
  return (
    <ol className={classes.list} aria-label="Policies failing most">
      {items.map(item => {
        const policy = props.policies.get(item.policyId);
        const share = item.applicable
          ? Math.round((item.failing / item.applicable) * 100)
          : 0;
        return (
          <li key={item.policyId} className={classes.item}>
            <Typography
              variant="body2"
              component="div"
              className={classes.title}
            >
              {policy?.title ?? item.title ?? item.policyId}
              {policy && (
                <>
                  <Chip
                    size="small"
                    variant="outlined"
                    label={policy.severity}
                  />
                  <Chip
                    size="small"
                    variant="outlined"
                    label={attributeLabel(policy.attribute)}
                  />
                </>
              )}
            </Typography>
            <Typography variant="body2" className={classes.muted}>
              Fails for {item.failing} of {item.applicable} products ({share}
              %)
            </Typography>
            {policy?.howToFix && (
              <Typography variant="body2">
                <strong>How to fix:</strong> {policy.howToFix}
              </Typography>
            )}
          </li>
        );
      })}
    </ol>
  );
}
