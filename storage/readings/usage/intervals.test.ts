import { describe, expect, it } from 'vitest';
import { localDayEdges, localHourEdges } from '../../../lib/time.ts';
import { bucketsWithData, sortedUnique, spreadOverBuckets, usageIntervals } from './intervals.ts';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('usageIntervals', () => {
  it('differences registers, starts a new run on a decrease and excludes impossible steps', () => {
    const t0 = at('2026-03-01T00:00:00Z');
    const intervals = usageIntervals('water', [
      { ts: t0, register: 1000 },
      { ts: t0 + 15 * 60_000, register: 1030 }, // 30 L in 15 min
      { ts: t0 + 30 * 60_000, register: 5 }, // replaced meter
      { ts: t0 + 45 * 60_000, register: 25 }, // 20 L
      { ts: t0 + 46 * 60_000, register: 226 }, // 201 L in one minute: over 100 L/min
    ]);
    expect(intervals.map((i) => [i.amount, i.excluded, i.reset])).toStrictEqual([
      [30, 0, false],
      [0, 0, true],
      [20, 0, false],
      [0, 201, false],
    ]);
  });

  it('bounds gas by the rated flow of the meter (6 m3/h), not by an electrical supply', () => {
    const t0 = at('2026-03-01T00:00:00Z');
    // 6 m3/h × 11,220.633 Wh/m3 = 67,323.8 Wh an hour = 33,661.9 Wh a half hour (hand-computed).
    const intervals = usageIntervals('gas', [
      { ts: t0, register: 0 },
      { ts: t0 + 30 * 60_000, register: 15_000 }, // 30 kW for half an hour: a combi boiler at full fire
      { ts: t0 + 60 * 60_000, register: 15_000 + 33_700 }, // just over the meter's rated flow
    ]);
    expect(intervals.map((i) => [i.amount, i.excluded])).toStrictEqual([
      [15_000, 0],
      [0, 33_700],
    ]);
  });

  it('takes a delta as the use since the previous reading in time order', () => {
    const intervals = usageIntervals('electricity', [
      { ts: 0, delta: 7 },
      { ts: H, delta: 120 },
      { ts: 2 * H, delta: 80 },
    ]);
    expect(intervals.map((i) => [i.from, i.to, i.amount])).toStrictEqual([
      [0, H, 120],
      [H, 2 * H, 80],
    ]);
  });

  it('gives the same intervals whatever order readings arrive in, duplicates included', () => {
    const readings = [
      { ts: 3 * H, register: 40 },
      { ts: H, register: 10 },
      { ts: 2 * H, register: 25 },
      { ts: H, register: 10 },
      { ts: 0, register: 0 },
    ];
    const a = usageIntervals('water', sortedUnique(readings));
    const b = usageIntervals('water', sortedUnique([...readings].reverse()));
    expect(a).toStrictEqual(b);
    expect(a.map((i) => i.amount)).toStrictEqual([10, 15, 15]);
  });
});

describe('spreadOverBuckets', () => {
  it('splits an interval that crosses local midnight in proportion to time', () => {
    // 22:00 to 04:00 London winter time, 60 L: 2 h (20 L) before midnight, 4 h (40 L) after.
    const edges = localDayEdges('2026-01-10', '2026-01-11', 'Europe/London');
    const intervals = usageIntervals('water', [
      { ts: at('2026-01-10T22:00:00Z'), register: 100 },
      { ts: at('2026-01-11T04:00:00Z'), register: 160 },
    ]);
    expect(spreadOverBuckets(intervals, edges).amount).toStrictEqual([20, 40]);
  });

  it('gives the 23-hour spring day and the 25-hour autumn day their own hours', () => {
    // 2026-03-29: clocks go forward at 01:00 UTC; 2026-10-25: back at 01:00 UTC.
    expect(localHourEdges('2026-03-29', '2026-03-29', 'Europe/London')).toHaveLength(24);
    expect(localHourEdges('2026-10-25', '2026-10-25', 'Europe/London')).toHaveLength(26);
    // 1 L per hour all through the autumn day: 25 L on that date.
    const start = at('2026-10-24T23:00:00Z'); // local midnight, BST
    const points = Array.from({ length: 27 }, (_, h) => ({ ts: start + h * H, register: h }));
    const days = spreadOverBuckets(usageIntervals('water', points), localDayEdges('2026-10-25', '2026-10-25', 'Europe/London'));
    expect(days.amount).toStrictEqual([25]);
    const spring = at('2026-03-29T00:00:00Z'); // local midnight, GMT
    const springPoints = Array.from({ length: 25 }, (_, h) => ({ ts: spring + h * H, register: 2 * h }));
    const springDays = spreadOverBuckets(
      usageIntervals('water', springPoints),
      localDayEdges('2026-03-29', '2026-03-29', 'Europe/London'),
    );
    expect(springDays.amount).toStrictEqual([46]);
  });

  it('drops what falls outside the buckets and keeps excluded use apart', () => {
    const intervals = [
      { from: 0, to: 4 * H, amount: 40, excluded: 0, reset: false },
      { from: 4 * H, to: 5 * H, amount: 0, excluded: 9000, reset: false },
    ];
    expect(spreadOverBuckets(intervals, [2 * H, 3 * H, 5 * H])).toStrictEqual({ amount: [10, 10], excluded: [0, 9000] });
  });
});

describe('bucketsWithData', () => {
  const day = [0, 24 * H, 48 * H];
  it('accepts gaps of exactly six hours and refuses longer ones, measured whole across the edge', () => {
    const points = [-2 * H, 4 * H, 10 * H, 16 * H, 22 * H, 29 * H, 35 * H, 41 * H, 47 * H, 49 * H].map((ts) => ({ ts }));
    // Day 1: gaps 6,6,6,6 and 22→29 = 7 h (crosses midnight) → no; day 2 also sees that 7 h gap.
    expect(bucketsWithData(points, day)).toStrictEqual([false, false]);
    const steady = Array.from({ length: 17 }, (_, i) => ({ ts: i * 3 * H }));
    expect(bucketsWithData(steady, day)).toStrictEqual([true, true]);
  });

  it('counts the time before the first and after the last reading as a gap', () => {
    const points = Array.from({ length: 8 }, (_, i) => ({ ts: 7 * H + i * H })); // 07:00..14:00
    expect(bucketsWithData(points, day)).toStrictEqual([false, false]);
    expect(bucketsWithData([], [0, H])).toStrictEqual([false]);
    expect(bucketsWithData([{ ts: 0 }, { ts: 5 * H }], [0, H])).toStrictEqual([true]);
  });
});
