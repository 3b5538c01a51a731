// ReadingStore on SQL: PGlite for `npm start` with nothing installed, or PostgreSQL. Same
// queries as the InfluxDB adapter answers, checked by the shared contract suite.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeterKind } from '../../../devices/contract/units.ts';
import { getOrCreate } from '../../../lib/collections.ts';
import { type Database, type MigrationSet, migrate } from '../../metadata/database.ts';
import {
  DEAD_LETTER_QUERY_LIMIT,
  type DeadLetter,
  type DeadLetterQuery,
  type ErasedData,
  type MeterEvent,
  type MeterEventType,
  type MeterSeries,
  NEIGHBOUR_LOOKAROUND_MS,
  type ReadingStore,
  type RejectedReading,
  type Scope,
  type ScopeLevel,
  type StoredReading,
  type StoredStatus,
  scopeOf,
  type UsageQuery,
  type UsageTotal,
} from '../reading-store.ts';
import type { RegisterPoint } from '../usage/intervals.ts';
import { usageTotals } from '../usage-totals.ts';

/** The readings tables, under the same migration runner as the metadata (in the same database). */
export const readingsMigrations: MigrationSet = {
  name: 'readings',
  dir: join(dirname(fileURLToPath(import.meta.url)), 'migrations'),
};

/** Column per scope level: a fixed map, so no caller's string becomes part of the SQL. */
const scopeColumn: Record<ScopeLevel, string> = {
  household: 'household_id',
  street: 'street_id',
  neighbourhood: 'neighbourhood_id',
};

interface ReadingRow {
  meter_id: string;
  ts: string | number;
  register: number | null;
  delta: number | null;
  kind: MeterKind;
  household_id: string;
  street_id: string;
  neighbourhood_id: string;
}

export class SqlReadingStore implements ReadingStore {
  readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  static async open(db: Database): Promise<SqlReadingStore> {
    await migrate(db, readingsMigrations);
    return new SqlReadingStore(db);
  }

  async writeReadings(readings: readonly StoredReading[]): Promise<RejectedReading[]> {
    if (readings.length === 0) return [];
    // One statement per batch: arrays in, unnest to rows. Last one wins within a batch, like InfluxDB.
    const unique = [...new Map(readings.map((r) => [`${r.meterId}\u0000${r.ts}`, r])).values()];
    await this.db.query(
      `INSERT INTO readings (meter_id, ts, register, delta, kind, household_id, street_id, neighbourhood_id)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (meter_id, ts) DO UPDATE SET register = excluded.register, delta = excluded.delta, kind = excluded.kind,
         household_id = excluded.household_id, street_id = excluded.street_id, neighbourhood_id = excluded.neighbourhood_id`,
      [
        unique.map((r) => r.meterId),
        unique.map((r) => r.ts),
        unique.map((r) => r.register ?? null),
        unique.map((r) => r.delta ?? null),
        unique.map((r) => r.kind),
        unique.map((r) => r.household),
        unique.map((r) => r.street),
        unique.map((r) => r.neighbourhood),
      ],
    );
    return [];
  }

