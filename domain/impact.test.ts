// Expected numbers are worked out by hand in the comments, not by calling the code; the simulation
// check at the end is the "Done when" (issue 16): households whose true effect is known.
import { describe, expect, it } from 'vitest';
import { Random } from '../lib/random.ts';
import { addDays, type DateWindow, dateRange } from '../lib/time.ts';
import { simulateDailyUse } from '../simulators/daily-use.ts';
import {
  type GroupRule,
  type ImpactGroup,
  type ImpactHousehold,
  type ImpactReport,
  type ImpactWindows,
  impactReport,
  minimumDetectableEffect,
  planImpact,
  quantile,
} from './impact.ts';
import type { DayUse } from './scoring.ts';

/** A window's days from `from`: a number is a day with data, null a day without. */
const days = (from: string, uses: readonly (number | null)[]): DayUse[] =>
  uses.map((use, i) => ({ date: addDays(from, i), use: use ?? 0, hasData: use !== null }));

const windowOf = (from: string, length: number): DateWindow => ({ from, to: addDays(from, length - 1) });

// Four baseline days and four challenge days; each household's days are v − 10, v + 10, v and one
// without data, so its mean over the days with data is v and 3 of 4 days (75% ≥ 70%) count.
const tiny: ImpactWindows = { baseline: windowOf('2026-03-02', 4), challenge: windowOf('2026-03-06', 4) };
const household = (group: ImpactGroup, baseline: number, challenge: number): ImpactHousehold => ({
  group,
  baseline: days(tiny.baseline.from, [baseline - 10, baseline + 10, baseline, null]),
  challenge: days(tiny.challenge.from, [challenge - 10, challenge + 10, challenge, null]),
});
const looseRule: GroupRule = { minHouseholds: 5, maxShare: 0.5 };

// Participants' baselines 100, 120, 80, 100, 100 (mean 100), changes −20, 0, −10, −10, −10 (mean −10).
// Comparison's baselines 200, 100, 150, 150, 150 (mean 150), changes +20, 0, +10, +10, +10 (mean +10).
const participants = [
  household('participant', 100, 80),
  household('participant', 120, 120),
  household('participant', 80, 70),
  household('participant', 100, 90),
  household('participant', 100, 90),
];
const comparison = [
  household('comparison', 200, 220),
  household('comparison', 100, 100),
  household('comparison', 150, 160),
  household('comparison', 150, 160),
  household('comparison', 150, 160),
];

const estimateOf = (report: ImpactReport) => {
  if (report.kind !== 'estimate') throw new Error(`expected an estimate, got ${report.kind}`);
  return report;
};

