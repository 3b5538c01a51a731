import { describe, expect, it } from 'vitest';
import type { MeterPlacement } from '../../storage/readings/reading-store.ts';
import type { RegisterPoint } from '../../storage/readings/usage/intervals.ts';
import {
  commitStatuses,
  DEAD_LETTER_DETAIL_CHARS,
  emptyBatch,
  hasHeldStatuses,
  type IncomingMessage,
  meterIdOfTopic,
  processBatch,
  releaseHeldStatuses,
  STATUSES_STORED_PER_MINUTE,
  type StatusMemory,
} from './pipeline.ts';

const placements: Record<string, MeterPlacement> = {
  'h1-w': { meterId: 'h1-w', kind: 'water', household: 'h1', street: 's1', neighbourhood: 'n1' },
};
let sequence = 0;
const message = (topic: string, payload: unknown): IncomingMessage => ({
  topic,
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  receivedAt: 1_000,
  sequence: sequence++,
});
const context = (last = new Map<string, RegisterPoint>()) => ({
  placementOf: (id: string) => placements[id],
  lastReadings: last,
  now: () => Date.parse('2026-06-01T12:00:00Z'),
});
const topic = (id: string, kind = 'readings') => `ontap/v1/meters/${id}/${kind}`;

describe('processBatch', () => {
  it('turns readings into stored readings tagged with the meter placement, in base units', () => {
    const batch = processBatch(
      [message(topic('h1-w'), [{ ts: '2026-06-01T10:00:00Z', kind: 'water', register: 1.5, unit: 'm3' }])],
      context(),
    );
    expect(batch.readings).toStrictEqual([{ ...placements['h1-w'], ts: Date.parse('2026-06-01T10:00:00Z'), register: 1500 }]);
    expect(batch.deadLetters).toStrictEqual([]);
  });

  it('sets aside the message of an uncached meter untouched, and processes it once when asked again', () => {
    const newcomer = message(topic('h2-w'), [
      { ts: 1_780_000_000_000, kind: 'water', register: 1, unit: 'L' },
      { ts: 1_780_000_060_000, kind: 'water', register: -1, unit: 'L' },
    ]);
    const known = message(topic('h1-w'), { ts: 1_780_000_000_000, kind: 'water', register: 5, unit: 'L' });
    const batch = processBatch([newcomer, known], { ...context(), deferUnknownMeters: true }, emptyBatch());
    expect(batch.deferred).toStrictEqual([newcomer]);
    expect(batch.readings.map((r) => r.meterId)).toStrictEqual(['h1-w']);
    expect(batch.deadLetters).toStrictEqual([]);
    // Looked up: now the directory knows it. Its bad reading is dead-lettered once, its good one kept.
    const withNewcomer = (id: string) =>
      id === 'h2-w' ? { ...(placements['h1-w'] as MeterPlacement), meterId: 'h2-w', household: 'h2' } : placements[id];
    processBatch(batch.deferred.splice(0), { ...context(), placementOf: withNewcomer }, batch);
    expect(batch.readings.map((r) => r.meterId)).toStrictEqual(['h1-w', 'h2-w']);
    expect(batch.deadLetters.map((letter) => letter.reason)).toStrictEqual(['BAD_REGISTER']);
  });

  it('dead-letters each kind of bad input with its reason and keeps the good readings of a batch', () => {
    const batch = processBatch(
      [
        message(topic('h1-w'), '{"ts": 1'),
        message(topic('nobody'), { ts: 1_780_000_000_000, kind: 'water', register: 1, unit: 'L' }),
        message(topic('h1-w'), [
          { ts: 1_780_000_000_000, kind: 'water', register: 1, unit: 'L' },
          { ts: 1_780_000_000_000, kind: 'gas', register: 1, unit: 'm3' },
          { ts: 'yesterday', kind: 'water', register: 2, unit: 'L' },
        ]),
        message(topic('h1-w', 'status'), { online: 'yes' }),
        message(topic('h1-w', 'status'), { online: true, battery: 80 }),
      ],
      context(),
    );
    expect(batch.deadLetters.map((d) => [d.reason, d.detail.slice(0, 12)])).toStrictEqual([
      ['INVALID_JSON', 'the payload '],
      ['UNKNOWN_METER', 'nobody (1 re'],
      ['BAD_TIMESTAMP', 'reading 2: t'],
      ['KIND_MISMATCH', 'reading 1: g'],
      ['BAD_STATUS', 'the status p'],
    ]);
    expect(batch.readings).toHaveLength(1);
    expect(batch.statusMessages).toBe(1);
    expect(batch.deadLetters[0]?.payload).toBe('{"ts": 1');
  });

  it('notes a register reset and an impossible step against the latest reading, not a late one', () => {
    const last = new Map<string, RegisterPoint>([['h1-w', { ts: Date.parse('2026-06-01T00:00:00Z'), register: 500 }]]);
    const t = (minutes: number) => Date.parse('2026-06-01T00:00:00Z') + minutes * 60_000;
    const batch = processBatch(
      [
        message(topic('h1-w'), { ts: t(15), kind: 'water', register: 520, unit: 'L' }),
        message(topic('h1-w'), { ts: t(30), kind: 'water', register: 10, unit: 'L' }),
        message(topic('h1-w'), { ts: t(20), kind: 'water', register: 1, unit: 'L' }),
        message(topic('h1-w'), { ts: t(31), kind: 'water', register: 900, unit: 'L' }),
      ].map((m) => ({ ...m, receivedAt: 0 })),
      { ...context(last), now: () => t(60) },
    );
    expect(batch.events.map((e) => [e.type, e.ts])).toStrictEqual([
      ['register_reset', t(30)],
      ['impossible_step', t(31)],
    ]);
    expect(last.get('h1-w')).toStrictEqual({ ts: t(31), register: 900, delta: undefined });
    expect(batch.readings).toHaveLength(4);
  });
});

