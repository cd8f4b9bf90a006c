import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { dataMeshAccessApprovePermission } from '@quanta/plugin-data-mesh-common';
import {
  type AccessGrant,
  type AccessProvisioner,
  createDataMeshProductConditionalDecision,
  dataMeshProductConditions,
} from '@quanta/plugin-data-mesh-node';
import type { AccessRequestBody } from '../AccessService';
import { dataProduct } from '../../__testUtils__/products';

/**
 * The mesh of the access tests. Orders (owned by Sales Data, product owner
 * Ines) has a restricted port with personal data and an internal one;
 * Holidays (Sales Data too) a public port and a confidential one.
 * Customer 360 (Customer Data) and the churn model (ML) consume.
 */
export const ORDERS = 'dataproduct:default/orders';
export const HOLIDAYS = 'dataproduct:default/holidays';
export const CUSTOMER_360 = 'dataproduct:default/customer-360';
export const CHURN_MODEL = 'component:default/churn-model';

/** People, each with the ownership references their teams give them. */
export const MARIA = 'user:default/maria.silva'; // Customer Data: asks for access
export const INES = 'user:default/ines.costa'; // product owner of Orders
export const OMAR = 'user:default/omar.haddad'; // Sales Data: owns Orders and Holidays
export const AHMED = 'user:default/ahmed.ali'; // ML: owns the churn model
export const TEAMS: Record<string, string[]> = {
  [MARIA]: [MARIA, 'group:default/customer-data'],
  [INES]: [INES, 'group:default/sales-leads'],
  [OMAR]: [OMAR, 'group:default/sales-data'],
  [AHMED]: [AHMED, 'group:default/ml-team'],
};

export function accessMesh(): Entity[] {
  return [
    dataProduct('orders', {
      productOwner: INES,
      classification: 'internal',
      outputPorts: [
        {
          name: 'orders-table',
          type: 'table',
          format: 'parquet',
          address: 's3://lake/orders/',
          schema: [
            { name: 'order_id', type: 'string' },
            {
              name: 'customer_email',
              type: 'string',
              pii: true,
              classification: 'restricted',
            },
          ],
        },
        {
          name: 'orders-daily',
          type: 'view',
          format: 'iceberg',
          address: 's3://lake/orders-daily/',
        },
      ],
    }),
    dataProduct('holidays', {
      classification: 'public',
      outputPorts: [
        {
          name: 'calendar',
          type: 'table',
          format: 'parquet',
          address: 's3://lake/holidays/',
          schema: [{ name: 'day', type: 'date', classification: 'public' }],
        },
        {
          name: 'calendar-notes',
          type: 'table',
          format: 'parquet',
          address: 's3://lake/holidays-notes/',
          schema: [
            { name: 'note', type: 'string', classification: 'confidential' },
          ],
        },
      ],
    }),
    dataProduct('customer-360', {
      type: 'consumer-aligned',
      owner: 'group:default/customer-data',
    }),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'churn-model' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/ml-team',
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'ml-team' },
      spec: { type: 'team', children: [] },
    },
  ];
}

const userRefOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef ?? '';

/** Each user's ownership references from {@link TEAMS}. */
export const teamUserInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const userEntityRef = userRefOf(credentials);
    return {
      userEntityRef,
      ownershipEntityRefs: TEAMS[userEntityRef] ?? [userEntityRef],
    };
  },
};

/**
 * A permission policy that allows every basic permission and answers the
 * approve permission with "is owner of the product", the way a portal's
 * policy would; `admins` may approve on every product.
 */
export function ownersDecidePermissions(
  userInfo: UserInfoService = teamUserInfo,
  admins: string[] = [],
): PermissionsService {
  return {
    async authorize(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
    async authorizeConditional(requests, { credentials }) {
      const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
      return requests.map((request): PolicyDecision => {
        if (request.permission.name !== dataMeshAccessApprovePermission.name) {
          return { result: AuthorizeResult.DENY };
        }
        const user = (credentials.principal as { userEntityRef?: string })
          .userEntityRef;
        if (user && admins.includes(user)) {
          return { result: AuthorizeResult.ALLOW };
        }
        return createDataMeshProductConditionalDecision(
          dataMeshAccessApprovePermission,
          dataMeshProductConditions.isProductOwner({
            claims: ownershipEntityRefs,
          }),
        );
      });
    },
  } as PermissionsService;
}

/** Notifications kept in `sent`; `fail` makes sending throw. */
export function capturedNotifications() {
  const sent: NotificationSendOptions[] = [];
  const state = { fail: false };
  const service: NotificationService = {
    async send(notification) {
      if (state.fail) throw new Error('notifications backend is down');
      sent.push(notification);
    },
  };
  return { service, sent, state };
}

export type AuditEntry = {
  eventId: string;
  meta?: Record<string, unknown>;
  outcome?: 'success' | 'fail';
  error?: string;
};

/** Audit events kept in `events`, with their outcome and final meta. */
export function capturedAuditor() {
  const events: AuditEntry[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const entry: AuditEntry = {
        eventId: options.eventId,
        meta: options.meta as Record<string, unknown>,
      };
      events.push(entry);
      return {
        async success(result) {
          entry.outcome = 'success';
          entry.meta = { ...entry.meta, ...(result?.meta ?? {}) };
        },
        async fail(result) {
          entry.outcome = 'fail';
          entry.error = result.error.message;
          entry.meta = { ...entry.meta, ...(result.meta ?? {}) };
        },
      };
    },
  };
  return { auditor, events };
}

/**
 * A provisioner that records its calls and fails the first `failures`
 * calls, as a warehouse that is down for a while would.
 */
export function flakyProvisioner(failures = 0) {
  const calls: Array<{ action: 'grant' | 'revoke'; grant: AccessGrant }> = [];
  const state = { failures };
  const call = async (action: 'grant' | 'revoke', grant: AccessGrant) => {
    calls.push({ action, grant });
    if (state.failures > 0) {
      state.failures--;
      throw new Error('warehouse unreachable: connection refused');
    }
  };
  const provisioner: AccessProvisioner = {
    name: 'warehouse-roles',
    grant: grant => call('grant', grant),
    revoke: grant => call('revoke', grant),
  };
  return { provisioner, calls, state };
}

/**
 * Maria's request for Orders' table, for Customer 360, until 2027-03-31;
 * `extra` changes any field.
 */
export const accessRequestBody = (
  extra: Partial<AccessRequestBody> = {},
): AccessRequestBody => ({
  entityRef: ORDERS,
  port: 'orders-table',
  consumer: CUSTOMER_360,
  purpose: 'customer lifetime value features',
  endDate: '2027-03-31',
  ...extra,
});
