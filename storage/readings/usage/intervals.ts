// Register → usage, as pure arithmetic (docs/data-model.md, "Readings become usage"). Both readings stores fetch
// a meter's readings around a window and hand them here, so the rules live once:
//   - usage between two readings is the register difference over the interval between them;
//   - a register that goes down starts a new run: no usage for that interval, a reset recorded;
//   - a step faster than the physical maximum is flagged and left out (kept as `excluded`);
//   - a delta reading is the use since the reading before it (in time order, not arrival order).
// Because usage is derived from the set of readings, arrival order, duplicates and redelivery
// cannot change a total: the same set of readings always gives the same intervals.
import { GAS_WH_PER_M3, type MeterKind } from '../../../devices/contract/units.ts';

export interface RegisterPoint {
  ts: number;
  register?: number;
  delta?: number;
}

export interface UsageInterval {
  from: number;
  to: number;
  /** Use counted, in base units (L or Wh). */
  amount: number;
  /** Use left out because the step was physically impossible. */
  excluded: number;
  /** The register went down here (replacement or rollover): a new run starts at `to`. */
  reset: boolean;
}

const MINUTE = 60_000;

/** Rated maximum flow of a domestic gas meter (U6 / G4): 6 m3 an hour. */
export const DOMESTIC_GAS_METER_MAX_M3_PER_HOUR = 6;

/**
 * Fastest plausible use per minute in base units. Water: 100 L/min; electricity from a 100 A
 * single-phase supply (24 kW); gas from the meter's rated flow (6 m3/h ≈ 67 kW): a combi boiler
 * firing at 25–35 kW is ordinary, so the electrical limit would throw real use away.
 */
export const maxUsePerMinute: Record<MeterKind, number> = {
  water: 100,
  electricity: (100 * 240) / 60,
  gas: (DOMESTIC_GAS_METER_MAX_M3_PER_HOUR * GAS_WH_PER_M3) / 60,
};

/** Intervals between consecutive readings; `points` sorted by ts with no two at the same ts. */
export function usageIntervals(kind: MeterKind, points: readonly RegisterPoint[]): UsageInterval[] {
  const intervals: UsageInterval[] = [];
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1] as RegisterPoint;
    const current = points[i] as RegisterPoint;
    let amount: number;
    let reset = false;
    if (current.delta !== undefined) amount = current.delta;
    else if (current.register !== undefined && previous.register !== undefined) {
      amount = current.register - previous.register;
      if (amount < 0) {
        amount = 0;
        reset = true;
      }
    } else {
      // A register after a delta-only reading: nothing to difference against; a new run.
      amount = 0;
      reset = true;
    }
    const minutes = (current.ts - previous.ts) / MINUTE;
    const impossible = amount > maxUsePerMinute[kind] * minutes;
    intervals.push({
      from: previous.ts,
      to: current.ts,
      amount: impossible ? 0 : amount,
      excluded: impossible ? amount : 0,
      reset,
    });
  }
  return intervals;
}

/** Sorts by ts and keeps one reading per ts (the last given wins: writes are idempotent, so they agree). */
export function sortedUnique(points: Iterable<RegisterPoint>): RegisterPoint[] {
  const byTs = new Map<number, RegisterPoint>();
  for (const point of points) byTs.set(point.ts, point);
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

export interface BucketTotals {
  amount: number[];
  excluded: number[];
}

/**
 * Spreads intervals over buckets in proportion to time. `edges` are ascending instants; bucket
 * i is [edges[i], edges[i+1]). Parts of intervals outside all buckets are dropped.
 */
export function spreadOverBuckets(intervals: readonly UsageInterval[], edges: readonly number[]): BucketTotals {
  const buckets = Math.max(0, edges.length - 1);
  const totals: BucketTotals = { amount: new Array(buckets).fill(0), excluded: new Array(buckets).fill(0) };
  let first = 0;
  for (const interval of intervals) {
    const length = interval.to - interval.from;
    if (length <= 0 || (interval.amount === 0 && interval.excluded === 0)) continue;
    // Intervals arrive in time order, so the first bucket they can touch only moves forward.
    while (first < buckets && (edges[first + 1] as number) <= interval.from) first++;
    for (let b = first; b < buckets; b++) {
      const start = edges[b] as number;
      const end = edges[b + 1] as number;
      if (start >= interval.to) break;
      const overlap = Math.min(end, interval.to) - Math.max(start, interval.from);
      if (overlap <= 0) continue;
      const share = overlap / length;
      totals.amount[b] = (totals.amount[b] as number) + interval.amount * share;
      totals.excluded[b] = (totals.excluded[b] as number) + interval.excluded * share;
    }
  }
  return totals;
}

export const MAX_GAP_MS = 6 * 60 * MINUTE;

/**
 * Whether each bucket "has data" (docs/scoring.md, "Days with data"): the readings overlapping it leave no gap
 * longer than `maxGapMs`. A gap is measured whole, also where it reaches outside the bucket;
 * before the first reading and after the last, the gap runs from/to the bucket's edge.
 */
export function bucketsWithData(points: readonly RegisterPoint[], edges: readonly number[], maxGapMs = MAX_GAP_MS): boolean[] {
  const result: boolean[] = [];
  if (points.length === 0) return new Array(Math.max(0, edges.length - 1)).fill(false);
  let i = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const start = edges[b] as number;
    const end = edges[b + 1] as number;
    // Index of the last reading at or before `start` (or -1).
    while (i < points.length && (points[i] as RegisterPoint).ts <= start) i++;
    let previous = i > 0 ? (points[i - 1] as RegisterPoint).ts : start;
    let ok = true;
    let j = i;
    for (; j < points.length && (points[j] as RegisterPoint).ts < end; j++) {
      const ts = (points[j] as RegisterPoint).ts;
      if (ts - previous > maxGapMs) ok = false;
      previous = ts;
    }
    const next = j < points.length ? (points[j] as RegisterPoint).ts : end;
    if (next - previous > maxGapMs) ok = false;
    result.push(ok);
  }
  return result;
}
