// What ingest does with a batch of spooled messages, as explicit steps:
//   parse (device contract) → look up the meter → check its kind → note register events → to stored readings.
// No I/O here: the meter directory is loaded before, the store written after (see ../service.ts).
import {
  ContractError,
  parseReadingMessage,
  parseStatusMessage,
  type RejectionCode,
  rejectionCodes,
} from '../../devices/contract/index.ts';
import type { MeterReading, Rejection } from '../../devices/contract/reading.ts';
import { METER_TOPIC_START } from '../../devices/contract/topics.ts';
import { type BridgeRouter, decodeBridged } from '../bridges/bridges.ts';
import {
  DEAD_LETTER_PAYLOAD_CHARS,
  type DeadLetter,
  type MeterEvent,
  type MeterPlacement,
  type StoredReading,
} from '../store/reading-store.ts';
import { maxUsePerMinute, type RegisterPoint } from '../usage/intervals.ts';

export interface IncomingMessage {
  topic: string;
  payload: Uint8Array;
  receivedAt: number;
  sequence: number;
  /** Delivered as a retained message. */
  retained?: boolean;
}

export interface ProcessedBatch {
  readings: StoredReading[];
  deadLetters: DeadLetter[];
  events: MeterEvent[];
  statusMessages: number;
  /** Foreign messages decoded through a bridge, per family; and readings timed by their receipt. */
  bridged: Map<string, number>;
  receiptTimed: number;
  /** Per household and kind, the time these readings can change: from each meter's previous reading to the reading. */
  touched: Map<string, { household: string; kind: string; from: number; to: number }>;
  /** With `deferUnknownMeters`: messages of meters the directory's cache lacks, left for a lookup. */
  deferred: IncomingMessage[];
}

export interface PipelineContext {
  placementOf(meterId: string): MeterPlacement | undefined;
  /** The latest reading seen per meter, to notice resets and impossible steps as they arrive. */
  lastReadings: Map<string, RegisterPoint>;
  now(): number;
  /** Foreign device topics and their decoders; without it only contract topics are read. */
  bridges?: BridgeRouter;
  /**
   * Set aside messages of uncached meters (in `deferred`) instead of dead-lettering them, so the
   * caller looks them up only when there are any and processes them again.
   */
  deferUnknownMeters?: boolean;
}

/** The meter id a topic names, if it names one: lets the directory be loaded before processing. */
export function meterIdOfTopic(topic: string, bridges?: BridgeRouter): string | undefined {
  if (!topic.startsWith(METER_TOPIC_START)) return bridges?.bridgeFor(topic)?.profile.meterId;
  const slash = topic.indexOf('/', METER_TOPIC_START.length);
  return slash > METER_TOPIC_START.length ? topic.slice(METER_TOPIC_START.length, slash) : undefined;
}

export function emptyBatch(): ProcessedBatch {
  return {
    readings: [],
    deadLetters: [],
    events: [],
    statusMessages: 0,
    bridged: new Map(),
    receiptTimed: 0,
    touched: new Map(),
    deferred: [],
  };
}

/** Runs the pipeline over `messages`, adding to `batch` (a fresh one by default). */
export function processBatch(
  messages: readonly IncomingMessage[],
  context: PipelineContext,
  batch: ProcessedBatch = emptyBatch(),
): ProcessedBatch {
  const now = context.now();
  for (const message of messages) {
    try {
      let parsed: { meterId: string; readings: MeterReading[]; rejected: Rejection[] };
      let bridgedFamily: string | undefined;
      let receiptTimed = 0;
      if (!message.topic.startsWith(METER_TOPIC_START) && context.bridges) {
        const bridge = context.bridges.bridgeFor(message.topic);
        if (!bridge) {
          rejectMessage(batch, message, 'BAD_TOPIC', `no bridge is configured for ${message.topic}`);
          continue;
        }
        const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
        const bridged = decodeBridged(bridge, message.topic, payload.toString('utf8'), { ...message, now });
        bridgedFamily = bridge.definition.family;
        receiptTimed = bridged.receiptTimed;
        parsed = bridged;
      } else if (message.topic.endsWith('/status')) {
        parseStatusMessage(message.topic, message.payload);
        batch.statusMessages++;
        continue;
      } else {
        parsed = parseReadingMessage(message.topic, message.payload, now);
      }
      const placement = parsed.readings.length > 0 ? context.placementOf(parsed.meterId) : undefined;
      if (!placement && parsed.readings.length > 0 && context.deferUnknownMeters) {
        // Before anything is counted or dead-lettered: the message is processed again after the lookup.
        batch.deferred.push(message);
        continue;
      }
      if (bridgedFamily !== undefined) {
        batch.bridged.set(bridgedFamily, (batch.bridged.get(bridgedFamily) ?? 0) + 1);
        batch.receiptTimed += receiptTimed;
      }
      for (const rejection of parsed.rejected) {
        rejectMessage(
          batch,
          message,
          rejection.code,
          rejection.index === undefined ? rejection.message : `reading ${rejection.index}: ${rejection.message}`,
        );
      }
      if (parsed.readings.length === 0) continue;
      if (!placement) {
        rejectMessage(batch, message, 'UNKNOWN_METER', `${parsed.meterId} (${parsed.readings.length} readings)`);
        continue;
      }
      for (let index = 0; index < parsed.readings.length; index++) {
        const reading = parsed.readings[index] as MeterReading;
        if (reading.kind !== placement.kind) {
          rejectMessage(batch, message, 'KIND_MISMATCH', `reading ${index}: ${reading.kind} on a ${placement.kind} meter`);
          continue;
        }
        const previous = context.lastReadings.get(reading.meterId);
        noteTouched(
          batch.touched,
          placement,
          Math.min(previous?.ts ?? reading.ts, reading.ts),
          Math.max(previous?.ts ?? reading.ts, reading.ts),
        );
        noteRegisterEvents(reading, previous, placement, context.lastReadings, batch.events);
        const stored: StoredReading = {
          meterId: placement.meterId,
          kind: placement.kind,
          household: placement.household,
          street: placement.street,
          neighbourhood: placement.neighbourhood,
          ts: reading.ts,
        };
        if (reading.register !== undefined) stored.register = reading.register;
        if (reading.delta !== undefined) stored.delta = reading.delta;
        batch.readings.push(stored);
      }
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      rejectMessage(batch, message, error.code, error.message);
    }
  }
  return batch;
}

