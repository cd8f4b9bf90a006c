import { ReactNode } from 'react';
import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DataProductSlos,
  DataProductSpec,
} from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import { Field } from '../shared/Field';
import { Warning } from '../shared/Warning';
import { describeIsoDuration, formatIsoDuration } from '../../lib/duration';
import { CardSection } from '../shared/CardSection';

const useStyles = makeStyles(theme => ({
  chip: {
    marginRight: theme.spacing(0.5),
    marginBottom: theme.spacing(0.5),
  },
}));

type SloLine = {
  key: keyof DataProductSlos;
  label: string;
  value: string;
  caption: string;
};

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function percent(value: number): string {
  return `${Number(value.toFixed(4))}%`;
}

/** Each declared SLO, in words. */
export function describeSlos(slos: DataProductSlos | undefined): SloLine[] {
  if (!slos || typeof slos !== 'object') {
    return [];
  }
  const lines: SloLine[] = [];
  const duration = (
    key: 'freshness' | 'intervalOfChange' | 'timeliness',
    label: string,
    sentence: (words: string) => string,
  ) => {
    const raw = slos[key];
    if (typeof raw !== 'string' || !raw.trim()) {
      return;
    }
    const words = formatIsoDuration(raw);
    lines.push({
      key,
      label,
      value: words ?? describeIsoDuration(raw),
      caption: words
        ? sentence(words)
        : 'Write it as an ISO-8601 duration such as PT1H, P1D or P2Y.',
    });
  };
  duration(
    'freshness',
    'Freshness',
    words => `The newest data is at most ${words} old.`,
  );
  duration(
    'intervalOfChange',
    'Interval of change',
    words => `The data changes every ${words}.`,
  );
  duration(
    'timeliness',
    'Timeliness',
    words => `Events are served at most ${words} after they happen.`,
  );
  if (isNumber(slos.completeness)) {
    lines.push({
      key: 'completeness',
      label: 'Completeness',
      value: percent(slos.completeness),
      caption: `At least ${percent(
        slos.completeness,
      )} of the expected records are present.`,
    });
  }
  if (isNumber(slos.availability)) {
    lines.push({
      key: 'availability',
      label: 'Availability',
      value: percent(slos.availability),
      caption: `The output ports are readable ${percent(
        slos.availability,
      )} of the time.`,
    });
  }
  return lines;
}

function piiFieldsOf(spec: Partial<DataProductSpec>): string[] {
  const ports = Array.isArray(spec.outputPorts) ? spec.outputPorts : [];
  return ports.flatMap(port =>
    (Array.isArray(port.schema) ? port.schema : [])
      .filter(field => field.pii)
      .map(field => `${port.name}.${field.name}`),
  );
}

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
