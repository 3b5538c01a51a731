// Computed leaderboards, cached: one is served for LEADERBOARD_CACHE_MS, then recomputed in the
// background while the old one is still served (stale while revalidate), so no reader waits for
// a recomputation but the very first. Membership and consent changes drop it at once.
import type { Database } from '../../storage/metadata/database.ts';
import type { DailyUse } from './daily-use.ts';
import { type ComputedLeaderboard, computeLeaderboard, loadChallenge } from './leaderboard.ts';

export const LEADERBOARD_CACHE_MS = 5_000;

interface Entry {
  at: number;
  value: Promise<ComputedLeaderboard>;
  ready?: ComputedLeaderboard;
  refreshing?: boolean;
}

export class Leaderboards {
  readonly #db: Database;
  readonly #dailyUse: DailyUse;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();

  constructor(db: Database, dailyUse: DailyUse, now: () => number) {
    this.#db = db;
    this.#dailyUse = dailyUse;
    this.#now = now;
  }

  get(challengeId: string): Promise<ComputedLeaderboard> {
    const cached = this.#cache.get(challengeId);
    if (cached && this.#now() - cached.at < LEADERBOARD_CACHE_MS) return cached.value;
    if (cached?.ready) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        this.#compute(challengeId).catch(() => {
          cached.refreshing = false;
        });
      }
      return Promise.resolve(cached.ready);
    }
    return this.#compute(challengeId);
  }

  forget(challengeId?: string): void {
    if (challengeId === undefined) this.#cache.clear();
    else this.#cache.delete(challengeId);
  }

  #compute(challengeId: string): Promise<ComputedLeaderboard> {
    const started = this.#now();
    const value = loadChallenge(this.#db, challengeId).then((challenge) =>
      computeLeaderboard(this.#db, this.#dailyUse, challenge, started),
    );
    const entry: Entry = { at: started, value };
    value.then(
      (computed) => {
        entry.ready = computed;
        this.#cache.set(challengeId, entry);
      },
      () => {
        if (this.#cache.get(challengeId) === entry) this.#cache.delete(challengeId);
      },
    );
    if (!this.#cache.get(challengeId)?.ready) this.#cache.set(challengeId, entry);
    return value;
  }
}