function rejectMessage(batch: ProcessedBatch, message: IncomingMessage, code: RejectionCode, detail: string): void {
  batch.deadLetters.push(deadLetterOf(message, code, detail));
}

/** household|kind per placement, made once (placements are cached objects; the key is needed per reading). */
const touchedKeys = new WeakMap<MeterPlacement, string>();

function noteTouched(touched: ProcessedBatch['touched'], placement: MeterPlacement, from: number, to: number): void {
  let key = touchedKeys.get(placement);
  if (key === undefined) {
    key = `${placement.household}|${placement.kind}`;
    touchedKeys.set(placement, key);
  }
  const span = touched.get(key);
  if (!span) touched.set(key, { household: placement.household, kind: placement.kind, from, to });
  else {
    span.from = Math.min(span.from, from);
    span.to = Math.max(span.to, to);
  }
}

export function deadLetterOf(message: IncomingMessage, code: RejectionCode, detail: string): DeadLetter {
  const text = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength).toString(
    'utf8',
    0,
    Math.min(message.payload.byteLength, DEAD_LETTER_PAYLOAD_CHARS * 4),
  );
  return {
    receivedAt: message.receivedAt,
    sequence: message.sequence,
    topic: message.topic,
    reason: code,
    detail: detail || rejectionCodes[code],
    payload: text.slice(0, DEAD_LETTER_PAYLOAD_CHARS),
  };
}

/**
 * Records a register reset or an impossible step against the latest reading seen (`previous`,
 * the meter's entry in `last`, which this updates). Totals do not
 * depend on this (they are derived from the stored readings); it is the event log a resident or
 * operator reads. A late reading (older than the latest) is not compared.
 */
function noteRegisterEvents(
  reading: MeterReading,
  previous: RegisterPoint | undefined,
  placement: MeterPlacement,
  last: Map<string, RegisterPoint>,
  events: MeterEvent[],
): void {
  if (previous && reading.ts <= previous.ts) return;
  const register = reading.register;
  const delta = register !== undefined ? undefined : (reading.delta ?? 0);
  if (!previous) {
    last.set(reading.meterId, { ts: reading.ts, register, delta });
    return;
  }
  const { ts: previousTs, register: previousRegister } = previous;
  // In place: the map lives as long as ingest, so a new point per reading was promoted out of
  // V8's young generation only to die there.
  previous.ts = reading.ts;
  previous.register = register;
  previous.delta = delta;
  const minutes = (reading.ts - previousTs) / 60_000;
  let step: number | undefined;
  if (reading.delta !== undefined) step = reading.delta;
  else if (reading.register !== undefined && previousRegister !== undefined) {
    if (reading.register < previousRegister) {
      events.push({
        meterId: reading.meterId,
        household: placement.household,
        ts: reading.ts,
        type: 'register_reset',
        detail: `register went from ${previousRegister} to ${reading.register}: a new run starts`,
      });
      return;
    }
    step = reading.register - previousRegister;
  }
  if (step !== undefined && step > maxUsePerMinute[placement.kind] * minutes) {
    events.push({
      meterId: reading.meterId,
      household: placement.household,
      ts: reading.ts,
      type: 'impossible_step',
      detail: `${step} in ${minutes.toFixed(1)} min exceeds ${maxUsePerMinute[placement.kind]} per minute: left out of totals`,
    });
  }
}
