// Fixture: Tasmota's counter telemetry, shape as documented at https://tasmota.github.io/docs/Counter/
// ({"Time":"…","COUNTER":{"C1":…}}, Time local without an offset).
import { describe, expect, it } from 'vitest';
import { deviceProfileSchema } from '../definition.ts';
import { tasmotaCounter } from './tasmota.ts';

const profile = deviceProfileSchema.parse({ meterId: 'garden-tap', unitsPerPulse: 1, kind: 'water' });

describe('Tasmota counter', () => {
  it('turns pulses into litres at the local time the device reported (BST here)', () => {
    expect(tasmotaCounter.matches('tele/watermeter/SENSOR')).toBe(true);
    expect(
      tasmotaCounter.decode('tele/watermeter/SENSOR', '{"Time":"2024-07-01T10:00:00","COUNTER":{"C1":123456}}', profile, 0),
    ).toStrictEqual({
      readings: [{ kind: 'water', ts: Date.parse('2024-07-01T09:00:00Z'), register: 123456 }],
      rejected: [],
    });
  });

  it('uses the receive time, flagged, when Time is missing, and needs litres per pulse', () => {
    const result = tasmotaCounter.decode(
      'tele/watermeter/SENSOR',
      '{"COUNTER":{"C1":"42"}}',
      { ...profile, unitsPerPulse: 0.5 },
      1_000,
    );
    expect(result.readings).toStrictEqual([{ kind: 'water', ts: 1_000, register: 21, tsFromReceipt: true }]);
    const noPulseSize = deviceProfileSchema.parse({ meterId: 'garden-tap' });
    expect(tasmotaCounter.decode('tele/x/SENSOR', '{"COUNTER":{"C1":1}}', noPulseSize, 0).rejected[0]?.code).toBe('BAD_REGISTER');
  });
});
