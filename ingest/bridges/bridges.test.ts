// Bridges: the config a resident or operator writes, checked with precise messages, and the
// pipeline reading foreign messages with the same validation and dead letters as native ones.
import { describe, expect, it } from 'vitest';
import type { MeterPlacement } from '../../storage/readings/reading-store.ts';
import type { RegisterPoint } from '../../storage/readings/usage/intervals.ts';
import { type IncomingMessage, meterIdOfTopic, processBatch } from '../pipeline/pipeline.ts';
import { BridgeRouter, parseBridges } from './bridges.ts';

const config = {
  bridges: [
    { topic: 'tele/kitchen-meter/SENSOR', family: 'tasmota-counter', profile: { meterId: 'h1-w', unitsPerPulse: 1 } },
    { topic: 'kitchen/sensor/water_total/state', family: 'esphome-pulse-meter', profile: { meterId: 'h2-w', unit: 'm3' } },
    { topic: 'wmbusmeters/+', family: 'wmbusmeters', profile: { meterId: 'h3-w' } },
  ],
};
const placements: Record<string, MeterPlacement> = Object.fromEntries(
  ['h1', 'h2', 'h3'].map((h) => [
    `${h}-w`,
    { meterId: `${h}-w`, kind: 'water', household: h, street: 's1', neighbourhood: 'n1' },
  ]),
);
const now = Date.parse('2026-06-01T12:00:00Z');
let sequence = 0;
const message = (topic: string, payload: string, retained = false): IncomingMessage => ({
  topic,
  payload: Buffer.from(payload),
  receivedAt: now - 1000,
  sequence: sequence++,
  retained,
});