describe('impactReport: the difference-in-differences', () => {
  it('is the participants’ change minus the comparison’s, per household per day, and a share of the counterfactual', () => {
    const report = estimateOf(impactReport([...participants, ...comparison], tiny, { rule: looseRule }));
    expect(report.participant).toStrictEqual({
      counts: { households: 5, used: 5, withoutBaselineData: 0, withoutChallengeData: 0 },
      baselineMean: 100,
      challengeMean: 90,
      change: -10,
    });
    expect(report.comparison).toMatchObject({ baselineMean: 150, challengeMean: 160, change: 10 });
    // (90 − 100) − (160 − 150) = −20 L per household per day.
    expect(report.effect.estimate).toBe(-20);
    // Without the challenge the participants would have moved as the comparison did: 100 + 10 = 110;
    // −20 ÷ 110 = −0.1818… (of the baseline it would read −20%).
    expect(report.counterfactual).toBe(110);
    expect(report.relativeEffect?.estimate).toBeCloseTo(-20 / 110, 12);
    // Before/after alone, not an impact estimate: −10 ÷ 100.
    expect(report.beforeAfter).toStrictEqual({ change: -10, relative: -0.1 });
  });

  it('gives the minimum detectable effect for the groups’ sizes and pooled spread', () => {
    const report = estimateOf(impactReport([...participants, ...comparison], tiny, { rule: looseRule }));
    // Deviations from the group means: participants −10, +10, 0, 0, 0; comparison +10, −10, 0, 0, 0.
    // Pooled σ² = (200 + 200) / (5 + 5 − 2) = 50. MDE = 2.801585 × √50 × √(1/5 + 1/5) = 2.801585 × √20
    // = 2.801585 × 4.472136 = 12.5291 L; of the participants' baseline 100: 0.125291.
    expect(report.mde.spread).toBeCloseTo(Math.sqrt(50), 12);
    expect(report.mde.perHouseholdPerDay).toBeCloseTo(12.5291, 4);
    expect(report.mde.relative).toBeCloseTo(0.125291, 6);
    // 12.5% > the 5% hoped for by default: not detectable; the interval still leaves out 0.
    expect(report.summary).toMatchObject({
      kind: 'estimate',
      detectable: false,
      direction: 'less',
      participants: 5,
      comparison: 5,
    });
  });

  it('draws its interval from whole households, the same for the same seed', () => {
    const everyone = [...participants, ...comparison];
    const report = estimateOf(impactReport(everyone, tiny, { rule: looseRule, seed: 7 }));
    expect(impactReport(everyone, tiny, { rule: looseRule, seed: 7 })).toStrictEqual(report);
    expect(estimateOf(impactReport(everyone, tiny, { rule: looseRule, seed: 8 })).relativeEffect).not.toStrictEqual(
      report.relativeEffect,
    );
    // A replicate's effect is a mean of 5 drawn participant changes (−20…0) minus a mean of 5
    // drawn comparison changes (0…+20): never below −40 or above 0.
    expect(report.effect.low).toBeGreaterThanOrEqual(-40);
    expect(report.effect.high).toBeLessThanOrEqual(0);
    expect(report.effect.low).toBeLessThan(-20);
    expect(report.effect.high).toBeGreaterThan(-20);
    expect(report.bootstrap).toStrictEqual({ samples: 1000, seed: 7, confidence: 0.95 });
  });

  it('says "more" when the participants used more than the comparison suggests (a negative saving)', () => {
    // Participants +10 each (100 → 110), comparison −10 each (150 → 140): (+10) − (−10) = +20; every
    // change alike, so every replicate is +20. Counterfactual 100 − 10 = 90: +20 ÷ 90.
    const report = estimateOf(
      impactReport(
        [
          ...[100, 120, 80, 100, 100].map((b) => household('participant', b, b + 10)),
          ...[200, 100, 150, 150, 150].map((b) => household('comparison', b, b - 10)),
        ],
        tiny,
        { rule: looseRule },
      ),
    );
    expect(report.effect).toStrictEqual({ estimate: 20, low: 20, high: 20 });
    expect(report.relativeEffect?.estimate).toBeCloseTo(20 / 90, 12);
    expect(report.summary).toMatchObject({ direction: 'more' });
  });

  it('handles households all alike: zero spread, an interval of one point, an MDE of 0', () => {
    const alike = (group: ImpactGroup, challenge: number) => Array.from({ length: 6 }, () => household(group, 100, challenge));
    // (95 − 100) − (100 − 100) = −5, in every replicate; counterfactual 100 + 0.
    const saving = estimateOf(
      impactReport([...alike('participant', 95), ...alike('comparison', 100)], tiny, { rule: looseRule }),
    );
    expect(saving.effect).toStrictEqual({ estimate: -5, low: -5, high: -5 });
    expect(saving.relativeEffect).toStrictEqual({ estimate: -0.05, low: -0.05, high: -0.05 });
    expect(saving.mde).toStrictEqual({ spread: 0, perHouseholdPerDay: 0, relative: 0 });
    expect(saving.summary).toMatchObject({ direction: 'less', detectable: true });
    // No change at all: the interval is [0, 0], which holds 0.
    const none = estimateOf(impactReport([...alike('participant', 100), ...alike('comparison', 100)], tiny, { rule: looseRule }));
    expect(none.effect).toStrictEqual({ estimate: 0, low: 0, high: 0 });
    expect(none.summary).toMatchObject({ direction: 'unclear' });
  });
});

