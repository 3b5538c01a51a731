// The Things Stack v3 (The Things Network, TTI) uplinks from its MQTT server:
// v3/{application id}[@{tenant id}]/devices/{device id}/up, JSON with
// uplink_message.decoded_payload as the device repository's codec made it, and received_at.
// Envelope: https://www.thethingsindustries.com/docs/integrations/data-formats/
// Which decoded field is the meter register depends on the device model: the table below, one
// row per codec of https://github.com/TheThingsNetwork/lorawan-devices, chosen by profile.model.
import type { MeterKind } from '../../contract/units.ts';
import { type DeviceDefinition, reject } from '../definition.ts';
import { instantOf, isRejection, jsonObject, looseNumber, oneReading, registerIn } from '../fields.ts';

interface UplinkModel {
  description: string;
  kind: MeterKind;
  /** Field of decoded_payload holding the cumulative register, and its unit. */
  register: string;
  unit: 'm3' | 'L' | 'kWh' | 'Wh' | 'pulses';
  /** Field of decoded_payload holding the meter's own time, if the codec gives one. */
  time?: string;
}

export const uplinkModels: Record<string, UplinkModel> = {
  'axioma-qalcosonic-w1': {
    description: 'Axioma Qalcosonic W1 ultrasonic water meter',
    kind: 'water',
    register: 'current_volume_m3',
    unit: 'm3',
    time: 'timestamp_utc',
  },
  'milesight-em300-di': {
    description: 'Milesight EM300-DI pulse counter on a water meter’s pulse output',
    kind: 'water',
    register: 'pulse',
    unit: 'pulses',
  },
};

const codecSource = (path: string) => `https://github.com/TheThingsNetwork/lorawan-devices/blob/master/vendor/${path}`;
const envelope = (device: string, receivedAt: string, decoded: object) =>
  JSON.stringify({
    end_device_ids: {
      device_id: device,
      application_ids: { application_id: 'ontap-street' },
      dev_eui: '0004A30B001C0530',
    },
    correlation_ids: ['as:up:01...'],
    received_at: receivedAt,
    uplink_message: {
      f_port: 100,
      decoded_payload: decoded,
      received_at: receivedAt,
    },
  });

export const theThingsStack: DeviceDefinition = {
  family: 'the-things-stack',
  description: 'LoRaWAN water meters through The Things Stack v3 MQTT (uplinks decoded by the device repository)',
  topicFilter: 'v3/+/devices/+/up',
  exposes: Object.entries(uplinkModels).map(([model, { kind, register }]) => ({
    field: `${model}: uplink_message.decoded_payload.${register}`,
    kind,
    unit: kind === 'water' ? ('L' as const) : ('Wh' as const),
  })),
  needs: ['model'],
  models: uplinkModels,
  matches: (topic) => /^v3\/[^/]+\/devices\/[^/]+\/up$/.test(topic),
  decode(_topic, payload, profile) {
    // decodeDeviceMessage has checked that the profile names one of these models.
    const model = uplinkModels[profile.model as string] as UplinkModel;
    const body = jsonObject(payload);
    if (isRejection(body)) return body;
    const uplink = body.uplink_message as { decoded_payload?: Record<string, unknown>; received_at?: unknown } | undefined;
    const decoded = uplink?.decoded_payload;
    if (!decoded)
      return reject('NO_READING', 'no uplink_message.decoded_payload (is the device repository codec set as the formatter?)');
    if (!(model.register in decoded)) return reject('NO_READING', `no ${model.register} in decoded_payload (another frame type)`);
    const value = looseNumber(decoded[model.register]);
    if (value === undefined) return reject('BAD_REGISTER', `${model.register} is ${JSON.stringify(decoded[model.register])}`);
    const kind = profile.kind ?? model.kind;
    const register = registerIn(value, model.unit, profile, kind);
    if (isRejection(register)) return register;
    // The meter's own time, else when the network received the uplink (accurate to seconds).
    const ts =
      (model.time ? instantOf(decoded[model.time], profile) : undefined) ??
      instantOf(uplink?.received_at, profile) ??
      instantOf(body.received_at, profile);
    return oneReading(kind, register, ts);
  },
  examples: [
    {
      description: 'Axioma Qalcosonic W1, the codec’s “Enhanced 24h payload” example output, in an uplink envelope',
      source: codecSource('axioma/qalcosonic-w1-codec.yaml'),
      topic: 'v3/ontap-street@ttn/devices/axioma-w1-12/up',
      payload: envelope('axioma-w1-12', '2026-09-02T23:09:41.123Z', {
        payload_format: 'AXIOMA_W1_ENHANCED_24H',
        frame_version: 1,
        payload_bytes: 51,
        timestamp_unix: 1788390574,
        timestamp_utc: '2026-09-02T23:09:34.000Z',
        status: 0,
        low_battery: false,
        leakage: false,
        log_volume_m3: 5.938,
        history_count: 23,
        history_total_m3: 0.116,
        current_volume_m3: 6.054,
      }),
      profile: { meterId: 'no12-water', model: 'axioma-qalcosonic-w1' },
      readings: [{ kind: 'water', ts: Date.parse('2026-09-02T23:09:34.000Z'), register: 6054 }],
    },
    {
      description: 'Milesight EM300-DI, the codec’s example output (pulse 256), 10 L a pulse, at the network’s receive time',
      source: codecSource('milesight-iot/em300-di-codec.yaml'),
      topic: 'v3/ontap-street@ttn/devices/em300-di-7/up',
      payload: envelope('em300-di-7', '2024-04-12T06:30:00.5Z', { battery: 92, pulse: 256 }),
      profile: { meterId: 'no7-water', model: 'milesight-em300-di', unitsPerPulse: 10 },
      readings: [{ kind: 'water', ts: Date.parse('2024-04-12T06:30:00.5Z'), register: 2560 }],
    },
  ],
};
