// Fixture: the payloads a Glow CAD publishes, as posted on
// https://community.openenergymonitor.org/t/glow-ihd-with-local-mqtt/20689 (mpan redacted there).
import { describe, expect, it } from 'vitest';
import { deviceProfileSchema } from '../definition.ts';
import { glow } from './glow.ts';

const profile = deviceProfileSchema.parse({ meterId: 'home-elec' });
const electricity =
  '{"electricitymeter":{"timestamp":"2022-06-24T13:02:29Z","energy":{"export":{"cumulative":0,"units":"kWh"},"import":{"cumulative":4595.563,"day":10.464,"week":85.675,"month":512.937,"units":"kWh","mpan":"***********","supplier":"Octopus Energy","price":{"unitrate":0.3,"standingcharge":0.4457}}},"power":{"value":0.623,"units":"kW"}}}';
const gas =
  '{"gasmeter":{"timestamp":"2022-06-24T13:13:30Z","energy":{"export":{"cumulative":0,"units":"kWh"},"import":{"cumulative":6728.026,"day":0,"week":9.781,"month":87.295,"units":"kWh","mprn":"EMPTY","supplier":"---","price":{"unitrate":0.07276,"standingcharge":0.2611}}},"power":{"value":0,"units":"kW"}}}';

describe('Hildebrand Glow', () => {
  it('reads the electricity and gas import registers in Wh at the meter timestamp', () => {
    expect(glow.matches('glow/A1B2C3D4E5F6/SENSOR/electricitymeter')).toBe(true);
    expect(glow.decode('glow/A1B2C3D4E5F6/SENSOR/electricitymeter', electricity, profile, 0)).toStrictEqual({
      readings: [{ kind: 'electricity', ts: Date.parse('2022-06-24T13:02:29Z'), register: 4_595_563 }],
      rejected: [],
    });
    expect(glow.decode('glow/A1B2C3D4E5F6/SENSOR/gasmeter', gas, profile, 0)).toStrictEqual({
      readings: [{ kind: 'gas', ts: Date.parse('2022-06-24T13:13:30Z'), register: 6_728_026 }],
      rejected: [],
    });
  });

  it('refuses the placeholder 0 register a Glow sends before it has heard from the meter', () => {
    const placeholder = electricity.replace('"cumulative":4595.563', '"cumulative":0');
    expect(glow.decode('glow/A1/SENSOR/electricitymeter', placeholder, profile, 0).rejected[0]?.code).toBe('BAD_REGISTER');
    expect(glow.decode('glow/A1/SENSOR/electricitymeter', '{"electricitymeter":', profile, 0).rejected[0]?.code).toBe(
      'INVALID_JSON',
    );
  });
});
