// The reading payload of the device contract: one JSON object or a batch (array) of them,
// published to ontap/v1/meters/{meterId}/readings. The zod schema is the validator, the type
// and the documentation; parseReadingMessage adds the limits that need context (size, clock).
import { z } from 'zod';
import { ContractError, type RejectionCode, rejectionCodes } from './errors.ts';
import { parseMeterTopic } from './topics.ts';
import { type MeterKind, meterKinds, toBaseUnit, unitFitsKind, units } from './units.ts';

export const contractLimits = {
  maxPayloadBytes: 256 * 1024,
  maxBatchLength: 1000,
  /** Device clocks drift; more than this ahead of the receiver is rejected. */
  maxFutureSkewMs: 5 * 60 * 1000,
  earliestTimestampMs: Date.UTC(2000, 0, 1),
  /**
   * Largest register or delta, in the payload's own unit. A domestic meter's register holds at
   * most 9–10 digits (99,999.999 m3; 999,999.9 kWh); anything far beyond is a fault or an attack,
   * and 1e306 m3 became Infinity in base units.
   */
  maxRegisterValue: 1e10,
} as const;

/** ISO 8601 date-times with a zone offset or Z: zod's own pattern for them, public, kept for plainPayload. */
const ISO_DATE_TIME_PATTERN = z.regexes.datetime({ offset: true });

export const readingPayloadSchema = z
  .object({
    ts: z.union([
      z.stringFormat('date-time', ISO_DATE_TIME_PATTERN, { error: rejectionCodes.BAD_TIMESTAMP }),
      // Epoch milliseconds; a fraction of a millisecond is dropped (as ISO strings' microseconds are).
      z.number({ error: rejectionCodes.BAD_TIMESTAMP }).nonnegative(rejectionCodes.BAD_TIMESTAMP),
    ]),
    kind: z.enum(meterKinds, { error: rejectionCodes.UNKNOWN_KIND }),
    register: z
      .number({ error: rejectionCodes.BAD_REGISTER })
      .nonnegative(rejectionCodes.BAD_REGISTER)
      .max(contractLimits.maxRegisterValue, rejectionCodes.BAD_REGISTER)
      .optional(),
    delta: z
      .number({ error: rejectionCodes.BAD_DELTA })
      .nonnegative(rejectionCodes.BAD_DELTA)
      .max(contractLimits.maxRegisterValue, rejectionCodes.BAD_DELTA)
      .optional(),
    unit: z.enum(units, { error: rejectionCodes.UNKNOWN_UNIT }),
    seq: z.number({ error: rejectionCodes.BAD_SEQ }).int(rejectionCodes.BAD_SEQ).nonnegative(rejectionCodes.BAD_SEQ).optional(),
  })
  .meta({
    id: 'ReadingPayload',
    description: 'One meter reading: cumulative register (or delta since the previous message) at time ts.',
  });

export const readingMessageSchema = z.union([
  readingPayloadSchema,
  z.array(readingPayloadSchema).min(1).max(contractLimits.maxBatchLength),
]);

export type ReadingPayload = z.input<typeof readingPayloadSchema>;

/** A reading as OnTap holds it: base units (L or Wh), epoch milliseconds. */
export interface MeterReading {
  meterId: string;
  kind: MeterKind;
  ts: number;
  /** Cumulative index in base units; absent when the device sends deltas. */
  register?: number;
  /** Consumption since the device's previous message, in base units. */
  delta?: number;
  seq?: number;
}

export interface Rejection {
  /** Position in a batch; undefined for a single-object message. */
  index?: number;
  code: RejectionCode;
  message: string;
}

export interface ParsedReadingMessage {
  meterId: string;
  readings: MeterReading[];
  /** Readings of a batch that were refused; the others are kept. */
  rejected: Rejection[];
}

const codeByField: Record<string, RejectionCode> = {
  ts: 'BAD_TIMESTAMP',
  kind: 'UNKNOWN_KIND',
  unit: 'UNKNOWN_UNIT',
  register: 'BAD_REGISTER',
  delta: 'BAD_DELTA',
  seq: 'BAD_SEQ',
};

const meterKindSet: ReadonlySet<unknown> = new Set(meterKinds);
const unitSet: ReadonlySet<unknown> = new Set(units);
const isNonNegative = (value: unknown) => typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY;
const isMeterValue = (value: unknown) => typeof value === 'number' && value >= 0 && value <= contractLimits.maxRegisterValue;

/**
 * The schema's rules checked by hand for a payload that passes them all: ingest reads a hundred
 * thousand of these a second, and safeParse costs more than the rest of a reading's handling.
 * Anything it does not accept goes through the schema, which says precisely what is wrong; a test
 * holds the two to the same answers.
 */
export function plainPayload(value: Record<string, unknown>): z.output<typeof readingPayloadSchema> | undefined {
  const { ts, kind, register, delta, unit, seq } = value;
  if (typeof ts === 'number' ? !isNonNegative(ts) : typeof ts !== 'string' || !ISO_DATE_TIME_PATTERN.test(ts)) return undefined;
  if (!meterKindSet.has(kind) || !unitSet.has(unit)) return undefined;
  if (register !== undefined && !isMeterValue(register)) return undefined;
  if (delta !== undefined && !isMeterValue(delta)) return undefined;
  if (seq !== undefined && !(typeof seq === 'number' && seq >= 0 && Number.isSafeInteger(seq))) return undefined;
  return value as z.output<typeof readingPayloadSchema>;
}

