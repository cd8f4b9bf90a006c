import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { storeTestDatabases } from '../shared/__testUtils__/testDatabases';
import { openDatabase } from '../shared/database';
import {
  CATALOG_CONFLICTS_TOPIC,
  DescriptorConflicts,
  declares,
} from './DescriptorConflicts';

const { databases, createStore } = storeTestDatabases(async ({ database }) =>
  openDatabase({ database }),
);

const product = (name: string, extra = '') => `apiVersion: quanta.dev/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
${extra}spec: { owner: group:default/sales-data }
`;

/** The event the catalog publishes when it meets a second declaration. */
const conflictEvent = (
  name: string,
  ignored: string,
  served: string,
  kind = 'DataProduct',
) => ({
  topic: CATALOG_CONFLICTS_TOPIC,
  eventPayload: {
    unprocessedEntity: {
      apiVersion: 'quanta.dev/v1alpha1',
      kind,
      metadata: { name },
      spec: { owner: 'group:default/sales-data' },
    },
    entityRef: `${kind.toLowerCase()}:default/${name}`,
    newLocationKey: ignored,
    existingLocationKey: served,
    lastConflictAt: '2026-12-01T10:00:00.000Z',
  },
});

/**
 * A catalog serving products from locations; `hiddenFrom` users cannot see
 * them. Counts what it was asked.
 */
function fakeCatalog(
  served: Record<string, string>,
  hiddenFrom: string[] = [],
) {
  const calls: string[] = [];
  const catalog = {
    async getEntitiesByRefs(
      request: { entityRefs: string[] },
      options: { credentials: BackstageCredentials },
    ) {
      const principal = options.credentials.principal as any;
      calls.push(principal.type);
      return {
        items: request.entityRefs.map(ref => {
          const location = served[ref];
          if (!location) return undefined;
          if (
            principal.type === 'user' &&
            hiddenFrom.includes(principal.userEntityRef)
          ) {
            return undefined;
          }
          return {
            apiVersion: 'quanta.dev/v1alpha1',
            kind: 'DataProduct',
            metadata: {
              name: ref.split('/')[1],
              annotations: { 'backstage.io/managed-by-location': location },
            },
          } as Entity;
        }),
      };
    },
  };
  return { catalog: catalog as unknown as CatalogService, calls };
}

describe('declares', () => {
  it('finds the product among the documents of a file, in any case, and nowhere else', () => {
    const file = `${product('other')}---\n${product('Orders')}`;
    const orders = {
      kind: 'DataProduct',
      namespace: 'default',
      name: 'orders',
    };
    expect(declares(file, orders)).toBe(true);
    expect(declares(product('orders-v2'), orders)).toBe(false);
    expect(declares(product('orders', '  namespace: sales\n'), orders)).toBe(
      false,
    );
    expect(declares('kind: [broken', orders)).toBe(false);
  });
});

