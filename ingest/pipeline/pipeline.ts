// What ingest does with a batch of spooled messages, as explicit steps:
//   parse (device contract) → look up the meter → check its kind → note register events → to stored readings.
// No I/O here: the meter directory is loaded before, the store written after (see ../ingest-service.ts).
import {
  ContractError,
  parseReadingMessage,
  parseStatusMessage,
  type RejectionCode,
  rejectionCodes,
} from '../../devices/contract/index.ts';
import type { MeterReading, Rejection } from '../../devices/contract/reading.ts';
import type { StatusPayload } from '../../devices/contract/status.ts';
import { isValidMeterId, METER_TOPIC_START } from '../../devices/contract/topics.ts';
import {
  DEAD_LETTER_PAYLOAD_CHARS,
  type DeadLetter,
  type MeterEvent,
  type MeterPlacement,
  type StoredReading,
} from '../../storage/readings/reading-store.ts';
import { maxUsePerMinute, type RegisterPoint } from '../../storage/readings/usage/intervals.ts';
import { type BridgeRouter, decodeBridged } from '../bridges/bridges.ts';

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
  /** For each reading, the message it came from (receivedAt, sequence): a refused reading's dead letter names it. */
  readingSources: number[];
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
  /** Errors of OnTap's own on some message (each dead-lettered PROCESSING_FAILED), for the log. */
  processingFailures: unknown[];
  /** Messages of erased households' meters, dropped. */
  erasedMessages: number;
  /** Per meter, where in `events` its status of this batch is: a later one in the batch takes its place. */
  statusEvents: Map<string, number>;
  /**
   * Per meter, what its status memory becomes once this batch is stored (commitStatuses): until
   * then the context's is left alone, so a batch read again after a fault decides the same way.
   */
  statusMemories: Map<string, StatusMemory>;
}

