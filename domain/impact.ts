// The impact of a challenge (issue 16, docs/impact.md): what participants saved against households
// of the same neighbourhood that did not take part. Before/after alone is not evidence: weather,
// season and prices move everyone's use between the two windows. So a difference-in-differences of
// mean daily use per household, with a 95% interval from a bootstrap that resamples households,
// the pre-period trend of both groups (are they parallel?) and the minimum detectable effect.
// Pure: the API loads each household's days (DailyUse.byHousehold) and its group, and calls here.
//
// Privacy. The report is for utility partners and funders: aggregates only. Every figure is over a
// group that passes the aggregate rule (settings aggregateMinHouseholds and aggregateMaxShare, the
// "15/15" rule of docs/scoring.md): a group that fails is withheld and carries no number, not even
// its count. The effect minus the participants' change is the comparison's change, so the effect is
// given only when both groups pass. Reports over the same households computed again after one of
// them left would differ by that household's share: the caller publishes a challenge's report once,
// after it is over, as published aggregates are (docs/scoring.md, "Published once").
import { Random } from '../lib/random.ts';
import { type DateWindow, dateRange, type LocalDate } from '../lib/time.ts';
import { baselineFromSummary, DATA_SHARE_REQUIRED, type DayUse, summarize } from './scoring.ts';

export const impactGroups = ['participant', 'comparison'] as const;
export type ImpactGroup = (typeof impactGroups)[number];

export interface ImpactHousehold {
  /** Took part in the challenge, or a household of the same neighbourhood (consent `research`) that did not. */
  group: ImpactGroup;
  /** One day per date of the baseline window, in date order (as DailyUse.byHousehold gives them). */
  baseline: readonly DayUse[];
  /** One day per date of the challenge window, in date order. */
  challenge: readonly DayUse[];
}

export interface ImpactWindows {
  baseline: DateWindow;
  challenge: DateWindow;
}

/** The aggregate rule: at least `minHouseholds`, none above `maxShare` of the group's total. */
export interface GroupRule {
  minHouseholds: number;
  maxShare: number;
}

export interface ImpactOptions {
  rule: GroupRule;
  /** Bootstrap replicates (B). */
  samples?: number;
  /** The bootstrap's seed: the same data and seed give the same interval. */
  seed?: number;
  /** Of the interval; the minimum detectable effect stays at the 5% level and 80% power. */
  confidence?: number;
  /** The effect hoped for, as a share of use (a challenge's target): is it detectable with these groups? */
  expectedEffect?: number;
}

export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 16;
export const DEFAULT_CONFIDENCE = 0.95;

/** Reference magnitudes (docs/impact.md): Opower's home energy reports, ~2% in RCTs over 600k homes… */
export const OPOWER_EFFECT = 0.02;
/** … and WaterSmart's home water reports at EBMUD, 5% against a control group. */
export const WATERSMART_EFFECT = 0.05;
export const DEFAULT_EXPECTED_EFFECT = WATERSMART_EFFECT;

/**
 * Under this many comparison households there is no comparison group: the comparison's change
 * would be one or two households' holidays, visitors and leaks, and a bootstrap over so few
 * clusters gives intervals far too narrow (Cameron, Gelbach & Miller 2008, "Bootstrap-based
 * improvements for inference with clustered errors"). The aggregate rule usually asks for more.
 */
export const MIN_COMPARISON_HOUSEHOLDS = 5;

/** The pre-trend check needs this many whole weeks of baseline: two points always make a line. */
export const MIN_TREND_WEEKS = 3;

// ---- minimum detectable effect

/** z for a two-sided test at the 5% level (1.96) … */
export const Z_TWO_SIDED_5_PERCENT = 1.959964;
/** … and for 80% power (0.84): an effect this far out is found 4 times in 5. */
export const Z_POWER_80_PERCENT = 0.841621;
export const MDE_MULTIPLIER = Z_TWO_SIDED_5_PERCENT + Z_POWER_80_PERCENT;

