import { storeTestDatabases } from '../../shared/__testUtils__/testDatabases';
import { openDatabase } from '../../shared/database';
import type { ContractDocument, ContractReadResult } from '../ContractReader';
import { ContractStore } from '../ContractStore';

/** A contract store on each test database. */
export const contractStores = () =>
  storeTestDatabases(
    async ({ database }) => new ContractStore(await openDatabase({ database })),
  );

export const REF = 'dataproduct:default/orders';
export const LOCATION = '../contracts/orders.odcs.yaml';

/**
 * The orders contract at a version: a table with a required key, a nested
 * object and, unless `withCoupon` is false, an optional coupon column; an
 * SLA of one day's latency and three years' retention. `extra` adds or
 * replaces top-level fields.
 */
export const contract = (
  version: string,
  {
    withCoupon = true,
    ...extra
  }: { withCoupon?: boolean } & Record<string, unknown> = {},
): ContractDocument => ({
  apiVersion: 'v3.0.2',
  kind: 'DataContract',
  id: 'orders-contract',
  version,
  schema: [
    {
      name: 'orders',
      physicalName: 'SALES.ORDERS',
      properties: [
        {
          name: 'order_id',
          logicalType: 'string',
          physicalType: 'VARCHAR(36)',
          required: true,
        },
        {
          name: 'customer',
          logicalType: 'object',
          properties: [{ name: 'id', logicalType: 'string' }],
        },
        ...(withCoupon ? [{ name: 'coupon', logicalType: 'string' }] : []),
      ],
    },
  ],
  slaProperties: [
    { property: 'latency', value: 1, unit: 'd' },
    { property: 'retention', value: 3, unit: 'y', element: 'orders' },
  ],
  ...extra,
});

/** A successful read of `document` with the given digest. */
export const ok = (
  digest: string,
  document: ContractDocument,
): ContractReadResult => ({
  status: 'ok',
  location: '/repo/contracts/orders.odcs.yaml',
  digest,
  document,
});

/** A fixed time on 2026-12-01, `minute` minutes past ten (UTC). */
export const at = (minute: number) =>
  new Date(Date.UTC(2026, 11, 1, 10, minute, 0));
