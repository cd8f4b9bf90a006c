import { ReactNode } from 'react';
import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DataProductSpec } from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import { Field } from '../shared/Field';
import { Warning } from '../shared/Warning';
import { describeIsoDuration } from '../../lib/duration';
import { piiFieldsOf } from '../../lib/governance';
import { describeSlos } from '../../lib/quality';
import { CardSection } from '../shared/CardSection';

const useStyles = makeStyles(theme => ({
  chip: {
    marginRight: theme.spacing(0.5),
    marginBottom: theme.spacing(0.5),
  },
}));

/**
 * Props of {@link EntityDataProductSlosCard}.
 *
 * @public
 */
export type DataProductSlosCardProps = {
  variant?: InfoCardVariants;
};

/**
 * What a consumer can rely on: the service level objectives of a data product
 * in plain words, its classification, personal data, retention and the
 * regulations it falls under. Flags what is missing.
 */
export function DataProductSlosCard(props: DataProductSlosCardProps) {
  const { entity } = useEntity();
  const classes = useStyles();
  const spec = (entity.spec ?? {}) as Partial<DataProductSpec>;
  const slos = describeSlos(spec.slos);
  const regulations = Array.isArray(spec.regulations) ? spec.regulations : [];
  const piiFields = piiFieldsOf(spec);
  const retention =
    typeof spec.retention === 'string' && spec.retention.trim()
      ? spec.retention
      : undefined;

  let containsPii: ReactNode;
  if (spec.containsPii === true) {
    containsPii = 'Yes';
  } else if (spec.containsPii === false) {
    containsPii = 'No';
  }

  let retentionContent: ReactNode;
  if (retention) {
    retentionContent = describeIsoDuration(retention);
  } else if (spec.containsPii === true) {
    retentionContent = (
      <Warning title="PII without retention">
        This data product contains personal data but declares no retention
        period. Set spec.retention, e.g. P2Y.
      </Warning>
    );
  }

  return (
    <InfoCard title="SLOs and classification" variant={props.variant}>
      <CardSection title="Service level objectives">
        {slos.length === 0 ? (
          <Warning title="No SLOs declared">
            Consumers cannot tell how fresh, complete or available this data
            product is. Declare them in spec.slos to make it trustworthy.
          </Warning>
        ) : (
          <Grid container spacing={2}>
            {slos.map(slo => (
              <Field
                key={slo.key}
                label={slo.label}
                caption={slo.caption}
                sm={6}
                lg={6}
              >
                {slo.value}
              </Field>
            ))}
          </Grid>
        )}
      </CardSection>
      <CardSection title="Classification and compliance">
        <Grid container spacing={2}>
          <Field
            label="Classification"
            emptyText="Not classified"
            hint="Secure: how carefully the data must be handled"
            sm={6}
            lg={6}
          >
            {spec.classification}
          </Field>
          <Field
            label="Contains PII"
            emptyText="Not stated"
            hint="Personally identifiable information"
            sm={6}
            lg={6}
          >
            {containsPii}
          </Field>
          <Field
            label="Retention"
            hint="How long the data is kept"
            sm={6}
            lg={6}
          >
            {retentionContent}
          </Field>
          <Field label="Regulations" emptyText="None declared" sm={6} lg={6}>
            {regulations.length > 0 && (
              <div>
                {regulations.map(regulation => (
                  <Chip
                    key={regulation}
                    label={regulation}
                    size="small"
                    className={classes.chip}
                  />
                ))}
              </div>
            )}
          </Field>
          {piiFields.length > 0 && spec.containsPii !== true && (
            <Grid item xs={12}>
              <Warning title="PII fields, but containsPii is not set">
                The output port schemas mark {piiFields.join(', ')} as PII. Set
                spec.containsPii to true.
              </Warning>
            </Grid>
          )}
        </Grid>
      </CardSection>
    </InfoCard>
  );
}
