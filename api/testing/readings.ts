// Writes steady, hand-checkable readings for the API's scenario tests.
import type { ReadingStore } from '../../storage/readings/reading-store.ts';

const H = 3_600_000;

/**
 * A water meter using `litresPerHour` steadily from `from` to `to` (ISO instants), a reading every
 * 30 minutes, continuing from `startRegister`. Returns the register at `to`.
 */
export async function writeSteadyWater(
  store: ReadingStore,
  placement: { meterId: string; household: string; street: string; neighbourhood: string },
  from: string,
  to: string,
  litresPerHour: number,
  startRegister = 0,
): Promise<number> {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const readings = [];
  for (let t = start; t <= end; t += H / 2) {
    readings.push({ ...placement, kind: 'water' as const, ts: t, register: startRegister + ((t - start) / H) * litresPerHour });
  }
  await store.writeReadings(readings);
  return startRegister + ((end - start) / H) * litresPerHour;
}

/**
 * A water meter whose use in each half hour from `from` to `to` (ISO instants) is half of
 * `litresPerHour` at its start, a reading every 30 minutes: with `from` on a whole hour, each clock
 * hour gets exactly its rate. Half hours listed in `silent` (their starts, ms) send no reading, so
 * the use across them arrives with the next one. Returns the register at `to`.
 */
export async function writeHourlyWater(
  store: ReadingStore,
  placement: { meterId: string; household: string; street: string; neighbourhood: string },
  from: string,
  to: string,
  litresPerHour: (hourStart: number) => number,
  options: { startRegister?: number; silent?: (ts: number) => boolean } = {},
): Promise<number> {
  const start = Date.parse(from);
  const end = Date.parse(to);
  let register = options.startRegister ?? 0;
  const readings = [];
  for (let t = start; t <= end; t += H / 2) {
    if (t > start) register += litresPerHour(Math.floor((t - H / 2) / H) * H) / 2;
    if (t === start || t === end || !options.silent?.(t))
      readings.push({ ...placement, kind: 'water' as const, ts: t, register });
  }
  await store.writeReadings(readings);
  return register;
}
