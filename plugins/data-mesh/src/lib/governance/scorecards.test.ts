import { listAllScorecards, scorecardsToCsv } from './scorecards';
import { policyIndex } from './format';
import {
  mockDataMeshApi,
  samplePolicies,
  sampleSummary,
} from '../../testing/governance';

describe('scorecardsToCsv', () => {
  it('writes one row per product with attributes, failing and blocking policies', () => {
    const csv = scorecardsToCsv(
      [
        sampleSummary(),
        sampleSummary({
          entityRef: 'dataproduct:default/customers',
          level: undefined,
          score: 20,
          owner: undefined,
          failing: [],
          nextLevel: undefined,
        }),
      ],
      policyIndex(samplePolicies),
    );
    const [header, orders, customers, extra] = csv.split('\r\n');

    expect(header).toBe(
      'entityRef,domain,owner,level,score,discoverable,addressable,understandable,trustworthy,natively-accessible,interoperable,valuable-on-its-own,secure,ownership,lifecycle,failingPolicies,nextLevel,blockingPolicies,evaluatedAt',
    );
    expect(orders).toBe(
      'dataproduct:default/orders,domain:default/sales,group:default/sales-data,Bronze,62.5,,,,40,,,,,100,,SLOs are declared; Every output port has an address,Silver,Every output port has an address; SLOs are declared,2026-11-20T10:00:00.000Z',
    );
    expect(customers).toBe(
      'dataproduct:default/customers,domain:default/sales,,none,20,,,,40,,,,,100,,,,,2026-11-20T10:00:00.000Z',
    );
    expect(extra).toBeUndefined();
  });

  it('falls back to policy ids and quotes titles with commas', () => {
    const csv = scorecardsToCsv(
      [sampleSummary({ failing: ['custom.rule'], nextLevel: undefined })],
      new Map([
        [
          'custom.rule',
          { ...samplePolicies[0], id: 'custom.rule', title: 'Owner, named' },
        ],
      ]),
    );
    expect(csv.split('\r\n')[1]).toContain(',"Owner, named",');
    expect(scorecardsToCsv([sampleSummary()]).split('\r\n')[1]).toContain(
      'quanta.slos-declared; quanta.output-port-address',
    );
  });
});

describe('listAllScorecards', () => {
  it('reads every page', async () => {
    const listScorecards = jest
      .fn()
      .mockResolvedValueOnce({
        totalItems: 3,
        items: [sampleSummary(), sampleSummary()],
      })
      .mockResolvedValueOnce({ totalItems: 3, items: [sampleSummary()] });

    const items = await listAllScorecards(mockDataMeshApi({ listScorecards }), {
      domain: 'domain:default/sales',
    });

    expect(items).toHaveLength(3);
    expect(listScorecards.mock.calls).toEqual([
      [{ domain: 'domain:default/sales', limit: 500, offset: 0 }],
      [{ domain: 'domain:default/sales', limit: 500, offset: 2 }],
    ]);
  });

  it('stops on an empty page even if the total says otherwise', async () => {
    const listScorecards = jest
      .fn()
      .mockResolvedValue({ totalItems: 10, items: [] });
    await expect(
      listAllScorecards(mockDataMeshApi({ listScorecards }), {}),
    ).resolves.toEqual([]);
    expect(listScorecards).toHaveBeenCalledTimes(1);
  });
});
