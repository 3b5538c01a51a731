// Expected numbers are worked out by hand in the comments, not by calling the code.
import { describe, expect, it } from 'vitest';
import { challengePhase } from './challenge.ts';
import type { DayUse } from './scoring.ts';
import {
  type BaselineChallenge,
  baselinePeriod,
  clockTimeOf,
  type HourUse,
  targetPerDay,
  todayAgainstUsual,
  useUntil,
  usualDayOf,
} from './usual-day.ts';

const london = 'Europe/London';
const H = 3_600_000;

/** A day's hours from its first instant (ISO), one use per hour, as the store gives them. */
const hoursOf = (date: string, firstHour: string, uses: readonly number[]): HourUse[] =>
  uses.map((use, i) => ({ date, start: Date.parse(firstHour) + i * H, use }));
const day = (date: string, use: number, hasData = true): DayUse => ({ date, use, hasData });
const sum = (uses: readonly number[]) => uses.reduce((a, b) => a + b, 0);

describe('challengePhase', () => {
  it('is upcoming before the first day, running from the first to the last day, finished after', () => {
    const challenge = { startsOn: '2026-03-01', endsOn: '2026-03-28' };
    expect(challengePhase(challenge, '2026-02-28')).toBe('upcoming');
    expect(challengePhase(challenge, '2026-03-01')).toBe('running');
    expect(challengePhase(challenge, '2026-03-28')).toBe('running');
    expect(challengePhase(challenge, '2026-03-29')).toBe('finished');
  });
});

describe('baselinePeriod', () => {
  const challenge = (name: string, over: Partial<BaselineChallenge> = {}): BaselineChallenge => ({
    name,
    metric: 'water',
    startsOn: '2026-03-01',
    endsOn: '2026-03-28',
    baselineFrom: '2026-02-01',
    baselineTo: '2026-02-28',
    ...over,
  });

  it('takes the 28 days ending a week ago without a running challenge of the kind', () => {
    // Today 5 March: 5 March − 7 = 26 February; − 34 = 30 January (28 days, both included).
    const recent = { from: '2026-01-30', to: '2026-02-26', basis: 'recent', challenge: null };
    expect(baselinePeriod([], 'water', '2026-03-05')).toStrictEqual(recent);
    expect(
      baselinePeriod(
        [
          challenge('Not yet', { startsOn: '2026-03-06', endsOn: '2026-04-02' }),
          challenge('Over', { startsOn: '2026-02-01', endsOn: '2026-03-04' }),
          challenge('Electric', { metric: 'electricity' }),
        ],
        'water',
        '2026-03-05',
      ),
    ).toStrictEqual(recent);
  });

  it("takes the running challenge's baseline, of several the one ending last", () => {
    expect(baselinePeriod([challenge('Spring')], 'water', '2026-03-05')).toStrictEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      basis: 'challenge',
      challenge: 'Spring',
    });
    const later = challenge('Street', { baselineFrom: '2026-02-03', baselineTo: '2026-03-02', startsOn: '2026-03-03' });
    expect(baselinePeriod([challenge('Spring'), later], 'water', '2026-03-05')).toMatchObject({
      from: '2026-02-03',
      challenge: 'Street',
    });
    // Equal baselines: by name.
    expect(baselinePeriod([challenge('B'), challenge('A')], 'water', '2026-03-05').challenge).toBe('A');
  });
});

describe('targetPerDay', () => {
  it('is 110 L a person for water (at least one person), none for electricity or gas', () => {
    expect(targetPerDay('water', 3)).toBe(330);
    expect(targetPerDay('water', 0)).toBe(110);
    expect(targetPerDay('electricity', 3)).toBeNull();
    expect(targetPerDay('gas', 3)).toBeNull();
  });
});

describe('clockTimeOf', () => {
  it('reads the local clock, the repeated hour of the autumn change included', () => {
    // 08:15:36 GMT in January: hour 8, (15 × 60 + 36) / 3600 = 0.26 of it.
    expect(clockTimeOf(Date.parse('2026-01-07T08:15:36Z'), london)).toStrictEqual({ hour: 8, fraction: 0.26 });
    // 29 March 02:30 UTC is 03:30 BST; 25 October 01:30 UTC is the second 01:30 (GMT).
    expect(clockTimeOf(Date.parse('2026-03-29T02:30:00Z'), london)).toStrictEqual({ hour: 3, fraction: 0.5 });
    expect(clockTimeOf(Date.parse('2026-10-25T01:30:00Z'), london)).toStrictEqual({ hour: 1, fraction: 0.5 });
  });
});

