// Quirks of Zigbee2MQTT water meters (examples with sources: zigbee2mqtt.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { zigbee2mqttWater } from './zigbee2mqtt.ts';

const decode = decoderFor(zigbee2mqttWater, { meterId: 'no3-water' });

describe('Zigbee2MQTT water meter', () => {
  it('reads last_seen in each of Z2M’s formats: ISO_8601, ISO_8601_local, epoch', () => {
    const at = (lastSeen: unknown) =>
      decode('zigbee2mqtt/meter', JSON.stringify({ water_consumed: 1, last_seen: lastSeen })).readings[0]?.ts;
    expect(at('2024-03-10T08:15:02.000Z')).toBe(Date.parse('2024-03-10T08:15:02Z'));
    expect(at('2024-03-10T09:15:02+01:00')).toBe(Date.parse('2024-03-10T08:15:02Z'));
    expect(at(1710058502000)).toBe(Date.parse('2024-03-10T08:15:02Z'));
  });

  it('leaves bridge topics alone and says what a message lacks', () => {
    expect(zigbee2mqttWater.matches('zigbee2mqtt/bridge')).toBe(false);
    expect(codes(decode('zigbee2mqtt/bridge', '{}'))).toEqual(['BAD_TOPIC']);
    expect(codes(decode('zigbee2mqtt/meter/availability', '{"state":"online"}'))).toEqual(['BAD_TOPIC']);
    expect(codes(decode('zigbee2mqtt/meter', '{"battery":90,"linkquality":40}'))).toEqual(['NO_READING']);
    expect(codes(decode('zigbee2mqtt/meter', '{"water_consumed":null}'))).toEqual(['BAD_REGISTER']);
    expect(codes(decode('zigbee2mqtt/meter', '{"water_consumed":2}', 1, true))).toEqual(['STALE_RETAINED']);
  });
});
