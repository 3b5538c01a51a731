// Which household, street and neighbourhood a meter belongs to, from the metadata database,
// cached in memory and forgotten when PostgreSQL/PGlite notifies a change (see migration 001).
import type { Database } from '../../storage/metadata/database.ts';
import { erasedAmong } from '../../storage/metadata/repositories/erasure.ts';
import { allMeterPlacements, meterPlacements } from '../../storage/metadata/repositories/meters.ts';
import { ping } from '../../storage/metadata/repositories/ping.ts';
import type { MeterPlacement } from '../../storage/readings/reading-store.ts';

/** An unknown meter is asked about again after this long, in case a notification was missed. */
const UNKNOWN_RETRY_MS = 10_000;

export class MeterDirectory {
  readonly #db: Database;
  readonly #known = new Map<string, MeterPlacement>();
  /** Meters of erased households seen by this process (told by NOTIFY, or found on a lookup). */
  readonly #erased = new Set<string>();
  readonly #unknownSince = new Map<string, number>();
  #unlisten: (() => Promise<void>) | undefined;
  #clock: () => number;

  constructor(db: Database, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Loads every meter and starts listening for changes. */
  static async open(db: Database): Promise<MeterDirectory> {
    const directory = new MeterDirectory(db);
    directory.#unlisten = await db.listen('ontap_meter_changed', (payload) => directory.#forget(payload));
    for (const placement of await allMeterPlacements(db)) directory.#known.set(placement.meterId, placement);
    return directory;
  }

  #forget(payload: string): void {
    if (payload.startsWith('erased:')) {
      const meterId = payload.slice('erased:'.length);
      this.#erased.add(meterId);
      this.#known.delete(meterId);
      this.#unknownSince.delete(meterId);
    } else if (payload.startsWith('meter:')) {
      const meterId = payload.slice('meter:'.length);
      this.#known.delete(meterId);
      this.#unknownSince.delete(meterId);
    } else {
      // A household moved or went: cheaper to forget everything than to track who lived there.
      this.#known.clear();
      this.#unknownSince.clear();
    }
  }

  /** Resolves when the metadata database answers (tells an outage from a refused write). */
  async ping(): Promise<void> {
    await ping(this.#db);
  }

  /** Placement from the cache, without I/O; undefined when not cached (call `load` first). */
  cached(meterId: string): MeterPlacement | undefined {
    return this.#known.get(meterId);
  }

  /**
   * Whether the meter belonged to a household that was erased (and was not registered again):
   * what still arrives for it is dropped without a trace. Known after `load` or a notification.
   */
  isErased(meterId: string): boolean {
    return this.#erased.size > 0 && this.#erased.has(meterId);
  }

  /** Whether any meter is known to be erased (lets a write skip the check entirely). */
  hasErased(): boolean {
    return this.#erased.size > 0;
  }

  /** Fetches the meters not in the cache (one query for all of them). */
  async load(meterIds: Iterable<string>): Promise<void> {
    const now = this.#clock();
    const missing = [...new Set(meterIds)].filter((id) => {
      if (this.#known.has(id)) return false;
      const since = this.#unknownSince.get(id);
      return since === undefined || now - since >= UNKNOWN_RETRY_MS;
    });
    if (missing.length === 0) return;
    // A tombstone wins over a row: between an erasure's tombstone and its delete, the meter's row
    // is still there, and must not be cached again.
    const erased = new Set(await erasedAmong(this.#db, missing));
    for (const id of erased) this.#erased.add(id);
    for (const placement of await meterPlacements(this.#db, missing)) {
      if (erased.has(placement.meterId)) continue;
      this.#known.set(placement.meterId, placement);
      this.#erased.delete(placement.meterId);
    }
    for (const id of missing) {
      if (this.#known.has(id)) this.#unknownSince.delete(id);
      else this.#unknownSince.set(id, now);
    }
  }

  get size(): number {
    return this.#known.size;
  }

  async close(): Promise<void> {
    await this.#unlisten?.();
  }
}
