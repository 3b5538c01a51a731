// Hildebrand Glow (IHD/CAD) local MQTT: glow/<MAC>/SENSOR/electricitymeter and …/gasmeter with
// energy.import.cumulative in kWh. Example payloads as posted from a Glow CAD:
// https://community.openenergymonitor.org/t/glow-ihd-with-local-mqtt/20689
import { type DeviceDefinition, reject } from '../definition.ts';
import { instantOf, isRejection, jsonObject, looseNumber, oneReading, registerIn } from '../fields.ts';

const source = 'https://community.openenergymonitor.org/t/glow-ihd-with-local-mqtt/20689';

export const glow: DeviceDefinition = {
  family: 'hildebrand-glow',
  description: 'Hildebrand Glow display or CAD on SMETS2 electricity and gas meters',
  topicFilter: 'glow/+/SENSOR/+',
  exposes: [
    { field: 'electricitymeter.energy.import.cumulative', kind: 'electricity', unit: 'Wh' },
    { field: 'gasmeter.energy.import.cumulative', kind: 'gas', unit: 'Wh' },
  ],
  matches: (topic) => /^glow\/[^/]+\/SENSOR\/(electricitymeter|gasmeter)$/.test(topic),
  decode(topic, payload, profile) {
    const meter = topic.endsWith('gasmeter') ? 'gasmeter' : 'electricitymeter';
    const body = jsonObject(payload);
    if (isRejection(body)) return body;
    const reading = body[meter] as
      | { timestamp?: unknown; energy?: { import?: { cumulative?: unknown; units?: unknown } } }
      | undefined;
    if (!reading?.energy?.import) return reject('NO_READING', `no ${meter}.energy.import in the message`);
    const cumulative = looseNumber(reading.energy.import.cumulative);
    // The Glow sends 0 before it has heard from the meter: a placeholder, not a register.
    if (cumulative === undefined || cumulative === 0)
      return reject('BAD_REGISTER', `${meter}.energy.import.cumulative is missing or the 0 placeholder`);
    if (reading.energy.import.units !== 'kWh')
      return reject('UNKNOWN_UNIT', `${meter} units ${JSON.stringify(reading.energy.import.units)}`);
    const kind = meter === 'gasmeter' ? 'gas' : 'electricity';
    const register = registerIn(cumulative, 'kWh', profile, kind);
    if (isRejection(register)) return register;
    const ts = instantOf(reading.timestamp, profile);
    return oneReading(kind, register, ts);
  },
  examples: [
    {
      description: 'Electricity meter (as posted from a Glow CAD, MPAN redacted there)',
      source,
      topic: 'glow/A1B2C3D4E5F6/SENSOR/electricitymeter',
      payload:
        '{"electricitymeter":{"timestamp":"2022-06-24T13:02:29Z","energy":{"export":{"cumulative":0,"units":"kWh"},"import":{"cumulative":4595.563,"day":10.464,"week":85.675,"month":512.937,"units":"kWh","mpan":"***********","supplier":"Octopus Energy","price":{"unitrate":0.3,"standingcharge":0.4457}}},"power":{"value":0.623,"units":"kW"}}}',
      profile: { meterId: 'home-elec' },
      readings: [{ kind: 'electricity', ts: Date.parse('2022-06-24T13:02:29Z'), register: 4_595_563 }],
    },
    {
      description: 'Gas meter, already converted to kWh by the display',
      source,
      topic: 'glow/A1B2C3D4E5F6/SENSOR/gasmeter',
      payload:
        '{"gasmeter":{"timestamp":"2022-06-24T13:13:30Z","energy":{"export":{"cumulative":0,"units":"kWh"},"import":{"cumulative":6728.026,"day":0,"week":9.781,"month":87.295,"units":"kWh","mprn":"EMPTY","supplier":"---","price":{"unitrate":0.07276,"standingcharge":0.2611}}},"power":{"value":0,"units":"kW"}}}',
      profile: { meterId: 'home-gas' },
      readings: [{ kind: 'gas', ts: Date.parse('2022-06-24T13:13:30Z'), register: 6_728_026 }],
    },
  ],
};
