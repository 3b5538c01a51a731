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
