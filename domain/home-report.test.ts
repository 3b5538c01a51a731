// Expected numbers are worked out by hand in the comments, not by calling the code.
import { describe, expect, it } from 'vitest';
import {
  cueOf,
  homeReport,
  monthBounds,
  percentile,
  reportWindow,
  similarHomesFigures,
  tipsFor,
  type UsePattern,
  useOver,
  usePatternOf,
} from './home-report.ts';
import type { DayUse } from './scoring.ts';
import type { HourUse } from './usual-day.ts';

const london = 'Europe/London';
const H = 3_600_000;
const day = (date: string, use: number, hasData = true): DayUse => ({ date, use, hasData });

/** A local day's 24 hours from its first instant (ISO), each hour's use from `useAt(hour)`. */
const hoursOf = (date: string, firstHour: string, useAt: (hour: number) => number): HourUse[] =>
  Array.from({ length: 24 }, (_, hour) => ({ date, start: Date.parse(firstHour) + hour * H, use: useAt(hour) }));
const sum = (hours: readonly HourUse[]) => hours.reduce((total, hour) => total + hour.use, 0);

describe('monthBounds and reportWindow', () => {
  it('knows the length of each month, leap years included', () => {
    expect(monthBounds('2026-02')).toStrictEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthBounds('2024-02')).toStrictEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthBounds('2026-12')).toStrictEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('counts a month that is over in full, and the current one up to yesterday', () => {
    expect(reportWindow('2026-10', '2026-11-15', '2026-01-01')).toStrictEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      complete: true,
    });
    expect(reportWindow('2026-11', '2026-11-15', '2026-01-01')).toStrictEqual({
      from: '2026-11-01',
      to: '2026-11-14',
      complete: false,
    });
    // On its last day a month is not over yet.
    expect(reportWindow('2026-11', '2026-11-30', '2026-01-01').complete).toBe(false);
    // On the first of the month no day is over: to is before from.
    expect(reportWindow('2026-11', '2026-11-01', '2026-01-01')).toStrictEqual({
      from: '2026-11-01',
      to: '2026-10-31',
      complete: false,
    });
  });

  it('starts the first month of readings on their first day', () => {
    expect(reportWindow('2026-10', '2026-11-15', '2026-10-12')).toMatchObject({ from: '2026-10-12', to: '2026-10-31' });
  });
});

describe('useOver', () => {
  const window = { from: '2026-01-01', to: '2026-01-10' };

  it('is the mean over the days with data, from 7 of 10 of them; a missing day has none', () => {
    // 7 days given (1–7 January), 3 missing: (100 × 3 + 200 × 4) / 7 = 1100 / 7.
    const days = [100, 100, 100, 200, 200, 200, 200].map((use, i) => day(`2026-01-0${i + 1}`, use));
    expect(useOver(days, window)).toStrictEqual({ status: 'rated', baseline: 1100 / 7, daysWithData: 7, days: 10 });
    // 6 of 10 is under 70%.
    expect(useOver(days.slice(1), window)).toStrictEqual({ status: 'not_rated_yet', daysWithData: 6, days: 10 });
    // A day outside the window does not count; a day without data is not in the mean.
    expect(useOver([...days.slice(0, 6), day('2026-01-07', 900, false), day('2026-01-11', 50)], window)).toMatchObject({
      status: 'not_rated_yet',
      daysWithData: 6,
    });
  });

  it('has nothing to go on before any day is over', () => {
    expect(useOver([day('2026-11-01', 100)], { from: '2026-11-01', to: '2026-10-31' })).toStrictEqual({
      status: 'not_rated_yet',
      daysWithData: 0,
      days: 0,
    });
  });
});

describe('similar homes', () => {
  it('takes the nearest rank: ⌈p × n⌉, always one of the values', () => {
    // Sorted 1 2 3 4 5: the median is the 3rd (⌈2.5⌉), the 20th percentile the 1st (⌈1⌉).
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 0.2)).toBe(1);
    // Four values: the median is the 2nd (⌈2⌉).
    expect(percentile([4, 3, 2, 1], 0.5)).toBe(2);
  });

  // 15 homes' litres a day, in ascending order for the reader.
  const fifteen = [204, 216, 233, 241, 248, 255, 262, 274, 281, 290, 305, 317, 330, 352, 410];

  it('prints the typical (median) and efficient (20th percentile) home to the nearest 10 L', () => {
    // 20th percentile: rank ⌈3⌉ = 233 → 230; median: rank ⌈7.5⌉ = 8 → 274 → 270.
    expect(similarHomesFigures([...fifteen].reverse(), 15)).toStrictEqual({ shown: true, typical: 270, efficient: 230 });
  });

  it('shows nothing from fewer homes than the threshold', () => {
    expect(similarHomesFigures(fifteen.slice(1), 15)).toStrictEqual({ shown: false });
    expect(similarHomesFigures([], 0)).toStrictEqual({ shown: false });
  });

  it('cannot be differenced: a home joining moves a figure to a neighbour’s, not by its own use', () => {
    // A 16th home using 100 L: the 20th percentile is rank ⌈3.2⌉ = 4 of 100 204 216 233 … = 233 → 230
    // (unchanged); the median rank ⌈8⌉ = 8: 262 → 260. The change, 10 L, says nothing of its 100 L.
    expect(similarHomesFigures([...fifteen, 100], 15)).toStrictEqual({ shown: true, typical: 260, efficient: 230 });
  });
});

