// wmbusmeters: wireless/wired M-Bus meters decoded by wmbusmeters and published as JSON (its
// shell hook, e.g. mosquitto_pub -t wmbusmeters/$METER_NAME -m "$METER_JSON"). Water meters give
// total_m3; heat/other drivers name fields differently and some send null for a field the
// telegram lacked. timestamp is UTC. https://github.com/wmbusmeters/wmbusmeters (README)
import { type DeviceDefinition, reject } from '../definition.ts';
import { instantOf, isRejection, jsonObject, looseNumber, oneReading, registerIn } from '../fields.ts';

/** Register fields by what they measure, in the order they are tried. */
const registerFields = [
  { field: 'total_m3', kind: 'water', unit: 'm3' },
  { field: 'total_energy_consumption_kwh', kind: 'electricity', unit: 'kWh' },
] as const;

export const wmbusmeters: DeviceDefinition = {
  family: 'wmbusmeters',
  description: 'wmbusmeters JSON for a wireless or wired M-Bus water or electricity meter',
  topicFilter: 'wmbusmeters/+',
  exposes: registerFields.map(({ field, kind }) => ({ field, kind, unit: kind === 'water' ? 'L' : 'Wh' }) as const),
  matches: (topic) => /^wmbusmeters\/[^/]+$/.test(topic),
  decode(_topic, payload, profile) {
    const body = jsonObject(payload);
    if (isRejection(body)) return body;
    const found = registerFields.find(({ field, kind }) => field in body && (!profile.kind || profile.kind === kind));
    if (!found)
      return reject('NO_READING', `no ${registerFields.map((f) => f.field).join(' or ')} in the ${String(body.meter)} message`);
    const value = looseNumber(body[found.field]);
    if (value === undefined)
      return reject('BAD_REGISTER', `${found.field} is ${JSON.stringify(body[found.field])} (the telegram did not carry it)`);
    const register = registerIn(value, found.unit, profile, found.kind);
    if (isRejection(register)) return register;
    const ts = instantOf(body.timestamp, profile);
    return oneReading(found.kind, register, ts);
  },
  examples: [
    {
      description: 'A Sensus iPERL water meter, as printed in the README',
      source: 'https://github.com/wmbusmeters/wmbusmeters#readme',
      topic: 'wmbusmeters/MyTapWater',
      payload:
        '{"media":"water","meter":"iperl","name":"MyTapWater","id":"33225544","max_flow_m3h":0,"total_m3":123.529,"timestamp":"2024-03-03T18:37:00Z"}',
      profile: { meterId: 'tap-water' },
      readings: [{ kind: 'water', ts: Date.parse('2024-03-03T18:37:00Z'), register: 123_529 }],
    },
    {
      description: 'A Diehl IZAR water meter (wmbusmeters output kept in zibous/ha-watermeter)',
      source: 'https://github.com/zibous/ha-watermeter/blob/master/docs/wmbusdata.json',
      topic: 'wmbusmeters/watermeter',
      payload:
        '{"media":"water","meter":"izar","name":"watermeter","id":"1231150","total_m3":166.625,"last_month_total_m3":162.614,"last_month_measure_date":"2020-07-01","remaining_battery_life_y":13,"current_alarms":"no_alarm","previous_alarms":"no_alarm","timestamp":"2020-07-16T11:32:38Z"}',
      profile: { meterId: 'house-water' },
      readings: [{ kind: 'water', ts: Date.parse('2020-07-16T11:32:38Z'), register: 166_625 }],
    },
    {
      description:
        'An electricity meter (amiplus driver) from the driver’s own test: nulls for missing phases and the placeholder timestamp 1111-11-11 (the receive time stands in, flagged)',
      source: 'https://github.com/wmbusmeters/wmbusmeters/blob/master/src/driver_amiplus.cc',
      topic: 'wmbusmeters/MyElectricity1',
      payload:
        '{"media":"electricity","meter":"amiplus","name":"MyElectricity1","id":"10101010","total_energy_consumption_kwh":15694.05,"current_power_consumption_kw":0.33,"total_energy_production_kwh":7.48,"current_power_production_kw":0,"voltage_at_phase_1_v":236,"voltage_at_phase_2_v":null,"voltage_at_phase_3_v":null,"device_date_time":"2019-03-20 12:57","timestamp":"1111-11-11T11:11:11Z"}',
      profile: { meterId: 'house-elec' },
      receivedAt: Date.parse('2024-02-01T12:00:05Z'),
      readings: [{ kind: 'electricity', ts: Date.parse('2024-02-01T12:00:05Z'), register: 15_694_050, tsFromReceipt: true }],
    },
  ],
};
