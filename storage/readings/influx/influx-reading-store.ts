// ReadingStore on InfluxDB through the v1-compatible API.
//
// Schema (precision ms unless said):
//   reading      tags meter, kind, household, street, neighbourhood   fields register | delta (float)
//   meter_event  tags meter, household, type                           field detail (string): register events, statuses
//   dead_letter  tags reason                                           fields topic, detail, payload (string); ns time
// Series per measurement ≈ number of meters (household/street/neighbourhood follow from the
// meter), so cardinality grows with meters, never with readings. A reading is keyed by its
// series and timestamp, so writing it again (redelivery, replay) overwrites it with itself.
import { Point } from '@influxdata/influxdb-client';
import type { MeterKind } from '../../../devices/contract/units.ts';
import {
  DEAD_LETTER_QUERY_LIMIT,
  type DeadLetter,
  type DeadLetterQuery,
  type ErasedData,
  type MeterEvent,
  type MeterEventType,
  type MeterPlacement,
  type MeterSeries,
  NEIGHBOUR_LOOKAROUND_MS,
  type ReadingStore,
  type RejectedReading,
  type Scope,
  type StoredReading,
  type StoredStatus,
  StoreRefusedError,
  scopeOf,
  type UsageQuery,
  type UsageTotal,
} from '../reading-store.ts';
import type { RegisterPoint } from '../usage/intervals.ts';
import { usageTotals } from '../usage-totals.ts';
import {
  type InfluxConnection,
  InfluxHttp,
  InfluxHttpError,
  type InfluxSeries,
  type RetryPolicy,
  rowsOf,
} from './influx-http.ts';
import { quoteIdentifier as id, quoteString as str, timeLiteral } from './influxql.ts';

const placementTags = 'GROUP BY "meter", "kind", "household", "street", "neighbourhood"';

/**
 * The measurement and tag set of a meter's readings, escaped by the client library's Point.
 * Every reading of a meter shares it, so it is built once per placement, not per reading
 * (building a whole Point per reading was half of ingest's CPU).
 */
const seriesKeys = new Map<string, { placement: MeterPlacement; key: string }>();
const SERIES_KEY_CACHE_LIMIT = 500_000;

function seriesKeyOf(reading: StoredReading): string {
  const cached = seriesKeys.get(reading.meterId);
  if (
    cached &&
    cached.placement.kind === reading.kind &&
    cached.placement.household === reading.household &&
    cached.placement.street === reading.street &&
    cached.placement.neighbourhood === reading.neighbourhood
  ) {
    return cached.key;
  }
  const line = new Point('reading')
    .tag('meter', reading.meterId)
    .tag('kind', reading.kind)
    .tag('household', reading.household)
    .tag('street', reading.street)
    .tag('neighbourhood', reading.neighbourhood)
    .floatField('x', 0)
    .toLineProtocol() as string;
  const key = line.slice(0, line.lastIndexOf(' x=0'));
  if (seriesKeys.size >= SERIES_KEY_CACHE_LIMIT) seriesKeys.clear();
  const { meterId, kind, household, street, neighbourhood } = reading;
  seriesKeys.set(meterId, { placement: { meterId, kind, household, street, neighbourhood }, key });
  return key;
}

/** Float fields as Point writes them (String(n)); ms timestamp. */
export function readingLine(reading: StoredReading): string {
  // One template per case: no intermediate fields string.
  const key = seriesKeyOf(reading);
  if (reading.register === undefined) return `${key} delta=${reading.delta} ${reading.ts}`;
  if (reading.delta === undefined) return `${key} register=${reading.register} ${reading.ts}`;
  return `${key} delta=${reading.delta},register=${reading.register} ${reading.ts}`;
}

export class InfluxReadingStore implements ReadingStore {
  readonly http: InfluxHttp;

  constructor(connection: InfluxConnection, retry?: RetryPolicy) {
    this.http = new InfluxHttp(connection, retry);
  }

  /** Creates the database if it is missing (InfluxDB 1.x; 2.x/3.x create buckets out of band). */
  async ensureDatabase(): Promise<void> {
    await this.http.query(`CREATE DATABASE ${id(this.http.connection.database)}`);
  }

  async writeReadings(readings: readonly StoredReading[]): Promise<RejectedReading[]> {
    const rejected: RejectedReading[] = [];
    await this.#writeBisecting(readings, readingLine, 'ms', (reading, reason) => rejected.push({ reading, reason }));
    return rejected;
  }