describe('processBatch with status messages', () => {
  const status = (id: string, payload: unknown, receivedAt: number, retained = false): IncomingMessage => ({
    ...message(topic(id, 'status'), payload),
    receivedAt,
    ...(retained ? { retained } : {}),
  });

  it("keeps a known meter's status as an event timed by its receipt; an unknown meter's or a retained one is not kept", () => {
    const batch = processBatch(
      [
        status('h1-w', { online: true, battery: 80, rssi: -71, extra: 'dropped' }, 5_000),
        status('nobody', { online: true }, 5_000),
        status('h1-w', { online: false }, 6_000, true),
      ],
      { ...context(), lastStatuses: new Map() },
    );
    expect(batch.events).toStrictEqual([
      { meterId: 'h1-w', household: 'h1', ts: 5_000, type: 'status', detail: '{"online":true,"battery":80,"rssi":-71}' },
    ]);
    expect(batch.statusMessages).toBe(3);
    expect(batch.deadLetters).toStrictEqual([]);
  });

  /** Processes messages as one batch and, as ingest does once it is stored, commits its statuses. */
  const stored = (messages: IncomingMessage[], lastStatuses: Map<string, StatusMemory>) => {
    const batch = processBatch(messages, { ...context(), lastStatuses });
    commitStatuses(batch, lastStatuses);
    return batch;
  };

  it('keeps one status per meter and batch from a flood, and one a minute while the meter stays online', () => {
    const lastStatuses = new Map<string, StatusMemory>();
    const flood = Array.from({ length: 5_000 }, (_, i) => status('h1-w', { online: true, battery: i % 100 }, 10_000 + i));
    const first = stored(flood, lastStatuses);
    // The latest of the 5,000: received at 14,999 with battery 4,999 % 100 = 99.
    expect(first.events.map((e) => [e.ts, e.detail])).toStrictEqual([[14_999, '{"online":true,"battery":99}']]);
    expect(first.statusMessages).toBe(5_000);
    // 30 s later, still online: not kept. Going offline 1 s after that: kept at once.
    expect(stored([status('h1-w', { online: true }, 44_999)], lastStatuses).events).toStrictEqual([]);
    const offline = stored([status('h1-w', { online: false }, 45_999)], lastStatuses);
    expect(offline.events.map((e) => [e.ts, e.detail])).toStrictEqual([[45_999, '{"online":false}']]);
    // Offline again 59.999 s later: not kept; a minute after the last kept one: kept.
    expect(stored([status('h1-w', { online: false }, 105_998)], lastStatuses).events).toHaveLength(0);
    expect(stored([status('h1-w', { online: false }, 105_999)], lastStatuses).events).toHaveLength(1);
  });

  it('stores at most 4 statuses a minute of a meter flapping on- and offline, the last state always among them', () => {
    // One status a second, online at even seconds and offline at odd ones, from 0 to 59 s (minute 0),
    // each in a batch of its own (a trickle: the worst case). Once every change was stored: 60.
    expect(STATUSES_STORED_PER_MINUTE).toBe(4);
    const lastStatuses = new Map<string, StatusMemory>();
    const kept: [number, string][] = [];
    for (let second = 0; second < 60; second++) {
      const batch = stored([status('h1-w', { online: second % 2 === 0 }, second * 1000)], lastStatuses);
      kept.push(...batch.events.map((e): [number, string] => [e.ts, e.detail]));
    }
    // 0 s online, 1 s offline, 2 s online are stored as they come. From 3 s on the minute's last
    // place is kept for its latest: 3 s offline is held; 4 s online is what is stored already
    // (within a minute of 2 s), so the flap is over; … 59 s offline is held.
    expect(kept).toStrictEqual([
      [0, '{"online":true}'],
      [1_000, '{"online":false}'],
      [2_000, '{"online":true}'],
    ]);
    expect(hasHeldStatuses(lastStatuses)).toBe(true);
    // 59.999 s: minute 0 is not over, nothing is released. 60 s: the held 59 s offline is stored,
    // the minute's fourth, and the last state the meter sent.
    const early = emptyBatch();
    releaseHeldStatuses(early, lastStatuses, 59_999);
    expect(early.events).toStrictEqual([]);
    const released = emptyBatch();
    releaseHeldStatuses(released, lastStatuses, 60_000);
    expect(released.events.map((e) => [e.ts, e.detail])).toStrictEqual([[59_000, '{"online":false}']]);
    commitStatuses(released, lastStatuses);
    expect(hasHeldStatuses(lastStatuses)).toBe(false);
    // In minute 1 the count starts again: 60.5 s online is stored at once.
    expect(stored([status('h1-w', { online: true }, 60_500)], lastStatuses).events.map((e) => e.ts)).toStrictEqual([60_500]);
  });

  it('keeps a flapping meter’s latest status over the cap when a later one arrives before the minute is over', () => {
    const lastStatuses = new Map<string, StatusMemory>();
    for (const [second, online] of [
      [0, true],
      [1, false],
      [2, true],
      [3, false],
    ] as const)
      stored([status('h1-w', { online }, second * 1000)], lastStatuses);
    // 3 s offline is held; 61 s offline comes first (minute 1): the held one is superseded by it,
    // and it is stored at once, so the last state is stored either way.
    const next = stored([status('h1-w', { online: false }, 61_000)], lastStatuses);
    expect(next.events.map((e) => [e.ts, e.detail])).toStrictEqual([[61_000, '{"online":false}']]);
    expect(hasHeldStatuses(lastStatuses)).toBe(false);
  });

  it('remembers a status only once its batch is stored: a batch read again after a fault stores it again', () => {
    // Online at 0 s, stored. At 70 s the meter goes offline; the store write fails (a drainer fault),
    // so the same batch is read again. Once the first reading's decision was remembered at once, and
    // the replayed "went offline" was taken for a repeat within a minute and lost.
    const lastStatuses = new Map<string, StatusMemory>();
    stored([status('h1-w', { online: true }, 0)], lastStatuses);
    const wentOffline = status('h1-w', { online: false }, 70_000);
    const failed = processBatch([wentOffline], { ...context(), lastStatuses });
    expect(failed.events.map((e) => e.detail)).toStrictEqual(['{"online":false}']);
    expect(lastStatuses.get('h1-w')).toMatchObject({ ts: 0, online: true });
    const replayed = stored([wentOffline], lastStatuses);
    expect(replayed.events.map((e) => [e.ts, e.detail])).toStrictEqual([[70_000, '{"online":false}']]);
    // Stored now: the same status again is a repeat.
    expect(stored([wentOffline], lastStatuses).events).toStrictEqual([]);
  });
});

