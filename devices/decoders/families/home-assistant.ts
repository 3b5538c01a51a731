// Home Assistant's MQTT Statestream: an entity's state on <base_topic>/<domain>/<object_id>/state
// as Home Assistant holds it, a bare string ("1234.567", or "unknown"/"unavailable"), QoS 1 and
// always retained, with no time. Each attribute (unit_of_measurement, device_class, state_class…)
// goes to a topic of its own beside it, JSON-encoded, and so, when asked, do last_updated and
// last_changed (ISO 8601).
// https://www.home-assistant.io/integrations/mqtt_statestream/
// https://github.com/home-assistant/core/blob/dev/homeassistant/components/mqtt_statestream/__init__.py
// A decoder reads one message and remembers nothing, so the unit published on another topic cannot
// be joined to the state: the bridge takes the state topic alone and the profile gives the unit
// the entity shows (m³ is m3, ft³ ft3). The kind follows the unit (a volume is water, an energy
// electricity) unless the profile says gas.
import type { MeterKind } from '../../contract/units.ts';
import { type DeviceDefinition, type DeviceExample, type DeviceProfileInput, reject } from '../definition.ts';
import { isRejection, oneReading, registerIn } from '../fields.ts';

const statestream = 'https://www.home-assistant.io/integrations/mqtt_statestream/';
const sensorUnits = 'https://developers.home-assistant.io/docs/core/entity/sensor/';

/** A sensor's state as statestream publishes it, read at its receipt (it carries no time). */
function stateExample(
  description: string,
  source: string,
  message: { entity: string; state: string; profile: DeviceProfileInput; reads: { kind: MeterKind; register: number } },
): DeviceExample {
  const at = Date.parse('2025-03-14T07:30:00Z');
  return {
    description,
    source,
    topic: `homeassistant/sensor/${message.entity}/state`,
    payload: message.state,
    profile: message.profile,
    receivedAt: at,
    readings: [{ ...message.reads, ts: at, tsFromReceipt: true }],
  };
}

// Home Assistant's own states for a sensor without a value.
// https://www.home-assistant.io/integrations/sensor/ (Unavailable, Unknown)
const noValue = new Set(['unknown', 'unavailable']);
// A plain decimal as Python prints a float ("1234.567", "1e-05"); no hex, no "inf". Each part can
// match only one way, so a long hostile string is refused in linear time.
const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const energyUnits = new Set(['Wh', 'kWh', 'MWh']);

export const homeAssistantStatestream: DeviceDefinition = {
  family: 'home-assistant-statestream',
  description: 'A Home Assistant water, energy or gas sensor published by MQTT Statestream (its state topic)',
  topicFilter: 'homeassistant/sensor/+/state',
  exposes: [
    { field: 'state', kind: 'water', unit: 'L' },
    { field: 'state', kind: 'electricity', unit: 'Wh' },
    { field: 'state', kind: 'gas', unit: 'Wh' },
  ],
  needs: ['unit'],
  // Any base topic (it may have several levels), a sensor entity, its state: not an attribute's topic.
  matches: (topic) => /^(?:[^/]+\/)+sensor\/[0-9a-z_]+\/state$/.test(topic),
  decode(_topic, payload, profile) {
    // The docs say states are JSON-encoded ("1.5" quoted); the code publishes them bare: read both.
    const state = payload.trim().replace(/^"(.*)"$/s, '$1');
    if (state === '') return reject('NO_READING', 'an empty state (a retained state being cleared)');
    if (noValue.has(state)) return reject('NO_READING', `Home Assistant says the sensor is ${state}`);
    const value = state.length <= 64 && decimal.test(state) ? Number(state) : Number.NaN;
    if (!Number.isFinite(value))
      return reject('BAD_REGISTER', `the state ${JSON.stringify(state.slice(0, 40))} is not a finite decimal number`);
    const unit = profile.unit ?? 'pulses';
    const kind = profile.kind ?? (energyUnits.has(unit) ? 'electricity' : 'water');
    const register = registerIn(value, unit, profile, kind);
    if (isRejection(register)) return register;
    // No time in the state; last_updated is another message: the receive time stands in, flagged.
    return oneReading(kind, register, undefined);
  },
  examples: [
    stateExample('sensor.water_meter in m³ (device_class water, state_class total_increasing)', statestream, {
      entity: 'water_meter',
      state: '1234.567',
      profile: { meterId: 'no9-water', unit: 'm3' },
      reads: { kind: 'water', register: 1_234_567 },
    }),
    stateExample('A litre-pulse water sensor in L', statestream, {
      entity: 'water_meter_total',
      state: '254301',
      profile: { meterId: 'no9-water', unit: 'L' },
      reads: { kind: 'water', register: 254_301 },
    }),
    stateExample('A water sensor in US gallons (a unit of the water device class), 3.785411784 L each', sensorUnits, {
      entity: 'water_meter',
      state: '48211.3',
      profile: { meterId: 'no9-water', unit: 'gal' },
      reads: { kind: 'water', register: 182_499.623 },
    }),
    stateExample('sensor.electricity_meter in kWh (device_class energy): the kind follows the unit', statestream, {
      entity: 'electricity_meter',
      state: '8421.503',
      profile: { meterId: 'no9-elec', unit: 'kWh' },
      reads: { kind: 'electricity', register: 8_421_503 },
    }),
    stateExample('An energy sensor in Wh', sensorUnits, {
      entity: 'house_energy',
      state: '15694050',
      profile: { meterId: 'no9-elec', unit: 'Wh' },
      reads: { kind: 'electricity', register: 15_694_050 },
    }),
    stateExample('sensor.gas_meter in m³ (device_class gas), to Wh by the UK formula: 3021.456 × 11,220.633…', sensorUnits, {
      entity: 'gas_meter',
      state: '3021.456',
      profile: { meterId: 'no9-gas', kind: 'gas', unit: 'm3' },
      reads: { kind: 'gas', register: 33_902_649.909 },
    }),
  ],
};
