// Failures per key over a sliding window, in memory (one process): how sign-up stops an address
// from guessing invitation codes without slowing the sign-ups that succeed.

export interface FailureRule {
  /** This many failures within the window … */
  max: number;
  /** … of this many milliseconds stop the key until the oldest leaves the window. */
  windowMs: number;
}

/** Keys beyond which expired ones are swept out (each holds at most `max` times). */
const SWEEP_ABOVE_KEYS = 10_000;

export class RecentFailures {
  readonly #times = new Map<string, number[]>();
  readonly #rule: FailureRule;
  readonly #now: () => number;

  constructor(rule: FailureRule, now: () => number) {
    this.#rule = rule;
    this.#now = now;
  }

  /** Milliseconds until `key` may try again: 0 unless it failed `max` times within the window. */
  waitMs(key: string): number {
    const times = this.#recent(key);
    const oldest = times[0];
    return times.length >= this.#rule.max && oldest !== undefined ? oldest + this.#rule.windowMs - this.#now() : 0;
  }

  record(key: string): void {
    const times = this.#recent(key);
    times.push(this.#now());
    // Only the latest `max` decide when the key may try again.
    if (times.length > this.#rule.max) times.shift();
    this.#times.set(key, times);
    if (this.#times.size > SWEEP_ABOVE_KEYS) for (const other of [...this.#times.keys()]) this.#recent(other);
  }

  /** How many keys are held (each with a failure within the window, or not swept yet). */
  get size(): number {
    return this.#times.size;
  }

  /** The key's failures still within the window (a key with none is forgotten). */
  #recent(key: string): number[] {
    const since = this.#now() - this.#rule.windowMs;
    const times = (this.#times.get(key) ?? []).filter((at) => at > since);
    if (times.length === 0) this.#times.delete(key);
    else this.#times.set(key, times);
    return times;
  }
}
