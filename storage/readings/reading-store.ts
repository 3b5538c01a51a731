// The readings store contract. Two adapters implement it — InfluxDB (production) and SQL on
// PGlite/PostgreSQL (the embedded default) — and one contract suite (reading-store.contract.ts)
// runs against both. Stores hold readings, not derived usage: usage is computed from the set of
// readings at query time (storage/readings/usage/intervals.ts), which is what makes totals independent of
// arrival order, duplicates, redelivery and how readings were split between ingest processes.
import type { MeterKind } from '../../devices/contract/units.ts';
import type { LocalDate } from '../../lib/time.ts';
import type { RegisterPoint } from './usage/intervals.ts';

/** The store took the write but refused items in it for good (not an outage): ingest sets them aside. */
export class StoreRefusedError extends Error {
  override name = 'StoreRefusedError';
}

/** Where a meter sits; written with each reading so queries can select by household, street or neighbourhood. */
export interface MeterPlacement {
  meterId: string;
  kind: MeterKind;
  household: string;
  street: string;
  neighbourhood: string;
}

export interface StoredReading extends MeterPlacement, RegisterPoint {}

export type DeadLetterReason = string;

/**
 * A refused message, once per reason. Key: (receivedAt, sequence, reason) — the first two are
 * unique per message and stable across replay; a message refused for two reasons has two.
 * Text fields hold no control characters (the pipeline escapes them), so every store can hold them.
 */
export interface DeadLetter {
  /** When ingest received the message (ms) and a sequence within that ms. */
  receivedAt: number;
  sequence: number;
  topic: string;
  /** The meter the topic names, when it names a valid id (erasure and export find a household's dead letters by it). */
  meterId?: string;
  reason: DeadLetterReason;
  detail: string;
  /** The payload as text, cut to DEAD_LETTER_PAYLOAD_CHARS. */
  payload: string;
}

export const DEAD_LETTER_PAYLOAD_CHARS = 1024;
export const DEAD_LETTER_QUERY_LIMIT = 10_000;

export interface DeadLetterQuery {
  limit?: number;
  reason?: string;
  /** Only these meters' dead letters (a household's export). */
  meterIds?: readonly string[];
}

/** What an erasure removed from the readings store. */
export interface ErasedData {
  readings: number;
  events: number;
  deadLetters: number;
}

/** `status`: a meter's status message (its JSON in `detail`, timed by when ingest received it). */
export const meterEventTypes = ['register_reset', 'impossible_step', 'status'] as const;
export type MeterEventType = (typeof meterEventTypes)[number];

export interface MeterEvent {
  meterId: string;
  household: string;
  ts: number;
  type: MeterEventType;
  detail: string;
}

/** A meter's latest status event: when it came and its payload as JSON (devices/contract/status.ts). */
export interface StoredStatus {
  ts: number;
  detail: string;
}

export type Scope = { household: string } | { street: string } | { neighbourhood: string };
export const scopeLevels = ['household', 'street', 'neighbourhood'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

export function scopeOf(scope: Scope): { level: ScopeLevel; id: string } {
  if ('household' in scope) return { level: 'household', id: scope.household };
  if ('street' in scope) return { level: 'street', id: scope.street };
  return { level: 'neighbourhood', id: scope.neighbourhood };
}

/** One meter's readings from a window, with its last reading before and first after it. */
export interface MeterSeries {
  placement: MeterPlacement;
  points: RegisterPoint[];
}

export interface UsageQuery {
  kind: MeterKind;
  scope: Scope;
  /** Local dates, inclusive, in `timeZone`. */
  from: LocalDate;
  to: LocalDate;
  timeZone: string;
  granularity: 'hour' | 'day';
  groupBy: ScopeLevel;
  /**
   * Epoch ms: the last bucket ends here instead (today so far). Its use is the same, and whether it
   * has data is judged up to this time, not to the end of a day that has not happened yet.
   */
  until?: number;
}

export interface UsageTotal {
  group: string;
  /** Bucket [start, end) in epoch ms; `date` is its local date. */
  start: number;
  end: number;
  date: LocalDate;
  /** Use in base units (L or Wh). */
  use: number;
  /** Use left out as physically impossible. */
  excluded: number;
  /** Households of the group whose meters leave no gap over 6 hours in this bucket. */
  householdsWithData: number;
  households: number;
}

export interface RejectedReading {
  reading: StoredReading;
  reason: string;
}

export interface ReadingStore {
  /** Idempotent: a reading is keyed by meter and ts. Points the store refuses come back, one by one. */
  writeReadings(readings: readonly StoredReading[]): Promise<RejectedReading[]>;
  writeDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  writeEvents(events: readonly MeterEvent[]): Promise<void>;
  /** Readings of the scope's meters of `kind` in [from, to), plus the neighbours just outside. */
  seriesAround(scope: Scope, kind: MeterKind, from: number, to: number): Promise<MeterSeries[]>;
  totals(query: UsageQuery): Promise<UsageTotal[]>;
  /** The latest reading of every meter that has one (ingest's state after a restart), or only of `meterIds`. */
  lastReadings(meterIds?: readonly string[]): Promise<Map<string, RegisterPoint>>;
  /** The first reading of each of `meterIds` that has one: where a household's history starts. */
  firstReadings(meterIds: readonly string[]): Promise<Map<string, RegisterPoint>>;
  /** The latest status event of each of `meterIds` that has one. */
  latestStatuses(meterIds: readonly string[]): Promise<Map<string, StoredStatus>>;
  /** The newest dead letters first. */
  deadLetters(options?: DeadLetterQuery): Promise<DeadLetter[]>;
  deadLetterCounts(): Promise<Record<string, number>>;
  events(meterId: string): Promise<MeterEvent[]>;
  /** Erasure: every reading, event and dead letter of the household and its meters; says how many went. */
  deleteHousehold(household: string, meterIds: readonly string[]): Promise<ErasedData>;
  /** Resolves when the store answers (tells an outage from a refused write). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How far before and after a window the stores look for a meter's neighbouring readings. */
export const NEIGHBOUR_LOOKAROUND_MS = 35 * 24 * 3_600_000;