/** Validates one reading object; returns the normalised reading or why it was refused. */
export function parseReading(
  meterId: string,
  value: unknown,
  now: number,
): { reading: MeterReading } | { code: RejectionCode; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { code: 'NOT_AN_OBJECT', message: rejectionCodes.NOT_AN_OBJECT };
  }
  const plain = plainPayload(value as Record<string, unknown>);
  const result = plain ? { success: true as const, data: plain } : readingPayloadSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const code = codeByField[field] ?? 'NOT_AN_OBJECT';
    const got = field in value ? `, got ${describeValue((value as Record<string, unknown>)[field])}` : ' (missing)';
    return { code, message: `${rejectionCodes[code]}${got}` };
  }
  const payload = result.data;
  if (payload.register !== undefined && payload.delta !== undefined) {
    return { code: 'REGISTER_AND_DELTA', message: rejectionCodes.REGISTER_AND_DELTA };
  }
  if (payload.register === undefined && payload.delta === undefined) {
    return { code: 'NO_REGISTER_OR_DELTA', message: rejectionCodes.NO_REGISTER_OR_DELTA };
  }
  if (!unitFitsKind(payload.kind, payload.unit)) {
    return {
      code: 'UNIT_NOT_FOR_KIND',
      message: `${rejectionCodes.UNIT_NOT_FOR_KIND}: ${payload.unit} on a ${payload.kind} meter`,
    };
  }
  const ts = Math.floor(typeof payload.ts === 'number' ? payload.ts : Date.parse(payload.ts));
  if (!Number.isFinite(ts))
    return { code: 'BAD_TIMESTAMP', message: `${rejectionCodes.BAD_TIMESTAMP}, got ${describeValue(payload.ts)}` };
  if (ts > now + contractLimits.maxFutureSkewMs) {
    return {
      code: 'TIMESTAMP_IN_FUTURE',
      message: `${rejectionCodes.TIMESTAMP_IN_FUTURE}: ${describeTime(ts)} is more than 5 minutes ahead${ts > 1e14 ? ' (epoch microseconds or nanoseconds? ts is in milliseconds)' : ''}`,
    };
  }
  if (ts < contractLimits.earliestTimestampMs) {
    return {
      code: 'TIMESTAMP_TOO_OLD',
      message: `${rejectionCodes.TIMESTAMP_TOO_OLD}: ${describeTime(ts)}${ts < 1e11 && ts > 9e8 ? ' (epoch seconds? ts is in milliseconds)' : ''}`,
    };
  }
  const reading: MeterReading = { meterId, kind: payload.kind, ts };
  if (payload.register !== undefined) reading.register = toBaseUnit(payload.kind, payload.unit, payload.register);
  if (payload.delta !== undefined) reading.delta = toBaseUnit(payload.kind, payload.unit, payload.delta);
  if (payload.seq !== undefined) reading.seq = payload.seq;
  return { reading };
}

/**
 * A short, safe rendering of a device's value for a rejection message: bounded in length, and
 * never recursive (JSON.stringify of a value nested 100,000 deep overflows the stack).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** An epoch-ms time as ISO 8601 where Date can hold it (±8.64e15 ms), else the number. */
function describeTime(ts: number): string {
  return Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : `${ts} ms`;
}

/**
 * Parses a message from a readings topic. Whole-message problems (topic, size, JSON, batch
 * length) throw ContractError; a bad reading inside a batch is listed in `rejected` and the
 * good ones are kept.
 */
export function parseReadingMessage(topic: string, payload: Uint8Array | string, now = Date.now()): ParsedReadingMessage {
  const { meterId, kind } = parseMeterTopic(topic);
  if (kind !== 'readings') throw new ContractError('BAD_TOPIC', `${JSON.stringify(topic)} is not a readings topic`);
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > contractLimits.maxPayloadBytes) {
    throw new ContractError('PAYLOAD_TOO_LARGE', `${size} bytes, at most ${contractLimits.maxPayloadBytes}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'),
    );
  } catch (error) {
    throw new ContractError('INVALID_JSON', (error as Error).message);
  }
  if (!Array.isArray(body)) {
    // Array literals of the exact size: an empty array grown by push reserves room for 17.
    const outcome = parseReading(meterId, body, now);
    return 'reading' in outcome
      ? { meterId, readings: [outcome.reading], rejected: [] }
      : { meterId, readings: [], rejected: [outcome] };
  }
  const readings: MeterReading[] = [];
  const rejected: Rejection[] = [];
  if (body.length === 0) throw new ContractError('EMPTY_BATCH');
  if (body.length > contractLimits.maxBatchLength) {
    throw new ContractError('BATCH_TOO_LONG', `${body.length} readings, at most ${contractLimits.maxBatchLength}`);
  }
  for (let index = 0; index < body.length; index++) {
    const outcome = parseReading(meterId, body[index], now);
    if ('reading' in outcome) readings.push(outcome.reading);
    else rejected.push({ index, ...outcome });
  }
  return { meterId, readings, rejected };
}
