// The identity of a received message: the ms it arrived and a sequence number, together unique
// per ingest process and stable across replay (they are spooled with it). Dead letters are keyed
// by them. A burst read at once shares one arrival time; the sequence has room for 1,000 per ms
// (InfluxDB keeps them as the nanoseconds of one ms: 3 digits for the process, 3 for the count),
// so a longer burst moves on to the next ms rather than wrap onto numbers already given out.
export class MessageStamps {
  readonly #instancePart: number;
  #ms = 0;
  #count = 0;

  /** `instance` (0–999) keeps two ingest processes' numbers apart. */
  constructor(instance: number) {
    this.#instancePart = (instance % 1000) * 1000;
  }

  /** The arrival time to record for a message that arrived at `now`, never before the previous one's. */
  receivedAt(now: number): number {
    if (now > this.#ms) {
      this.#ms = now;
      this.#count = 0;
    } else if (this.#count >= 1000) {
      this.#ms += 1;
      this.#count = 0;
    }
    return this.#ms;
  }

  /** The sequence of the message just given `receivedAt`. */
  sequence(): number {
    return this.#instancePart + this.#count++;
  }
}
