import type { StoredScorecard } from './GovernanceStore';
import {
  card,
  completedRun,
  day1,
  day2,
  governanceTestDatabases,
} from './__testUtils__/stores';

jest.setTimeout(60_000);

const { databases, createStores } = governanceTestDatabases();

describe.each(databases.eachSupportedId())(
  'GovernanceHistory on %s',
  databaseId => {
    it('rolls scores up per domain, owner group and the whole mesh', async () => {
      const { store, history } = await createStores(databaseId);
      await completedRun(store, day1, [
        card('orders', [{ policyId: 'p', status: 'pass' }]),
        card('leads', [{ policyId: 'p', status: 'fail', message: 'x' }], {
          domain: 'domain:default/marketing',
          owner: 'group:default/marketing-analytics',
        }),
        card('returns', [{ policyId: 'p', status: 'fail', message: 'x' }]),
      ]);
      expect(
        await history.getRollups('mesh', { fromDay: '2026-06-01' }),
      ).toEqual([
        {
          day: '2026-06-01',
          kind: 'mesh',
          key: 'mesh',
          products: 3,
          score: 33.3,
          levels: { Gold: 1, none: 2 },
          attributes: { trustworthy: 66.7 },
        },
      ]);
      expect(
        (await history.getRollups('domain', { fromDay: '2026-06-01' })).map(
          r => [r.key, r.products, r.score],
        ),
      ).toEqual([
        ['domain:default/marketing', 1, 0],
        ['domain:default/sales', 2, 50],
      ]);
      expect(
        await history.getRollups('owner', {
          fromDay: '2026-06-01',
          key: 'group:default/marketing-analytics',
        }),
      ).toHaveLength(1);
    });

    it('deletes history older than the retention period', async () => {
      const { store, history } = await createStores(databaseId);
      for (const now of [day1, day2]) {
        await completedRun(store, now, [
          card('orders', [
            {
              policyId: 'p',
              status: now === day1 ? 'fail' : 'pass',
              message: now === day1 ? 'x' : undefined,
            },
          ]),
        ]);
      }
      await history.enforceRetention(new Date('2026-06-03T12:00:00Z'), 1);
      expect(
        await history.getHistory('dataproduct:default/orders', '2000-01-01'),
      ).toEqual([{ day: '2026-06-02', level: 'Gold', score: 100 }]);
      expect(
        (await history.getRollups('mesh', { fromDay: '2000-01-01' })).map(
          r => r.day,
        ),
      ).toEqual(['2026-06-02']);
      expect(
        (await history.getAdoption('2000-01-01')).policies[0].days.map(
          d => d.day,
        ),
      ).toEqual(['2026-06-02']);
      expect((await store.listRuns(10)).map(r => r.startedAt)).toEqual([
        day2.toISOString(),
      ]);
    });

    it('charts adoption: products, template share, levels and pass rate per policy per day', async () => {
      const { store, history } = await createStores(databaseId);
      const write = (now: Date, scorecards: StoredScorecard[]) =>
        completedRun(store, now, scorecards);
      await write(day1, [
        card('orders', [
          { policyId: 'p.slos', status: 'fail', message: 'No SLOs' },
          { policyId: 'p.pii', status: 'not-applicable' },
        ]),
      ]);
      await write(day2, [
        card(
          'orders',
          [
            { policyId: 'p.slos', status: 'pass' },
            { policyId: 'p.pii', status: 'not-applicable' },
          ],
          { level: 'Gold', score: 100 },
        ),
        card(
          'leads',
          [
            { policyId: 'p.slos', status: 'fail', message: 'No SLOs' },
            { policyId: 'p.pii', status: 'waived', message: 'Waived' },
          ],
          { fromTemplate: true, domain: 'domain:default/marketing' },
        ),
        card(
          'returns',
          [
            { policyId: 'p.slos', status: 'error', message: 'Boom' },
            { policyId: 'p.pii', status: 'fail', message: 'No retention' },
          ],
          { fromTemplate: true },
        ),
      ]);

      const adoption = await history.getAdoption('2026-06-01');
      expect(adoption.days).toEqual([
        {
          day: '2026-06-01',
          products: 1,
          fromTemplate: 0,
          score: 0,
          levels: { none: 1 },
        },
        {
          day: '2026-06-02',
          products: 3,
          fromTemplate: 2,
          score: 33.3,
          levels: { Gold: 1, none: 2 },
        },
      ]);
      expect(adoption.policies).toEqual([
        {
          policyId: 'p.pii',
          days: [
            { day: '2026-06-01', pass: 0, fail: 0, waived: 0, passRate: 100 },
            { day: '2026-06-02', pass: 0, fail: 1, waived: 1, passRate: 50 },
          ],
        },
        {
          policyId: 'p.slos',
          days: [
            { day: '2026-06-01', pass: 0, fail: 1, waived: 0, passRate: 0 },
            { day: '2026-06-02', pass: 1, fail: 2, waived: 0, passRate: 33.3 },
          ],
        },
      ]);
      expect(adoption.topFailing).toEqual([
        { policyId: 'p.slos', failing: 2, applicable: 3 },
        { policyId: 'p.pii', failing: 1, applicable: 2 },
      ]);
      expect(adoption.domains.map(d => [d.key, d.products])).toEqual([
        ['domain:default/marketing', 1],
        ['domain:default/sales', 2],
      ]);
      // Only the days asked for.
      expect(
        (await history.getAdoption('2026-06-02')).days.map(d => d.day),
      ).toEqual(['2026-06-02']);
    });
  },
);
