// Expected numbers are worked out by hand in the comments, not by calling the code.
import { describe, expect, it } from 'vitest';
import { baselineOf, type DayUse, groupSaving, householdProgress, possibleLeak, provisionalSaving, rank } from './scoring.ts';

const days = (uses: (number | null)[], from = 1): DayUse[] =>
  uses.map((use, i) => ({ date: `2026-03-${String(from + i).padStart(2, '0')}`, use: use ?? 0, hasData: use !== null }));

describe('baselineOf', () => {
  it('is the mean over the days with data when at least 70% have data', () => {
    // 10 days, 7 with data: (100+120+80+100+110+90+100)/7 = 700/7 = 100.
    expect(baselineOf(days([100, 120, null, 80, 100, null, 110, 90, null, 100]))).toStrictEqual({
      status: 'rated',
      baseline: 100,
      daysWithData: 7,
      days: 10,
    });
  });

  it('is "not rated yet" under 70%', () => {
    // 10 days, 6 with data: 60% < 70%.
    expect(baselineOf(days([100, null, null, 80, 100, null, 110, 90, null, 100])).status).toBe('not_rated_yet');
    expect(baselineOf([]).status).toBe('not_rated_yet');
  });
});

describe('householdProgress', () => {
  const baseline = { status: 'rated' as const, baseline: 200, daysWithData: 28, days: 28 };

  it('saves 1 − mean/baseline over the counted days, litres saved Σ(baseline − use)', () => {
    // Counted days 150, 170, 180 (one day without data): mean 500/3; saving 1 − (500/3)/200 = 1/6;
    // saved (200−150)+(200−170)+(200−180) = 100. 3 of 4 days = 75% ≥ 70% → rated.
    const progress = householdProgress(baseline, days([150, null, 170, 180]));
    expect(progress.saving).toBeCloseTo(1 / 6, 12);
    expect(progress.saved).toBe(100);
    expect(progress.daysCounted).toBe(3);
    expect(progress.rated).toBe(true);
  });

  it('marks too few challenge days with data as not rated ("not enough data")', () => {
    // 2 of 4 days = 50%.
    expect(householdProgress(baseline, days([150, null, null, 180])).rated).toBe(false);
  });

  it('cannot rate a household without a baseline', () => {
    const progress = householdProgress({ status: 'not_rated_yet', daysWithData: 3, days: 28 }, days([150, 160]));
    expect(progress.rated).toBe(false);
    expect(progress.saving).toBeUndefined();
  });
});

describe('groupSaving', () => {
  const member = (baseline: number, uses: (number | null)[]) =>
    householdProgress({ status: 'rated', baseline, daysWithData: 28, days: 28 }, days(uses));

  it('weighs members by their use: Σ saved / Σ(baseline × days counted)', () => {
    // A: baseline 400, uses 300,300 → saved 200, expected 800. B: baseline 100, uses 100,80 → saved 20, expected 200.
    // Team: 220 / 1000 = 0.22 (the plain mean of savings, (0.25 + 0.1)/2 = 0.175, would be wrong).
    const team = groupSaving([member(400, [300, 300]), member(100, [100, 80])], 2);
    expect(team).toStrictEqual({ status: 'rated', saving: 0.22, saved: 220, ratedMembers: 2, members: 2 });
  });

  it('counts only rated members and needs enough of them (5 for a street)', () => {
    const street = groupSaving(
      [member(100, [90, 90]), member(100, [90, 90]), member(100, [null, null]), member(100, [90, 90])],
      5,
    );
    expect(street).toStrictEqual({ status: 'too_few_rated', ratedMembers: 3, members: 4, required: 5 });
  });
});

describe('rank', () => {
  it('orders by saving, then amount saved, then name; equal saving and amount share a rank; the unrated come last', () => {
    const placings = rank([
      { name: 'Wren', saving: 0.1, saved: 50 },
      { name: 'Ash', saving: 0.2, saved: 10 },
      { name: 'Birch', saving: 0.1, saved: 80 },
      { name: 'Cedar' },
      { name: 'Alder', saving: 0.1, saved: 50 },
      { name: 'Aspen' },
    ]);
    expect(placings.map((p) => [p.contender.name, p.rank])).toStrictEqual([
      ['Ash', 1],
      ['Birch', 2],
      ['Alder', 3],
      ['Wren', 3],
      ['Aspen', undefined],
      ['Cedar', undefined],
    ]);
  });
});

describe('possibleLeak', () => {
  it('warns when none of the last 24 clock hours was free of consumption', () => {
    expect(possibleLeak(new Array(24).fill(0.5))).toBe(true);
    const oneDryHour = new Array(24).fill(0.5);
    oneDryHour[3] = 0;
    expect(possibleLeak(oneDryHour)).toBe(false);
    expect(possibleLeak(new Array(23).fill(1))).toBe(false);
  });
});

describe('provisionalSaving', () => {
  it('compares use so far with what is usual by now, weighted like groups', () => {
    // A usually uses 120 by now and used 108; B usually 240 and used 192.
    // (12 + 48) / (120 + 240) = 60 / 360 = 1/6.
    expect(provisionalSaving([{ expected: 120, use: 108 }])).toBeCloseTo(0.1, 12);
    expect(
      provisionalSaving([
        { expected: 120, use: 108 },
        { expected: 240, use: 192 },
      ]),
    ).toBeCloseTo(1 / 6, 12);
    expect(provisionalSaving([])).toBeNull();
  });
});