describe('bridge config', () => {
  it('parses a bridges file and routes each topic to the first matching bridge', () => {
    const router = new BridgeRouter(parseBridges(config));
    expect(router.topicFilters()).toStrictEqual(config.bridges.map((b) => b.topic));
    expect(router.bridgeFor('wmbusmeters/Tap')?.profile.meterId).toBe('h3-w');
    expect(router.bridgeFor('tele/other/SENSOR')).toBeUndefined();
    expect(meterIdOfTopic('tele/kitchen-meter/SENSOR', router)).toBe('h1-w');
    expect(meterIdOfTopic('ontap/v1/meters/m9/readings', router)).toBe('m9');
  });

  it('names whose credentials may publish a bridged topic: the meter’s own, or its hub’s', () => {
    const router = new BridgeRouter(
      parseBridges({
        bridges: [
          { topic: 'glow/A1/SENSOR/electricitymeter', family: 'hildebrand-glow', profile: { meterId: 'h4-e' } },
          { topic: 'glow/A1/SENSOR/gasmeter', family: 'hildebrand-glow', profile: { meterId: 'h4-g' }, publisher: 'h4-e' },
        ],
      }),
    );
    expect(router.publisherOf('glow/A1/SENSOR/electricitymeter')).toBe('h4-e');
    expect(router.publisherOf('glow/A1/SENSOR/gasmeter')).toBe('h4-e');
    expect(router.bridgeFor('glow/A1/SENSOR/gasmeter')?.profile.meterId).toBe('h4-g');
    expect(router.publisherOf('glow/B2/SENSOR/gasmeter')).toBeUndefined();
  });

  it.each([
    [
      { bridges: [{ topic: 'x/y', family: 'acme', profile: { meterId: 'm' } }] },
      /bridges\.0\.family: unknown family "acme"; known: tasmota-counter/,
    ],
    [
      { bridges: [{ topic: 'a/#/b', family: 'wmbusmeters', profile: { meterId: 'm' } }] },
      /bridges\.0\.topic: not a valid MQTT topic filter/,
    ],
    [{ bridges: [{ topic: 'ontap/v1/meters/m/readings', family: 'wmbusmeters', profile: { meterId: 'm' } }] }, /OnTap's own/],
    [
      { bridges: [{ topic: 'wmbusmeters/x', family: 'wmbusmeters', profile: { meterId: 'm m' } }] },
      /bridges\.0\.profile\.meterId: meterId must match/,
    ],
    [
      { bridges: [{ topic: 'stat/x/RESULT', family: 'tasmota-counter', profile: { meterId: 'm' } }] },
      /stat\/x\/RESULT is not a tasmota-counter topic/,
    ],
    [{ bridges: [{ topic: 'wmbusmeters/x', family: 'wmbusmeters', profile: { meterId: 'm', litres: 1 } }] }, /Unrecognized key/],
  ])('refuses %j with a precise message', (raw, message) => {
    expect(() => parseBridges(raw, 'bridges.json')).toThrow(message);
  });
});

describe('bridged messages in the pipeline', () => {
  const router = new BridgeRouter(parseBridges(config));
  const context = (last = new Map<string, RegisterPoint>()) => ({
    placementOf: (id: string) => placements[id],
    lastReadings: last,
    now: () => now,
    bridges: router,
  });

  it('decodes foreign messages into stored readings of the bridged meter, counting families and receipt-timed readings', () => {
    const batch = processBatch(
      [
        message('tele/kitchen-meter/SENSOR', '{"Time":"2026-06-01T11:00:00","COUNTER":{"C1":1200}}'),
        message('kitchen/sensor/water_total/state', '3.5'),
        message('wmbusmeters/Tap', '{"total_m3":12.5,"timestamp":"2026-06-01T10:59:00Z"}'),
      ],
      context(),
    );
    expect(batch.readings).toStrictEqual([
      { ...placements['h1-w'], ts: Date.parse('2026-06-01T10:00:00Z'), register: 1200 },
      { ...placements['h2-w'], ts: now - 1000, register: 3500 },
      { ...placements['h3-w'], ts: Date.parse('2026-06-01T10:59:00Z'), register: 12_500 },
    ]);
    expect(batch.deadLetters).toStrictEqual([]);
    expect([...batch.bridged]).toStrictEqual([
      ['tasmota-counter', 1],
      ['esphome-pulse-meter', 1],
      ['wmbusmeters', 1],
    ]);
    expect(batch.receiptTimed).toBe(1);
  });

  it('dead-letters bad foreign messages with their reasons, like native ones', () => {
    const batch = processBatch(
      [
        message('tele/kitchen-meter/SENSOR', '{"COUNTER":'),
        message('kitchen/sensor/water_total/state', 'nan'),
        message('kitchen/sensor/water_total/state', '3.5', true),
        message('wmbusmeters/Tap', '{"total_m3":1,"timestamp":"2026-06-01T13:00:00Z"}'),
        message('tele/unknown/SENSOR', '{}'),
      ],
      context(),
    );
    expect(batch.readings).toStrictEqual([]);
    expect(batch.deadLetters.map((d) => d.reason)).toStrictEqual([
      'INVALID_JSON',
      'NO_READING',
      'STALE_RETAINED',
      'TIMESTAMP_IN_FUTURE',
      'BAD_TOPIC',
    ]);
    expect(batch.deadLetters[1]?.detail).toMatch(/^esphome-pulse-meter: /);
  });

  it('sees a device counter reset as a new run (an event), never negative use', () => {
    const last = new Map<string, RegisterPoint>();
    const batch = processBatch(
      [
        message('tele/kitchen-meter/SENSOR', '{"Time":"2026-06-01T11:00:00","COUNTER":{"C1":1200}}'),
        message('tele/kitchen-meter/SENSOR', '{"Time":"2026-06-01T11:05:00","COUNTER":{"C1":4}}'),
      ],
      context(last),
    );
    expect(batch.readings.map((r) => r.register)).toStrictEqual([1200, 4]);
    expect(batch.events.map((e) => e.type)).toStrictEqual(['register_reset']);
  });
});
