import { formatElapsed } from './duration';

describe('formatElapsed', () => {
  it.each([
    [0, '0 minutes'],
    [60_000, '1 minute'],
    [25 * 60_000, '25 minutes'],
    [60 * 60_000, '1 hour'],
    [200 * 60_000, '3 hours 20 minutes'],
    [24 * 60 * 60_000, '1 day'],
    [(2 * 24 + 1) * 60 * 60_000 + 59_000, '2 days 1 hour'],
  ])('%d ms is %s', (ms, words) => {
    expect(formatElapsed(ms)).toBe(words);
  });
});