describe('impactReport: who is counted', () => {
  it('leaves out households under 70% of days with data in either window, and counts them', () => {
    const gappy = (baseline: (number | null)[], challenge: (number | null)[]): ImpactHousehold => ({
      group: 'participant',
      baseline: days(tiny.baseline.from, baseline),
      challenge: days(tiny.challenge.from, challenge),
    });
    const report = estimateOf(
      impactReport(
        [
          ...participants,
          ...comparison,
          // 2 of 4 baseline days (50%): no baseline.
          gappy([500, null, 500, null], [10, 10, 10, 10]),
          // A baseline, but 2 of 4 challenge days.
          gappy([500, 500, 500, 500], [10, null, null, 10]),
          // Neither: counted once, as without a baseline.
          gappy([null, null, null, 500], [null, null, null, 10]),
        ],
        tiny,
        { rule: looseRule },
      ),
    );
    expect(report.participant.counts).toStrictEqual({ households: 8, used: 5, withoutBaselineData: 2, withoutChallengeData: 1 });
    // The figures are the five used households' alone, as before.
    expect(report.effect.estimate).toBe(-20);
  });

  it('withholds everything, counts included, when the participants fail the aggregate rule', () => {
    const everyone = [...participants, ...comparison];
    // 5 participants under a minimum of 6.
    const tooFew = impactReport(everyone, tiny, { rule: { minHouseholds: 6, maxShare: 0.5 } });
    expect(tooFew).toStrictEqual({
      kind: 'withheld',
      reason: 'too_few_households',
      needed: 6,
      summary: { kind: 'withheld', reason: 'too_few_households', needed: 6 },
    });
    // The participant with a baseline of 120 is 120 ÷ 500 = 24% of the group's total: above 20%.
    expect(impactReport(everyone, tiny, { rule: { minHouseholds: 5, maxShare: 0.2 } })).toMatchObject({
      kind: 'withheld',
      reason: 'dominant_household',
    });
  });

  it('says there is no comparison group instead of inventing one, and offers only the before/after', () => {
    const none = impactReport(participants, tiny, { rule: looseRule });
    expect(none).toStrictEqual({
      kind: 'no_comparison',
      comparison: 'none',
      needed: 5,
      participant: {
        counts: { households: 5, used: 5, withoutBaselineData: 0, withoutChallengeData: 0 },
        baselineMean: 100,
        challengeMean: 90,
        change: -10,
      },
      beforeAfter: { change: -10, relative: -0.1 },
      summary: { kind: 'no_comparison', comparison: 'none', needed: 5, beforeAfter: -0.1, participants: 5 },
    });
    // 4 comparison households: under MIN_COMPARISON_HOUSEHOLDS (5), whatever the rule allows.
    const rule = { minHouseholds: 2, maxShare: 1 };
    expect(impactReport([...participants, ...comparison.slice(0, 4)], tiny, { rule })).toMatchObject({
      kind: 'no_comparison',
      comparison: 'too_few',
      needed: 5,
    });
    // 5 comparison households under a rule of 6 (and 6 participants): the rule's minimum is needed.
    const sixth = household('participant', 100, 90);
    expect(
      impactReport([...participants, sixth, ...comparison], tiny, { rule: { minHouseholds: 6, maxShare: 0.5 } }),
    ).toMatchObject({ kind: 'no_comparison', comparison: 'too_few', needed: 6 });
    // Enough comparison households, one of them above the share: 220 ÷ 800 = 27.5% of the
    // comparison's challenge total > 27% (the participants' largest is 120 ÷ 450 = 26.7%).
    expect(impactReport([...participants, ...comparison], tiny, { rule: { minHouseholds: 5, maxShare: 0.27 } })).toMatchObject({
      kind: 'no_comparison',
      comparison: 'dominant_household',
    });
  });

  it('refuses a series that is not one day per date of its window, and options out of range', () => {
    const short = { ...participants[0], baseline: participants[0]?.baseline.slice(0, 3) } as ImpactHousehold;
    expect(() => impactReport([short], tiny, { rule: looseRule })).toThrow(/baseline days must be the 4 dates/);
    expect(() => impactReport(participants, tiny, { rule: looseRule, confidence: 95 })).toThrow(RangeError);
    expect(() => impactReport(participants, tiny, { rule: looseRule, samples: 0 })).toThrow(RangeError);
  });
});

