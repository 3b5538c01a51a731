// Tasmota pulse counters: tele/<topic>/SENSOR with {"Time":"…","COUNTER":{"C1":n}}, Time in the
// device's local time without an offset. https://tasmota.github.io/docs/Counter/

import { type DeviceDefinition, reject } from '../definition.ts';
import { localTimeToInstant } from '../local-time.ts';

export const tasmotaCounter: DeviceDefinition = {
  family: 'tasmota-counter',
  description: 'Tasmota pulse counter (reed switch or optical sensor on a meter)',
  topicFilter: 'tele/+/SENSOR',
  exposes: [
    { name: 'water', kind: 'water', unit: 'L' },
    { name: 'electricity', kind: 'electricity', unit: 'Wh' },
  ],
  matches: (topic) => /^tele\/[^/]+\/SENSOR$/.test(topic),
  decode(_topic, payload, profile, receivedAt) {
    let body: { Time?: unknown; COUNTER?: Record<string, unknown> };
    try {
      body = JSON.parse(payload);
    } catch (error) {
      return reject('INVALID_JSON', (error as Error).message);
    }
    const pulses = Number(body.COUNTER?.[profile.counter]);
    if (!Number.isFinite(pulses) || pulses < 0) return reject('BAD_REGISTER', `COUNTER.${profile.counter} is not a pulse count`);
    if (!profile.unitsPerPulse) return reject('BAD_REGISTER', 'the device profile needs unitsPerPulse');
    const local = typeof body.Time === 'string' ? localTimeToInstant(body.Time, profile.timeZone) : undefined;
    return {
      readings: [
        {
          kind: profile.kind ?? 'water',
          ts: local ?? receivedAt,
          register: pulses * profile.unitsPerPulse,
          ...(local === undefined ? { tsFromReceipt: true } : {}),
        },
      ],
      rejected: [],
    };
  },
};
