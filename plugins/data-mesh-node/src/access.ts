import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  AccessPortSensitivity,
  AccessRequestStatus,
} from '@quanta/plugin-data-mesh-common';

/**
 * What an access provisioner is asked to grant or revoke: one consumer's
 * access to one output port.
 *
 * @public
 */
export type AccessGrant = {
  /** The access request's id: the same for the grant and its revocation, so a retried call can be recognised. */
  requestId: string;
  /** The producer: `dataproduct:<namespace>/<name>`. */
  entityRef: string;
  /** The output port. */
  port: string;
  /** The port's address, such as `snowflake://acme.eu-west-1/ANALYTICS/SALES/ORDERS`. */
  address: string;
  /** The port's type and format as the descriptor declares them. */
  type?: string;
  format?: string;
  /** The product or component the access is for. */
  consumer: string;
  /** The user who asked. */
  requester: string;
  purpose: string;
  /** The last day of access, `YYYY-MM-DD` (UTC). */
  endDate: string;
  sensitivity: AccessPortSensitivity;
  /** The request's status when the call is made (`approved` for a grant; `revoked` or `expired` for a revocation). */
  status: AccessRequestStatus;
};

/**
 * Makes grants take effect in a data platform (warehouse roles, lake ACLs,
 * topic ACLs, a ticket, ...). Both calls must be idempotent: a call that
 * failed, or whose answer was lost, is made again until it succeeds. A call
 * that throws is recorded as failed, shown on the request, and retried.
 *
 * @public
 */
export interface AccessProvisioner {
  /** A short name shown with each request's provisioning status, such as `snowflake-roles`. */
  readonly name: string;
  /** Gives the consumer access to the port, after the request was approved. */
  grant(grant: AccessGrant): Promise<void>;
  /** Takes the access back, after an approved request was revoked or expired. */
  revoke(grant: AccessGrant): Promise<void>;
}

/**
 * Lets a portal's backend module make approved access grants take effect,
 * with its own {@link AccessProvisioner}. Without one, grants are recorded
 * only.
 *
 * @public
 */
export interface DataMeshAccessExtensionPoint {
  /** Sets the provisioner; one per portal. */
  setProvisioner(provisioner: AccessProvisioner): void;
}

/**
 * The extension point through which a module sets the access provisioner;
 * see {@link DataMeshAccessExtensionPoint}.
 *
 * @public
 */
export const dataMeshAccessExtensionPoint =
  createExtensionPoint<DataMeshAccessExtensionPoint>({
    id: 'data-mesh.access',
  });

/**
 * The built-in provisioner: grants are recorded in the portal and nothing
 * else happens.
 *
 * @public
 */
export const recordOnlyAccessProvisioner: AccessProvisioner = {
  name: 'record-only',
  async grant() {},
  async revoke() {},
};