describe('cueOf', () => {
  const similar = { typical: 270, efficient: 230 };
  it('approves of use at or below the efficient homes (great) or typical (good), and is concerned above', () => {
    expect(cueOf(180, similar)).toBe('great');
    expect(cueOf(230, similar)).toBe('great');
    expect(cueOf(231, similar)).toBe('good');
    expect(cueOf(270, similar)).toBe('good');
    expect(cueOf(271, similar)).toBe('above');
  });
});

describe('usePatternOf', () => {
  it('gives the share of a usual day used 01:00–05:00', () => {
    // January: London is on GMT. Two days with data: 9.5 L in each hour but 1–4, 3 L in those:
    // 20 × 9.5 + 4 × 3 = 202 L a day, 12 at night: 12 / 202. A third day without data, all night
    // long, does not count.
    const use = (hour: number) => (hour >= 1 && hour < 5 ? 3 : 9.5);
    const days = [day('2026-01-05', 202), day('2026-01-06', 202), day('2026-01-07', 240, false)];
    const hours = [
      ...hoursOf('2026-01-05', '2026-01-05T00:00:00Z', use),
      ...hoursOf('2026-01-06', '2026-01-06T00:00:00Z', use),
      ...hoursOf('2026-01-07', '2026-01-07T00:00:00Z', () => 10),
    ];
    expect(sum(hours.slice(0, 24))).toBe(202);
    const pattern = usePatternOf(days, hours, london, '2026-01');
    expect(pattern.nightShare).toBeCloseTo(12 / 202, 12);
    expect(pattern.warmMonth).toBe(false);
    expect(usePatternOf([], [], london, '2026-01')).toStrictEqual({ nightShare: null, eveningPeaks: 0, warmMonth: false });
  });

  // July: London is on BST, so local midnight is 23:00 UTC the day before. Ten days, each 10 L an
  // hour but none from 1 to 5, so 50 L in the evening (17:00–22:00 local); on some a hose adds
  // `extra` at 19:00.
  const july = (peaks: number, extra: number) => {
    const dates = Array.from({ length: 10 }, (_, i) => `2026-07-${String(i + 10).padStart(2, '0')}`);
    const hours = dates.flatMap((date, i) => {
      const firstHour = new Date(Date.parse(`${date}T00:00:00Z`) - H).toISOString();
      return hoursOf(date, firstHour, (hour) => (hour >= 1 && hour < 5 ? 0 : 10) + (i < peaks && hour === 19 ? extra : 0));
    });
    return { days: dates.map((date) => day(date, 240)), hours };
  };

  it('counts evenings of at least twice the middle evening and 100 L more', () => {
    // Middle evening: rank ⌈5⌉ of seven 50s and three 200s = 50; a peak is at least max(2 × 50,
    // 50 + 100) = 150: 50 + 150 = 200 is one, 50 + 99 = 149 is not.
    const peaks = july(3, 150);
    expect(usePatternOf(peaks.days, peaks.hours, london, '2026-07')).toStrictEqual({
      nightShare: 0,
      eveningPeaks: 3,
      warmMonth: true,
    });
    const small = july(3, 99);
    expect(usePatternOf(small.days, small.hours, london, '2026-07').eveningPeaks).toBe(0);
    // By the local clock: the hose at 19:00 BST is 03:00 in Tokyo, where every evening is 50 L.
    expect(usePatternOf(peaks.days, peaks.hours, 'Asia/Tokyo', '2026-07').eveningPeaks).toBe(0);
  });
});

