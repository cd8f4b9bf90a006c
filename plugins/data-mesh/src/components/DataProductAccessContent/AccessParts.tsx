/**
 * The parts the Access tab and the inbox share: sensitivity and status
 * chips, provisioning in words, and approving, denying and revoking with
 * the backend's answer shown.
 */
import { ReactNode, useRef, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  AccessPortSensitivity,
  AccessRequest,
  AccessRequestStatus,
} from '@quanta/plugin-data-mesh-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { type AccessDecision, dataMeshApiRef } from '../../api';
import { formatDate, shortRef } from '../../lib/format';
import { readableTextOn } from '../../lib/palette';
import {
  approvalInWords,
  classificationLabel,
  isSensitive,
  provisioningInWords,
  statusLabel,
} from './access';

export const useAccessStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  failed: {
    color: theme.palette.error.main,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    '& .MuiButton-root': { whiteSpace: 'nowrap' },
  },
  // The theme breaks table text anywhere; names and refs break at their
  // hyphens and slashes only (breakable), prose at spaces.
  table: {
    '& .MuiTableCell-root': { wordBreak: 'normal', overflowWrap: 'normal' },
  },
  prose: {
    overflowWrap: 'break-word',
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    '& > li': {
      padding: theme.spacing(1.5, 0),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    '& > li:last-child': {
      borderBottom: 'none',
    },
  },
  alert: {
    margin: theme.spacing(1, 0),
  },
}));

/** An entity reference as a link to its page; `system` and other actors as text. */
export function RefLink(props: { entityRef: string }) {
  let kind: string;
  try {
    kind = parseEntityRef(props.entityRef).kind;
  } catch {
    return <>{props.entityRef}</>;
  }
  // The catalog's presentation: a product's title, a person's display name,
  // the full reference in the tooltip; the short reference (no kind, no
  // default namespace) until it is known or where the portal has none.
  return (
    <EntityRefLink entityRef={props.entityRef} defaultKind={kind} hideIcon />
  );
}

/**
 * The classification and personal data of a port as labelled chips (the
 * words carry the meaning; the colour only repeats it), and optionally how
 * requests are decided.
 */
export function SensitivityChips(props: {
  sensitivity: AccessPortSensitivity;
  showApproval?: boolean;
}) {
  const { sensitivity } = props;
  const classes = useAccessStyles();
  const theme = useTheme();
  const warn = theme.palette.warning?.main ?? '#ed6c02';
  const sensitive = isSensitive(sensitivity);
  return (
    <div className={classes.chips}>
      <Chip
        size="small"
        label={`Classification: ${classificationLabel(
          sensitivity.classification,
        )}`}
        variant={sensitive ? 'default' : 'outlined'}
        style={
          sensitivity.classification === 'restricted'
            ? { backgroundColor: warn, color: readableTextOn(warn) }
            : undefined
        }
      />
      {sensitivity.containsPii ? (
        <Chip
          size="small"
          label="Contains personal data"
          style={{ backgroundColor: warn, color: readableTextOn(warn) }}
        />
      ) : (
        <Chip size="small" variant="outlined" label="No personal data" />
      )}
      {props.showApproval && (
        <Typography variant="body2" component="span" className={classes.muted}>
          {approvalInWords(sensitivity)}
        </Typography>
      )}
    </div>
  );
}

/** A request's status as a chip whose text says it. */
export function StatusChip(props: { status: AccessRequestStatus }) {
  const theme = useTheme();
  const colors: Partial<Record<AccessRequestStatus, string>> = {
    pending: theme.palette.warning?.main ?? '#ed6c02',
    approved: theme.palette.success?.main ?? '#2e7d32',
    denied: theme.palette.error.main,
  };
  const color = colors[props.status];
  return (
    <Chip
      size="small"
      label={statusLabel(props.status)}
      variant={color ? 'default' : 'outlined'}
      style={
        color
          ? { backgroundColor: color, color: readableTextOn(color) }
          : undefined
      }
    />
  );
}

