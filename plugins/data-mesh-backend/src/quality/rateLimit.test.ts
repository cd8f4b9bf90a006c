import { TokenBuckets } from './rateLimit';

describe('TokenBuckets', () => {
  it('lets a burst through, then the average rate, per caller', () => {
    const buckets = new TokenBuckets({ requests: 3, perSeconds: 60 });
    const t0 = 1_000_000;
    expect(buckets.take('a', t0)).toEqual({ allowed: true });
    expect(buckets.take('a', t0)).toEqual({ allowed: true });
    expect(buckets.take('a', t0)).toEqual({ allowed: true });
    // One token comes back every 20 seconds.
    expect(buckets.take('a', t0)).toEqual({
      allowed: false,
      retryAfterSeconds: 20,
    });
    expect(buckets.take('a', t0 + 5_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 15,
    });
    expect(buckets.take('b', t0)).toEqual({ allowed: true });
    expect(buckets.take('a', t0 + 20_000)).toEqual({ allowed: true });
    expect(buckets.take('a', t0 + 20_000).allowed).toBe(false);
  });

  it('forgets callers beyond its size, full buckets first', () => {
    const buckets = new TokenBuckets({
      requests: 1,
      perSeconds: 3600,
      maxKeys: 2,
    });
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('c', 0);
    // `a` was forgotten, so it starts with a full bucket again.
    expect(buckets.take('a', 1).allowed).toBe(true);
    expect(buckets.take('c', 1).allowed).toBe(false);
  });

  it('refuses a limit that lets nothing through', () => {
    expect(() => new TokenBuckets({ requests: 0, perSeconds: 60 })).toThrow(
      'dataMesh.quality.rateLimit',
    );
  });
});
