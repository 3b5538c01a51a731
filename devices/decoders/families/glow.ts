// Hildebrand Glow (IHD/CAD) local MQTT: glow/<MAC>/SENSOR/electricitymeter and …/gasmeter with
// energy.import.cumulative in kWh. Example payloads as posted from a Glow CAD:
// https://community.openenergymonitor.org/t/glow-ihd-with-local-mqtt/20689
import { type DeviceDefinition, reject } from '../definition.ts';

export const glow: DeviceDefinition = {
  family: 'hildebrand-glow',
  description: 'Hildebrand Glow display or CAD on SMETS2 electricity and gas meters',
  topicFilter: 'glow/+/SENSOR/+',
  exposes: [
    { name: 'electricitymeter', kind: 'electricity', unit: 'Wh' },
    { name: 'gasmeter', kind: 'gas', unit: 'Wh' },
  ],
  matches: (topic) => /^glow\/[^/]+\/SENSOR\/(electricitymeter|gasmeter)$/.test(topic),
  decode(topic, payload, _profile, receivedAt) {
    const meter = topic.endsWith('gasmeter') ? 'gasmeter' : 'electricitymeter';
    let body: Record<string, { timestamp?: unknown; energy?: { import?: { cumulative?: unknown; units?: unknown } } }>;
    try {
      body = JSON.parse(payload);
    } catch (error) {
      return reject('INVALID_JSON', (error as Error).message);
    }
    const reading = body[meter];
    const cumulative = Number(reading?.energy?.import?.cumulative);
    // The Glow sends 0 before it has heard from the meter: a placeholder, not a register.
    if (!Number.isFinite(cumulative) || cumulative <= 0)
      return reject('BAD_REGISTER', `${meter}.energy.import.cumulative is missing or a placeholder`);
    if (reading?.energy?.import?.units !== 'kWh')
      return reject('UNKNOWN_UNIT', `${meter} units ${JSON.stringify(reading?.energy?.import?.units)}`);
    const ts = typeof reading?.timestamp === 'string' ? Date.parse(reading.timestamp) : Number.NaN;
    return {
      readings: [
        {
          kind: meter === 'gasmeter' ? 'gas' : 'electricity',
          ts: Number.isFinite(ts) ? ts : receivedAt,
          register: Math.round(cumulative * 1000 * 1000) / 1000,
          ...(Number.isFinite(ts) ? {} : { tsFromReceipt: true }),
        },
      ],
      rejected: [],
    };
  },
};
