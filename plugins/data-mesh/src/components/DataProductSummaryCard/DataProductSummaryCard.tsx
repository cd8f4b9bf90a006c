import { ReactNode } from 'react';
import {
  InfoCard,
  InfoCardVariants,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  DataProductSpec,
  entityRefKey,
  parseDataProductRefs,
} from '@quanta/plugin-data-mesh-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { dataMeshApiRef, dataMeshQualityApiRef } from '../../api';
import { dataProductParties, getDataProductAddress } from '../../lib/entity';
import { useAsync } from '../../lib/useAsync';
import { Copyable } from '../shared/Copyable';
import { Field } from '../shared/Field';
import { LevelBadge } from '../shared/LevelBadge';
import { SloChip, describeSloCounts } from '../shared/SloStatus';

const useStyles = makeStyles(theme => ({
  muted: {
    color: theme.palette.text.secondary,
  },
  inline: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  ports: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    '& > li:not(:first-child)': { marginTop: theme.spacing(0.5) },
  },
  portName: {
    fontFamily: 'monospace',
    fontWeight: 'bold',
  },
}));

/**
 * Props of {@link EntityDataProductSummaryCard}.
 *
 * @public
 */
export type DataProductSummaryCardProps = {
  variant?: InfoCardVariants;
};

/** A value that is still loading, failed to load, or is there. */
function Loaded(props: {
  loading: boolean;
  error?: Error;
  what: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  if (props.loading) return <Progress aria-label={`Loading ${props.what}`} />;
  if (props.error) {
    return (
      <Typography variant="body2" className={classes.muted}>
        Could not load the {props.what}: {props.error.message}
      </Typography>
    );
  }
  return <>{props.children}</>;
}

/**
 * What a consumer needs first, in one card at the top of a data product's
 * page: where to read it (its address and output ports, each copyable), who
 * owns it and answers for it, the level it holds and whether its SLOs are
 * met now. Short enough to be read without scrolling.
 */
export function DataProductSummaryCard(props: DataProductSummaryCardProps) {
  const classes = useStyles();
  const { entity } = useEntity();
  const governanceApi = useApi(dataMeshApiRef);
  const qualityApi = useApi(dataMeshQualityApiRef);
  const entityRef = entityRefKey(entity);
  const spec = (entity.spec ?? {}) as Partial<DataProductSpec>;

  const { owner, productOwner } = dataProductParties(entity);
  const { refs } = parseDataProductRefs(entity);
  const outputPorts = Array.isArray(spec.outputPorts) ? spec.outputPorts : [];
  const inputPorts = Array.isArray(spec.inputPorts) ? spec.inputPorts : [];

  // The same answers the scorecard and quality cards show, asked for here
  // so that the level and SLO status sit next to the address.
  const scorecard = useAsync(
    () => governanceApi.getScorecard(entityRef, { days: 1 }),
    [governanceApi, entityRef],
  );
  const quality = useAsync(
    () => qualityApi.getQuality(entityRef),
    [qualityApi, entityRef],
  );
  const slos = quality.value?.slos ?? [];
  const sloCounts = describeSloCounts(slos);

  return (
    <InfoCard title="At a glance" variant={props.variant}>
      <Grid container spacing={2}>
        <Field
          label="Address"
          xs={12}
          sm={12}
          lg={12}
          hint="Addressable: a permanent, unique address that survives changes of domain, owner or storage"
        >
          <Copyable text={getDataProductAddress(entity)} what="address" />
        </Field>
        <Field label="Owner" emptyText="No owner" sm={6} lg={3}>
          {owner && <EntityRefLink entityRef={owner} defaultKind="group" />}
        </Field>
        <Field
          label="Product owner"
          emptyText="No product owner"
          hint="The person accountable for the product and its consumers"
          sm={6}
          lg={3}
        >
          {productOwner && (
            <EntityRefLink entityRef={productOwner} defaultKind="user" />
          )}
        </Field>
        <Field label="Level" sm={6} lg={2}>
          <Loaded
            loading={scorecard.loading && !scorecard.value}
            error={scorecard.error}
            what="level"
          >
            {scorecard.value ? (
              <LevelBadge level={scorecard.value.level} />
            ) : (
              <Typography variant="body2" className={classes.muted}>
                Not evaluated yet
              </Typography>
            )}
          </Loaded>
        </Field>
        <Field
          label="SLO status"
          sm={6}
          lg={4}
          caption={sloCounts && `${sloCounts} over 30 days`}
        >
          <Loaded
            loading={quality.loading && !quality.value}
            error={quality.error}
            what="SLO status"
          >
            {slos.length ? (
              <ul className={classes.inline} aria-label="SLO status">
                {slos.map(slo => (
                  <li key={slo.slo}>
                    <SloChip slo={slo} />
                  </li>
                ))}
              </ul>
            ) : (
              <Typography variant="body2" className={classes.muted}>
                No SLOs declared
              </Typography>
            )}
          </Loaded>
        </Field>
        <Field
          label="Output ports"
          emptyText="No output ports declared"
          xs={12}
          sm={12}
          lg={8}
        >
          {outputPorts.length > 0 && (
            <ul className={classes.ports} aria-label="Output ports">
              {outputPorts.map(port => (
                <li key={port.name}>
                  <Typography variant="body2" component="span">
                    <span className={classes.portName}>{port.name}</span>{' '}
                    <span className={classes.muted}>
                      {[port.type, port.format].filter(Boolean).join(', ')}
                    </span>{' '}
                  </Typography>
                  {port.address ? (
                    <Copyable
                      text={port.address}
                      what={`address of ${port.name}`}
                    />
                  ) : (
                    <Typography
                      variant="body2"
                      component="span"
                      className={classes.muted}
                    >
                      no address
                    </Typography>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field
          label="Input ports"
          emptyText="No input ports declared"
          xs={12}
          sm={12}
          lg={4}
        >
          {inputPorts.length > 0 && (
            <ul className={classes.ports} aria-label="Input ports">
              {inputPorts.map((port, i) => {
                const read = refs.inputPorts[i] ?? {};
                const target = read.dataProduct ?? read.source;
                return (
                  <li key={port.name}>
                    <Typography variant="body2" component="span">
                      {target ? (
                        <EntityRefLink
                          entityRef={target}
                          defaultKind={
                            read.dataProduct ? 'dataproduct' : 'component'
                          }
                        />
                      ) : (
                        <span className={classes.portName}>{port.name}</span>
                      )}
                    </Typography>
                  </li>
                );
              })}
            </ul>
          )}
        </Field>
      </Grid>
    </InfoCard>
  );
}