  async writeDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db.query(
      `INSERT INTO dead_letters (received_at, sequence, topic, reason, detail, payload, meter_id)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT DO NOTHING`,
      [
        letters.map((l) => l.receivedAt),
        letters.map((l) => l.sequence),
        // PostgreSQL text cannot hold NUL. The pipeline escapes control characters; this holds
        // for any other writer too.
        letters.map((l) => withoutNul(l.topic)),
        letters.map((l) => l.reason),
        letters.map((l) => withoutNul(l.detail)),
        letters.map((l) => withoutNul(l.payload)),
        letters.map((l) => l.meterId ?? null),
      ],
    );
  }

  async writeEvents(events: readonly MeterEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.query(
      `INSERT INTO meter_events (meter_id, household_id, ts, type, detail)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.meterId),
        events.map((e) => e.household),
        events.map((e) => e.ts),
        events.map((e) => e.type),
        events.map((e) => e.detail),
      ],
    );
  }

  async seriesAround(scope: Scope, kind: MeterKind, from: number, to: number): Promise<MeterSeries[]> {
    const { level, id } = scopeOf(scope);
    const column = scopeColumn[level];
    const rows = await this.db.query<ReadingRow>(
      `(SELECT * FROM readings WHERE ${column} = $1 AND kind = $2 AND ts >= $3 AND ts < $4)
       UNION ALL
       (SELECT DISTINCT ON (meter_id) * FROM readings WHERE ${column} = $1 AND kind = $2 AND ts >= $5 AND ts < $3 ORDER BY meter_id, ts DESC)
       UNION ALL
       (SELECT DISTINCT ON (meter_id) * FROM readings WHERE ${column} = $1 AND kind = $2 AND ts >= $4 AND ts < $6 ORDER BY meter_id, ts ASC)`,
      [id, kind, from, to, from - NEIGHBOUR_LOOKAROUND_MS, to + NEIGHBOUR_LOOKAROUND_MS],
    );
    const byMeter = new Map<string, MeterSeries>();
    for (const row of rows) {
      const entry = getOrCreate(byMeter, row.meter_id, () => ({
        placement: {
          meterId: row.meter_id,
          kind: row.kind,
          household: row.household_id,
          street: row.street_id,
          neighbourhood: row.neighbourhood_id,
        },
        points: [] as RegisterPoint[],
      }));
      entry.points.push(pointOf(row));
    }
    for (const entry of byMeter.values()) entry.points.sort((a, b) => a.ts - b.ts);
    return [...byMeter.values()];
  }

  totals(query: UsageQuery): Promise<UsageTotal[]> {
    return usageTotals(this, query);
  }

  lastReadings(meterIds?: readonly string[]): Promise<Map<string, RegisterPoint>> {
    return this.#endReadings('DESC', meterIds);
  }

  firstReadings(meterIds: readonly string[]): Promise<Map<string, RegisterPoint>> {
    return this.#endReadings('ASC', meterIds);
  }

  /** Each meter's last (DESC) or first (ASC) reading. */
  async #endReadings(order: 'ASC' | 'DESC', meterIds?: readonly string[]): Promise<Map<string, RegisterPoint>> {
    if (meterIds?.length === 0) return new Map();
    // For given meters, one step along the primary key each, however many readings they have.
    const rows = await this.db.query<ReadingRow>(
      meterIds === undefined
        ? `SELECT DISTINCT ON (meter_id) * FROM readings ORDER BY meter_id, ts ${order}`
        : `SELECT r.* FROM unnest($1::text[]) AS m(id)
           CROSS JOIN LATERAL (SELECT * FROM readings WHERE meter_id = m.id ORDER BY ts ${order} LIMIT 1) r`,
      meterIds === undefined ? [] : [[...new Set(meterIds)]],
    );
    return new Map(rows.map((row) => [row.meter_id, pointOf(row)]));
  }

  async latestStatuses(meterIds: readonly string[]): Promise<Map<string, StoredStatus>> {
    if (meterIds.length === 0) return new Map();
    const rows = await this.db.query<{ meter_id: string; ts: string; detail: string }>(
      `SELECT m.id AS meter_id, e.ts, e.detail FROM unnest($1::text[]) AS m(id)
       CROSS JOIN LATERAL (SELECT ts, detail FROM meter_events WHERE meter_id = m.id AND type = 'status' ORDER BY ts DESC LIMIT 1) e`,
      [[...new Set(meterIds)]],
    );
    return new Map(rows.map((row) => [row.meter_id, { ts: Number(row.ts), detail: row.detail }]));
  }

  async deadLetters(options: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const limit = Math.max(1, Math.min(DEAD_LETTER_QUERY_LIMIT, Math.trunc(options.limit ?? 100)));
    if (options.meterIds?.length === 0) return [];
    const rows = await this.db.query<{
      received_at: string;
      sequence: number;
      topic: string;
      reason: string;
      detail: string;
      payload: string;
      meter_id: string | null;
    }>(
      `SELECT * FROM dead_letters WHERE ($1::text IS NULL OR reason = $1) AND ($2::text[] IS NULL OR meter_id = ANY($2::text[]))
       ORDER BY received_at DESC, sequence DESC LIMIT $3`,
      [options.reason ?? null, options.meterIds ?? null, limit],
    );
    return rows.map(({ received_at, meter_id, ...row }) => ({
      ...row,
      receivedAt: Number(received_at),
      ...(meter_id === null ? {} : { meterId: meter_id }),
    }));
  }

  async deadLetterCounts(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ reason: string; count: string }>(
      'SELECT reason, count(*) AS count FROM dead_letters GROUP BY reason',
    );
    return Object.fromEntries(rows.map((row) => [row.reason, Number(row.count)]));
  }

  async events(meterId: string): Promise<MeterEvent[]> {
    const rows = await this.db.query<{
      meter_id: string;
      household_id: string;
      ts: string;
      type: MeterEventType;
      detail: string;
    }>('SELECT * FROM meter_events WHERE meter_id = $1 ORDER BY ts', [meterId]);
    return rows.map((row) => ({
      meterId: row.meter_id,
      household: row.household_id,
      ts: Number(row.ts),
      type: row.type,
      detail: row.detail,
    }));
  }

  async deleteHousehold(household: string, meterIds: readonly string[]): Promise<ErasedData> {
    const count = async (sql: string, params: unknown[]) =>
      Number(
        (await this.db.query<{ n: string }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*) AS n FROM gone`, params))[0]?.n,
      );
    return {
      readings: await count('DELETE FROM readings WHERE household_id = $1 OR meter_id = ANY($2::text[])', [household, meterIds]),
      events: await count('DELETE FROM meter_events WHERE household_id = $1 OR meter_id = ANY($2::text[])', [
        household,
        meterIds,
      ]),
      deadLetters: await count('DELETE FROM dead_letters WHERE meter_id = ANY($1::text[])', [meterIds]),
    };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {}
}

const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

function pointOf(row: ReadingRow): RegisterPoint {
  const point: RegisterPoint = { ts: Number(row.ts) };
  if (row.register !== null) point.register = row.register;
  if (row.delta !== null) point.delta = row.delta;
  return point;
}