describe('impactReport: the pre-period trend', () => {
  // 28 baseline days (4 weeks), 28 challenge days right after.
  const windows: ImpactWindows = { baseline: windowOf('2026-03-02', 28), challenge: windowOf('2026-03-30', 28) };
  /** Week w of the baseline at `start + step × w` a day, every day with data; the challenge at `challenge`. */
  const trending = (group: ImpactGroup, start: number, step: number, challenge = start): ImpactHousehold => ({
    group,
    baseline: days(
      windows.baseline.from,
      Array.from({ length: 28 }, (_, day) => start + step * Math.floor(day / 7)),
    ),
    challenge: days(windows.challenge.from, Array(28).fill(challenge)),
  });

  it('shows each group’s weekly mean and flags groups that were already moving apart', () => {
    // Participants rise 7 L a week (100, 107, 114, 121), the comparison stays at 150.
    const report = estimateOf(
      impactReport(
        [
          ...Array.from({ length: 5 }, () => trending('participant', 100, 7)),
          ...Array.from({ length: 5 }, () => trending('comparison', 150, 0)),
        ],
        windows,
        { rule: looseRule },
      ),
    );
    expect(report.preTrend.weeks).toStrictEqual([
      { from: '2026-03-02', to: '2026-03-08', participant: 100, comparison: 150 },
      { from: '2026-03-09', to: '2026-03-15', participant: 107, comparison: 150 },
      { from: '2026-03-16', to: '2026-03-22', participant: 114, comparison: 150 },
      { from: '2026-03-23', to: '2026-03-29', participant: 121, comparison: 150 },
    ]);
    // Slopes 7 and 0 in every household, so in every replicate: [7, 7] leaves out 0.
    expect(report.preTrend.slopeDifference).toStrictEqual({ estimate: 7, low: 7, high: 7 });
    // From the baseline's middle (day 14) to the challenge's (day 28 + 14): 28 days = 4 weeks; 7 × 4.
    expect(report.preTrend.projectedBias).toBe(28);
    expect(report.preTrend.verdict).toBe('diverging');
    expect(report.summary).toMatchObject({ trends: 'diverging' });
  });

  it('sees parallel groups as parallel, and withholds a week too few households had data in', () => {
    // Slopes +3, −3 and 0 in both groups: a mean difference of 0 and replicates on either side of it.
    const households = [
      ...[3, -3, 3, -3, 0].map((step) => trending('participant', 100, step)),
      ...[-3, 3, -3, 3, 0].map((step) => trending('comparison', 150, step)),
    ];
    // One participant without data in the second week: 21 of 28 days (75%) keep it in the estimate.
    const gappy = households[0] as ImpactHousehold;
    households[0] = { ...gappy, baseline: gappy.baseline.map((day, i) => (i >= 7 && i < 14 ? { ...day, hasData: false } : day)) };
    const report = estimateOf(impactReport(households, windows, { rule: looseRule }));
    expect(report.preTrend.verdict).toBe('parallel');
    expect(report.preTrend.slopeDifference?.estimate).toBeCloseTo(0, 12);
    expect(report.preTrend.slopeDifference?.low).toBeLessThan(0);
    expect(report.preTrend.slopeDifference?.high).toBeGreaterThan(0);
    // Week 2 of the participants is over 4 households, under the rule's 5.
    expect(report.preTrend.weeks.map((week) => week.participant === null)).toStrictEqual([false, true, false, false]);
    expect(report.participant.counts.used).toBe(5);
  });

  it('counts whole weeks back from the baseline’s last day, and needs three of them', () => {
    // 16 days: two whole weeks (days 3–16), the first two days in none.
    const short: ImpactWindows = { baseline: windowOf('2026-03-01', 16), challenge: windowOf('2026-03-17', 7) };
    const flat = (group: ImpactGroup, use: number): ImpactHousehold => ({
      group,
      baseline: days(short.baseline.from, Array(16).fill(use)),
      challenge: days(short.challenge.from, Array(7).fill(use)),
    });
    const report = estimateOf(
      impactReport([...Array(5).fill(flat('participant', 100)), ...Array(5).fill(flat('comparison', 150))], short, {
        rule: looseRule,
      }),
    );
    expect(report.preTrend.weeks.map(({ from, to }) => [from, to])).toStrictEqual([
      ['2026-03-03', '2026-03-09'],
      ['2026-03-10', '2026-03-16'],
    ]);
    expect(report.preTrend).toMatchObject({ slopeDifference: null, projectedBias: null, verdict: 'too_short' });
  });
});

