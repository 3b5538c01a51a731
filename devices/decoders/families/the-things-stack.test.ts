// Quirks of The Things Stack uplinks (examples with sources: the-things-stack.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { theThingsStack } from './the-things-stack.ts';

const topic = 'v3/ontap@ttn/devices/w1/up';
const uplink = (decoded: object | undefined, receivedAt = '2024-04-12T06:30:00Z') =>
  JSON.stringify({ received_at: receivedAt, uplink_message: { f_port: 100, decoded_payload: decoded } });

describe('The Things Stack v3 uplinks', () => {
  const w1 = decoderFor(theThingsStack, { meterId: 'w1', model: 'axioma-qalcosonic-w1' });

  it('prefers the meter’s own time, then the network’s receive time', () => {
    expect(w1(topic, uplink({ current_volume_m3: 1.5, timestamp_utc: '2024-04-12T06:29:00.000Z' })).readings[0]?.ts).toBe(
      Date.parse('2024-04-12T06:29:00Z'),
    );
    expect(w1(topic, uplink({ current_volume_m3: 1.5 })).readings).toStrictEqual([
      { kind: 'water', ts: Date.parse('2024-04-12T06:30:00Z'), register: 1500 },
    ]);
    expect(w1('v3/ontap/devices/w1/up', uplink({ current_volume_m3: '2.25' })).readings[0]?.register).toBe(2250);
  });

  it('says which frame or setting is missing', () => {
    expect(codes(w1(topic, uplink(undefined)))).toEqual(['NO_READING']);
    expect(codes(w1(topic, uplink({ battery: 90 })))).toEqual(['NO_READING']);
    expect(codes(w1(topic, uplink({ current_volume_m3: null })))).toEqual(['BAD_REGISTER']);
    expect(codes(w1('v3/ontap@ttn/devices/w1/join', uplink({})))).toEqual(['BAD_TOPIC']);
    const unknown = decoderFor(theThingsStack, { meterId: 'w1', model: 'acme-9000' });
    expect(unknown(topic, uplink({})).rejected[0]).toMatchObject({ code: 'UNKNOWN_DEVICE_MODEL' });
    const noModel = decoderFor(theThingsStack, { meterId: 'w1' });
    expect(codes(noModel(topic, uplink({})))).toEqual(['PROFILE_INCOMPLETE']);
    const noPulseSize = decoderFor(theThingsStack, { meterId: 'w1', model: 'milesight-em300-di' });
    expect(codes(noPulseSize(topic, uplink({ pulse: 3 })))).toEqual(['PROFILE_INCOMPLETE']);
  });
});
