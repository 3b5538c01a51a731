// Quirks of the Hildebrand Glow (examples with sources: glow.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { glow } from './glow.ts';

const decode = decoderFor(glow, { meterId: 'home-elec' });
const message = (cumulative: unknown, extra = '') =>
  `{"electricitymeter":{${extra}"energy":{"import":{"cumulative":${JSON.stringify(cumulative)},"units":"kWh"}},"power":{"value":-8388.608,"units":"kW"}}}`;

describe('Hildebrand Glow', () => {
  it('refuses the 0 placeholder a Glow sends before it has heard from the meter; ignores power sentinels', () => {
    expect(codes(decode('glow/A1/SENSOR/electricitymeter', message(0)))).toEqual(['BAD_REGISTER']);
    // power.value is a sentinel here: it is not read at all, the register is.
    expect(decode('glow/A1/SENSOR/electricitymeter', message(12.5), 5).readings).toStrictEqual([
      { kind: 'electricity', ts: 5, register: 12_500, tsFromReceipt: true },
    ]);
  });

  it('takes a string-encoded register and rejects unknown units and broken JSON', () => {
    expect(
      decode('glow/A1/SENSOR/electricitymeter', message('10.25', '"timestamp":"2024-01-01T00:00:00Z",')).readings,
    ).toStrictEqual([{ kind: 'electricity', ts: Date.parse('2024-01-01T00:00:00Z'), register: 10_250 }]);
    expect(codes(decode('glow/A1/SENSOR/electricitymeter', message(1).replace('kWh', 'MJ')))).toEqual(['UNKNOWN_UNIT']);
    expect(codes(decode('glow/A1/SENSOR/electricitymeter', '{"electricitymeter":'))).toEqual(['INVALID_JSON']);
    expect(codes(decode('glow/A1/SENSOR/gasmeter', message(1)))).toEqual(['NO_READING']);
  });
});