/** Whether a grant took effect; a failure with its message and next attempt. */
export function ProvisioningStatus(props: { request: AccessRequest }) {
  const classes = useAccessStyles();
  const words = provisioningInWords(props.request.provisioning);
  return (
    <Typography variant="body2" component="div">
      <span className={words.failed ? classes.failed : undefined}>
        <strong>{words.label}</strong>
      </span>
      {words.detail && (
        <span className={words.failed ? undefined : classes.muted}>
          : {words.detail}
        </span>
      )}
    </Typography>
  );
}

/** What the decision buttons and dialogs name: the consumer and the port. */
export function requestSubject(request: AccessRequest): string {
  return `${shortRef(request.consumer)} to ${request.port} of ${shortRef(
    request.entityRef,
  )}`;
}

const DONE: Record<AccessDecision, (request: AccessRequest) => string> = {
  approve: r =>
    `Approved: ${shortRef(r.consumer)} may read ${r.port} of ${shortRef(
      r.entityRef,
    )} until ${formatDate(r.endDate)}.`,
  deny: r => `Denied the access of ${requestSubject(r)}.`,
  revoke: r => `Revoked the access of ${requestSubject(r)}.`,
};

const ASK: Record<
  'deny' | 'revoke',
  { title: (r: AccessRequest) => string; action: string; hint: string }
> = {
  deny: {
    title: r => `Deny the access of ${requestSubject(r)}`,
    action: 'Deny',
    hint: 'The requester reads the reason: say what would make a request acceptable.',
  },
  revoke: {
    title: r => `Revoke the access of ${requestSubject(r)}`,
    action: 'Revoke',
    hint: 'The grant ends now; the requester reads the reason.',
  },
};

type Outcome = {
  severity: 'success' | 'error';
  message: string;
  detail?: string;
};

/** The backend's refusal of a decision, in the words an approver needs. */
function outcomeOfFailure(error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { statusCode?: number })?.statusCode;
  // The backend's four-eyes rule: the caller is an approver, just not of
  // their own request.
  if (status === 403 && /yourself/.test(message)) {
    return {
      severity: 'error',
      message:
        'You asked for this access yourself: another approver of the product decides.',
      detail: message,
    };
  }
  if (status === 403) {
    return {
      severity: 'error',
      message: "Only the product's owners can decide.",
      detail: message,
    };
  }
  if (status === 409) {
    return {
      severity: 'error',
      message:
        'Someone changed this request meanwhile; the list now shows where it stands.',
      detail: message,
    };
  }
  return { severity: 'error', message };
}