/** What ingest remembers of a meter's statuses, to bound how many it stores. */
export interface StatusMemory {
  /** The latest status stored: its receipt time, and whether the meter was online. */
  ts: number;
  online: boolean;
  /** The minute (receipt time ÷ 60 s) of the latest stored, and how many of that minute were stored. */
  minute: number;
  storedInMinute: number;
  /** A status over the minute's cap, not stored yet: stored once its minute is over, unless a later one comes first. */
  held?: MeterEvent & { online: boolean };
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
  /** Whether a meter belonged to an erased household: its messages are dropped, leaving no trace. */
  isErased?(meterId: string): boolean;
  /**
   * Per meter, what was stored of its statuses (changed only by commitStatuses, once a batch is
   * stored): at most one a minute while it stays on- or offline, at most STATUSES_STORED_PER_MINUTE
   * a minute however often it flaps, the latest always.
   */
  lastStatuses?: Map<string, StatusMemory>;
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
    readingSources: [],
    deadLetters: [],
    events: [],
    statusMessages: 0,
    bridged: new Map(),
    receiptTimed: 0,
    touched: new Map(),
    deferred: [],
    processingFailures: [],
    erasedMessages: 0,
    statusEvents: new Map(),
    statusMemories: new Map(),
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
    const firstLetter = batch.deadLetters.length;
    const firstReading = batch.readings.length;
    const firstEvent = batch.events.length;
    try {
      let parsed: { meterId: string; readings: MeterReading[]; rejected: Rejection[] };
      let bridgedFamily: string | undefined;
      let receiptTimed = 0;
      if (!message.topic.startsWith(METER_TOPIC_START) && context.bridges) {
        const bridge = context.bridges.bridgeFor(message.topic);
        if (!bridge) {
          rejectMessage(batch, message, 'BAD_TOPIC', `no bridge is configured for ${message.topic}`, context.bridges);
          continue;
        }
        if (setAsideUnknown(batch, message, context, bridge.profile.meterId)) continue;
        const payload = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength);
        const bridged = decodeBridged(bridge, message.topic, payload.toString('utf8'), { ...message, now });
        bridgedFamily = bridge.definition.family;
        receiptTimed = bridged.receiptTimed;
        parsed = bridged;
      } else if (message.topic.endsWith('/status')) {
        const { meterId, status } = parseStatusMessage(message.topic, message.payload);
        if (setAsideUnknown(batch, message, context, meterId)) continue;
        batch.statusMessages++;
        const placement = context.placementOf(meterId);
        if (placement && context.lastStatuses) noteStatus(batch, message, placement, status, context.lastStatuses);
        continue;
      } else {
        parsed = parseReadingMessage(message.topic, message.payload, now);
        if (setAsideUnknown(batch, message, context, parsed.meterId)) continue;
      }
      const placement = parsed.readings.length > 0 ? context.placementOf(parsed.meterId) : undefined;
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
          context.bridges,
        );
      }
      if (parsed.readings.length === 0) continue;
      if (!placement) {
        rejectMessage(batch, message, 'UNKNOWN_METER', `${parsed.meterId} (${parsed.readings.length} readings)`, context.bridges);
        continue;
      }
      // A reading's position in the message: the good readings' positions skip the refused ones.
      let position = -1;
      let nextRefused = 0;
      for (let index = 0; index < parsed.readings.length; index++) {
        const reading = parsed.readings[index] as MeterReading;
        position++;
        while (parsed.rejected[nextRefused]?.index === position) {
          position++;
          nextRefused++;
        }
        if (reading.kind !== placement.kind) {
          rejectMessage(
            batch,
            message,
            'KIND_MISMATCH',
            `reading ${position}: ${reading.kind} on a ${placement.kind} meter`,
            context.bridges,
          );
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
        batch.readingSources.push(message.receivedAt, message.sequence);
      }
    } catch (error) {
      if (error instanceof ContractError) {
        if (setAsideUnknown(batch, message, context, meterIdOfTopic(message.topic, context.bridges))) continue;
        rejectMessage(batch, message, error.code, error.message, context.bridges);
        continue;
      }
      // A fault of OnTap's on this message (a decoder bug, an input nobody foresaw): the message
      // is dead-lettered whole and the batch goes on. One message must never stop ingest.
      batch.readings.length = firstReading;
      batch.readingSources.length = firstReading * 2;
      batch.events.length = firstEvent;
      batch.deadLetters.length = firstLetter;
      rejectMessage(batch, message, 'PROCESSING_FAILED', describeError(error), context.bridges);
      batch.processingFailures.push(error);
    }
  }
  return batch;
}

/** A meter's statuses are stored at most this often while it stays online (or offline). */
export const STATUS_STORED_EVERY_MS = 60_000;

/**
 * However often a meter goes on- and offline, at most this many of its statuses are stored per
 * minute (of receipt time): all but the last as they come, the last kept for the minute's latest.
 */
export const STATUSES_STORED_PER_MINUTE = 4;

const minuteOf = (ts: number) => Math.floor(ts / 60_000);

/**
 * Keeps a known meter's status as a `status` event, timed by its receipt. A device may send
 * thousands, or flap on- and offline: a batch keeps each meter's latest; while the meter stays
 * online (or offline) one is stored a minute at most; and in any minute at most
 * STATUSES_STORED_PER_MINUTE are: the first three as they come, then the minute's latest is held
 * and stored once the minute is over (releaseHeldStatuses), unless a later status comes first. So
 * the state last sent is always the one stored last. A retained status is not stored: the broker
 * hands it out again on every subscription, so its receipt says nothing of when the meter sent it
 * (ingest had it live then).
 */
