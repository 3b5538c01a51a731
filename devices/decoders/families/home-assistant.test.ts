// Quirks of Home Assistant's MQTT Statestream (examples with sources: home-assistant.ts, run by
// catalog.test.ts). https://www.home-assistant.io/integrations/mqtt_statestream/
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { homeAssistantStatestream } from './home-assistant.ts';

const water = decoderFor(homeAssistantStatestream, { meterId: 'no9-water', unit: 'm3' });
const topic = 'homeassistant/sensor/water_meter/state';

describe('Home Assistant statestream', () => {
  it('reads the state of a sensor under any base topic, timed by receipt and flagged', () => {
    expect(water('home/statestream/sensor/water_meter/state', '12.5', 4_000).readings).toStrictEqual([
      { kind: 'water', ts: 4_000, register: 12_500, tsFromReceipt: true },
    ]);
    // The docs say states are JSON-encoded; as published they are bare. Either is read.
    expect(water(topic, '"12.5"\n', 4_000).readings).toStrictEqual([
      { kind: 'water', ts: 4_000, register: 12_500, tsFromReceipt: true },
    ]);
  });

  it('refuses a retained state: statestream retains every state, so the one replayed on subscribing may be old', () => {
    expect(codes(water(topic, '12.5', 4_000, true))).toEqual(['STALE_RETAINED']);
  });

  it('says unknown, unavailable and an empty (cleared) state are no reading', () => {
    for (const state of ['unknown', 'unavailable', '', '  ', '""']) {
      expect(codes(water(topic, state)), JSON.stringify(state)).toEqual(['NO_READING']);
    }
    expect(water(topic, 'unavailable').rejected[0]?.message).toBe('Home Assistant says the sensor is unavailable');
  });

  it('refuses words, hex, infinities, negatives and registers beyond any meter', () => {
    for (const state of [
      'on',
      'nan',
      'NaN',
      'inf',
      'Infinity',
      '1e400',
      '0x10',
      '1,234.5',
      '12 m³',
      '{"state":1}',
      '-3',
      '1e11',
    ]) {
      expect(codes(water(topic, state)), state).toEqual(['BAD_REGISTER']);
    }
    expect(water(topic, '1e306').rejected[0]?.message).toBe('1e+306 m3 is beyond any meter (at most 10000000000)');
    // A huge state is refused without being scanned at length.
    expect(codes(water(topic, `${'1'.repeat(300_000)}x`))).toEqual(['BAD_REGISTER']);
    expect(water(topic, '\u0000\u0001binary').rejected[0]?.message).toMatch(/^the state ".*" is not a finite decimal number$/);
  });

  it('takes only a sensor’s state topic: not its attributes, timestamps or other domains', () => {
    for (const other of [
      'homeassistant/sensor/water_meter/unit_of_measurement',
      'homeassistant/sensor/water_meter/device_class',
      'homeassistant/sensor/water_meter/last_updated',
      'homeassistant/switch/water_valve/state',
      'homeassistant/sensor/Water Meter/state',
      'sensor/water_meter/state',
      'homeassistant/sensor/water_meter/config',
    ]) {
      expect(codes(water(other, '12.5')), other).toEqual(['BAD_TOPIC']);
    }
  });

  it('converts exactly from each unit Home Assistant counts water and energy in', () => {
    const register = (unit: string, state: string, kind?: string) =>
      decoderFor(homeAssistantStatestream, { meterId: 'm', unit, ...(kind ? { kind } : {}) } as never)(topic, state).readings[0];
    expect(register('L', '254301')).toMatchObject({ kind: 'water', register: 254_301 });
    expect(register('gal', '10')).toMatchObject({ kind: 'water', register: 37.854 }); // 10 × 3.785411784
    expect(register('ft3', '100')).toMatchObject({ kind: 'water', register: 2831.685 }); // 100 × 28.316846592
    expect(register('CCF', '1')).toMatchObject({ kind: 'water', register: 2831.685 });
    expect(register('MWh', '1.5')).toMatchObject({ kind: 'electricity', register: 1_500_000 });
    expect(register('kWh', '1.5', 'gas')).toMatchObject({ kind: 'gas', register: 1500 });
  });

  it('needs the unit, and refuses one that does not fit the kind', () => {
    const unitless = decoderFor(homeAssistantStatestream, { meterId: 'no9-water' });
    expect(unitless(topic, '1').rejected).toStrictEqual([
      { code: 'PROFILE_INCOMPLETE', message: 'the home-assistant-statestream device profile needs unit' },
    ]);
    const gasInGallons = decoderFor(homeAssistantStatestream, { meterId: 'no9-gas', kind: 'gas', unit: 'gal' });
    expect(gasInGallons(topic, '1').rejected).toStrictEqual([
      { code: 'UNIT_NOT_FOR_KIND', message: 'unit gal does not fit a gas meter' },
    ]);
    const waterInKwh = decoderFor(homeAssistantStatestream, { meterId: 'no9-water', kind: 'water', unit: 'kWh' });
    expect(codes(waterInKwh(topic, '1'))).toEqual(['UNIT_NOT_FOR_KIND']);
  });
});
