/**
 * A token bucket per key (a session, or the one anonymous identity): changes may come in short
 * bursts, but a script holding a session cannot hammer the API server through the console. When
 * the bucket is empty the answer is 429 with Retry-After in whole seconds, as HTTP defines.
 * https://www.rfc-editor.org/rfc/rfc6585#section-4 and https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export interface RateLimitOptions {
  /** Tokens a full bucket holds (the largest burst). */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
  now?: () => number;
  /** Keys kept at most; idle full buckets are dropped first. */
  maxKeys?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  take(key: string): RateDecision {
    const at = this.now();
    const bucket = this.refill(key, at);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)) };
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  private refill(key: string, at: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.dropFullBuckets(at);
      bucket = { tokens: this.options.burst, updatedAt: at };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, at - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsedSeconds * this.options.perSecond);
    bucket.updatedAt = at;
    return bucket;
  }

  private dropFullBuckets(at: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((at - bucket.updatedAt) / 1000) * this.options.perSecond >= this.options.burst) this.buckets.delete(key);
    }
    // Still full of active keys: drop the oldest so memory stays bounded.
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
