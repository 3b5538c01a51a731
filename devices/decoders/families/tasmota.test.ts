// Quirks of Tasmota counters (examples with sources: tasmota.ts, run by catalog.test.ts).
import { describe, expect, it } from 'vitest';
import { codes, decoderFor } from '../testing/decode.ts';
import { tasmotaCounter } from './tasmota.ts';

const decode = decoderFor(tasmotaCounter, { meterId: 'garden-tap', unitsPerPulse: 0.5, kind: 'water' });

describe('Tasmota counter', () => {
  it('reads naive local time in the profile zone (GMT in winter, BST in summer)', () => {
    expect(decode('tele/w/SENSOR', '{"Time":"2024-01-10T10:00:00","COUNTER":{"C1":10}}').readings[0]?.ts).toBe(
      Date.parse('2024-01-10T10:00:00Z'),
    );
    expect(decode('tele/w/SENSOR', '{"Time":"2024-07-10T10:00:00","COUNTER":{"C1":10}}').readings[0]?.ts).toBe(
      Date.parse('2024-07-10T09:00:00Z'),
    );
  });

  it('takes string-encoded counts, and the receive time (flagged) for a missing or 1970 placeholder Time', () => {
    expect(decode('tele/w/SENSOR', '{"COUNTER":{"C1":"42"}}', 1_000_000).readings).toStrictEqual([
      { kind: 'water', ts: 1_000_000, register: 21, tsFromReceipt: true },
    ]);
    // Before NTP sync Tasmota reports 1970-01-01T00:00:…
    const unsynced = decode('tele/w/SENSOR', '{"Time":"1970-01-01T00:00:12","COUNTER":{"C1":4}}', 1_000_000);
    expect(unsynced.readings).toStrictEqual([{ kind: 'water', ts: 1_000_000, register: 2, tsFromReceipt: true }]);
  });

  it('passes a counter reset (power loss, SetOption79) through as a lower register for ingest to start a new run', () => {
    const before = decode('tele/w/SENSOR', '{"Time":"2024-01-10T10:00:00","COUNTER":{"C1":5000}}');
    const after = decode('tele/w/SENSOR', '{"Time":"2024-01-10T10:05:00","COUNTER":{"C1":3}}');
    expect([before.readings[0]?.register, after.readings[0]?.register]).toEqual([2500, 1.5]);
  });

  it('says precisely what is wrong', () => {
    expect(codes(decode('tele/w/SENSOR', '{"COUNTER":{"C2":1}}'))).toEqual(['NO_READING']);
    expect(codes(decode('tele/w/SENSOR', '{"COUNTER":{"C1":-4}}'))).toEqual(['BAD_REGISTER']);
    expect(codes(decode('tele/w/SENSOR', '{"COUNTER":{"C1":"lots"}}'))).toEqual(['BAD_REGISTER']);
    expect(codes(decode('tele/w/SENSOR', '{"COUNTER":'))).toEqual(['INVALID_JSON']);
    expect(codes(decode('stat/w/RESULT', '{"COUNTER":{"C1":1}}'))).toEqual(['BAD_TOPIC']);
    const noPulseSize = decoderFor(tasmotaCounter, { meterId: 'garden-tap' });
    expect(noPulseSize('tele/w/SENSOR', '{"COUNTER":{"C1":1}}').rejected[0]?.message).toMatch(/needs unitsPerPulse/);
  });
});