/**
 * Before any data: the spread of households' changes (challenge mean − baseline mean) as a share of
 * their use. An assumption, not a measurement: day-to-day noise averages out over four weeks, but
 * holidays, visitors and new appliances do not. A report replaces it with the spread it observes.
 */
export const PLANNING_CV = 0.2;

/**
 * The smallest effect that groups of these sizes detect (at the 5% level, 4 times in 5):
 * MDE = (z₀.₉₇₅ + z₀.₈) × σ × √(1/n₁ + 1/n₀), in the units of σ, the spread (SD) of households'
 * changes. Given σ as a coefficient of variation (σ ÷ baseline mean), the MDE is a share of use.
 */
export function minimumDetectableEffect(spread: number, participants: number, comparison: number): number {
  if (participants < 1 || comparison < 1) throw new RangeError('each group needs at least one household');
  return MDE_MULTIPLIER * spread * Math.sqrt(1 / participants + 1 / comparison);
}

export interface ImpactPlan {
  /** The minimum detectable effect as a share of use. */
  mde: number;
  /** The expected effect is at least the MDE. */
  detectable: boolean;
  expectedEffect: number;
  /** Households needed in each of two equal groups to detect the expected effect. */
  householdsPerGroupNeeded: number;
}

/**
 * For a champion before a challenge: what these group sizes can show. With the planning spread,
 * 12 participants against 12 cannot show 2% (MDE ≈ 23%): that takes about 1,570 a side.
 */
export function planImpact(
  participants: number,
  comparison: number,
  { cv = PLANNING_CV, expectedEffect = DEFAULT_EXPECTED_EFFECT }: { cv?: number; expectedEffect?: number } = {},
): ImpactPlan {
  const mde = minimumDetectableEffect(cv, participants, comparison);
  // Equal groups of n: MDE = M × cv × √(2/n), so n = 2 × (M × cv ÷ effect)².
  const householdsPerGroupNeeded = Math.ceil(2 * ((MDE_MULTIPLIER * cv) / expectedEffect) ** 2);
  return { mde, detectable: mde <= expectedEffect, expectedEffect, householdsPerGroupNeeded };
}

// ---- the report

export const withheldReasons = ['too_few_households', 'dominant_household'] as const;
export type WithheldReason = (typeof withheldReasons)[number];

export interface GroupCounts {
  /** Households of the group handed in. */
  households: number;
  /** With data on at least 70% of the days of both windows: the ones every figure is over. */
  used: number;
  /** Left out: under 70% of the baseline's days with data (whatever their challenge days). */
  withoutBaselineData: number;
  /** Left out: a baseline, but under 70% of the challenge's days with data. */
  withoutChallengeData: number;
}