describe('minimum detectable effect', () => {
  it('matches the hand-worked case', () => {
    // 50 participants and 50 comparison households whose changes spread with σ = 25 L a day:
    // (1.959964 + 0.841621) × 25 × √(1/50 + 1/50) = 2.801585 × 25 × 0.2 = 14.007925 L.
    expect(minimumDetectableEffect(25, 50, 50)).toBeCloseTo(14.007925, 9);
  });

  it('tells a champion before a challenge that 12 households against 12 cannot show 2%', () => {
    // CV 0.2: 2.801585 × 0.2 × √(1/12 + 1/12) = 2.801585 × 0.2 × 0.4082483 = 0.2287485: an effect
    // under 22.9% of use goes unseen. To see 2% with two equal groups of n:
    // n = 2 × (2.801585 × 0.2 ÷ 0.02)² = 2 × 28.01585² = 1569.78 → 1570 a side.
    const plan = planImpact(12, 12, { cv: 0.2, expectedEffect: 0.02 });
    expect(plan.mde).toBeCloseTo(0.2287485, 7);
    expect(plan).toMatchObject({ detectable: false, expectedEffect: 0.02, householdsPerGroupNeeded: 1570 });
    // 2,000 a side: 2.801585 × 0.2 × √(1/1000) = 0.017719 ≤ 0.02.
    expect(planImpact(2000, 2000, { cv: 0.2, expectedEffect: 0.02 }).detectable).toBe(true);
    expect(() => minimumDetectableEffect(0.2, 12, 0)).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates between the nearest sorted values', () => {
    // (5 − 1) × 0.25 = 1 → the second value; (2 − 1) × 0.975 = 0.975 → 0 + 0.975 × 10.
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([0, 10], 0.975)).toBeCloseTo(9.75, 12);
    expect(quantile([4], 0.025)).toBe(4);
  });
});

// ---- the simulation check (issue 16, "Done when")

const TRUE_SAVING = 0.08;
const REPETITIONS = 100;

/**
 * A simulated neighbourhood (simulators/daily-use.ts: the simulator's households and weather): the
 * first `size` households take part and save 8% from the challenge's first day, the next `size` do
 * not. 3% of days carry no data; a twentieth of each group lacks 10 baseline days, another twentieth
 * 10 challenge days (both left out by the 70% rule).
 */
function simulatedNeighbourhood(kind: 'water' | 'gas', windows: ImpactWindows, size: number, seed: number): ImpactHousehold[] {
  const baselineDays = dateRange(windows.baseline.from, windows.baseline.to).length;
  const { dates, use } = simulateDailyUse({
    kind,
    households: 2 * size,
    from: windows.baseline.from,
    to: windows.challenge.to,
    seed,
    saving: (index) => (index < size ? { fraction: TRUE_SAVING, from: windows.challenge.from } : undefined),
  });
  const missing = new Random(`missing:${seed}`);
  return use.map((series, index) => {
    const [gapFrom, gapTo] = index % 20 === 7 ? [0, 10] : index % 20 === 13 ? [baselineDays, baselineDays + 10] : [0, 0];
    const all = series.map((use, day) => ({
      date: dates[day] as string,
      use,
      hasData: !(day >= gapFrom && day < gapTo) && !missing.chance(0.03),
    }));
    return {
      group: index < size ? 'participant' : 'comparison',
      baseline: all.slice(0, baselineDays),
      challenge: all.slice(baselineDays),
    };
  });
}

