// Zigbee2MQTT water meters: zigbee2mqtt/<friendly_name> with the device state as JSON, the total
// in water_consumed (m³) as the converters expose it, and last_seen when advanced.last_seen is
// set (ISO_8601, ISO_8601_local or epoch ms). Z2M retains state only if the device is configured
// to; its messages carry no device time otherwise.
// https://www.zigbee2mqtt.io/devices/TS0601_water_meter.html
// https://www.zigbee2mqtt.io/guide/configuration/mqtt.html (last_seen)
import { type DeviceDefinition, reject } from '../definition.ts';
import { instantOf, isRejection, jsonObject, looseNumber, oneReading, registerIn } from '../fields.ts';

const source = 'https://www.zigbee2mqtt.io/devices/TS0601_water_meter.html';

export const zigbee2mqttWater: DeviceDefinition = {
  family: 'zigbee2mqtt-water',
  description: 'Zigbee water meter behind Zigbee2MQTT (water_consumed in m³)',
  topicFilter: 'zigbee2mqtt/+',
  exposes: [{ field: 'water_consumed', kind: 'water', unit: 'L' }],
  // Z2M also publishes zigbee2mqtt/bridge/… and …/availability: not device state.
  matches: (topic) => /^zigbee2mqtt\/(?!bridge(\/|$))[^/]+$/.test(topic),
  decode(_topic, payload, profile) {
    const body = jsonObject(payload);
    if (isRejection(body)) return body;
    if (!('water_consumed' in body)) return reject('NO_READING', 'no water_consumed in the state (a battery or link update)');
    const value = looseNumber(body.water_consumed);
    if (value === undefined) return reject('BAD_REGISTER', `water_consumed is ${JSON.stringify(body.water_consumed)}`);
    const register = registerIn(value, 'm3', profile, 'water');
    if (isRejection(register)) return register;
    const ts = instantOf(body.last_seen, profile);
    return oneReading('water', register, ts);
  },
  examples: [
    {
      description: 'Tuya TS0601 water meter state with last_seen as ISO_8601 (fields as the device page exposes them)',
      source,
      topic: 'zigbee2mqtt/water_meter',
      payload:
        '{"battery":97,"flow_rate":0,"last_seen":"2024-03-10T08:15:02.000Z","linkquality":112,"valve":"ON","water_consumed":41.27}',
      profile: { meterId: 'no3-water' },
      readings: [{ kind: 'water', ts: Date.parse('2024-03-10T08:15:02.000Z'), register: 41_270 }],
    },
    {
      description: 'The same device without last_seen: the receive time stands in, flagged',
      source,
      topic: 'zigbee2mqtt/water_meter',
      payload: '{"battery":97,"linkquality":109,"water_consumed":41.3}',
      profile: { meterId: 'no3-water' },
      receivedAt: Date.parse('2024-03-10T09:00:00Z'),
      readings: [{ kind: 'water', ts: Date.parse('2024-03-10T09:00:00Z'), register: 41_300, tsFromReceipt: true }],
    },
  ],
};