export interface GroupFigures {
  counts: GroupCounts;
  /** Mean over the group's households of each one's mean daily use, in base units (L, Wh). */
  baselineMean: number;
  challengeMean: number;
  /** challengeMean − baselineMean. */
  change: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** The participants' change alone: not an impact estimate (weather, season and prices move it too). */
export interface BeforeAfter {
  /** Participants' challenge mean − their baseline mean, per household per day. */
  change: number;
  /** change ÷ baseline mean; null when the baseline mean is 0. */
  relative: number | null;
}

export interface TrendWeek {
  from: LocalDate;
  to: LocalDate;
  /** Mean daily use per household that week; null when the households with data that week fail the rule. */
  participant: number | null;
  comparison: number | null;
}

export const trendVerdicts = ['parallel', 'diverging', 'too_short'] as const;
export type TrendVerdict = (typeof trendVerdicts)[number];

export interface PreTrend {
  /** Whole weeks counted back from the baseline's last day (days before the first are in no week). */
  weeks: TrendWeek[];
  /**
   * Participants' slope − the comparison's, in base units per household per day per week (each
   * group's slope the mean of its households' own, over their weeks with data); null under MIN_TREND_WEEKS.
   */
  slopeDifference: Interval | null;
  /** What that divergence would add to the effect, had it gone on from the baseline's middle to the challenge's. */
  projectedBias: number | null;
  /** `diverging` when the slope difference's interval leaves out 0; `parallel` says no divergence was seen, not that there is none. */
  verdict: TrendVerdict;
}

export interface MinimumDetectable {
  /** Pooled SD of households' changes within their groups. */
  spread: number;
  perHouseholdPerDay: number;
  /** As a share of the participants' baseline mean (what a champion planned with); null when that is 0. */
  relative: number | null;
}

export type NoComparisonReason = 'none' | 'too_few' | 'dominant_household';
export type EffectDirection = 'less' | 'more' | 'unclear';

/** What the dashboard words into a sentence: codes and numbers. */
export type ImpactSummary =
  | {
      kind: 'estimate';
      /** Participants used less or more than the comparison suggests, or the interval holds 0. */
      direction: EffectDirection;
      /** The expected effect is at least the minimum detectable effect. */
      detectable: boolean;
      expectedEffect: number;
      trends: TrendVerdict;
      relativeEffect: Interval | null;
      mde: number | null;
      participants: number;
      comparison: number;
    }
  | { kind: 'no_comparison'; comparison: NoComparisonReason; needed: number; beforeAfter: number | null; participants: number }
  | { kind: 'withheld'; reason: WithheldReason; needed: number };

export type ImpactReport =
  | {
      kind: 'estimate';
      participant: GroupFigures;
      comparison: GroupFigures;
      /** The difference-in-differences per household per day: below 0, participants used less than they would have. */
      effect: Interval;
      /** effect ÷ counterfactual; null when a replicate's counterfactual is not above 0. */
      relativeEffect: Interval | null;
      /**
       * The participants' challenge mean had they not taken part: their baseline mean plus the
       * comparison's change. The share is of this, not of the baseline: a saving of 8% of what
       * would have been used is the figure a season that raised everyone's use by 10% leaves
       * intact (of the baseline it would read 8.8%), and it is the litres figure's own level.
       */
      counterfactual: number;
      beforeAfter: BeforeAfter;
      preTrend: PreTrend;
      mde: MinimumDetectable;
      bootstrap: { samples: number; seed: number; confidence: number };
      summary: ImpactSummary;
    }
  | {
      kind: 'no_comparison';
      comparison: NoComparisonReason;
      /** Comparison households needed: the larger of MIN_COMPARISON_HOUSEHOLDS and the rule's minimum. */
      needed: number;
      participant: GroupFigures;
      beforeAfter: BeforeAfter;
      summary: ImpactSummary;
    }
  | { kind: 'withheld'; reason: WithheldReason; needed: number; summary: ImpactSummary };

/** A used household: its two window means and its slope over the baseline weeks. */
interface UsedHousehold {
  baseline: number;
  challenge: number;
  /** Its mean of each trend week, NaN for a week under 70% of days with data. */
  weeks: Float64Array;
  /** Least-squares slope of its weekly means; NaN with fewer than two. */
  slope: number;
}

interface Group {
  counts: GroupCounts;
  used: UsedHousehold[];
}

/** Why the rule withholds a figure over these households' values, or null when it may be shown. */
export function groupRuleFailure(values: ArrayLike<number>, rule: GroupRule): WithheldReason | null {
  if (values.length === 0 || values.length < rule.minHouseholds) return 'too_few_households';
  let total = 0;
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    total += value;
    largest = Math.max(largest, value);
  }
  return total > 0 && largest > rule.maxShare * total ? 'dominant_household' : null;
}

