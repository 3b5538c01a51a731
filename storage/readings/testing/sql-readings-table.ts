// What tests read from, or add to, the readings table of the SQL readings store directly.
import type { Database, Queryable } from '../../metadata/database.ts';

export interface ReadingRow {
  meter_id: string;
  ts: string;
  register: number | null;
}

export async function allReadingRows(q: Queryable): Promise<ReadingRow[]> {
  return q.query<ReadingRow>('SELECT meter_id, ts, register FROM readings');
}

/** Readings kept for the household, or its meter. */
export async function readingRowCount(q: Queryable, of: { householdId: string; meterId: string }): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM readings WHERE household_id = $1 OR meter_id = $2', [
    of.householdId,
    of.meterId,
  ]);
  return row?.n ?? 0;
}

/** A rule the ingest pipeline knows nothing of: the database refuses a whole batch for one reading at or over `limit`. */
export async function refuseRegistersFrom(db: Pick<Database, 'exec'>, limit: number): Promise<void> {
  if (!Number.isInteger(limit)) throw new RangeError(`not an integer: ${limit}`);
  await db.exec(`ALTER TABLE readings ADD CONSTRAINT register_below_${limit} CHECK (register < ${limit})`);
}
