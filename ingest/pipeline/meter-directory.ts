// Which household, street and neighbourhood a meter belongs to, from the metadata database,
// cached in memory and forgotten when PostgreSQL/PGlite notifies a change (see migration 001).
import type { Database } from '../../api/db/database.ts';
import type { MeterKind } from '../../devices/contract/units.ts';
import type { MeterPlacement } from '../store/reading-store.ts';

/** An unknown meter is asked about again after this long, in case a notification was missed. */
const UNKNOWN_RETRY_MS = 10_000;

interface PlacementRow {
  id: string;
  kind: MeterKind;
  household: string;
  street: string;
  neighbourhood: string;
}

export class MeterDirectory {
  readonly #db: Database;
  readonly #known = new Map<string, MeterPlacement>();
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
    for (const row of await db.query<PlacementRow>(SELECT_PLACEMENTS)) directory.#known.set(row.id, placementOf(row));
    return directory;
  }

  #forget(payload: string): void {
    if (payload.startsWith('meter:')) {
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
    await this.#db.query('SELECT 1');
  }

  /** Placement from the cache, without I/O; undefined when not cached (call `load` first). */
  cached(meterId: string): MeterPlacement | undefined {
    return this.#known.get(meterId);
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
    const rows = await this.#db.query<PlacementRow>(`${SELECT_PLACEMENTS} WHERE m.id = ANY($1::text[])`, [missing]);
    for (const row of rows) this.#known.set(row.id, placementOf(row));
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

const SELECT_PLACEMENTS = `SELECT m.id, m.kind, h.id AS household, s.id AS street, s.neighbourhood_id AS neighbourhood
  FROM meters m JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id`;

function placementOf(row: PlacementRow): MeterPlacement {
  return { meterId: row.id, kind: row.kind, household: row.household, street: row.street, neighbourhood: row.neighbourhood };
}
