// ESPHome pulse_meter (or pulse_counter) totals over MQTT: the state topic
// <topic_prefix>/sensor/<sensor_id>/state carries a bare number as text ("1234.567"), "nan" while
// unknown, retained by default, with no time. What the number means (pulses, L, m3, Wh, kWh) is
// the resident's YAML, so the profile says it.
// https://esphome.io/components/sensor/pulse_meter/  https://esphome.io/components/mqtt/
import { type DeviceDefinition, reject } from '../definition.ts';
import { isRejection, looseNumber, oneReading, registerIn } from '../fields.ts';

export const esphomePulseMeter: DeviceDefinition = {
  family: 'esphome-pulse-meter',
  description: 'ESPHome pulse_meter / pulse_counter total sensor on a water, electricity or gas meter',
  topicFilter: '+/sensor/+/state',
  exposes: [
    { field: 'state', kind: 'water', unit: 'L' },
    { field: 'state', kind: 'electricity', unit: 'Wh' },
    { field: 'state', kind: 'gas', unit: 'Wh' },
  ],
  needs: ['unit'],
  matches: (topic) => /^[^/]+\/sensor\/[^/]+\/state$/.test(topic),
  decode(_topic, payload, profile) {
    const text = payload.trim();
    const value = looseNumber(text);
    if (value === undefined)
      return reject(
        text.toLowerCase() === 'nan' ? 'NO_READING' : 'BAD_REGISTER',
        `the state ${JSON.stringify(text.slice(0, 40))} is not a number${text.toLowerCase() === 'nan' ? ' yet (the sensor has no value)' : ''}`,
      );
    const kind = profile.kind ?? 'water';
    const register = registerIn(value, profile.unit ?? 'pulses', profile, kind);
    if (isRejection(register)) return register;
    // ESPHome states carry no time: the receive time is the reading's time, flagged.
    return oneReading(kind, register, undefined);
  },
  examples: [
    {
      description: 'A pulse_meter total filtered to m³ (multiply: 0.001), as in the pulse_meter docs',
      source: 'https://esphome.io/components/sensor/pulse_meter/',
      topic: 'watermeter/sensor/water_total/state',
      payload: '123.457',
      profile: { meterId: 'kitchen-water', kind: 'water', unit: 'm3' },
      receivedAt: Date.parse('2024-05-01T07:15:00Z'),
      readings: [{ kind: 'water', ts: Date.parse('2024-05-01T07:15:00Z'), register: 123_457, tsFromReceipt: true }],
    },
    {
      description: 'An electricity total in kWh from an LED pulse meter',
      source: 'https://esphome.io/components/sensor/pulse_meter/',
      topic: 'esp-meter/sensor/energy_total/state',
      payload: '8421.50',
      profile: { meterId: 'flat-elec', kind: 'electricity', unit: 'kWh' },
      receivedAt: Date.parse('2024-05-01T07:15:00Z'),
      readings: [{ kind: 'electricity', ts: Date.parse('2024-05-01T07:15:00Z'), register: 8_421_500, tsFromReceipt: true }],
    },
    {
      description: 'A gas meter’s reed switch counted in pulses of 10 litres (0.01 m³ → Wh by the UK formula)',
      source: 'https://esphome.io/components/sensor/pulse_counter/',
      topic: 'gas-meter/sensor/gas_pulses/state',
      payload: '1000',
      profile: { meterId: 'flat-gas', kind: 'gas', unit: 'pulses', unitsPerPulse: 112.2 },
      receivedAt: Date.parse('2024-05-01T07:15:00Z'),
      readings: [{ kind: 'gas', ts: Date.parse('2024-05-01T07:15:00Z'), register: 112_200, tsFromReceipt: true }],
    },
  ],
};
