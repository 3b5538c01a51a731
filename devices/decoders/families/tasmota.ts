// Tasmota pulse counters: tele/<topic>/SENSOR with {"Time":"…","COUNTER":{"C1":n}}, Time in the
// device's local time without an offset. https://tasmota.github.io/docs/Counter/
// The counter restarts from 0 when the device loses power unless it is saved to flash, and
// SetOption79 resets it at each teleperiod: both reach ingest as a register that went down,
// which starts a new run (no negative use).
import { type DeviceDefinition, reject } from '../definition.ts';
import { instantOf, isRejection, jsonObject, looseNumber, oneReading, registerIn } from '../fields.ts';

export const tasmotaCounter: DeviceDefinition = {
  family: 'tasmota-counter',
  description: 'Tasmota pulse counter (reed switch or optical sensor on a water or electricity meter)',
  topicFilter: 'tele/+/SENSOR',
  exposes: [
    { field: 'COUNTER.<counter>', kind: 'water', unit: 'L' },
    { field: 'COUNTER.<counter>', kind: 'electricity', unit: 'Wh' },
  ],
  needs: ['unitsPerPulse'],
  matches: (topic) => /^tele\/[^/]+\/SENSOR$/.test(topic),
  decode(_topic, payload, profile) {
    const body = jsonObject(payload);
    if (isRejection(body)) return body;
    const counters = body.COUNTER as Record<string, unknown> | undefined;
    if (!counters || !(profile.counter in counters)) return reject('NO_READING', `no COUNTER.${profile.counter} in the message`);
    const pulses = looseNumber(counters[profile.counter]);
    if (pulses === undefined) return reject('BAD_REGISTER', `COUNTER.${profile.counter} is not a pulse count`);
    const kind = profile.kind ?? 'water';
    const register = registerIn(pulses, 'pulses', profile, kind);
    if (isRejection(register)) return register;
    const ts = instantOf(body.Time, profile);
    return oneReading(kind, register, ts);
  },
  examples: [
    {
      description: 'A counter on C1, one litre a pulse (message shape as documented; values illustrative)',
      source: 'https://tasmota.github.io/docs/Counter/',
      topic: 'tele/watermeter/SENSOR',
      payload: '{"Time":"2024-07-01T10:00:00","COUNTER":{"C1":123456}}',
      profile: { meterId: 'garden-tap', unitsPerPulse: 1, kind: 'water' },
      readings: [{ kind: 'water', ts: Date.parse('2024-07-01T09:00:00Z'), register: 123456 }],
    },
    {
      description: 'An electricity meter’s LED on C2, 1 Wh a flash (1000 imp/kWh)',
      source: 'https://tasmota.github.io/docs/Counter/',
      topic: 'tele/elec/SENSOR',
      payload: '{"Time":"2024-01-15T18:30:00","COUNTER":{"C1":0,"C2":88213}}',
      profile: { meterId: 'house-elec', unitsPerPulse: 1, kind: 'electricity', counter: 'C2' },
      readings: [{ kind: 'electricity', ts: Date.parse('2024-01-15T18:30:00Z'), register: 88213 }],
    },
  ],
};
