/**
 * A token bucket per caller: `requests` tokens, refilled evenly over
 * `perSeconds`, one taken per request. Bursts up to `requests` pass; beyond
 * that a caller gets the average rate. Kept in memory, so each backend
 * instance limits on its own.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly options: {
      requests: number;
      perSeconds: number;
      /** Callers remembered at most; full buckets are forgotten first. */
      maxKeys?: number;
    },
  ) {
    if (!(options.requests >= 1) || !(options.perSeconds > 0)) {
      throw new Error(
        'dataMesh.quality.rateLimit: requests must be at least 1 and perSeconds more than 0',
      );
    }
    this.perMs = options.requests / (options.perSeconds * 1000);
  }

  /** Takes a token for `key`; when none is left, says how many seconds until one is. */
  take(
    key: string,
    now: number,
  ): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const capacity = this.options.requests;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const tokens = Math.min(
      capacity,
      bucket.tokens + Math.max(0, now - bucket.at) * this.perMs,
    );
    if (tokens >= 1) {
      this.remember(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.remember(key, { tokens, at: now });
    return {
      allowed: false,
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((1 - tokens) / this.perMs / 1000),
      ),
    };
  }

  private remember(key: string, bucket: { tokens: number; at: number }) {
    // Re-inserted, so the map's order is least recently seen first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size <= (this.options.maxKeys ?? 10_000)) return;
    // Buckets that refilled completely hold nothing worth remembering.
    const now = bucket.at;
    for (const [other, value] of this.buckets) {
      const refilled =
        value.tokens + (now - value.at) * this.perMs >= this.options.requests;
      if (refilled) this.buckets.delete(other);
    }
    // Still too many: forget the least recently seen.
    while (this.buckets.size > (this.options.maxKeys ?? 10_000)) {
      const oldest = this.buckets.keys().next().value as string;
      this.buckets.delete(oldest);
    }
  }
}
