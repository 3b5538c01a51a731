// What a meter id may be: it is an MQTT topic level and part of a broker user name, so no
// wildcard, slash or space, and short. Kept apart so errors.ts can name it without a cycle.
export const METER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidMeterId(meterId: string): boolean {
  return METER_ID_PATTERN.test(meterId);
}
