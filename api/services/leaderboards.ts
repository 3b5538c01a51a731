// Computed leaderboards, cached: one is served for LEADERBOARD_CACHE_MS, then recomputed in the
// background while the old one is still served (stale while revalidate), so no reader waits for
// a recomputation but the very first. Membership and consent changes drop it at once, and so does an
// organiser changing the challenge; a cancelled challenge has no board (404), also where another
// process served one before: its next recomputation finds it cancelled.
import { LRUCache } from 'lru-cache';
import type { Database } from '../../storage/metadata/database.ts';
import type { DailyUse } from './daily-use.ts';
import { boardOfCancelled, type ComputedLeaderboard, computeChallengeLeaderboard, loadChallenge } from './leaderboard.ts';
import type { UsualDays } from './usual-days.ts';

export const LEADERBOARD_CACHE_MS = 5_000;
/** Challenges whose boards are kept; the least recently read go first. */
const CACHED_BOARDS = 1_000;
/** What is kept for a cancelled challenge instead of a board. */
const CANCELLED = 'cancelled';
type Kept = ComputedLeaderboard | typeof CANCELLED;

export class Leaderboards {
  readonly #cache: LRUCache<string, Kept>;

  constructor(db: Database, dailyUse: DailyUse, usualDays: UsualDays, now: () => number) {
    this.#cache = new LRUCache<string, Kept>({
      max: CACHED_BOARDS,
      ttl: LEADERBOARD_CACHE_MS,
      // The API's clock (tests fix it), read afresh each time.
      perf: { now },
      ttlResolution: 0,
      // A stale board is served while its successor is computed; a failed recomputation keeps it.
      allowStale: true,
      noDeleteOnFetchRejection: true,
      // A board dropped while computing (forget) still answers whoever asked, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: async (challengeId) => {
        const started = now();
        const challenge = await loadChallenge(db, challengeId);
        if (challenge.lifecycle === 'cancelled') return CANCELLED;
        return computeChallengeLeaderboard({ db, dailyUse, usualDays }, challenge, started);
      },
    });
  }

  async get(challengeId: string): Promise<ComputedLeaderboard> {
    const computed = await this.#cache.fetch(challengeId);
    // fetchMethod always resolves to a board or rejects; undefined would mean an abort not ignored.
    if (computed === undefined) throw new Error(`leaderboard of ${challengeId} was not computed`);
    if (computed === CANCELLED) throw boardOfCancelled(challengeId);
    return computed;
  }

  forget(challengeId?: string): void {
    if (challengeId === undefined) this.#cache.clear();
    else this.#cache.delete(challengeId);
  }
}