/** Asks for the reason to deny or revoke; the backend requires one. */
function ReasonDialog(props: {
  request: AccessRequest;
  decision: 'deny' | 'revoke';
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
  error?: string;
}) {
  const ask = ASK[props.decision];
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = `access-decision-${props.request.id}`;
  const reasonRef = useRef<HTMLElement | null>(null);
  const confirm = async () => {
    if (!reason.trim()) {
      setProblem('Reason: say why; the requester reads it');
      return;
    }
    setBusy(true);
    try {
      await props.onConfirm(reason.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={props.onCancel}
      aria-labelledby={titleId}
      fullWidth
      // Opened to type a reason: the reason field takes the focus.
      TransitionProps={{ onEntered: () => reasonRef.current?.focus() }}
    >
      <DialogTitle id={titleId}>{ask.title(props.request)}</DialogTitle>
      <DialogContent>
        <DialogContentText>{ask.hint}</DialogContentText>
        <TextField
          id={`${titleId}-reason`}
          label="Reason"
          required
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          inputRef={reasonRef}
          value={reason}
          onChange={event => {
            setReason(event.target.value);
            setProblem(undefined);
          }}
          error={!!problem}
          helperText={problem}
        />
        {props.error && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            {props.error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {busy ? 'Sending…' : ask.action}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Approving, denying and revoking for a list of requests: `start` asks the
 * backend at once to approve and opens a reason dialog to deny or revoke;
 * `element` holds the dialog and the outcome, to render once above the
 * list. Every answer, success or refusal, reloads the list through
 * `onChanged`: a 409 means it is out of date.
 */
export function useAccessDecisions(onChanged: () => void): {
  start: (request: AccessRequest, decision: AccessDecision) => void;
  busyId?: string;
  element: ReactNode;
} {
  const api = useApi(dataMeshApiRef);
  const classes = useAccessStyles();
  const [asking, setAsking] = useState<{
    request: AccessRequest;
    decision: 'deny' | 'revoke';
    error?: string;
  }>();
  const [busyId, setBusyId] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();

  /** Whether the backend answered (success, 403 or 409), rather than failed otherwise. */
  const decide = async (
    request: AccessRequest,
    decision: AccessDecision,
    reason?: string,
  ): Promise<Outcome & { answered: boolean }> => {
    setBusyId(request.id);
    try {
      const decided = await api.decideAccessRequest(
        request.id,
        decision,
        reason ? { reason } : {},
      );
      onChanged();
      return {
        severity: 'success',
        message: DONE[decision](decided),
        answered: true,
      };
    } catch (e) {
      const status = (e as { statusCode?: number })?.statusCode;
      const answered = status === 403 || status === 409;
      if (status === 409) onChanged();
      return { ...outcomeOfFailure(e), answered };
    } finally {
      setBusyId(undefined);
    }
  };

  const start = (request: AccessRequest, decision: AccessDecision) => {
    setOutcome(undefined);
    if (decision === 'approve') {
      decide(request, decision).then(setOutcome);
    } else {
      setAsking({ request, decision });
    }
  };

  const element = (
    <>
      {outcome && (
        <Alert
          severity={outcome.severity}
          role={outcome.severity === 'success' ? 'status' : 'alert'}
          className={classes.alert}
          onClose={() => setOutcome(undefined)}
        >
          {outcome.message}
          {outcome.detail && (
            <Typography variant="body2" className={classes.prose}>
              {outcome.detail}
            </Typography>
          )}
        </Alert>
      )}
      {asking && (
        <ReasonDialog
          key={`${asking.request.id}-${asking.decision}`}
          request={asking.request}
          decision={asking.decision}
          error={asking.error}
          onCancel={() => setAsking(undefined)}
          onConfirm={async reason => {
            const result = await decide(
              asking.request,
              asking.decision,
              reason,
            );
            // A refusal or a failed call other than 403 and 409 keeps the
            // dialog, and the reason typed, open to try again.
            if (result.answered) {
              setAsking(undefined);
              setOutcome(result);
            } else {
              setAsking({ ...asking, error: result.message });
            }
          }}
        />
      )}
    </>
  );
  return { start, busyId, element };
}

/** Approve and Deny for a pending request, Revoke for a grant. */
export function DecisionButtons(props: {
  request: AccessRequest;
  start: (request: AccessRequest, decision: AccessDecision) => void;
  busy: boolean;
}) {
  const { request, start, busy } = props;
  const classes = useAccessStyles();
  const subject = requestSubject(request);
  if (request.status === 'pending') {
    return (
      <div className={classes.actions}>
        <Button
          size="small"
          variant="contained"
          color="primary"
          disabled={busy}
          aria-label={`Approve the access of ${subject}`}
          onClick={() => start(request, 'approve')}
        >
          Approve
        </Button>
        <Button
          size="small"
          variant="outlined"
          disabled={busy}
          aria-label={`Deny the access of ${subject}`}
          onClick={() => start(request, 'deny')}
        >
          Deny
        </Button>
      </div>
    );
  }
  if (request.status === 'approved') {
    return (
      <Button
        size="small"
        variant="outlined"
        disabled={busy}
        aria-label={`Revoke the access of ${subject}`}
        onClick={() => start(request, 'revoke')}
      >
        Revoke
      </Button>
    );
  }
  return null;
}
