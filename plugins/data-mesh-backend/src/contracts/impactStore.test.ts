import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { ContractChange } from '@quanta/plugin-data-mesh-common';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
import type { LineageService } from '../lineage/LineageService';
import type { ContractDocument } from './ContractReader';
import { ContractStore } from './ContractStore';
import { ContractImpact, affectedBy, readProposal } from './impact';
import { BreakingChangeNotifier } from './notifications';

const { databases, createStore } = storeTestDatabases(
  async ({ database }) => new ContractStore(await openDatabase({ database })),
);

const REF = 'dataproduct:default/orders';
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute, 0));

const contract = (
  version: string,
  fields: string[],
  extra: object = {},
): ContractDocument => ({
  apiVersion: 'v3.0.2',
  kind: 'DataContract',
  id: 'orders-contract',
  version,
  schema: [
    {
      name: 'orders',
      properties: fields.map(name => ({ name, logicalType: 'string' })),
    },
  ],
  ...extra,
});

const ok = (digest: string, document: ContractDocument) =>
  ({
    status: 'ok',
    location: '/repo/contracts/orders.odcs.yaml',
    digest,
    document,
  } as const);

/**
 * A lineage service whose graph has `orders` read by `reporting` (declared)
 * and by `churn` (observed only).
 */
const lineage = {
  query: async (ref: string) =>
    ref === REF
      ? {
          entityRef: REF,
          nodes: [
            { entityRef: REF, nodeType: 'data-product', depth: 0 },
            {
              entityRef: 'dataproduct:default/reporting',
              nodeType: 'data-product',
              owner: 'group:default/bi',
              depth: 1,
            },
            {
              entityRef: 'dataproduct:default/churn',
              nodeType: 'data-product',
              owner: 'group:default/data-science',
              depth: 1,
            },
          ],
          edges: [
            {
              from: REF,
              to: 'dataproduct:default/reporting',
              ports: [{ outputPort: 'table', inputPort: 'orders' }],
              declared: true,
            },
            {
              from: REF,
              to: 'dataproduct:default/churn',
              ports: [],
              declared: false,
              observed: { outputPorts: ['table'] },
            },
          ],
        }
      : undefined,
} as unknown as LineageService;

const removed = (field: string): ContractChange => ({
  rule: 'field-removed',
  level: 'breaking',
  path: `schema.orders.properties.${field}`,
  object: 'orders',
  field,
  message: `Removed field ${field} from orders`,
});

describe('affectedBy', () => {
  it('keeps the breaking changes on the fields a consumer reads, and those on no field', () => {
    const objectRemoved: ContractChange = {
      rule: 'object-removed',
      level: 'breaking',
      path: 'schema.refunds',
      object: 'refunds',
      message: 'Removed refunds',
    };
    const changes = [removed('coupon'), removed('address.city'), objectRemoved];
    expect(affectedBy(changes, ['order_id'])).toEqual(['Removed refunds']);
    expect(affectedBy(changes, ['ADDRESS', 'coupon'])).toEqual([
      'Removed field coupon from orders',
      'Removed field address.city from orders',
      'Removed refunds',
    ]);
    // Unknown fields: every breaking change may touch it.
    expect(affectedBy(changes, undefined)).toHaveLength(3);
  });
});

describe('readProposal', () => {
  it('parses YAML text and names the structural problem', () => {
    expect(readProposal('kind: DataContract\n').problems).toEqual([
      'contract.apiVersion: found null, expected an ODCS v3 version such as v3.0.2 or v3.1.0',
    ]);
    expect(readProposal({ ...contract('1.0.0', ['a']) }).problems).toEqual([]);
  });
});