function noteStatus(
  batch: ProcessedBatch,
  message: IncomingMessage,
  placement: MeterPlacement,
  status: StatusPayload,
  committed: ReadonlyMap<string, StatusMemory>,
): void {
  if (message.retained) return;
  const { meterId } = placement;
  const event: MeterEvent & { online: boolean } = {
    meterId,
    household: placement.household,
    ts: message.receivedAt,
    type: 'status',
    detail: JSON.stringify(status),
    online: status.online,
  };
  const memory = memoryOf(batch, committed, meterId);
  if (memory && event.ts < Math.max(memory.ts, memory.held?.ts ?? Number.NEGATIVE_INFINITY)) return;
  const minute = minuteOf(event.ts);
  const index = batch.statusEvents.get(meterId);
  if (memory && index !== undefined && memory.minute === minute) {
    // This batch already stores one of this minute: the later takes its place (the count stays).
    batch.events[index] = storedEvent(event);
    batch.statusMemories.set(meterId, { ...memory, ts: event.ts, online: event.online, held: undefined });
    return;
  }
  // From here on, whatever was held is superseded by this later status: it is stored, held in its
  // place, or says what is stored already.
  if (memory && memory.online === event.online && event.ts - memory.ts < STATUS_STORED_EVERY_MS) {
    // Still on- (or off)line as stored, within a minute of it: nothing new to store, and a flap
    // held in between is over.
    if (memory.held) batch.statusMemories.set(meterId, { ...memory, held: undefined });
    return;
  }
  const storedInMinute = memory && memory.minute === minute ? memory.storedInMinute : 0;
  if (!memory || storedInMinute < STATUSES_STORED_PER_MINUTE - 1) {
    batch.statusEvents.set(meterId, batch.events.length);
    batch.events.push(storedEvent(event));
    batch.statusMemories.set(meterId, { ts: event.ts, online: event.online, minute, storedInMinute: storedInMinute + 1 });
    return;
  }
  // Over the minute's cap: held as the minute's latest, to be stored once the minute is over.
  batch.statusMemories.set(meterId, { ...memory, held: event });
}

/** A meter's status memory as this batch has left it so far, else as committed. */
function memoryOf(batch: ProcessedBatch, committed: ReadonlyMap<string, StatusMemory>, meterId: string) {
  return batch.statusMemories.get(meterId) ?? committed.get(meterId);
}

const storedEvent = ({ online: _online, ...event }: MeterEvent & { online: boolean }): MeterEvent => event;

/**
 * Adds to `batch` every held status whose minute is over by `now` (all of them with `now` at
 * +Infinity, as ingest stops): the last state a flapping meter sent is stored, with its receipt
 * time, as its minute's last. One that says what is stored already (the same state within a
 * minute of it) is dropped instead.
 */
export function releaseHeldStatuses(batch: ProcessedBatch, committed: ReadonlyMap<string, StatusMemory>, now: number): void {
  const meters = new Set([...(heldOf.get(committed) ?? []), ...batch.statusMemories.keys()]);
  for (const meterId of meters) {
    const memory = memoryOf(batch, committed, meterId);
    const held = memory?.held;
    if (!memory || !held || (minuteOf(held.ts) + 1) * 60_000 > now) continue;
    if (held.online === memory.online && held.ts - memory.ts < STATUS_STORED_EVERY_MS) {
      batch.statusMemories.set(meterId, { ...memory, held: undefined });
      continue;
    }
    const minute = minuteOf(held.ts);
    batch.statusEvents.set(meterId, batch.events.length);
    batch.events.push(storedEvent(held));
    batch.statusMemories.set(meterId, {
      ts: held.ts,
      online: held.online,
      minute,
      storedInMinute: (memory.minute === minute ? memory.storedInMinute : 0) + 1,
    });
  }
}

/** Per committed memory map, the meters with a status held (so releasing looks at those only). */
const heldOf = new WeakMap<ReadonlyMap<string, StatusMemory>, Set<string>>();

/** Whether any meter has a status held back (ingest stores them as it stops). */
export function hasHeldStatuses(committed: ReadonlyMap<string, StatusMemory>): boolean {
  return (heldOf.get(committed)?.size ?? 0) > 0;
}

