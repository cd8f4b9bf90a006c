import { day1, day2, governanceTestDatabases } from './__testUtils__/stores';

jest.setTimeout(60_000);

const { databases, createStores } = governanceTestDatabases();

/** An API waiver of orders' SLO policy, until July. */
const ordersWaiver = (reason: string) => ({
  entityRef: 'dataproduct:default/orders',
  policyId: 'p.slos',
  reason,
  expiresAt: '2026-07-01T00:00:00.000Z',
  grantedBy: 'user:default/maria.silva',
});

describe.each(databases.eachSupportedId())('WaiverStore on %s', databaseId => {
  it('keeps API waivers until they expire or are revoked', async () => {
    const { waivers } = await createStores(databaseId);
    const waiver = await waivers.addWaiver(
      ordersWaiver('Pipeline rebuild until July'),
      day1,
    );
    expect(waiver).toEqual({
      id: waiver.id,
      entityRef: 'dataproduct:default/orders',
      policyId: 'p.slos',
      reason: 'Pipeline rebuild until July',
      expiresAt: '2026-07-01T00:00:00.000Z',
      grantedBy: 'user:default/maria.silva',
      grantedAt: day1.toISOString(),
      source: 'api',
    });
    expect(await waivers.listActiveWaivers(day2)).toHaveLength(1);
    expect(
      await waivers.listActiveWaivers(new Date('2026-07-02T00:00:00Z')),
    ).toEqual([]);
    const revoked = await waivers.revokeWaiver(
      waiver.id,
      'user:default/ravi.patel',
      day2,
    );
    expect(revoked).toMatchObject({
      revokedBy: 'user:default/ravi.patel',
      revokedAt: day2.toISOString(),
    });
    expect(await waivers.listActiveWaivers(day2)).toEqual([]);
  });

  it('mirrors descriptor waivers: grant, change, removal and expiry are reported once', async () => {
    const { waivers } = await createStores(databaseId);
    const declared = (reason: string, expiresAt: string) => ({
      entityRef: 'dataproduct:default/orders',
      policyId: 'p.slos',
      reason,
      expiresAt,
      grantedBy: 'user:default/maria.silva',
      source: 'catalog' as const,
    });
    const first = await waivers.syncDeclaredWaivers(
      [
        declared('Migration to the new warehouse', '2026-06-30'),
        // Ran out before the backend ever saw it: never applied here.
        {
          ...declared('Old exemption', '2026-01-31'),
          policyId: 'p.owner',
        },
      ],
      day1,
    );
    expect(first.granted).toEqual([
      expect.objectContaining({
        policyId: 'p.slos',
        source: 'catalog',
        expiresAt: '2026-06-30T23:59:59.999Z',
        grantedBy: 'user:default/maria.silva',
      }),
    ]);
    expect(first.changed).toEqual([]);
    // The same declaration again changes nothing.
    expect(
      await waivers.syncDeclaredWaivers(
        [declared('Migration to the new warehouse', '2026-06-30')],
        day1,
      ),
    ).toEqual({ granted: [], changed: [], revoked: [] });

    const extended = await waivers.syncDeclaredWaivers(
      [declared('Migration to the new warehouse', '2026-07-31')],
      day2,
    );
    expect(extended.changed).toEqual([
      expect.objectContaining({ expiresAt: '2026-07-31T23:59:59.999Z' }),
    ]);
    expect(
      (await waivers.listActiveWaivers(day2)).map(w => [w.source, w.policyId]),
    ).toEqual([['catalog', 'p.slos']]);
    // Descriptor waivers are revoked by pull request, not through the API.
    await waivers.revokeWaiver(extended.changed[0].id, 'user:default/x', day2);
    expect(await waivers.listActiveWaivers(day2)).toHaveLength(1);

    const api = await waivers.addWaiver(
      {
        entityRef: 'dataproduct:default/leads',
        policyId: 'p.slos',
        reason: 'Source system replaced in June',
        expiresAt: '2026-06-15T00:00:00.000Z',
        grantedBy: 'user:default/ravi.patel',
      },
      day1,
    );
    expect(await waivers.expireWaivers(day2)).toEqual([]);
    const expiry = new Date('2026-06-20T00:00:00Z');
    expect(await waivers.expireWaivers(expiry)).toEqual([
      expect.objectContaining({
        id: api.id,
        expiredAt: expiry.toISOString(),
      }),
    ]);
    // Reported once.
    expect(
      await waivers.expireWaivers(new Date('2026-06-21T00:00:00Z')),
    ).toEqual([]);

    // Removing the declaration revokes the mirror.
    const removed = await waivers.syncDeclaredWaivers([], expiry);
    expect(removed.revoked).toEqual([
      expect.objectContaining({
        policyId: 'p.slos',
        revokedBy: 'catalog',
        revokedAt: expiry.toISOString(),
      }),
    ]);
    expect(await waivers.listActiveWaivers(expiry)).toEqual([]);
  });

  it('stores reasons without NUL characters, which PostgreSQL cannot hold', async () => {
    const { waivers } = await createStores(databaseId);
    const waiver = await waivers.addWaiver(
      ordersWaiver('Pipeline\u0000 rebuild'),
      day1,
    );
    expect(waiver.reason).toBe('Pipeline rebuild');
    const sync = await waivers.syncDeclaredWaivers(
      [
        {
          entityRef: 'dataproduct:default/leads',
          policyId: 'p.slos',
          reason: 'Declared\u0000 in the descriptor',
          expiresAt: '2026-07-01',
          grantedBy: 'user:default/maria.silva',
          source: 'catalog',
        },
      ],
      day1,
    );
    expect(sync.granted.map(w => w.reason)).toEqual([
      'Declared in the descriptor',
    ]);
  });
});
