/*
 * Shapes of the access REST API of the data-mesh backend plugin
 * (`/api/data-mesh/access/...`): requests for access to an output port,
 * their decisions, and the grants they become.
 */
import type { Classification } from '../kind/types';

/**
 * Where an access request stands.
 *
 * - `pending`: waiting for an approver;
 * - `approved`: a grant, until `endDate` or until revoked;
 * - `denied`: an approver refused it (with a reason);
 * - `revoked`: an approver ended the grant before its end date;
 * - `expired`: its end date passed (pending or approved).
 *
 * @public
 */
export type AccessRequestStatus =
  | 'pending'
  | 'approved'
  | 'denied'
  | 'revoked'
  | 'expired';

/**
 * The statuses an access request may move to from each status; any other
 * move is refused with 409.
 *
 * @public
 */
export const ACCESS_REQUEST_TRANSITIONS: Readonly<
  Record<AccessRequestStatus, readonly AccessRequestStatus[]>
> = {
  pending: ['approved', 'denied', 'expired'],
  approved: ['revoked', 'expired'],
  denied: [],
  revoked: [],
  expired: [],
};

/**
 * Whether the grant of an approved request took effect in the data platform,
 * through the portal's access provisioner:
 *
 * - `none`: nothing to do (not approved yet, or denied);
 * - `pending`: granting (or revoking), or waiting for the next attempt after a failure;
 * - `granted`: the provisioner granted it;
 * - `failed`: the last attempt failed; it is tried again (see `nextAttemptAt`);
 * - `revoked`: the provisioner took it back after a revocation or expiry.
 *
 * @public
 */
export type AccessProvisioningStatus =
  | 'none'
  | 'pending'
  | 'granted'
  | 'failed'
  | 'revoked';

/**
 * What the provisioner did for one request.
 *
 * @public
 */
export type AccessProvisioning = {
  status: AccessProvisioningStatus;
  /** The provisioner's name (`record-only` unless a module sets one), once it was asked to act. */
  provisioner?: string;
  /** `grant` or `revoke`: what the provisioner is asked to do. */
  action?: 'grant' | 'revoke';
  /** Attempts of the current action so far. */
  attempts: number;
  /** The last failure, in the provisioner's words. */
  lastError?: string;
  /** ISO 8601 time of the next attempt after a failure. */
  nextAttemptAt?: string;
  /** ISO 8601 time the current action last succeeded. */
  doneAt?: string;
};

/**
 * One change of an access request's status, as stored and audited.
 *
 * @public
 */
export type AccessRequestEvent = {
  /** The status before; absent for the request itself. */
  from?: AccessRequestStatus;
  to: AccessRequestStatus;
  /** ISO 8601. */
  at: string;
  /** Who made the change: a user entity reference, or `system` (auto-approval, expiry). */
  actor: string;
  reason?: string;
};

/**
 * How sensitive an output port is, shown before anyone asks for access:
 * the product's classification or the highest of its fields', and whether
 * the product or any field holds personal data.
 *
 * @public
 */
export type AccessPortSensitivity = {
  classification?: Classification;
  containsPii: boolean;
  /** Whether a request for it can be approved without an approver (public, no PII, and the portal allows it). */
  autoApproved: boolean;
};

/**
 * An access request (and, once approved, a grant).
 *
 * @public
 */
export type AccessRequest = {
  /** A UUID. */
  id: string;
  /** The data product (producer): `dataproduct:<namespace>/<name>`, lower case. */
  entityRef: string;
  /** The output port asked for. */
  port: string;
  /** The port's address when the request was made. */
  address?: string;
  /** The port's type and format when the request was made, such as `table` and `parquet`. */
  portType?: string;
  portFormat?: string;
  /** Who asked: a user entity reference. */
  requester: string;
  /**
   * The product or component the data is for (the consumer), such as
   * `dataproduct:default/customer-360` or `component:default/churn-model`.
   */
  consumer: string;
  /** Why the data is needed. */
  purpose: string;
  /** The last day of access, `YYYY-MM-DD` (UTC). */
  endDate: string;
  status: AccessRequestStatus;
  /** The port's sensitivity when the request was made. */
  sensitivity: AccessPortSensitivity;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601 time of the last status change. */
  updatedAt: string;
  /**
   * Who made the last decision (approved, denied or revoked it; `system` for
   * an automatic approval), when, and why. Expiry leaves them as they were;
   * `history` has every change.
   */
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  provisioning: AccessProvisioning;
  /** Every status change, oldest first (in single-request answers). */
  history?: AccessRequestEvent[];
};

/**
 * `POST /access/requests`.
 *
 * @public
 */
export type AccessRequestInput = {
  /** The product asked for. */
  entityRef: string;
  /** One of its output ports. */
  port: string;
  /** A product or component owned by one of the requester's teams. */
  consumer: string;
  /** Why the data is needed: at least 10 characters. */
  purpose: string;
  /** The last day of access, `YYYY-MM-DD`, after today and within `dataMesh.access.maxDuration`. */
  endDate: string;
};

/**
 * `POST /access/requests/:id/{approve,deny,revoke}`; a reason is required to deny or revoke.
 *
 * @public
 */
export type AccessDecisionInput = {
  reason?: string;
};

/**
 * `GET /access/requests` and `GET /access/inbox`.
 *
 * @public
 */
export type AccessRequestsResponse = {
  items: AccessRequest[];
  totalItems: number;
};

/**
 * `GET /access/ports/:namespace/:name`: each output port of a product with
 * its sensitivity, for the request form.
 *
 * @public
 */
export type AccessPortsResponse = {
  entityRef: string;
  ports: Array<{ port: string; address: string } & AccessPortSensitivity>;
};

/**
 * `GET /access/adoption?days=90`: who consumes what across the mesh, and
 * how long consumers wait for a decision, for platform owners. Only products
 * the caller sees in the catalog count.
 *
 * @public
 */
export type AccessAdoptionResponse = {
  /** The window of `timeToApprove`, in days. */
  days: number;
  /** Now: approved requests that have not ended. */
  grants: number;
  /** Now: distinct products and components holding at least one grant. */
  consumers: number;
  /** Now: requests waiting for a decision. */
  pending: number;
  /** Now: products with grants, most consumers first (at most 20). */
  products: Array<{
    entityRef: string;
    title?: string;
    domain?: string;
    grants: number;
    consumers: number;
  }>;
  /** Now: per domain (`none` for products without one), most consumers first. */
  domains: Array<{
    domain: string;
    products: number;
    grants: number;
    consumers: number;
  }>;
  /**
   * Requests approved by a person within the window, and the hours from
   * request to approval (median and 90th percentile); approvals made at once
   * by configuration are counted apart.
   */
  timeToApprove: {
    approved: number;
    autoApproved: number;
    medianHours?: number;
    p90Hours?: number;
  };
};
