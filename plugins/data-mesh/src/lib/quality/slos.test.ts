import { describeSlos } from './slos';

describe('describeSlos', () => {
  it('only lists declared SLOs and keeps malformed durations visible', () => {
    expect(
      describeSlos({ freshness: '1 hour', availability: 100 }).map(slo => [
        slo.label,
        slo.value,
      ]),
    ).toEqual([
      ['Freshness', '1 hour (not an ISO-8601 duration)'],
      ['Availability', '100%'],
    ]);
  });
});
