// Quirks of ESPHome state topics (examples with sources: esphome.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { esphomePulseMeter } from './esphome.ts';

const decode = decoderFor(esphomePulseMeter, { meterId: 'kitchen-water', unit: 'pulses', unitsPerPulse: 0.5 });

describe('ESPHome pulse meter', () => {
  it('reads a bare number as text at the receive time, flagged', () => {
    expect(decode('water/sensor/total/state', ' 200\n', 7_000).readings).toStrictEqual([
      { kind: 'water', ts: 7_000, register: 100, tsFromReceipt: true },
    ]);
  });

  it('refuses a retained state (its age is unknown; the next live one carries the same total)', () => {
    const retained = decode('water/sensor/total/state', '200', 7_000, true);
    expect(retained.readings).toEqual([]);
    expect(codes(retained)).toEqual(['STALE_RETAINED']);
  });

  it('says "nan" is no reading yet, and rejects words and negatives', () => {
    expect(codes(decode('water/sensor/total/state', 'nan'))).toEqual(['NO_READING']);
    expect(codes(decode('water/sensor/total/state', 'NaN'))).toEqual(['NO_READING']);
    expect(codes(decode('water/sensor/total/state', 'unavailable'))).toEqual(['BAD_REGISTER']);
    expect(codes(decode('water/sensor/total/state', '-3'))).toEqual(['BAD_REGISTER']);
    expect(codes(decode('water/binary_sensor/leak/state', '1'))).toEqual(['BAD_TOPIC']);
  });

  it('needs to be told what the number means', () => {
    const unitless = decoderFor(esphomePulseMeter, { meterId: 'kitchen-water' });
    expect(codes(unitless('water/sensor/total/state', '1'))).toEqual(['PROFILE_INCOMPLETE']);
    const wrongUnit = decoderFor(esphomePulseMeter, { meterId: 'kitchen-water', unit: 'kWh', kind: 'water' });
    expect(codes(wrongUnit('water/sensor/total/state', '1'))).toEqual(['UNIT_NOT_FOR_KIND']);
  });
});
