import {
  LOCATION,
  REF,
  at,
  contract,
  contractStores,
  ok,
} from './__testUtils__/fixtures';

const { databases, createStore } = contractStores();

describe.each(databases.eachSupportedId())(
  'ContractStore on %s',
  databaseId => {
    it('keeps each digest once, moving only its last_seen_at when read again', async () => {
      const { store } = await createStore(databaseId);
      const digestA = 'a'.repeat(64);
      const digestB = 'b'.repeat(64);
      await store.record(
        REF,
        'table',
        LOCATION,
        ok(digestA, contract('1.0.0')),
        at(0),
      );
      await store.record(
        REF,
        'table',
        LOCATION,
        ok(digestA, contract('1.0.0')),
        at(10),
      );
      await store.record(
        REF,
        'table',
        LOCATION,
        ok(digestB, contract('1.1.0', { description: { purpose: 'Orders' } })),
        at(20),
      );

      const versions = await store.getVersions(REF, 'table');
      expect(versions).toEqual([
        {
          digest: digestB,
          contractId: 'orders-contract',
          contractVersion: '1.1.0',
          apiVersion: 'v3.0.2',
          document: contract('1.1.0', { description: { purpose: 'Orders' } }),
          firstSeenAt: at(20),
          lastSeenAt: at(20),
        },
        expect.objectContaining({
          digest: digestA,
          contractVersion: '1.0.0',
          firstSeenAt: at(0),
          lastSeenAt: at(10),
        }),
      ]);
      const states = await store.getStates(REF);
      expect(states.get('table')).toEqual({
        location: LOCATION,
        status: 'ok',
        digest: digestB,
        readAt: at(20),
      });
    });

    it('replaces the current state with a failed read, keeping the versions seen', async () => {
      const { store } = await createStore(databaseId);
      await store.record(
        REF,
        'table',
        LOCATION,
        ok('c'.repeat(64), contract('2.0.0')),
        at(0),
      );
      await store.record(
        REF,
        'table',
        LOCATION,
        {
          status: 'unreadable',
          location: '/repo/contracts/orders.odcs.yaml',
          reason: 'not-found',
          message: 'Contract not found',
        },
        at(5),
      );
      await store.record(
        REF,
        'stream',
        'https://x.example/c.yaml',
        {
          status: 'invalid',
          location: 'https://x.example/c.yaml',
          message: 'Not YAML',
        },
        at(5),
      );

      const states = await store.getStates(REF);
      expect(states.get('table')).toEqual({
        location: LOCATION,
        status: 'unreadable',
        reason: 'not-found',
        message: 'Contract not found',
        readAt: at(5),
      });
      expect(states.get('stream')).toEqual({
        location: 'https://x.example/c.yaml',
        status: 'invalid',
        message: 'Not YAML',
        readAt: at(5),
      });
      expect(
        (await store.getVersions(REF, 'table')).map(v => v.contractVersion),
      ).toEqual(['2.0.0']);
      expect(await store.getVersions(REF, 'stream')).toEqual([]);
      // Another product's ports are its own.
      expect((await store.getStates('dataproduct:default/other')).size).toBe(0);
    });
  },
);
