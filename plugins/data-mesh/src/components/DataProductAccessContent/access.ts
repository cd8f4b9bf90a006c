/** What the access views compute, apart from the rendering. */

import type {
  AccessPortSensitivity,
  AccessProvisioning,
  AccessRequest,
  AccessRequestInput,
  AccessRequestStatus,
} from '@quanta/plugin-data-mesh-common';
import { formatDateTimeUtc } from '../../lib/format';

/** Days of access a new request asks for unless the requester picks another end. */
export const DEFAULT_ACCESS_DAYS = 90;

/** Characters a purpose needs at least, as the backend requires. */
export const MIN_PURPOSE_LENGTH = 10;

/**
 * The UTC day of an instant, `YYYY-MM-DD`: end dates are UTC days, so
 * "today" is too, wherever the requester is.
 */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The UTC day `days` after `day` (both `YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

/** The end date a new request starts with: {@link DEFAULT_ACCESS_DAYS} after today. */
export function defaultEndDate(now: Date): string {
  return addDays(utcDay(now), DEFAULT_ACCESS_DAYS);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The fields of the request form, as typed. */
export type AccessRequestForm = Pick<
  AccessRequestInput,
  'consumer' | 'purpose' | 'endDate'
>;

/** What is wrong with each field of the form, in words naming the field and the fix. */
export type AccessRequestProblems = Partial<
  Record<keyof AccessRequestForm, string>
>;

/**
 * The form's problems that the browser can see before asking the backend,
 * which checks the same and more (the consumer's owner, the longest access
 * the portal allows).
 */
export function validateAccessRequest(
  form: AccessRequestForm,
  today: string,
): AccessRequestProblems {
  const problems: AccessRequestProblems = {};
  if (!form.consumer) {
    problems.consumer =
      'For: choose the data product or component the data is for';
  }
  const purpose = form.purpose.trim();
  if (purpose.length < MIN_PURPOSE_LENGTH) {
    problems.purpose = `Purpose: say why the data is needed in at least ${MIN_PURPOSE_LENGTH} characters (${purpose.length} so far)`;
  }
  if (!form.endDate) {
    problems.endDate = 'Last day of access: pick a date';
  } else if (
    !DAY.test(form.endDate) ||
    Number.isNaN(new Date(form.endDate).getTime())
  ) {
    problems.endDate = `Last day of access: ${form.endDate} is not a date; use YYYY-MM-DD`;
  } else if (form.endDate <= today) {
    problems.endDate = `Last day of access: pick a day after today (${today}, UTC)`;
  }
  return problems;
}

const CLASSIFICATION_WORDS: Record<string, string> = {
  public: 'Public',
  internal: 'Internal',
  confidential: 'Confidential',
  restricted: 'Restricted',
};

/** `restricted` reads `Restricted`; an unknown value stays as it is. */
export function classificationLabel(
  classification: string | undefined,
): string {
  if (!classification) return 'Not classified';
  return CLASSIFICATION_WORDS[classification] ?? classification;
}

/** Whether a requester should read the port's sensitivity again before asking. */
export function isSensitive(sensitivity: AccessPortSensitivity): boolean {
  return sensitivity.containsPii || sensitivity.classification === 'restricted';
}

/** How a request for the port is decided, in words. */
export function approvalInWords(sensitivity: AccessPortSensitivity): string {
  return sensitivity.autoApproved
    ? 'Requests are approved at once'
    : 'An owner of the product approves each request';
}

/**
 * The sensitivity in one sentence, repeated next to the submit button:
 * "Restricted data with personal information: an owner must approve".
 */
export function sensitivityNote(sensitivity: AccessPortSensitivity): string {
  const { classification, containsPii, autoApproved } = sensitivity;
  const data = classification
    ? `${classificationLabel(classification)} data`
    : 'Data';
  const what = containsPii ? `${data} with personal information` : data;
  return `${what}: ${
    autoApproved ? 'approved at once' : 'an owner must approve'
  }`;
}

const STATUS_WORDS: Record<AccessRequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** `pending` reads `Pending`. */
export function statusLabel(status: AccessRequestStatus): string {
  return STATUS_WORDS[status] ?? status;
}

/**
 * Whether the grant took effect in the data platform, in words; a failure
 * with the provisioner's message and when it is tried again.
 */
export function provisioningInWords(provisioning: AccessProvisioning): {
  label: string;
  detail?: string;
  failed: boolean;
} {
  switch (provisioning.status) {
    case 'granted':
      return {
        label: 'Granted',
        detail: provisioning.doneAt
          ? `since ${formatDateTimeUtc(provisioning.doneAt)}`
          : undefined,
        failed: false,
      };
    case 'pending':
      return {
        label: provisioning.action === 'revoke' ? 'Revoking' : 'Granting',
        failed: false,
      };
    case 'failed': {
      const next = formatDateTimeUtc(provisioning.nextAttemptAt);
      const attempts = `${provisioning.attempts} attempt${
        provisioning.attempts === 1 ? '' : 's'
      }`;
      return {
        label: 'Failed',
        detail: [
          provisioning.lastError ?? 'No message',
          next ? `next attempt ${next} (${attempts} so far)` : attempts,
        ].join('; '),
        failed: true,
      };
    }
    case 'revoked':
      return { label: 'Taken back', failed: false };
    default:
      return { label: 'Nothing to do', failed: false };
  }
}

/** Pending requests first, then the most recently changed. */
export function byUrgency(a: AccessRequest, b: AccessRequest): number {
  const pending =
    Number(b.status === 'pending') - Number(a.status === 'pending');
  return pending || b.updatedAt.localeCompare(a.updatedAt);
}
