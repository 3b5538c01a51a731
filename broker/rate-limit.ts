// A token bucket per key: `burst` tokens at once, refilled at `perSecond`. The embedded broker
// keeps two per meter, for messages and for bytes: a device sending weeks of backlog fits in a
// burst; a flood meant to fill the disk does not.
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export class TokenBuckets {
  readonly #limit: RateLimit;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(limit: RateLimit, clock: () => number = Date.now) {
    this.#limit = limit;
    this.#clock = clock;
  }

  /** Takes `cost` tokens for `key`; false (taking none) when its bucket holds fewer. */
  take(key: string, cost = 1): boolean {
    const now = this.#clock();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.burst, at: now };
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#limit.perSecond);
    bucket.at = now;
    // A full bucket is the default: forget it, so the map holds only meters that publish a lot.
    if (bucket.tokens >= this.#limit.burst) this.#buckets.delete(key);
    else this.#buckets.set(key, bucket);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    this.#buckets.set(key, bucket);
    return true;
  }
}
