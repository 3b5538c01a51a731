// Quirks of wmbusmeters JSON (examples with sources: wmbusmeters.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { wmbusmeters } from './wmbusmeters.ts';

const decode = decoderFor(wmbusmeters, { meterId: 'tap-water' });

describe('wmbusmeters', () => {
  it('rejects a null total (a telegram without it) and a message without any total', () => {
    expect(codes(decode('wmbusmeters/Tap', '{"meter":"iperl","total_m3":null,"timestamp":"2024-03-03T18:37:00Z"}'))).toEqual([
      'BAD_REGISTER',
    ]);
    expect(codes(decode('wmbusmeters/Tap', '{"meter":"lansenth","temperature_c":21.5}'))).toEqual(['NO_READING']);
  });

  it('uses the receive time, flagged, when timestamp is missing; refuses such a message when retained', () => {
    expect(decode('wmbusmeters/Tap', '{"total_m3":1.001}', 9_000).readings).toStrictEqual([
      { kind: 'water', ts: 9_000, register: 1001, tsFromReceipt: true },
    ]);
    expect(codes(decode('wmbusmeters/Tap', '{"total_m3":1.001}', 9_000, true))).toEqual(['STALE_RETAINED']);
    // With its own time a retained message is harmless: the same reading again.
    expect(decode('wmbusmeters/Tap', '{"total_m3":1,"timestamp":"2024-03-03T18:37:00Z"}', 9_000, true).readings).toHaveLength(1);
  });

  it('never takes a payload shaped like a decode result for one', () => {
    const lookalike = '{"readings":[{"kind":"water","ts":1700000000000,"register":5}],"rejected":[]}';
    expect(codes(decode('wmbusmeters/Tap', lookalike))).toEqual(['NO_READING']);
  });

  it('reads only the register that fits a profile’s kind', () => {
    const electricity = decoderFor(wmbusmeters, { meterId: 'e', kind: 'electricity' });
    expect(codes(electricity('wmbusmeters/Tap', '{"total_m3":1}'))).toEqual(['NO_READING']);
  });
});
