import { Fragment, type ReactNode, useState } from 'react';
import { InfoCard, InfoCardVariants, Link } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  DataProductRefs,
  DataProductSpec,
  InputPort,
  OutputPort,
  SchemaField,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { CardSection } from '../shared/CardSection';
import { breakable } from '../../lib/breakable';
import { Copyable } from '../shared/Copyable';
import { resolveContractUrl } from '../../lib/entity';
import { useA11yStyles } from '../shared/a11y';

const useStyles = makeStyles(theme => ({
  secondary: {
    display: 'block',
    color: theme.palette.text.secondary,
  },
  empty: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
  expandCell: {
    width: 48,
    paddingRight: 0,
  },
  schemaCell: {
    paddingTop: 0,
    paddingBottom: 0,
    borderBottom: 'none',
  },
  schema: {
    margin: theme.spacing(1, 0, 2, 0),
  },
  code: {
    fontFamily: 'monospace',
  },
  // Short values stay on one line; long addresses and paths wrap between
  // their parts instead of squeezing the other columns. A port's description wraps
  // normally: on one line it squeezed the address and contract to a few
  // letters per line.
  nowrap: {
    whiteSpace: 'nowrap',
  },
  breakable: {
    overflowWrap: 'break-word',
  },
}));

function Contract(props: { entity: Entity; port: OutputPort }) {
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const contract = props.port.contract;
  if (!contract?.location) {
    return <span className={classes.empty}>No contract</span>;
  }
  const href = resolveContractUrl(props.entity, contract.location);
  // The Contract tab, mounted at `contract` on the product's page, shows what
  // the portal read of this port's contract.
  const tab = `${entityRoute(
    entityRouteParams(props.entity, { encodeParams: true }),
  )}/contract?port=${encodeURIComponent(props.port.name)}`;
  return (
    <>
      {href ? (
        <Link to={href}>{breakable(contract.location)}</Link>
      ) : (
        <span className={classes.code}>{breakable(contract.location)}</span>
      )}
      {contract.version && (
        <span className={classes.secondary}>version {contract.version}</span>
      )}
      <Link
        to={tab}
        className={classes.secondary}
        aria-label={`Contract details of ${props.port.name}`}
      >
        Contract details
      </Link>
    </>
  );
}

