// Small readers for the loose fields of foreign payloads: numbers sent as strings, NaN and null
// sentinels, times with or without an offset, as seconds or milliseconds.
import { contractLimits } from '../contract/reading.ts';
import { type DeviceUnit, deviceValueToBase, type MeterKind } from '../contract/units.ts';
import { type DecodeResult, type DeviceProfile, isRejection, reject } from './definition.ts';
import { localTimeToInstant } from './local-time.ts';

/** A finite number from a number or a numeric string; undefined for null, '', 'nan', 'unknown'…. */
export function looseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
}

/** The payload as a JSON object, or the rejection saying why not. */
export function jsonObject(payload: string): Record<string, unknown> | DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    return reject('INVALID_JSON', (error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return reject('NOT_AN_OBJECT', 'the payload is JSON but not an object');
  return value as Record<string, unknown>;
}

export { isRejection };

/**
 * An instant from an ISO time with an offset, a naive local time (read in the profile's zone), or
 * epoch seconds/milliseconds; undefined when there is none or it cannot be read.
 */
export function instantOf(value: unknown, profile: DeviceProfile): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return undefined;
  const naive = localTimeToInstant(value, profile.timeZone);
  if (naive !== undefined) return naive;
  const parsed = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A register in base units from a value in `unit` (pulses need the profile's unitsPerPulse). */
export function registerIn(value: number, unit: DeviceUnit, profile: DeviceProfile, kind: MeterKind): number | DecodeResult {
  if (value < 0) return reject('BAD_REGISTER', `a negative register (${value})`);
  // The native contract's bound, in the unit sent: beyond it is a fault, and 1e306 m3 is Infinity litres.
  if (!(value <= contractLimits.maxRegisterValue))
    return reject('BAD_REGISTER', `${value} ${unit} is beyond any meter (at most ${contractLimits.maxRegisterValue})`);
  if (unit === 'pulses') {
    if (!profile.unitsPerPulse) return reject('PROFILE_INCOMPLETE', 'pulses need unitsPerPulse in the device profile');
    return roundBase(value * profile.unitsPerPulse);
  }
  try {
    return roundBase(deviceValueToBase(kind, unit, value));
  } catch (error) {
    return reject('UNIT_NOT_FOR_KIND', (error as Error).message);
  }
}

/** m3 × 1000 in floating point gives 6054.000000000001; registers keep a millilitre/milliwatt-hour. */
const roundBase = (value: number) => Math.round(value * 1000) / 1000;

/** One reading; without a device time, decodeDeviceMessage puts in the receive time, flagged. */
export const oneReading = (kind: MeterKind, register: number, ts: number | undefined): DecodeResult => ({
  readings: [{ kind, ts: ts ?? Number.NaN, register }],
  rejected: [],
});
