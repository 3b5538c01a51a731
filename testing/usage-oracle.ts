// An independent reckoning of daily use from published messages: the yardstick that simulator
// and ingest tests compare against. Deliberately simple and slow: sort, de-duplicate, difference,
// split each interval across local days in proportion to time. Skips register decreases (a new run).
import { ContractError, parseReadingMessage } from '../devices/contract/index.ts';
import { getOrCreate } from '../lib/collections.ts';
import { localDate, localDayBounds } from '../lib/time.ts';

export interface OracleInput {
  topic: string;
  payload: string;
}

/** meterId → local date → use in base units. */
export type DailyUse = Map<string, Map<string, number>>;

export function dailyUseFromMessages(
  messages: Iterable<OracleInput>,
  timeZone: string,
  now = Date.parse('2100-01-01'),
): DailyUse {
  const byMeter = new Map<string, Map<number, number>>();
  for (const { topic, payload } of messages) {
    let parsed: ReturnType<typeof parseReadingMessage>;
    try {
      parsed = parseReadingMessage(topic, payload, now);
    } catch (error) {
      if (error instanceof ContractError) continue;
      throw error;
    }
    for (const reading of parsed.readings) {
      if (reading.register === undefined) continue;
      getOrCreate(byMeter, reading.meterId, () => new Map<number, number>()).set(reading.ts, reading.register);
    }
  }
  const result: DailyUse = new Map();
  for (const [meterId, readings] of byMeter) {
    const days = new Map<string, number>();
    const sorted = [...readings.entries()].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      const [t0, r0] = sorted[i - 1] as [number, number];
      const [t1, r1] = sorted[i] as [number, number];
      if (r1 < r0) continue;
      spreadOverDays(days, t0, t1, r1 - r0, timeZone);
    }
    result.set(meterId, days);
  }
  return result;
}

const dayCache = new Map<string, { date: string; dayEnd: number }>();

/** The local day holding instant t; cached per zone and hour (days start on the hour in every zone OnTap runs in). */
function dayOf(t: number, timeZone: string): { date: string; dayEnd: number } {
  const key = `${timeZone}:${Math.floor(t / 3_600_000)}`;
  let day = dayCache.get(key);
  if (!day) {
    const date = localDate(t, timeZone);
    day = { date, dayEnd: localDayBounds(date, timeZone)[1] };
    dayCache.set(key, day);
  }
  return day;
}

function spreadOverDays(days: Map<string, number>, from: number, to: number, amount: number, timeZone: string): void {
  let t = from;
  while (t < to) {
    const { date, dayEnd } = dayOf(t, timeZone);
    const until = Math.min(to, dayEnd);
    days.set(date, (days.get(date) ?? 0) + (amount * (until - t)) / (to - from));
    t = until;
  }
}