export function impactReport(
  households: readonly ImpactHousehold[],
  windows: ImpactWindows,
  options: ImpactOptions,
): ImpactReport {
  const samples = options.samples ?? DEFAULT_BOOTSTRAP_SAMPLES;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const expectedEffect = options.expectedEffect ?? DEFAULT_EXPECTED_EFFECT;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError('samples must be a whole number from 1');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');
  const baselineDates = dateRange(windows.baseline.from, windows.baseline.to);
  const challengeDays = daysBetween(windows.challenge.from, windows.challenge.to) + 1;
  const trendWeeks = Math.floor(baselineDates.length / 7);
  const trendOffset = baselineDates.length - 7 * trendWeeks;
  const groups: Record<ImpactGroup, Group> = { participant: emptyGroup(), comparison: emptyGroup() };
  for (const household of households) {
    checkSeries(household.baseline, windows.baseline, baselineDates.length, 'baseline');
    checkSeries(household.challenge, windows.challenge, challengeDays, 'challenge');
    const group = groups[household.group];
    group.counts.households++;
    const baseline = baselineFromSummary(summarize(household.baseline));
    // The 70% rule of the challenge's ranking: a household without enough days in either window is left out.
    const challenge = baselineFromSummary(summarize(household.challenge));
    if (baseline.status !== 'rated') group.counts.withoutBaselineData++;
    else if (challenge.status !== 'rated') group.counts.withoutChallengeData++;
    else {
      const weeks = weeklyMeans(household.baseline, trendOffset, trendWeeks);
      group.used.push({ baseline: baseline.baseline, challenge: challenge.baseline, weeks, slope: slopeOf(weeks) });
      group.counts.used++;
    }
  }

  const participant = groups.participant;
  const participantFailure = windowRuleFailure(participant.used, options.rule);
  if (participantFailure) {
    const needed = options.rule.minHouseholds;
    return {
      kind: 'withheld',
      reason: participantFailure,
      needed,
      summary: { kind: 'withheld', reason: participantFailure, needed },
    };
  }
  const participantFigures = figuresOf(participant);
  const beforeAfter: BeforeAfter = {
    change: participantFigures.change,
    relative: participantFigures.baselineMean > 0 ? participantFigures.change / participantFigures.baselineMean : null,
  };

  const comparison = groups.comparison;
  const needed = Math.max(MIN_COMPARISON_HOUSEHOLDS, options.rule.minHouseholds);
  // With `needed` households only a dominant one can fail the rule.
  const comparisonFailure: NoComparisonReason | null =
    comparison.used.length === 0
      ? 'none'
      : comparison.used.length < needed
        ? 'too_few'
        : windowRuleFailure(comparison.used, options.rule) && 'dominant_household';
  if (comparisonFailure) {
    return {
      kind: 'no_comparison',
      comparison: comparisonFailure,
      needed,
      participant: participantFigures,
      beforeAfter,
      summary: {
        kind: 'no_comparison',
        comparison: comparisonFailure,
        needed,
        beforeAfter: beforeAfter.relative,
        participants: participant.used.length,
      },
    };
  }

  const comparisonFigures = figuresOf(comparison);
  const effect = participantFigures.change - comparisonFigures.change;
  const counterfactual = participantFigures.baselineMean + comparisonFigures.change;
  const trendSlopes = trendWeeks >= MIN_TREND_WEEKS;
  const replicates = bootstrap(participant.used, comparison.used, samples, new Random(seed));
  const tail = (1 - confidence) / 2;
  const intervalOf = (estimate: number, values: Float64Array): Interval => {
    const sorted = values.slice().sort();
    return { estimate, low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
  };

  const effectInterval = intervalOf(effect, replicates.effect);
  const relativeEffect =
    counterfactual > 0 && replicates.relative.every(Number.isFinite)
      ? intervalOf(effect / counterfactual, replicates.relative)
      : null;
  const slopeDifference =
    trendSlopes && replicates.slopeDifference.every(Number.isFinite)
      ? intervalOf(meanSlope(participant.used) - meanSlope(comparison.used), replicates.slopeDifference)
      : null;
  // From the baseline's middle to the challenge's, in weeks.
  const gapDays = daysBetween(windows.baseline.to, windows.challenge.from) - 1;
  const weeksApart = (baselineDates.length / 2 + gapDays + challengeDays / 2) / 7;
  const preTrend: PreTrend = {
    weeks: trendWeekFigures(baselineDates, trendOffset, trendWeeks, participant.used, comparison.used, options.rule),
    slopeDifference,
    projectedBias: slopeDifference ? slopeDifference.estimate * weeksApart : null,
    verdict: !slopeDifference ? 'too_short' : slopeDifference.low > 0 || slopeDifference.high < 0 ? 'diverging' : 'parallel',
  };

  const spread = pooledSpread(participant.used, comparison.used);
  const mdeLitres = minimumDetectableEffect(spread, participant.used.length, comparison.used.length);
  const mde: MinimumDetectable = {
    spread,
    perHouseholdPerDay: mdeLitres,
    relative: participantFigures.baselineMean > 0 ? mdeLitres / participantFigures.baselineMean : null,
  };
  const direction: EffectDirection = effectInterval.high < 0 ? 'less' : effectInterval.low > 0 ? 'more' : 'unclear';
  return {
    kind: 'estimate',
    participant: participantFigures,
    comparison: comparisonFigures,
    effect: effectInterval,
    relativeEffect,
    counterfactual,
    beforeAfter,
    preTrend,
    mde,
    bootstrap: { samples, seed, confidence },
    summary: {
      kind: 'estimate',
      direction,
      detectable: mde.relative !== null && mde.relative <= expectedEffect,
      expectedEffect,
      trends: preTrend.verdict,
      relativeEffect,
      mde: mde.relative,
      participants: participant.used.length,
      comparison: comparison.used.length,
    },
  };
}

function emptyGroup(): Group {
  return { counts: { households: 0, used: 0, withoutBaselineData: 0, withoutChallengeData: 0 }, used: [] };
}

/** A series must hold the window's dates, one a day: a shorter one would pass the 70% rule on too few days. */
function checkSeries(days: readonly DayUse[], window: DateWindow, expected: number, name: string): void {
  if (days.length !== expected || days[0]?.date !== window.from || days[days.length - 1]?.date !== window.to)
    throw new RangeError(`a household's ${name} days must be the ${expected} dates from ${window.from} to ${window.to}`);
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The group's window means must both pass the rule: each is a figure of the report. */
function windowRuleFailure(used: readonly UsedHousehold[], rule: GroupRule): WithheldReason | null {
  return (
    groupRuleFailure(
      used.map((h) => h.baseline),
      rule,
    ) ??
    groupRuleFailure(
      used.map((h) => h.challenge),
      rule,
    )
  );
}

function figuresOf(group: Group): GroupFigures {
  const baselineMean = mean(group.used.map((h) => h.baseline));
  const challengeMean = mean(group.used.map((h) => h.challenge));
  return { counts: group.counts, baselineMean, challengeMean, change: challengeMean - baselineMean };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Each whole week's mean daily use (NaN under 70% of its days with data). */
function weeklyMeans(days: readonly DayUse[], offset: number, weeks: number): Float64Array {
  const means = new Float64Array(weeks);
  for (let week = 0; week < weeks; week++) {
    let withData = 0;
    let total = 0;
    for (let day = offset + 7 * week; day < offset + 7 * week + 7; day++) {
      const use = days[day] as DayUse;
      if (!use.hasData) continue;
      withData++;
      total += use.use;
    }
    means[week] = withData >= DATA_SHARE_REQUIRED * 7 ? total / withData : Number.NaN;
  }
  return means;
}

/** Least-squares slope of the weeks with a mean against their index; NaN with fewer than two. */
function slopeOf(weeks: Float64Array): number {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (let x = 0; x < weeks.length; x++) {
    const y = weeks[x] as number;
    if (Number.isNaN(y)) continue;
    n++;
    sumX += x;
    sumY += y;
  }
  if (n < 2) return Number.NaN;
  let sxy = 0;
  let sxx = 0;
  for (let x = 0; x < weeks.length; x++) {
    const y = weeks[x] as number;
    if (Number.isNaN(y)) continue;
    sxy += (x - sumX / n) * (y - sumY / n);
    sxx += (x - sumX / n) ** 2;
  }
  return sxy / sxx;
}

function meanSlope(used: readonly UsedHousehold[]): number {
  return mean(used.map((h) => h.slope).filter((slope) => !Number.isNaN(slope)));
}

function trendWeekFigures(
  baselineDates: readonly LocalDate[],
  offset: number,
  weeks: number,
  participants: readonly UsedHousehold[],
  comparison: readonly UsedHousehold[],
  rule: GroupRule,
): TrendWeek[] {
  // A week's figure is over the households with data that week: fewer than the group, so the rule again.
  const figure = (used: readonly UsedHousehold[], week: number) => {
    const means = used.map((h) => h.weeks[week] as number).filter((value) => !Number.isNaN(value));
    return groupRuleFailure(means, rule) ? null : mean(means);
  };
  return Array.from({ length: weeks }, (_, week) => ({
    from: baselineDates[offset + 7 * week] as LocalDate,
    to: baselineDates[offset + 7 * week + 6] as LocalDate,
    participant: figure(participants, week),
    comparison: figure(comparison, week),
  }));
}

/** √(Σ within-group squared deviations of the changes ÷ (n₁ + n₀ − 2)): the σ of the MDE. */
function pooledSpread(participants: readonly UsedHousehold[], comparison: readonly UsedHousehold[]): number {
  let squares = 0;
  for (const used of [participants, comparison]) {
    const changes = used.map((h) => h.challenge - h.baseline);
    const groupMean = mean(changes);
    for (const change of changes) squares += (change - groupMean) ** 2;
  }
  const freedom = participants.length + comparison.length - 2;
  return freedom > 0 ? Math.sqrt(squares / freedom) : 0;
}

interface Replicates {
  effect: Float64Array;
  relative: Float64Array;
  slopeDifference: Float64Array;
}

/**
 * The cluster bootstrap: each replicate draws n₁ participants and n₀ comparison households with
 * replacement, each group from its own (so a replicate keeps the design's group sizes), and takes
 * every figure over whole households: a household's days move together, so resampling days would
 * treat 28 correlated days as 28 independent facts and make the interval far too narrow.
 *
 * Privacy: an interval's end is a quantile of B replicates, each a difference of means over n₁ and
 * n₀ draws (about 63% of them distinct households). For an end to be one household's figure, every
 * draw of a group would have to fall on that household: a chance of n^(1−n) per replicate, about
 * 1e-16 for a group of 15.
 */
function bootstrap(
  participants: readonly UsedHousehold[],
  comparison: readonly UsedHousehold[],
  samples: number,
  random: Random,
): Replicates {
  const columns = (used: readonly UsedHousehold[]) => ({
    baseline: Float64Array.from(used, (h) => h.baseline),
    change: Float64Array.from(used, (h) => h.challenge - h.baseline),
    slope: Float64Array.from(used, (h) => h.slope),
  });
  const p = columns(participants);
  const c = columns(comparison);
  const draw = (group: ReturnType<typeof columns>) => {
    const n = group.change.length;
    let baseline = 0;
    let change = 0;
    let slope = 0;
    let slopes = 0;
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random.next() * n);
      baseline += group.baseline[k] as number;
      change += group.change[k] as number;
      const s = group.slope[k] as number;
      if (!Number.isNaN(s)) {
        slope += s;
        slopes++;
      }
    }
    return { baseline: baseline / n, change: change / n, slope: slopes > 0 ? slope / slopes : Number.NaN };
  };
  const replicates: Replicates = {
    effect: new Float64Array(samples),
    relative: new Float64Array(samples),
    slopeDifference: new Float64Array(samples),
  };
  for (let r = 0; r < samples; r++) {
    const drawnP = draw(p);
    const drawnC = draw(c);
    const effect = drawnP.change - drawnC.change;
    const counterfactual = drawnP.baseline + drawnC.change;
    replicates.effect[r] = effect;
    replicates.relative[r] = counterfactual > 0 ? effect / counterfactual : Number.NaN;
    replicates.slopeDifference[r] = drawnP.slope - drawnC.slope;
  }
  return replicates;
}

/**
 * The p-quantile of sorted values, interpolated between the two nearest (R's type 7), so that the
 * interval moves smoothly with B rather than jumping between replicates.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('no values to take a quantile of');
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return (sorted[below] as number) + (h - below) * ((sorted[above] as number) - (sorted[below] as number));
}