function SchemaTable(props: { port: OutputPort; fields: SchemaField[] }) {
  const classes = useStyles();
  return (
    <Table
      size="small"
      className={classes.schema}
      aria-label={`Schema of ${props.port.name}`}
    >
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>PII</TableCell>
          <TableCell>Classification</TableCell>
          <TableCell>Description</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.fields.map(field => (
          <TableRow key={field.name}>
            <TableCell className={classes.code}>{field.name}</TableCell>
            <TableCell className={classes.code}>{field.type}</TableCell>
            <TableCell>
              {field.pii ? (
                <Chip label="PII" size="small" color="secondary" />
              ) : (
                'No'
              )}
            </TableCell>
            <TableCell>{field.classification ?? ''}</TableCell>
            <TableCell>{field.description ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function OutputPortRow(props: { entity: Entity; port: OutputPort }) {
  const { entity, port } = props;
  const classes = useStyles();
  const a11y = useA11yStyles();
  const [open, setOpen] = useState(false);
  const fields = Array.isArray(port.schema) ? port.schema : [];
  const label = `${open ? 'Hide' : 'Show'} schema of ${port.name}`;
  return (
    <Fragment>
      <TableRow data-testid={`output-port-${port.name}`}>
        <TableCell className={classes.expandCell}>
          {fields.length > 0 && (
            <IconButton
              size="small"
              className={a11y.focusRing}
              aria-label={label}
              title={label}
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
            </IconButton>
          )}
        </TableCell>
        <TableCell>
          <span className={`${classes.code} ${classes.nowrap}`}>
            {port.name}
          </span>
          {port.description && (
            <Typography variant="caption" className={classes.secondary}>
              {port.description}
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>{port.type}</TableCell>
        <TableCell className={classes.nowrap}>{port.format}</TableCell>
        <TableCell className={classes.breakable}>
          {port.address ? (
            <Copyable text={port.address} what={`address of ${port.name}`} />
          ) : (
            <span className={classes.empty}>No address</span>
          )}
        </TableCell>
        <TableCell className={classes.breakable}>
          <Contract entity={entity} port={port} />
        </TableCell>
      </TableRow>
      {fields.length > 0 && (
        <TableRow>
          <TableCell className={classes.schemaCell} colSpan={6}>
            <Collapse in={open} timeout="auto" unmountOnExit>
              <SchemaTable port={port} fields={fields} />
            </Collapse>
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}

function Reads(props: {
  port: InputPort;
  refs: DataProductRefs['inputPorts'][number];
}) {
  const { port, refs } = props;
  const classes = useStyles();
  const product = refs.dataProduct;
  if (product) {
    return (
      <>
        <EntityRefLink entityRef={product} defaultKind="dataproduct" />
        <span className={classes.secondary}>
          {port.outputPort ? (
            <>
              output port{' '}
              <span className={classes.code}>{port.outputPort}</span>
            </>
          ) : (
            'no output port named'
          )}
        </span>
      </>
    );
  }
  const source = refs.source;
  if (source) {
    return (
      <>
        <EntityRefLink entityRef={source} defaultKind="component" />
        <span className={classes.secondary}>
          external source ({source.kind.toLocaleLowerCase('en-US')})
        </span>
      </>
    );
  }
  return <span className={classes.empty}>Nothing declared</span>;
}

/**
 * Props of {@link EntityDataProductPortsCard}.
 *
 * @public
 */
export type DataProductPortsCardProps = {
  variant?: InfoCardVariants;
};

/**
 * The output ports where consumers read a data product (with address, format
 * and contract) and the input ports it reads from.
 */
export function DataProductPortsCard(props: DataProductPortsCardProps) {
  const { entity } = useEntity();
  const classes = useStyles();
  const spec = (entity.spec ?? {}) as Partial<DataProductSpec>;
  const outputPorts = Array.isArray(spec.outputPorts) ? spec.outputPorts : [];
  const inputPorts = Array.isArray(spec.inputPorts) ? spec.inputPorts : [];
  // The same reading of references as the catalog's: kinds, namespaces and
  // what a port may read.
  const inputPortRefs = parseDataProductRefs(entity).refs.inputPorts;

  return (
    <InfoCard title="Ports" variant={props.variant}>
      <PortTable
        title="Output ports"
        hint="Where consumers read this data product: natively accessible at a stable address, in a declared format, under a contract."
        columns={['', 'Name', 'Type', 'Format', 'Address', 'Contract']}
      >
        {outputPorts.map(port => (
          <OutputPortRow key={port.name} entity={entity} port={port} />
        ))}
      </PortTable>
      <PortTable
        title="Input ports"
        hint="What this data product reads: upstream data products' output ports or external sources."
        columns={['Name', 'Reads']}
      >
        {inputPorts.map((port, i) => (
          <TableRow key={port.name} data-testid={`input-port-${port.name}`}>
            <TableCell>
              <span className={classes.code}>{port.name}</span>
              {port.description && (
                <Typography variant="caption" className={classes.secondary}>
                  {port.description}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <Reads port={port} refs={inputPortRefs[i] ?? {}} />
            </TableCell>
          </TableRow>
        ))}
      </PortTable>
    </InfoCard>
  );
}

/** One kind of ports: a titled table, or a line saying none is declared. */
function PortTable(props: {
  title: string;
  hint: string;
  /** Column headings; an empty one is the expand button's column. */
  columns: string[];
  children: ReactNode[];
}) {
  const classes = useStyles();
  return (
    <CardSection title={props.title} hint={props.hint}>
      {props.children.length === 0 ? (
        <Typography variant="body2" className={classes.empty}>
          No {props.title.toLocaleLowerCase('en-US')} declared
        </Typography>
      ) : (
        <Table size="small" aria-label={props.title}>
          <TableHead>
            <TableRow>
              {props.columns.map((column, i) => (
                <TableCell
                  key={i}
                  className={column ? undefined : classes.expandCell}
                >
                  {column}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>{props.children}</TableBody>
        </Table>
      )}
    </CardSection>
  );
}
