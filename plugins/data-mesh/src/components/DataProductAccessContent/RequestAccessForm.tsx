import { FormEvent, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  AccessPortsResponse,
  AccessRequest,
} from '@quanta/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import Alert from '@material-ui/lab/Alert';
import { dataMeshApiRef } from '../../api';
import {
  type AccessRequestForm,
  type AccessRequestProblems,
  addDays,
  defaultEndDate,
  isSensitive,
  MIN_PURPOSE_LENGTH,
  sensitivityNote,
  utcDay,
  validateAccessRequest,
} from './access';

/** A product or component the signed-in user's teams own, to ask access for. */
export type ConsumerOption = { ref: string; label: string };

/** The consumers to choose from, as they load from the catalog. */
export type ConsumerOptions = {
  loading: boolean;
  options?: ConsumerOption[];
  error?: Error;
};

export type AccessPort = AccessPortsResponse['ports'][number];

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    marginTop: theme.spacing(2),
    maxWidth: 720,
  },
  submit: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  // The native select draws a light grey behind its label, where the theme's
  // secondary text colour falls short of 4.5:1.
  selectLabel: {
    color: theme.palette.text.primary,
  },
  // The text in the body colour (the theme's orange is too light to read on
  // white), the icon in the warning colour.
  sensitive: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.palette.text.primary,
    fontWeight: 'bold',
    '& svg': { color: theme.palette.warning.dark },
  },
  muted: {
    color: theme.palette.text.secondary,
  },
}));

const FIELDS: Array<keyof AccessRequestForm> = [
  'consumer',
  'purpose',
  'endDate',
];

/**
 * Asks for access to one output port: for which of the team's products or
 * components, why, and until when. The browser checks what it can and
 * names the field; the backend's refusal is shown as it says it.
 */
export function RequestAccessForm(props: {
  entityRef: string;
  port: AccessPort;
  consumers: ConsumerOptions;
  /** The current time, from which "today" and the default end date follow. */
  now: Date;
  onRequested: (request: AccessRequest) => void;
  onCancel: () => void;
}) {
  const { port, consumers } = props;
  const api = useApi(dataMeshApiRef);
  const classes = useStyles();
  const today = utcDay(props.now);
  const [form, setForm] = useState<AccessRequestForm>(() => ({
    consumer: '',
    purpose: '',
    endDate: defaultEndDate(props.now),
  }));
  const [problems, setProblems] = useState<AccessRequestProblems>({});
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const fields = useRef<Partial<Record<keyof AccessRequestForm, HTMLElement>>>(
    {},
  );
  const id = (field: string) => `access-${port.port}-${field}`;

  // The form opens on a click: its first field takes the focus.
  useEffect(() => fields.current.consumer?.focus(), []);

  const set = (field: keyof AccessRequestForm, value: string) => {
    const next = { ...form, [field]: value };
    setForm(next);
    // Once a submit showed the problems, each clears as it is fixed.
    if (tried) setProblems(validateAccessRequest(next, today));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setError(undefined);
    const found = validateAccessRequest(form, today);
    setProblems(found);
    const first = FIELDS.find(field => found[field]);
    if (first) {
      fields.current[first]?.focus();
      return;
    }
    setSending(true);
    try {
      props.onRequested(
        await api.requestAccess({
          entityRef: props.entityRef,
          port: port.port,
          consumer: form.consumer,
          purpose: form.purpose.trim(),
          endDate: form.endDate,
        }),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  let consumerHint = 'A data product or component one of your teams owns.';
  if (consumers.loading) {
    consumerHint = 'Loading your teams’ data products and components…';
  } else if (consumers.error) {
    consumerHint = `Your teams’ data products and components cannot be listed: ${consumers.error.message}`;
  } else if (!consumers.options?.length) {
    consumerHint =
      'None of your teams owns a data product or component in the catalog; access is asked for one of them.';
  }

  return (
    <form
      className={classes.form}
      noValidate
      onSubmit={submit}
      aria-label={`Request access to ${port.port}`}
    >
      <TextField
        id={id('consumer')}
        select
        label="For"
        required
        variant="outlined"
        value={form.consumer}
        onChange={event => set('consumer', event.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true, className: classes.selectLabel }}
        inputRef={element => {
          fields.current.consumer = element ?? undefined;
        }}
        disabled={consumers.loading}
        error={!!problems.consumer || !!consumers.error}
        helperText={problems.consumer ?? consumerHint}
      >
        <option value="">Choose a data product or component</option>
        {consumers.options?.map(option => (
          <option key={option.ref} value={option.ref}>
            {option.label}
          </option>
        ))}
      </TextField>
      <TextField
        id={id('purpose')}
        label="Purpose"
        required
        multiline
        minRows={3}
        variant="outlined"
        value={form.purpose}
        onChange={event => set('purpose', event.target.value)}
        inputRef={element => {
          fields.current.purpose = element ?? undefined;
        }}
        error={!!problems.purpose}
        helperText={
          problems.purpose ??
          `Why the data is needed, at least ${MIN_PURPOSE_LENGTH} characters; the product's owners read it.`
        }
      />
      <TextField
        id={id('end-date')}
        label="Last day of access"
        type="date"
        required
        variant="outlined"
        value={form.endDate}
        onChange={event => set('endDate', event.target.value)}
        inputRef={element => {
          fields.current.endDate = element ?? undefined;
        }}
        InputLabelProps={{ shrink: true }}
        inputProps={{ min: addDays(today, 1) }}
        error={!!problems.endDate}
        helperText={
          problems.endDate ??
          'A day in UTC; the access ends after it. The portal may allow less.'
        }
      />
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <div className={classes.submit}>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={sending}
        >
          {sending ? 'Sending…' : 'Send the request'}
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
        {isSensitive(port) ? (
          <Typography variant="body2" className={classes.sensitive}>
            <WarningIcon fontSize="small" aria-hidden />
            {sensitivityNote(port)}
          </Typography>
        ) : (
          <Typography variant="body2" className={classes.muted}>
            {sensitivityNote(port)}
          </Typography>
        )}
      </div>
    </form>
  );
}
