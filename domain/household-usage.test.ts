// Expected numbers are worked out by hand in the comments, not by calling the code.
import { describe, expect, it } from 'vitest';
import { householdUsage, mondayOf, type UseBucket } from './household-usage.ts';

const day = (date: string, use: number): UseBucket => ({ start: `${date}T00:00:00.000Z`, date, use });

describe('householdUsage', () => {
  it('gives each complete day its litres per person, and the window its mean over complete days', () => {
    // 2 people; 2–4 March are over, 5 March is today.
    // Days: 300/2 = 150, 240/2 = 120, 180/2 = 90; today: none.
    // Window: (300 + 240 + 180) / 3 days = 240 L a day, / 2 people = 120.
    const usage = householdUsage(
      [day('2026-03-02', 300), day('2026-03-03', 240), day('2026-03-04', 180), day('2026-03-05', 60)],
      {
        kind: 'water',
        granularity: 'day',
        occupants: 2,
        lastCompleteDay: '2026-03-04',
      },
    );
    expect(usage.points.map((p) => [p.date, p.use, p.perPersonPerDay])).toStrictEqual([
      ['2026-03-02', 300, 150],
      ['2026-03-03', 240, 120],
      ['2026-03-04', 180, 90],
      ['2026-03-05', 60, null],
    ]);
    expect(usage.perPersonPerDay).toBe(120);
  });

  it('sums weeks from Monday, each per person over its own complete days', () => {
    // 4 people. 27 Feb (Fri) 100, 28 Feb (Sat) 200, 1 Mar (Sun) 300 are the week of Monday 23 Feb:
    // 600 L, 600 / 3 days / 4 = 50. 2 Mar (Mon) 400 and 3 Mar (today) 50 are the week of 2 March:
    // 450 L, but only 2 March is over: 400 / 1 / 4 = 100.
    // Window: (100 + 200 + 300 + 400) / 4 complete days = 250, / 4 people = 62.5.
    const usage = householdUsage(
      [day('2026-02-27', 100), day('2026-02-28', 200), day('2026-03-01', 300), day('2026-03-02', 400), day('2026-03-03', 50)],
      { kind: 'water', granularity: 'week', occupants: 4, lastCompleteDay: '2026-03-02' },
    );
    expect(usage.points).toStrictEqual([
      { start: '2026-02-27T00:00:00.000Z', date: '2026-02-23', use: 600, perPersonPerDay: 50 },
      { start: '2026-03-02T00:00:00.000Z', date: '2026-03-02', use: 450, perPersonPerDay: 100 },
    ]);
    expect(usage.perPersonPerDay).toBe(62.5);
  });

  it('gives hours no per-person figure, but the window one over the days they add up to', () => {
    // 3 people; 10 L every hour. 4 March (over): 24 × 10 = 240 L, / 3 = 80. 5 March: 6 hours so far, left out.
    const hours = [
      ...Array.from({ length: 24 }, (_, h) => ({
        start: `2026-03-04T${String(h).padStart(2, '0')}:00:00.000Z`,
        date: '2026-03-04',
        use: 10,
      })),
      ...Array.from({ length: 6 }, (_, h) => ({ start: `2026-03-05T0${h}:00:00.000Z`, date: '2026-03-05', use: 10 })),
    ];
    const usage = householdUsage(hours, { kind: 'water', granularity: 'hour', occupants: 3, lastCompleteDay: '2026-03-04' });
    expect(usage.points).toHaveLength(30);
    expect(usage.points.every((p) => p.perPersonPerDay === null)).toBe(true);
    expect(usage.perPersonPerDay).toBe(80);
  });

  it('has no per-person figure for energy, nor before a day of the window is over', () => {
    const energy = householdUsage([day('2026-03-04', 5000)], {
      kind: 'electricity',
      granularity: 'day',
      occupants: 2,
      lastCompleteDay: '2026-03-04',
    });
    expect(energy.points[0]?.perPersonPerDay).toBeNull();
    expect(energy.perPersonPerDay).toBeNull();
    const today = householdUsage([day('2026-03-05', 90)], {
      kind: 'water',
      granularity: 'day',
      occupants: 2,
      lastCompleteDay: '2026-03-04',
    });
    expect(today.perPersonPerDay).toBeNull();
  });
});

describe('mondayOf', () => {
  it('is the date itself on a Monday and the Monday before otherwise', () => {
    // 2 March 2026 is a Monday; 1 March a Sunday (6 days after 23 February).
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
    expect(mondayOf('2026-03-01')).toBe('2026-02-23');
    expect(mondayOf('2026-03-08')).toBe('2026-03-02');
  });
});