describe.each(databases.eachSupportedId())(
  'contract impact and notifications on %s',
  databaseId => {
    it('narrows what affects a consumer to the columns column lineage says it reads', async () => {
      const { store } = await createStore(databaseId);
      await store.record(
        REF,
        'table',
        'loc',
        ok('a'.repeat(64), contract('1.0.0', ['order_id', 'coupon', 'total'])),
        at(0),
      );
      const impact = new ContractImpact({
        store,
        lineage,
        catalog: {
          getEntitiesByRefs: async ({
            entityRefs,
          }: {
            entityRefs: string[];
          }) => ({
            items: entityRefs.map(ref => ({
              apiVersion: 'v1',
              kind: ref.split(':')[0],
              metadata: { name: ref.split('/')[1] },
            })),
          }),
        } as any,
        // Column lineage: churn reads order_id and total, not coupon.
        fields: async () =>
          new Map([['dataproduct:default/churn', ['total', 'order_id']]]),
      });
      const entity = {
        apiVersion: 'quanta.dev/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'orders', namespace: 'default' },
        spec: { outputPorts: [{ name: 'table' }] },
      };
      const result = await impact.assess(
        entity,
        'table',
        contract('2.0.0', ['order_id', 'total']),
        mockCredentials.user(),
      );
      expect(result.changes.map(c => c.message)).toEqual([
        'Removed field coupon from orders',
      ]);
      expect(result.consumers).toEqual([
        {
          entityRef: 'dataproduct:default/churn',
          owner: { ref: 'group:default/data-science' },
          via: ['observed'],
          fields: ['order_id', 'total'],
          affectedBy: [],
        },
        {
          entityRef: 'dataproduct:default/reporting',
          owner: { ref: 'group:default/bi' },
          via: ['declared'],
          affectedBy: ['Removed field coupon from orders'],
        },
      ]);
      expect(result.summary).toMatchObject({
        consumers: 2,
        affectedConsumers: 1,
      });
    });

    it('marks each version notified once, and unmarks it when sending fails', async () => {
      const { store } = await createStore(databaseId);
      const digest = 'b'.repeat(64);
      await store.record(
        REF,
        'table',
        'loc',
        ok(digest, contract('1.0.0', ['order_id'])),
        at(0),
      );
      expect(await store.claimNotification(REF, 'table', digest, at(1))).toBe(
        true,
      );
      // Another instance, or a later refresh, finds it taken.
      expect(await store.claimNotification(REF, 'table', digest, at(2))).toBe(
        false,
      );
      await store.releaseNotification(REF, 'table', digest);
      expect(await store.claimNotification(REF, 'table', digest, at(3))).toBe(
        true,
      );
      expect(
        await store.claimNotification(REF, 'table', 'c'.repeat(64), at(3)),
      ).toBe(false);
    });

    it('tells the owners of the consumers reading a removed column, once', async () => {
      const { store } = await createStore(databaseId);
      const sent: any[] = [];
      const notifier = new BreakingChangeNotifier({
        store,
        impact: new ContractImpact({
          store,
          lineage,
          catalog: {} as any,
          fields: async () =>
            new Map([['dataproduct:default/churn', ['order_id']]]),
        }),
        notifications: { send: async n => void sent.push(n) },
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
        now: () => at(30),
      });
      await store.record(
        REF,
        'table',
        'loc',
        ok('a'.repeat(64), contract('1.0.0', ['order_id', 'coupon'])),
        at(0),
      );
      expect(await notifier.versionRead(REF, 'table', 'a'.repeat(64))).toEqual(
        [],
      );
      await store.record(
        REF,
        'table',
        'loc',
        ok('d'.repeat(64), contract('2.0.0', ['order_id'])),
        at(10),
      );
      // churn reads only order_id: reporting's owner alone is told.
      expect(await notifier.versionRead(REF, 'table', 'd'.repeat(64))).toEqual([
        'group:default/bi',
      ]);
      expect(await notifier.versionRead(REF, 'table', 'd'.repeat(64))).toEqual(
        [],
      );
      expect(sent).toHaveLength(1);
      expect(sent[0].recipients.entityRef).toEqual(['group:default/bi']);
    });

    it('migrates versions seen before notifications as already told', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@quanta/plugin-data-mesh-backend',
        'migrations',
      );
      // The database as it was before this migration, with a version in it.
      await knex.migrate.latest({ directory });
      await knex.migrate.down({
        directory,
        name: '20261204120000_contract_notifications.js',
      });
      await knex('dm_contract_versions').insert({
        entity_ref: REF,
        port: 'table',
        digest: 'e'.repeat(64),
        contract_id: 'orders-contract',
        contract_version: '1.0.0',
        api_version: 'v3.0.2',
        document: '{}',
        first_seen_at: at(0).getTime(),
        last_seen_at: at(5).getTime(),
      });
      await knex.migrate.up({
        directory,
        name: '20261204120000_contract_notifications.js',
      });
      const store = new ContractStore(knex);
      expect(
        await store.claimNotification(REF, 'table', 'e'.repeat(64), at(9)),
      ).toBe(false);
    });
  },
);