interface Check {
  /** Repetitions whose 95% interval holds the true −8%. */
  covered: number;
  /** … whose 50% interval does: a too narrow interval must fail the count. */
  coveredByHalf: number;
  /** Mean over repetitions of the estimate − the truth, and its standard error. */
  error: { mean: number; standardError: number };
  /** The same for the participants' before/after change taken as the effect. */
  naiveError: { mean: number; standardError: number };
}

function simulationCheck(kind: 'water' | 'gas', windows: ImpactWindows, size: number): Check {
  const rule = { minHouseholds: 15, maxShare: 0.15 };
  let covered = 0;
  let coveredByHalf = 0;
  const errors: number[] = [];
  const naiveErrors: number[] = [];
  const holdsTruth = (interval: { low: number; high: number } | null) =>
    interval !== null && interval.low <= -TRUE_SAVING && -TRUE_SAVING <= interval.high;
  for (let seed = 1; seed <= REPETITIONS; seed++) {
    const households = simulatedNeighbourhood(kind, windows, size, seed);
    const report = estimateOf(impactReport(households, windows, { rule, samples: 400, seed }));
    expect(report.participant.counts).toStrictEqual({
      households: size,
      used: size - size / 10,
      withoutBaselineData: size / 20,
      withoutChallengeData: size / 20,
    });
    if (holdsTruth(report.relativeEffect)) covered++;
    const half = estimateOf(impactReport(households, windows, { rule, samples: 400, seed, confidence: 0.5 }));
    if (holdsTruth(half.relativeEffect)) coveredByHalf++;
    errors.push((report.relativeEffect?.estimate ?? Number.NaN) + TRUE_SAVING);
    naiveErrors.push((report.beforeAfter.relative ?? Number.NaN) + TRUE_SAVING);
  }
  return { covered, coveredByHalf, error: meanAndError(errors), naiveError: meanAndError(naiveErrors) };
}

function meanAndError(values: readonly number[]): { mean: number; standardError: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, standardError: Math.sqrt(variance / values.length) };
}

// How often the interval holds the truth, measured over more seeds than a test can afford
// (docs/impact.md): gas 120 + 120 households 94.3% (seeds 1–1000), 60 + 60 92.4%; water 60 + 60
// 92.2% (seeds 1–500). The percentile interval is a little narrow for groups of tens of
// households, so at 60 + 60 about one block of 100 seeds in five falls under 90 (2 of gas's first
// 10 did; water's seeds 1–100 give 91). Gas, being fast, is checked at 120 + 120; water (about 50 ms
// a neighbourhood to simulate) at 60 + 60, to keep the file within seconds.
describe('impactReport on simulated households whose true effect is known', () => {
  /** The criterion, a 50% interval failing it, and an estimate centred on the truth (within a point). */
  const expectCalibrated = (check: Check) => {
    expect(check.covered).toBeGreaterThanOrEqual(90);
    // A 50% interval holds it about half the time: the count is not one any interval passes.
    expect(check.coveredByHalf).toBeLessThan(70);
    expect(Math.abs(check.error.mean)).toBeLessThan(0.01);
  };

  it('gas, February to April: the interval holds the truth in ≥ 90 of 100 repetitions; before/after is far off', () => {
    // Heating falls as spring comes (the simulator's heating degree days below 15.5 °C), in both groups.
    const windows = { baseline: windowOf('2026-02-16', 28), challenge: windowOf('2026-03-16', 28) };
    const check = simulationCheck('gas', windows, 120);
    expectCalibrated(check);
    // Before/after reads the season's fall as saving, by more than 10 points.
    expect(check.naiveError.mean).toBeLessThan(-0.1);
    expect(Math.abs(check.naiveError.mean)).toBeGreaterThan(10 * check.naiveError.standardError);
  });

  it('water, May to June: the interval holds the truth in ≥ 90 of 100; before/after is off by the garden', () => {
    // In the simulator only outdoor use follows the weather (garden watering above 12 °C, dry days):
    // warmer June days add a little to both groups' use, so before/after understates the saving.
    const check = simulationCheck('water', { baseline: windowOf('2026-05-04', 28), challenge: windowOf('2026-06-01', 28) }, 60);
    expectCalibrated(check);
    expect(check.naiveError.mean).toBeGreaterThan(3 * check.naiveError.standardError);
  });
});