describe('usualDayOf and todayAgainstUsual', () => {
  it('averages each clock hour over the days with data, leaving a day without data out', () => {
    // January (GMT): local hours are UTC hours.
    // 5th: 10 L every hour = 240. 6th: 60 L at 07:00 and at 08:00 = 120. 7th: no data (500 L at
    // 07:00 is left out). 8th: 240 L at 20:00.
    const uses = (at: Record<number, number>) => Array.from({ length: 24 }, (_, h) => at[h] ?? 0);
    const fifth = new Array(24).fill(10);
    const sixth = uses({ 7: 60, 8: 60 });
    const seventh = uses({ 7: 500 });
    const eighth = uses({ 20: 240 });
    const usual = usualDayOf(
      [day('2026-01-05', 240), day('2026-01-06', 120), day('2026-01-07', 500, false), day('2026-01-08', 240)],
      [
        ...hoursOf('2026-01-05', '2026-01-05T00:00:00Z', fifth),
        ...hoursOf('2026-01-06', '2026-01-06T00:00:00Z', sixth),
        ...hoursOf('2026-01-07', '2026-01-07T00:00:00Z', seventh),
        ...hoursOf('2026-01-08', '2026-01-08T00:00:00Z', eighth),
      ],
      london,
    );
    // Baseline: 3 of 4 days with data (≥ 70%): (240 + 120 + 240) / 3 = 200.
    expect(usual.perDay).toBe(200);
    // By 08:15: the 5th 8 × 10 + 0.25 × 10 = 82.5; the 6th 60 + 0.25 × 60 = 75; the 8th 0.
    // Mean (82.5 + 75 + 0) / 3 = 52.5.
    // 31 L against 52.5: 1 − 31/52.5 = 21.5/52.5 ≈ 0.41 less than usual.
    expect(todayAgainstUsual(31, usual, { hour: 8, fraction: 0.25 })).toStrictEqual({
      soFar: 31,
      usualSoFar: 52.5,
      usualDay: 200,
      changeFromUsual: 1 - 31 / 52.5,
    });
    // By midnight's end a usual day is the baseline: 23 whole hours and all of the last.
    expect(useUntil(usual.perHour ?? [], { hour: 23, fraction: 1 })).toBeCloseTo(200, 9);
    // At 00:00 nothing is usual yet: no change to speak of.
    expect(todayAgainstUsual(0, usual, { hour: 0, fraction: 0 })).toMatchObject({ usualSoFar: 0, changeFromUsual: null });
    // 105 L by 08:15 against 52.5: twice the usual, 1 − 105/52.5 = −1.
    expect(todayAgainstUsual(105, usual, { hour: 8, fraction: 0.25 }).changeFromUsual).toBe(-1);
  });

  it('reads days of 23 and 25 hours by the clock (Europe/London, 2026)', () => {
    // 29 March: 23 hours of 10 L from 00:00 GMT; the clock jumps from 01:00 to 02:00, so hour 1 has
    // none. 25 October: 25 hours of 10 L from 00:00 BST (23:00 UTC); hour 1 comes twice (20 L).
    const spring = new Array(23).fill(10);
    const autumn = new Array(25).fill(10);
    const usual = usualDayOf(
      [day('2026-03-29', 230), day('2026-10-25', 250)],
      [...hoursOf('2026-03-29', '2026-03-29T00:00:00Z', spring), ...hoursOf('2026-10-25', '2026-10-24T23:00:00Z', autumn)],
      london,
    );
    expect(usual.perDay).toBe(240);
    // Slots: hour 0 (10 + 10) / 2 = 10; hour 1 (0 + 20) / 2 = 10; hours 2–23 10 each.
    expect(usual.perHour).toStrictEqual(new Array(24).fill(10));
    // By 03:30 on the clock: spring 10 + 0 + 10 + 5 = 25 (2.5 hours gone); autumn 10 + 20 + 10 + 5
    // = 45 (4.5 hours gone). Mean 35.
    expect(todayAgainstUsual(40, usual, { hour: 3, fraction: 0.5 }).usualSoFar).toBe(35);
    expect(sum(usual.perHour ?? [])).toBe(240);
  });

  it('has no usual figures without a day with data, and no usual day under 70% of days with data', () => {
    const none = usualDayOf(
      [day('2026-01-05', 0, false), day('2026-01-06', 50, false)],
      hoursOf('2026-01-06', '2026-01-06T00:00:00Z', [50]),
      london,
    );
    expect(none).toStrictEqual({ perDay: null, perHour: null });
    expect(todayAgainstUsual(12, none, { hour: 9, fraction: 0 })).toStrictEqual({
      soFar: 12,
      usualSoFar: null,
      usualDay: null,
      changeFromUsual: null,
    });
    // 1 of 2 days with data: not rated (50% < 70%), but the hours of that day are still usual.
    const half = usualDayOf(
      [day('2026-01-05', 0, false), day('2026-01-06', 48)],
      hoursOf('2026-01-06', '2026-01-06T00:00:00Z', new Array(24).fill(2)),
      london,
    );
    expect(todayAgainstUsual(12, half, { hour: 9, fraction: 0.5 })).toStrictEqual({
      soFar: 12,
      usualSoFar: 19,
      usualDay: null,
      // 1 − 12/19 = 7/19.
      changeFromUsual: 1 - 12 / 19,
    });
  });
});