describe('tipsFor', () => {
  const calm: UsePattern = { nightShare: 0.01, eveningPeaks: 0, warmMonth: true };

  it('suggests finding a leak when over 5% of a usual day goes at night', () => {
    expect(tipsFor({ ...calm, nightShare: 0.051 }, 100, [])[0]).toStrictEqual({ id: 'find_leaks', reason: 'night_use' });
    expect(tipsFor({ ...calm, nightShare: 0.05 }, 100, []).map((tip) => tip.id)).not.toContain('find_leaks');
  });

  it('suggests watering the garden wisely after 3 peak evenings in a warm month only', () => {
    expect(tipsFor({ ...calm, eveningPeaks: 3 }, 100, [])[0]).toStrictEqual({
      id: 'water_garden_wisely',
      reason: 'garden_peaks',
    });
    expect(tipsFor({ ...calm, eveningPeaks: 2 }, 100, []).map((tip) => tip.id)).not.toContain('water_garden_wisely');
    expect(tipsFor({ ...calm, eveningPeaks: 9, warmMonth: false }, 100, []).map((tip) => tip.id)).not.toContain(
      'water_garden_wisely',
    );
  });

  it('suggests shorter showers above 110 L a person', () => {
    expect(tipsFor(calm, 111, [])[0]).toStrictEqual({ id: 'shorter_showers', reason: 'high_use_per_person' });
    expect(tipsFor(calm, 110, []).map((tip) => tip.id)).not.toContain('shorter_showers');
    expect(tipsFor(calm, null, []).map((tip) => tip.id)).not.toContain('shorter_showers');
  });

  it('makes up two with general tips the home has not pledged, and gives at most three', () => {
    expect(tipsFor(calm, 100, [])).toStrictEqual([
      { id: 'full_loads', reason: 'general' },
      { id: 'tap_off_brushing', reason: 'general' },
    ]);
    expect(tipsFor(calm, 150, ['full_loads', 'water_butt'])).toStrictEqual([
      { id: 'shorter_showers', reason: 'high_use_per_person' },
      { id: 'tap_off_brushing', reason: 'general' },
    ]);
    expect(tipsFor({ nightShare: 0.2, eveningPeaks: 5, warmMonth: true }, 150, []).map((tip) => tip.id)).toStrictEqual([
      'find_leaks',
      'water_garden_wisely',
      'shorter_showers',
    ]);
    // A home that pledged every general tip and meets no rule is told nothing it already does.
    expect(tipsFor(calm, 100, ['full_loads', 'tap_off_brushing', 'no_prerinse'])).toStrictEqual([]);
  });
});

describe('homeReport', () => {
  // 1–10 January 2026 (GMT), 2 people: 300 L every day, 12.5 L in each hour; usual 250 L a day.
  const dates = Array.from({ length: 10 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`);
  const input = {
    month: '2026-01',
    window: { from: '2026-01-01', to: '2026-01-10', complete: false },
    timeZone: london,
    occupants: 2,
    days: dates.map((date) => day(date, 300)),
    hours: dates.flatMap((date) => hoursOf(date, `${date}T00:00:00Z`, () => 12.5)),
    baselinePerDay: 250,
    similarHomes: [204, 216, 233, 241, 248, 255, 262, 274, 281, 290, 305, 317, 330, 352, 410],
    minSimilarHomes: 15,
    pledged: [],
  };

  it('sets the month against the usual and the similar homes, with the cue and tips', () => {
    // 300 L a day, 150 a person (over 110: showers); 300 / 250 − 1 = +20%; typical 270 and
    // efficient 230 (see above): 300 is above. Night share 4 × 12.5 / 300 = 1/6 (a leak's tip).
    expect(homeReport(input)).toStrictEqual({
      days: 10,
      daysWithData: 10,
      litresPerDay: 300,
      litresPerPersonPerDay: 150,
      changeFromBaseline: 0.2,
      similarHomes: { shown: true, typical: 270, efficient: 230 },
      cue: 'above',
      pattern: { nightShare: 0.167, eveningPeaks: 0, warmMonth: false },
      tips: [
        { id: 'find_leaks', reason: 'night_use' },
        { id: 'shorter_showers', reason: 'high_use_per_person' },
      ],
    });
  });

  it('approves of a home below the typical one, and compares nothing with too few homes', () => {
    // 200 L a day: 200 / 250 − 1 = −20%, at or below 230: great.
    const low = { ...input, days: dates.map((date) => day(date, 200)) };
    expect(homeReport(low)).toMatchObject({
      litresPerDay: 200,
      litresPerPersonPerDay: 100,
      changeFromBaseline: -0.2,
      cue: 'great',
    });
    expect(homeReport({ ...low, similarHomes: input.similarHomes.slice(1) })).toMatchObject({
      similarHomes: { shown: false },
      cue: null,
    });
  });

  it('has no figure, no cue and no change without 70% of the days, and none before the first day is over', () => {
    const sparse = { ...input, days: input.days.map((one, i) => ({ ...one, hasData: i < 6 })) };
    expect(homeReport(sparse)).toMatchObject({
      days: 10,
      daysWithData: 6,
      litresPerDay: null,
      litresPerPersonPerDay: null,
      changeFromBaseline: null,
      similarHomes: { shown: true, typical: 270, efficient: 230 },
      cue: null,
    });
    expect(homeReport({ ...input, window: { from: '2026-01-01', to: '2025-12-31', complete: false } })).toMatchObject({
      days: 0,
      litresPerDay: null,
      pattern: { nightShare: null, eveningPeaks: 0 },
    });
  });
});