describe.each(databases.eachSupportedId())(
  'DescriptorConflicts on %s',
  databaseId => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanta-conflicts-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const user = mockCredentials.user('user:default/maria.silva');

    async function setup(options: {
      served: Record<string, string>;
      hiddenFrom?: string[];
      urls?: Record<string, string>;
    }) {
      const { knex } = await createStore(databaseId);
      const { catalog, calls } = fakeCatalog(
        options.served,
        options.hiddenFrom,
      );
      let now = new Date('2026-12-01T10:00:00Z');
      const read: string[] = [];
      const urlReader = {
        async readUrl(url: string) {
          read.push(url);
          const text = options.urls?.[url];
          if (text === undefined) throw new NotFoundError(`${url} not found`);
          return { buffer: async () => Buffer.from(text) };
        },
      };
      const conflicts = new DescriptorConflicts({
        knex,
        catalog,
        auth: mockServices.auth(),
        urlReader: urlReader as any,
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      return {
        conflicts,
        knex,
        calls,
        read,
        advance: (ms: number) => {
          now = new Date(now.getTime() + ms);
        },
      };
    }

    it('keeps a second declaration of a served product, with both files, while it holds', async () => {
      const ignored = path.join(dir, 'copy.yaml');
      fs.writeFileSync(ignored, product('orders'));
      const { conflicts } = await setup({
        served: { 'dataproduct:default/orders': 'url:https://git/x/a.yaml' },
      });
      await conflicts.record(
        conflictEvent('orders', `file:${ignored}`, 'url:https://git/x/a.yaml'),
      );
      // Reported twice: one entry.
      await conflicts.record(
        conflictEvent('orders', `file:${ignored}`, 'url:https://git/x/a.yaml'),
      );
      // Other kinds are the catalog's business.
      await conflicts.record(
        conflictEvent('api', 'file:/b.yaml', 'file:/a.yaml', 'Component'),
      );

      expect(await conflicts.list(user)).toEqual([
        {
          name: 'orders',
          namespace: 'default',
          kind: 'DataProduct',
          owner: 'group:default/sales-data',
          location: `file:${ignored}`,
          state: 'conflict',
          entityRef: 'dataproduct:default/orders',
          servedLocation: 'url:https://git/x/a.yaml',
          lastTriedAt: '2026-12-01T10:00:00.000Z',
          errors: [
            {
              name: 'ConflictError',
              message: expect.stringMatching(
                /^Declares dataproduct:default\/orders, which the catalog already serves from url:https:\/\/git\/x\/a\.yaml; the catalog ignores this file\. Remove the product from one of the two files/,
              ),
            },
          ],
        },
      ]);
      expect(
        await conflicts.list(user, { entityRef: 'dataproduct:default/other' }),
      ).toEqual([]);
      expect(
        await conflicts.list(user, { entityRef: 'DataProduct:default/Orders' }),
      ).toHaveLength(1);
    });

    it('drops a conflict once the ignored file is gone or no longer declares the product', async () => {
      const local = path.join(dir, 'copy.yaml');
      const remote = 'https://git/y/copy.yaml';
      const urls = { [remote]: product('customers') };
      const { conflicts, knex, read, advance } = await setup({
        served: {
          'dataproduct:default/orders': 'file:/repo/a.yaml',
          'dataproduct:default/customers': 'file:/repo/c.yaml',
        },
        urls,
      });
      fs.writeFileSync(local, product('orders'));
      await conflicts.record(
        conflictEvent('orders', `file:${local}`, 'file:/repo/a.yaml'),
      );
      await conflicts.record(
        conflictEvent('customers', `url:${remote}`, 'file:/repo/c.yaml'),
      );
      expect((await conflicts.list(user)).map(c => c.name).sort()).toEqual([
        'customers',
        'orders',
      ]);

      // A local file is read each time: its removal shows at once.
      fs.rmSync(local);
      urls[remote] = product('customers-v2');
      expect((await conflicts.list(user)).map(c => c.name)).toEqual([
        'customers',
      ]);
      // A remote one is trusted for 10 minutes, then read again.
      expect(read).toEqual([remote]);
      advance(11 * 60_000);
      expect(await conflicts.list(user)).toEqual([]);
      expect(read).toEqual([remote, remote]);
      expect(
        Number((await knex('dm_descriptor_conflicts').count('* as n'))[0].n),
      ).toBe(0);
    });

    it('drops a conflict when the catalog serves the other file or no longer serves the product', async () => {
      const { conflicts } = await setup({
        served: { 'dataproduct:default/orders': 'file:/repo/b.yaml' },
      });
      await conflicts.record(
        conflictEvent('orders', 'file:/repo/b.yaml', 'file:/repo/a.yaml'),
      );
      await conflicts.record(
        conflictEvent('customers', 'file:/repo/d.yaml', 'file:/repo/c.yaml'),
      );
      expect(await conflicts.list(user)).toEqual([]);
    });

    it('shows a conflict only to those who may read the product, and keeps it for the others', async () => {
      const ignored = path.join(dir, 'copy.yaml');
      fs.writeFileSync(ignored, product('orders'));
      const { conflicts, calls } = await setup({
        served: { 'dataproduct:default/orders': 'file:/repo/a.yaml' },
        hiddenFrom: ['user:default/guest'],
      });
      await conflicts.record(
        conflictEvent('orders', `file:${ignored}`, 'file:/repo/a.yaml'),
      );
      expect(
        await conflicts.list(mockCredentials.user('user:default/guest')),
      ).toEqual([]);
      expect(await conflicts.list(user)).toHaveLength(1);
      // Checked as the plugin, shown as the user.
      expect(calls).toEqual(['service', 'user', 'service', 'user']);
    });

    it('keeps a conflict whose file cannot be read for now', async () => {
      const { conflicts } = await setup({
        served: { 'dataproduct:default/orders': 'file:/repo/a.yaml' },
      });
      // A location type this backend cannot read, and one failing for now.
      await conflicts.record(
        conflictEvent('orders', 'gitlab-discovery:x', 'file:/repo/a.yaml'),
      );
      expect(await conflicts.list(user)).toHaveLength(1);
    });
  },
);
