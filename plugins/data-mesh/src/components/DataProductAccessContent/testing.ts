import type { Entity } from '@backstage/catalog-model';
import type {
  AccessPortsResponse,
  AccessRequest,
} from '@quanta/plugin-data-mesh-common';

/**
 * The access ports of the sample product: a restricted port with personal
 * data, and a public one whose requests are approved at once.
 */
export function sampleAccessPorts(): AccessPortsResponse {
  return {
    entityRef: 'dataproduct:default/orders',
    ports: [
      {
        port: 'orders-table',
        address: 'iceberg://lake/sales/orders',
        classification: 'restricted',
        containsPii: true,
        autoApproved: false,
      },
      {
        port: 'order-events',
        address: 'kafka://events/sales.orders.v1',
        classification: 'public',
        containsPii: false,
        autoApproved: true,
      },
    ],
  };
}

/** A pending request of the ML team's churn model for the orders table. */
export function sampleAccessRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    id: 'req-pending',
    entityRef: 'dataproduct:default/orders',
    port: 'orders-table',
    address: 'iceberg://lake/sales/orders',
    requester: 'user:default/jane.doe',
    consumer: 'component:default/churn-model',
    purpose: 'Train the churn model on a year of orders',
    endDate: '2026-06-30',
    status: 'pending',
    sensitivity: {
      classification: 'restricted',
      containsPii: true,
      autoApproved: false,
    },
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    provisioning: { status: 'none', attempts: 0 },
    ...overrides,
  };
}

/** Grants of the sample product: one in effect, one the provisioner failed. */
export function sampleGrants(): AccessRequest[] {
  return [
    sampleAccessRequest({
      id: 'grant-ok',
      consumer: 'dataproduct:default/customer-360',
      requester: 'user:default/li.wei',
      purpose: 'Order counts per customer',
      endDate: '2026-10-31',
      status: 'approved',
      decidedBy: 'user:default/maria.silva',
      decidedAt: '2026-02-01T10:00:00.000Z',
      provisioning: {
        status: 'granted',
        action: 'grant',
        attempts: 1,
        doneAt: '2026-02-01T10:00:05.000Z',
      },
    }),
    sampleAccessRequest({
      id: 'grant-failed',
      port: 'order-events',
      consumer: 'component:default/fraud-alerts',
      requester: 'user:default/sam.okafor',
      purpose: 'Flag suspicious orders as they happen',
      endDate: '2026-05-31',
      status: 'approved',
      sensitivity: {
        classification: 'public',
        containsPii: false,
        autoApproved: true,
      },
      decidedBy: 'system',
      provisioning: {
        status: 'failed',
        action: 'grant',
        attempts: 3,
        lastError: 'kafka-acls: topic sales.orders.v1 not found',
        nextAttemptAt: '2026-03-02T10:15:00.000Z',
      },
    }),
  ];
}

/** The requests of the sample product that are not grants. */
export function sampleOtherRequests(): AccessRequest[] {
  return [
    sampleAccessRequest({
      id: 'req-denied',
      consumer: 'component:default/marketing-mailer',
      requester: 'user:default/tom.berg',
      purpose: 'Email every customer about the spring sale',
      status: 'denied',
      decidedBy: 'user:default/maria.silva',
      decidedAt: '2026-02-20T08:00:00.000Z',
      reason: 'Use the anonymised customer port for campaigns',
      updatedAt: '2026-02-20T08:00:00.000Z',
    }),
    sampleAccessRequest(),
  ];
}

/** What the signed-in user's teams own, as the catalog answers (and the product itself). */
export const ownedEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'churn-model',
      namespace: 'default',
      title: 'Churn Model',
    },
  },
  {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'customer-360',
      namespace: 'default',
      title: 'Customer 360',
    },
  },
  {
    apiVersion: 'quanta.dev/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'orders', namespace: 'default', title: 'Orders' },
  },
];