  /**
   * A 4xx (partial write, type conflict, bad point) names neither which points failed nor lets
   * the good ones be told apart reliably, so the batch is halved until each bad point stands
   * alone. Resending good points is harmless: writes are idempotent.
   */
  async #writeBisecting<T>(
    items: readonly T[],
    toLine: (item: T) => string,
    precision: 'ms' | 'ns',
    onRejected: (item: T, reason: string) => void,
  ): Promise<void> {
    try {
      // The lines live only as one string: a batch's 5,000 little line strings held across the
      // HTTP round trip outlived V8's young generation and were copied to the old one each time.
      await this.http.writeText(items.map(toLine).join('\n'), precision);
    } catch (error) {
      // Only a 400 (bad point, type conflict, partial write) is about points. Anything else — an
      // InfluxDB starting up and answering 404 "database not found", auth, 5xx — is about the
      // whole write: thrown, so the caller retries the batch and nothing is dropped.
      if (!(error instanceof InfluxHttpError) || error.status !== 400) throw error;
      if (items.length === 1) {
        onRejected(items[0] as T, error.message);
        return;
      }
      const half = Math.ceil(items.length / 2);
      await this.#writeBisecting(items.slice(0, half), toLine, precision, onRejected);
      await this.#writeBisecting(items.slice(half), toLine, precision, onRejected);
    }
  }

  async writeDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const toLine = (letter: DeadLetter) => {
      const point = new Point('dead_letter').tag('reason', letter.reason);
      // Series: reasons × meters, so it grows with meters, never with messages.
      if (letter.meterId !== undefined) point.tag('meter', letter.meterId);
      return (
        point
          .stringField('topic', letter.topic)
          .stringField('detail', letter.detail)
          .stringField('payload', letter.payload)
          // ns time = received ms and a sequence: unique per message and the same on replay.
          .timestamp(`${letter.receivedAt}${String(letter.sequence).padStart(6, '0')}`)
          .toLineProtocol() as string
      );
    };
    const refused: string[] = [];
    await this.#writeBisecting(letters, toLine, 'ns', (_letter, reason) => refused.push(reason));
    // The caller decides what to do with a dead letter the store will not take (it cannot be dead-lettered).
    if (refused.length > 0) throw new StoreRefusedError(`InfluxDB refused ${refused.length} dead letters: ${refused[0]}`);
  }

  async writeEvents(events: readonly MeterEvent[]): Promise<void> {
    const toLine = (event: MeterEvent) =>
      new Point('meter_event')
        .tag('meter', event.meterId)
        .tag('household', event.household)
        .tag('type', event.type)
        .stringField('detail', event.detail)
        .timestamp(event.ts)
        .toLineProtocol() as string;
    await this.#writeBisecting(events, toLine, 'ms', () => {});
  }

  async seriesAround(scope: Scope, kind: MeterKind, from: number, to: number): Promise<MeterSeries[]> {
    const { level, id: scopeId } = scopeOf(scope);
    const where = `${id(level)} = ${str(scopeId)} AND "kind" = ${str(kind)}`;
    const fields = '"register", "delta"';
    const [inside = [], before = [], after = []] = await this.http.query(
      [
        `SELECT ${fields} FROM "reading" WHERE ${where} AND time >= ${timeLiteral(from)} AND time < ${timeLiteral(to)} ${placementTags}`,
        `SELECT ${fields} FROM "reading" WHERE ${where} AND time >= ${timeLiteral(from - NEIGHBOUR_LOOKAROUND_MS)} AND time < ${timeLiteral(from)} ${placementTags} ORDER BY time DESC LIMIT 1`,
        `SELECT ${fields} FROM "reading" WHERE ${where} AND time >= ${timeLiteral(to)} AND time < ${timeLiteral(to + NEIGHBOUR_LOOKAROUND_MS)} ${placementTags} LIMIT 1`,
      ].join('; '),
    );
    const byMeter = new Map<string, MeterSeries>();
    const add = (series: InfluxSeries) => {
      const tags = series.tags ?? {};
      const meterId = tags.meter ?? '';
      let entry = byMeter.get(meterId);
      if (!entry) {
        entry = {
          placement: {
            meterId,
            kind: tags.kind as MeterKind,
            household: tags.household ?? '',
            street: tags.street ?? '',
            neighbourhood: tags.neighbourhood ?? '',
          },
          points: [],
        };
        byMeter.set(meterId, entry);
      }
      for (const row of rowsOf(series)) entry.points.push(pointOf(row));
    };
    for (const series of [...before, ...inside, ...after]) add(series);
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
    const where = meterIds === undefined ? '' : ` WHERE ${anyOf('meter', [...new Set(meterIds)])}`;
    const [series = []] = await this.http.query(
      `SELECT "register", "delta" FROM "reading"${where} GROUP BY "meter" ORDER BY time ${order} LIMIT 1`,
    );
    const result = new Map<string, RegisterPoint>();
    for (const one of series) {
      const row = rowsOf(one)[0];
      if (row && one.tags?.meter) result.set(one.tags.meter, pointOf(row));
    }
    return result;
  }

  async latestStatuses(meterIds: readonly string[]): Promise<Map<string, StoredStatus>> {
    if (meterIds.length === 0) return new Map();
    const [series = []] = await this.http.query(
      `SELECT "detail" FROM "meter_event" WHERE "type" = 'status' AND ${anyOf('meter', [...new Set(meterIds)])} GROUP BY "meter" ORDER BY time DESC LIMIT 1`,
    );
    const result = new Map<string, StoredStatus>();
    for (const one of series) {
      const row = rowsOf(one)[0];
      if (row && one.tags?.meter) result.set(one.tags.meter, { ts: Number(row.time), detail: String(row.detail) });
    }
    return result;
  }

  async deadLetters(options: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const limit = Math.max(1, Math.min(DEAD_LETTER_QUERY_LIMIT, Math.trunc(options.limit ?? 100)));
    if (options.meterIds?.length === 0) return [];
    const conditions: string[] = [];
    if (options.reason !== undefined) conditions.push(`"reason" = ${str(options.reason)}`);
    if (options.meterIds !== undefined) conditions.push(anyOf('meter', options.meterIds));
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const [series = []] = await this.http.query(
      `SELECT "topic", "detail", "payload", "reason", "meter" FROM "dead_letter"${where} ORDER BY time DESC LIMIT ${limit}`,
    );
    // epoch=ms rounds ns times; the sequence is not needed by readers.
    return series.flatMap((one) =>
      rowsOf(one).map((row) => ({
        receivedAt: Number(row.time),
        sequence: 0,
        topic: String(row.topic),
        ...(typeof row.meter === 'string' && row.meter !== '' ? { meterId: row.meter } : {}),
        reason: String(row.reason),
        detail: String(row.detail),
        payload: String(row.payload),
      })),
    );
  }

  async deadLetterCounts(): Promise<Record<string, number>> {
    const [series = []] = await this.http.query('SELECT count("topic") FROM "dead_letter" GROUP BY "reason"');
    return Object.fromEntries(series.map((one) => [one.tags?.reason ?? '', Number(rowsOf(one)[0]?.count ?? 0)]));
  }

  async events(meterId: string): Promise<MeterEvent[]> {
    const [series = []] = await this.http.query(
      `SELECT "detail", "household", "type" FROM "meter_event" WHERE "meter" = ${str(meterId)} ORDER BY time ASC`,
    );
    return series.flatMap((one) =>
      rowsOf(one).map((row) => ({
        meterId,
        household: String(row.household),
        ts: Number(row.time),
        type: row.type as MeterEventType,
        detail: String(row.detail),
      })),
    );
  }

  async deleteHousehold(household: string, meterIds: readonly string[]): Promise<ErasedData> {
    const readingsOf = `"household" = ${str(household)}${meterIds.length > 0 ? ` OR ${anyOf('meter', meterIds)}` : ''}`;
    // InfluxQL's DROP SERIES says nothing of what it dropped: count first, for the receipt.
    const [readings = [], events = [], letters = []] = await this.http.query(
      [
        `SELECT count("register") AS "r", count("delta") AS "d" FROM "reading" WHERE ${readingsOf}`,
        `SELECT count("detail") AS "n" FROM "meter_event" WHERE ${readingsOf}`,
        meterIds.length > 0
          ? `SELECT count("topic") AS "n" FROM "dead_letter" WHERE ${anyOf('meter', meterIds)}`
          : 'SELECT count("topic") AS "n" FROM "dead_letter" WHERE time < 0',
      ].join('; '),
    );
    const total = (series: InfluxSeries[], ...columns: string[]) =>
      series.reduce((sum, one) => {
        const row = rowsOf(one)[0] ?? {};
        return sum + columns.reduce((s, column) => s + Number(row[column] ?? 0), 0);
      }, 0);
    await this.http.query(
      [
        `DROP SERIES FROM "reading" WHERE ${readingsOf}`,
        `DROP SERIES FROM "meter_event" WHERE ${readingsOf}`,
        ...(meterIds.length > 0 ? [`DROP SERIES FROM "dead_letter" WHERE ${anyOf('meter', meterIds)}`] : []),
      ].join('; '),
    );
    return { readings: total(readings, 'r', 'd'), events: total(events, 'n'), deadLetters: total(letters, 'n') };
  }

  async ping(): Promise<void> {
    await this.http.ping();
  }

  async close(): Promise<void> {}
}

/** `"tag" = 'a' OR "tag" = 'b' …`, in parentheses; every value escaped. */
function anyOf(tag: string, values: readonly string[]): string {
  return `(${values.map((value) => `${id(tag)} = ${str(value)}`).join(' OR ')})`;
}

function pointOf(row: Record<string, unknown>): RegisterPoint {
  const point: RegisterPoint = { ts: Number(row.time) };
  if (typeof row.register === 'number') point.register = row.register;
  if (typeof row.delta === 'number') point.delta = row.delta;
  return point;
}
