import type { ContractVersionView } from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDateTimeUtc } from '../../lib/format';
import { CardSection } from '../shared/CardSection';
import { useContractStyles } from './ContractDocument';
import { CHANGE_GROUPS, bumpInWords } from './odcs';

const useStyles = makeStyles(theme => ({
  version: {
    '&:not(:first-of-type)': {
      marginTop: theme.spacing(2),
      paddingTop: theme.spacing(2),
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  group: {
    marginTop: theme.spacing(1),
  },
}));

/** The versions of a port's contract, newest first, with what each changed. */
export function VersionHistory(props: {
  port: string;
  versions: ContractVersionView[];
}) {
  const classes = useStyles();
  const shared = useContractStyles();
  return (
    <CardSection
      title="Version history"
      hint="Every version the portal has read, newest first, with the changes from the version before."
    >
      {props.versions.length === 0 ? (
        <Typography variant="body2" className={shared.empty}>
          No version read yet
        </Typography>
      ) : (
        <ol
          className={shared.list}
          aria-label={`Versions of the contract of ${props.port}`}
          style={{ listStyle: 'none', paddingLeft: 0 }}
        >
          {props.versions.map((version, i) => {
            const first = i === props.versions.length - 1;
            return (
              <li
                key={version.digest}
                className={classes.version}
                aria-label={`Version ${version.version}`}
              >
                <div className={classes.heading}>
                  <Typography variant="subtitle1" component="h4">
                    Version {version.version}
                  </Typography>
                  {version.current && (
                    <Chip size="small" color="primary" label="Current" />
                  )}
                  <Typography variant="body2" className={shared.secondary}>
                    first seen{' '}
                    {formatDateTimeUtc(version.firstSeenAt) ??
                      version.firstSeenAt}
                  </Typography>
                </div>
                {first ? (
                  <Typography variant="body2" className={shared.secondary}>
                    The first version read
                  </Typography>
                ) : (
                  <>
                    <Typography variant="body2">
                      {bumpInWords(version.requiredVersionBump)}
                    </Typography>
                    {CHANGE_GROUPS.map(group => {
                      const changes = version.changes.filter(
                        change => change.level === group.level,
                      );
                      if (!changes.length) return null;
                      return (
                        <div
                          key={group.level}
                          className={classes.group}
                          role="group"
                          aria-label={`${group.title} changes in ${version.version}`}
                        >
                          <Typography variant="subtitle2" component="h5">
                            {group.title} ({changes.length})
                          </Typography>
                          <ul className={shared.list}>
                            {changes.map((change, j) => (
                              <li key={j}>
                                <Typography
                                  variant="body2"
                                  className={shared.prose}
                                >
                                  {change.message}
                                </Typography>
                              </li>
                            ))}
                          </ul>
                        </div>
                      );
                    })}
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </CardSection>
  );
}
