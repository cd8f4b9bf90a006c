import { Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { breakable } from '../../lib/breakable';
import { CardSection } from '../shared/CardSection';
import { Field } from '../shared/Field';
import {
  contractDescription,
  contractObjects,
  contractQuality,
  contractSla,
  contractSupport,
  textOf,
} from './odcs';

export const useContractStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    // Names wrap after their separators (see `breakable`), inside a part
    // only when the part alone is wider than the column.
    overflowWrap: 'break-word',
  },
  // Prose wraps between words; a long word alone is broken, never others.
  prose: {
    overflowWrap: 'break-word',
    wordBreak: 'normal',
  },
  empty: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  secondary: {
    color: theme.palette.text.secondary,
  },
  table: {
    marginBottom: theme.spacing(2),
  },
  chip: {
    marginRight: theme.spacing(0.5),
  },
  heading: {
    marginTop: theme.spacing(3),
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2.5),
  },
}));

/** What an ODCS contract promises: description, schema, quality, SLA, support. */
export function ContractDocument(props: {
  port: string;
  document: Record<string, unknown>;
}) {
  const { port, document } = props;
  const classes = useContractStyles();
  const description = contractDescription(document);
  const objects = contractObjects(document);
  const quality = contractQuality(document);
  const sla = contractSla(document);
  const support = contractSupport(document);
  const status = textOf(document.status);
  return (
    <>
      <CardSection title="Description">
        <Grid container spacing={2}>
          <Field label="Version" sm={4} lg={3}>
            {textOf(document.version)}
          </Field>
          <Field label="Status" sm={4} lg={3}>
            {status}
          </Field>
          <Field label="Standard" sm={4} lg={3}>
            {textOf(document.apiVersion) && `ODCS ${document.apiVersion}`}
          </Field>
          {description.map(part => (
            <Field key={part.label} label={part.label} sm={12} lg={12}>
              <span className={classes.prose}>{part.text}</span>
            </Field>
          ))}
        </Grid>
      </CardSection>
      <CardSection
        title="Schema"
        hint="The objects this port serves and their properties, as the contract promises them."
      >
        {objects.length === 0 ? (
          <Typography variant="body2" className={classes.empty}>
            The contract declares no schema
          </Typography>
        ) : (
          objects.map(object => (
            <div key={object.name}>
              <Typography variant="subtitle2" component="h4">
                <span className={classes.code}>{breakable(object.name)}</span>
                {object.physicalName && (
                  <span className={classes.secondary}>
                    {' '}
                    ({breakable(object.physicalName)})
                  </span>
                )}
              </Typography>
              {object.description && (
                <Typography variant="body2" className={classes.prose}>
                  {object.description}
                </Typography>
              )}
              <Table
                size="small"
                className={classes.table}
                aria-label={`Properties of ${object.name}`}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>Name</TableCell>
                    <TableCell>Logical type</TableCell>
                    <TableCell>Physical type</TableCell>
                    <TableCell>Required</TableCell>
                    <TableCell>Primary key</TableCell>
                    <TableCell>Classification</TableCell>
                    <TableCell>Flags</TableCell>
                    <TableCell>Description</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {object.properties.map(property => (
                    <TableRow key={property.name}>
                      <TableCell className={classes.code}>
                        {breakable(property.name)}
                      </TableCell>
                      <TableCell className={classes.code}>
                        {property.logicalType ?? ''}
                      </TableCell>
                      <TableCell className={classes.code}>
                        {property.physicalType
                          ? breakable(property.physicalType)
                          : ''}
                      </TableCell>
                      <TableCell>{property.required ? 'Yes' : 'No'}</TableCell>
                      <TableCell>
                        {property.primaryKey ? 'Yes' : 'No'}
                      </TableCell>
                      <TableCell>{property.classification ?? ''}</TableCell>
                      <TableCell>
                        {property.pii && (
                          <Chip
                            className={classes.chip}
                            label="PII"
                            size="small"
                            // Outlined, as the theme's coloured chips miss
                            // the contrast small text needs.
                            variant="outlined"
                          />
                        )}
                        {property.critical && (
                          <Chip
                            className={classes.chip}
                            label="Critical"
                            size="small"
                          />
                        )}
                      </TableCell>
                      <TableCell className={classes.prose}>
                        {property.description ?? ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          ))
        )}
      </CardSection>
      <CardSection
        title="Quality rules"
        hint="What the producer checks before the data reaches consumers."
      >
        {quality.length === 0 ? (
          <Typography variant="body2" className={classes.empty}>
            The contract declares no quality rules
          </Typography>
        ) : (
          <ul className={classes.list} aria-label={`Quality rules of ${port}`}>
            {quality.map((rule, i) => (
              <li key={i}>
                <Typography variant="body2" className={classes.prose}>
                  {rule.where && (
                    <span className={classes.code}>
                      {breakable(rule.where)}:{' '}
                    </span>
                  )}
                  {rule.text}
                  {(rule.dimension || rule.severity) && (
                    <span className={classes.secondary}>
                      {' '}
                      (
                      {[rule.dimension, rule.severity]
                        .filter(Boolean)
                        .join(', ')}
                      )
                    </span>
                  )}
                </Typography>
              </li>
            ))}
          </ul>
        )}
      </CardSection>
      <CardSection title="Service levels">
        {sla.length === 0 ? (
          <Typography variant="body2" className={classes.empty}>
            The contract declares no service levels
          </Typography>
        ) : (
          <Table size="small" aria-label={`Service levels of ${port}`}>
            <TableHead>
              <TableRow>
                <TableCell>Property</TableCell>
                <TableCell>Value</TableCell>
                <TableCell>Applies to</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {sla.map((item, i) => (
                <TableRow key={i}>
                  <TableCell>{item.property}</TableCell>
                  <TableCell>
                    {item.value}
                    {item.driver && (
                      <span className={classes.secondary}>
                        {' '}
                        ({item.driver})
                      </span>
                    )}
                  </TableCell>
                  <TableCell className={classes.code}>
                    {item.element ? breakable(item.element) : ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardSection>
      <CardSection title="Support">
        {support.length === 0 ? (
          <Typography variant="body2" className={classes.empty}>
            The contract names no support channel
          </Typography>
        ) : (
          <ul className={classes.list} aria-label={`Support of ${port}`}>
            {support.map((item, i) => (
              <li key={i}>
                <Typography variant="body2" className={classes.prose}>
                  {item.url ? (
                    <Link to={item.url}>{item.channel}</Link>
                  ) : (
                    item.channel
                  )}
                  {[item.tool, item.scope].some(Boolean) && (
                    <span className={classes.secondary}>
                      {' '}
                      ({[item.tool, item.scope].filter(Boolean).join(', ')})
                    </span>
                  )}
                  {item.description && ` — ${item.description}`}
                </Typography>
              </li>
            ))}
          </ul>
        )}
      </CardSection>
    </>
  );
}