/** Once `batch` is stored: what it decided about statuses becomes what the next batch goes by. */
export function commitStatuses(batch: ProcessedBatch, committed: Map<string, StatusMemory>): void {
  let held = heldOf.get(committed);
  if (!held) {
    held = new Set();
    heldOf.set(committed, held);
  }
  for (const [meterId, memory] of batch.statusMemories) {
    committed.set(meterId, memory);
    if (memory.held) held.add(meterId);
    else held.delete(meterId);
  }
  batch.statusMemories.clear();
}

/**
 * A message of a meter the directory's cache lacks is set aside to be looked up (before anything
 * is counted or dead-lettered: it is processed again after the lookup), or, once looked up, dropped
 * if its household was erased: nothing of it is kept, not even a dead letter. True when it was.
 */
function setAsideUnknown(
  batch: ProcessedBatch,
  message: IncomingMessage,
  context: PipelineContext,
  meterId: string | undefined,
): boolean {
  if (meterId === undefined || context.placementOf(meterId) !== undefined) return false;
  if (context.deferUnknownMeters) {
    batch.deferred.push(message);
    return true;
  }
  if (context.isErased?.(meterId)) {
    batch.erasedMessages++;
    return true;
  }
  return false;
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);

/** Longest dead-letter detail: a batch of 1,000 bad readings is summed up, not listed in full. */
export const DEAD_LETTER_DETAIL_CHARS = 2000;

/**
 * Dead-letters `message` for `code`. A message gets one dead letter per reason: a second
 * reading refused for the same reason joins the first's detail, so dead letters keep a unique
 * key (received time, sequence, reason) and none overwrites another.
 */
export function rejectMessage(
  batch: ProcessedBatch,
  message: IncomingMessage,
  code: RejectionCode,
  detail: string,
  bridges?: BridgeRouter,
): void {
  for (let i = batch.deadLetters.length - 1; i >= 0; i--) {
    const letter = batch.deadLetters[i] as DeadLetter;
    if (letter.receivedAt !== message.receivedAt || letter.sequence !== message.sequence) break;
    if (letter.reason === code) {
      if (letter.detail.length < DEAD_LETTER_DETAIL_CHARS) letter.detail = clip(`${letter.detail}; ${printable(detail)}`);
      return;
    }
  }
  batch.deadLetters.push(deadLetterOf(message, code, detail, bridges));
}

const clip = (text: string) =>
  text.length <= DEAD_LETTER_DETAIL_CHARS ? text : `${text.slice(0, DEAD_LETTER_DETAIL_CHARS - 1)}…`;

/**
 * Text a device sent, made safe for every store and every reader: control characters (NUL,
 * which PostgreSQL text cannot hold; newlines, which end a line of InfluxDB's line protocol;
 * escape sequences) become visible \uXXXX escapes.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
export const printable = (text: string) =>
  text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

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

export function deadLetterOf(message: IncomingMessage, code: RejectionCode, detail: string, bridges?: BridgeRouter): DeadLetter {
  const text = Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength).toString(
    'utf8',
    0,
    Math.min(message.payload.byteLength, DEAD_LETTER_PAYLOAD_CHARS * 4),
  );
  const letter: DeadLetter = {
    receivedAt: message.receivedAt,
    sequence: message.sequence,
    topic: printable(message.topic.length > 512 ? `${message.topic.slice(0, 511)}…` : message.topic),
    reason: code,
    detail: clip(printable(detail || rejectionCodes[code])),
    payload: printable(text.slice(0, DEAD_LETTER_PAYLOAD_CHARS)),
  };
  const meterId = meterIdOfTopic(message.topic, bridges);
  // Only an id that is one (erasure and export find a household's dead letters by it).
  if (meterId !== undefined && isValidMeterId(meterId)) letter.meterId = meterId;
  return letter;
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