describe('processBatch against poison', () => {
  it('gives a message one dead letter per reason, joining the details of its readings refused for the same one', () => {
    // Once each bad reading was its own dead letter under the message's key, and all but one were lost.
    const batch = processBatch(
      [
        message(topic('h1-w'), [
          { ts: 'yesterday', kind: 'water', register: 1, unit: 'L' },
          { ts: 1_780_000_000_000, kind: 'water', register: -1, unit: 'L' },
          { ts: 'tomorrow', kind: 'water', register: 1, unit: 'L' },
          { ts: 1_780_000_000_000, kind: 'gas', register: 1, unit: 'm3' },
          { ts: 1_780_000_060_000, kind: 'gas', register: 2, unit: 'm3' },
          { ts: 1_780_000_000_000, kind: 'water', register: 5, unit: 'L' },
        ]),
      ],
      context(),
    );
    expect(batch.readings).toHaveLength(1);
    expect(batch.deadLetters.map((d) => [d.reason, d.detail])).toStrictEqual([
      [
        'BAD_TIMESTAMP',
        'reading 0: ts must be an ISO-8601 string with a time zone or epoch milliseconds, got "yesterday"; reading 2: ts must be an ISO-8601 string with a time zone or epoch milliseconds, got "tomorrow"',
      ],
      ['BAD_REGISTER', 'reading 1: register must be a number from 0 to 1e10 (in the unit sent), got -1'],
      ['KIND_MISMATCH', 'reading 3: gas on a water meter; reading 4: gas on a water meter'],
    ]);
    const keys = batch.deadLetters.map((d) => `${d.receivedAt}/${d.sequence}/${d.reason}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(batch.deadLetters.every((d) => d.meterId === 'h1-w')).toBe(true);
  });

  it('dead-letters a message OnTap itself fails on as PROCESSING_FAILED, and goes on with the next', () => {
    const failing = message(topic('h1-w'), { ts: 1_780_000_000_000, kind: 'water', register: 1, unit: 'L' });
    const good = message(topic('h1-w'), { ts: 1_780_000_060_000, kind: 'water', register: 2, unit: 'L' });
    let calls = 0;
    const batch = processBatch([failing, good], {
      ...context(),
      // A fault of OnTap's on the first message only (a decoder or lookup bug).
      placementOf: (id: string) => {
        if (calls++ === 0) throw new TypeError('Cannot read properties of undefined');
        return placements[id];
      },
    });
    expect(batch.deadLetters.map((d) => [d.reason, d.detail, d.sequence])).toStrictEqual([
      ['PROCESSING_FAILED', 'TypeError: Cannot read properties of undefined', failing.sequence],
    ]);
    expect(batch.processingFailures).toHaveLength(1);
    expect(batch.readings.map((r) => r.ts)).toStrictEqual([1_780_000_060_000]);
    expect(batch.readingSources).toStrictEqual([good.receivedAt, good.sequence]);
  });

  it('makes what a device sent printable: control characters become visible escapes', () => {
    const batch = processBatch([message(topic('h1-w'), 'x\u0000y\nz\u001b[31m')], context());
    expect(batch.deadLetters[0]?.payload).toBe('x\\u0000y\\u000az\\u001b[31m');
    expect([...(batch.deadLetters[0]?.detail ?? '')].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('bounds the detail of a batch of 1,000 bad readings', () => {
    const batch = processBatch(
      [
        message(
          topic('h1-w'),
          Array.from({ length: 1000 }, () => ({ ts: 'soon', kind: 'water', register: 1, unit: 'L' })),
        ),
      ],
      context(),
    );
    expect(batch.deadLetters).toHaveLength(1);
    expect(batch.deadLetters[0]?.detail.length).toBeLessThanOrEqual(DEAD_LETTER_DETAIL_CHARS);
  });
});

describe('meterIdOfTopic', () => {
  it('reads the meter id of a meter topic and nothing else', () => {
    expect(meterIdOfTopic('ontap/v1/meters/h1-w/readings')).toBe('h1-w');
    expect(meterIdOfTopic('elsewhere/h1-w/readings')).toBeUndefined();
  });
});
