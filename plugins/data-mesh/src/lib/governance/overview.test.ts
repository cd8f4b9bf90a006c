import { latestRollups } from './overview';
import { sampleDomainRollup } from '../../testing/governance';

describe('latestRollups', () => {
  it('keeps the roll-ups of the latest day', () => {
    expect(
      latestRollups([
        sampleDomainRollup({ day: '2026-11-19' }),
        sampleDomainRollup({ day: '2026-11-20', key: 'domain:default/a' }),
      ]).map(r => r.key),
    ).toEqual(['domain:default/a']);
    expect(latestRollups([])).toEqual([]);
  });
});
