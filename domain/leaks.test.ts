// Expected numbers are worked out by hand in the comments, not by calling the code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localHourEdges } from '../lib/time.ts';
import {
  baseFlow,
  findLeakEpisodes,
  LEAK_COUNT_MIN_HOUSEHOLDS,
  type LeakHour,
  leakCost,
  markOf,
  ongoingEpisode,
  streetLeakCounts,
} from './leaks.ts';
import { possibleLeak } from './scoring.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');

/** Consecutive hours from `from`; null is an hour without data. */
const hoursFrom = (from: number, uses: readonly (number | null)[]): LeakHour[] =>
  uses.map((use, i) => ({ start: from + i * H, end: from + (i + 1) * H, use: use ?? 0, hasData: use !== null }));
const repeat = (value: number | null, times: number) => new Array<number | null>(times).fill(value);
const at = (hour: number) => T0 + hour * H;

describe('findLeakEpisodes', () => {
  it('finds a run of 24 or more hours with use, ended by the first hour without', () => {
    // Hours 0–1 dry, 2–31 at 1 L (30 hours), hour 32 dry, then 23 hours with use and a dry one.
    const hours = hoursFrom(T0, [0, 0, ...repeat(1, 30), 0, ...repeat(2, 23), 0]);
    expect(findLeakEpisodes(hours)).toStrictEqual([
      // Every hour's floor is 1 L: 30 × 1.
      { start: at(2), end: at(32), endedBy: 'dry_hour', hours: 30, litresLost: 30 },
    ]);
  });

  it('keeps a run that reaches the last hour going, and needs all 24 hours of the rule', () => {
    expect(findLeakEpisodes(hoursFrom(T0, [0, ...repeat(0.5, 24)]))).toStrictEqual([
      { start: at(1), end: null, endedBy: null, hours: 24, litresLost: 12 },
    ]);
    expect(findLeakEpisodes(hoursFrom(T0, [0, ...repeat(0.5, 23)]))).toStrictEqual([]);
    expect(findLeakEpisodes([])).toStrictEqual([]);
  });

  it('ends an episode where the data stop: an hour without data, or hours missing', () => {
    // 26 hours at 2 L, one hour without data, 30 hours at 2 L: two episodes, the first of
    // unknown end (the meter was silent, a dry hour may have gone unseen), the second ongoing.
    const gap = hoursFrom(T0, [...repeat(2, 26), null, ...repeat(2, 30)]);
    expect(findLeakEpisodes(gap)).toStrictEqual([
      { start: at(0), end: at(26), endedBy: 'no_data', hours: 26, litresLost: 52 },
      { start: at(27), end: null, endedBy: null, hours: 30, litresLost: 60 },
    ]);
    // 25 hours, then three hours missing from the series altogether, then 24 more.
    const missing = [...hoursFrom(T0, repeat(1, 25)), ...hoursFrom(at(28), repeat(1, 24))];
    expect(findLeakEpisodes(missing)).toStrictEqual([
      { start: at(0), end: at(25), endedBy: 'no_data', hours: 25, litresLost: 25 },
      { start: at(28), end: null, endedBy: null, hours: 24, litresLost: 24 },
    ]);
    // A run cut by missing hours before reaching 24 is no episode, on either side.
    expect(findLeakEpisodes([...hoursFrom(T0, repeat(1, 20)), ...hoursFrom(at(21), repeat(1, 20))])).toStrictEqual([]);
  });

  it('counts the floor under the use as lost, not the showers on top', () => {
    // 30 hours: a 3 L/h leak, and 10 L more at hours 7, 8 and 18. Every 24-hour window holds
    // hours at 3 L, so each hour's floor is 3: 30 × 3 = 90 L lost of 120 L used.
    const uses = repeat(3, 30) as number[];
    for (const hour of [7, 8, 18]) uses[hour] = 13;
    const [episode] = findLeakEpisodes(hoursFrom(T0, uses));
    expect(episode?.litresLost).toBe(90);
    expect(episode?.hours).toBe(30);
  });

  it('follows a floor that rises, taking the lower side within 12 hours of the change', () => {
    // 48 hours: floor 2 L for hours 0–23, 5 L for 24–47, a 20 L peak at hours 10 and 34.
    // Window of hour i starts at clamp(i − 12, 0, 24):
    //   i 0–12 → [0, 23] → 2;  i 13–35 → [i − 12, i + 11], which holds hour 23 → 2;
    //   i 36–47 → [24, 47] → 5.
    // 36 × 2 + 12 × 5 = 72 + 60 = 132 L (the true leak, 24 × 2 + 24 × 5 = 168, is not overstated).
    const uses = [...repeat(2, 24), ...repeat(5, 24)] as number[];
    uses[10] = 20;
    uses[34] = 20;
    const flow = baseFlow(uses);
    expect(flow.slice(0, 36).every((litres) => litres === 2)).toBe(true);
    expect(flow.slice(36).every((litres) => litres === 5)).toBe(true);
    expect(findLeakEpisodes(hoursFrom(T0, uses))[0]?.litresLost).toBe(132);
  });

  it('counts clock hours across the change to summer time: a 23-hour day', () => {
    // Europe/London, 29 March 2026: 01:00 GMT becomes 02:00 BST. Use in every hour from local
    // midnight on 28 March (00:00Z) to local midnight on 30 March (29 March 23:00Z): 24 + 23 =
    // 47 hours; dry from there. 4 L/h under a 30 L shower at 07:00 each day: 47 × 4 = 188 L.
    const edges = localHourEdges('2026-03-28', '2026-03-30', 'Europe/London');
    expect(edges.length - 1).toBe(24 + 23 + 24);
    const hours: LeakHour[] = edges.slice(0, -1).map((start, i) => {
      const local = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });
      const dry = i >= 47;
      return { start, end: edges[i + 1] as number, use: dry ? 0 : local.format(start) === '07' ? 34 : 4, hasData: true };
    });
    expect(findLeakEpisodes(hours)).toStrictEqual([
      {
        start: Date.parse('2026-03-28T00:00:00Z'),
        end: Date.parse('2026-03-29T23:00:00Z'),
        endedBy: 'dry_hour',
        hours: 47,
        litresLost: 188,
      },
    ]);
  });

  it('counts clock hours across the change back to winter time: a 25-hour day', () => {
    // Europe/London, 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:00–02:00 comes twice.
    // From 24 October 12:00 BST (11:00Z) to 26 October 06:00 GMT (06:00Z): 12 + 25 + 6 = 43
    // clock hours at 2 L/h (one wash of 40 L on the 25th at 10:00 GMT), dry before and after.
    // 43 × 2 = 86 L; at 4.00 GBP a cubic metre 0.344 → 0.34.
    const edges = localHourEdges('2026-10-24', '2026-10-26', 'Europe/London');
    expect(edges.length - 1).toBe(24 + 25 + 24);
    const from = Date.parse('2026-10-24T11:00:00Z');
    const to = Date.parse('2026-10-26T06:00:00Z');
    const hours: LeakHour[] = edges.slice(0, -1).map((start, i) => ({
      start,
      end: edges[i + 1] as number,
      use: start < from || start >= to ? 0 : start === Date.parse('2026-10-25T10:00:00Z') ? 42 : 2,
      hasData: true,
    }));
    const [episode, ...others] = findLeakEpisodes(hours);
    expect(others).toStrictEqual([]);
    expect(episode).toStrictEqual({ start: from, end: to, endedBy: 'dry_hour', hours: 43, litresLost: 86 });
    expect(leakCost(86, { perM3: 4, currency: 'GBP' })).toStrictEqual({ amount: 0.34, currency: 'GBP' });
  });
});

describe('ongoingEpisode', () => {
  it('is the live warning: the rule on the last 24 hours, whatever came before', () => {
    const series = fc.array(fc.oneof(fc.constant(0), fc.constant(0.25), fc.constant(7)), { minLength: 0, maxLength: 80 });
    fc.assert(
      fc.property(series, (uses) => {
        const hours = hoursFrom(T0, uses);
        expect(ongoingEpisode(hours) !== undefined).toBe(possibleLeak(uses));
      }),
    );
  });

  it('is none when the last hours have no data, though every hour with data had use', () => {
    const hours = hoursFrom(T0, [...repeat(1, 30), null]);
    expect(ongoingEpisode(hours)).toBeUndefined();
    expect(findLeakEpisodes(hours)[0]).toMatchObject({ end: at(30), endedBy: 'no_data' });
  });
});

describe('markOf', () => {
  it('is the newest mark made under an instant the episode holds', () => {
    const episode = { start: at(10), end: at(40) };
    const mark = (hour: number, markedAt: number, kind: 'fixed' | 'expected') => ({
      episodeStart: at(hour),
      markedAt,
      mark: kind,
    });
    // Under its start, and under a later instant where it started before a back-fill moved it: the newer wins.
    expect(markOf(episode, [mark(10, 1, 'fixed'), mark(12, 2, 'expected')])?.mark).toBe('expected');
    // Before it, or at its end (the next hour's), is another episode's.
    expect(markOf(episode, [mark(9, 5, 'fixed'), mark(40, 5, 'fixed')])).toBeUndefined();
    expect(markOf({ start: at(10), end: null }, [mark(500, 1, 'fixed')])?.mark).toBe('fixed');
  });
});

describe('leakCost', () => {
  it('prices litres per cubic metre, rounded to the currency’s minor unit', () => {
    // 1,234.5 L = 1.2345 m³; × 4.25 = 5.246625 → 5.25; × 500 yen = 617.25 → 617 (no minor unit).
    expect(leakCost(1234.5, { perM3: 4.25, currency: 'GBP' })).toStrictEqual({ amount: 5.25, currency: 'GBP' });
    expect(leakCost(1234.5, { perM3: 500, currency: 'JPY' })).toStrictEqual({ amount: 617, currency: 'JPY' });
    expect(leakCost(0, { perM3: 4, currency: 'EUR' })).toStrictEqual({ amount: 0, currency: 'EUR' });
  });
});

describe('streetLeakCounts', () => {
  const street = (name: string, households: number, leaking: number) => ({
    streetId: name.toLowerCase(),
    street: name,
    households,
    leaking,
  });

  it('withholds a street under the threshold, and the smallest shown street so the total cannot give it away', () => {
    // Birch has 2 countable homes, one leaking: withheld. The total (2) minus the shown streets
    // would be Birch's 1, so Ash (6, fewer than Cedar's 7) goes too: 2 − 0 = 2 over Ash and Birch, 8 homes.
    expect(LEAK_COUNT_MIN_HOUSEHOLDS).toBe(5);
    expect(streetLeakCounts([street('Cedar', 7, 0), street('Birch', 2, 1), street('Ash', 6, 1)], 5)).toStrictEqual({
      leaking: 2,
      streets: [
        { streetId: 'ash', street: 'Ash', leaking: null, withheldReason: 'complementary' },
        { streetId: 'birch', street: 'Birch', leaking: null, withheldReason: 'too_few_households' },
        { streetId: 'cedar', street: 'Cedar', leaking: 0, withheldReason: null },
      ],
    });
  });

  it('shows every street of enough homes, withholds an empty street alone (its count can only be 0)', () => {
    expect(streetLeakCounts([street('Ash', 5, 1), street('Birch', 9, 2), street('Dock', 0, 0)], 5)).toStrictEqual({
      leaking: 3,
      streets: [
        { streetId: 'ash', street: 'Ash', leaking: 1, withheldReason: null },
        { streetId: 'birch', street: 'Birch', leaking: 2, withheldReason: null },
        { streetId: 'dock', street: 'Dock', leaking: null, withheldReason: 'too_few_households' },
      ],
    });
  });

  it('leaves no number over fewer homes than the threshold to be worked out, however the streets fall', () => {
    const streets = fc.uniqueArray(
      fc.record({
        streetId: fc.string({ minLength: 1, maxLength: 4 }),
        households: fc.nat(12),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { selector: (s) => s.streetId, maxLength: 8 },
    );
    fc.assert(
      fc.property(streets, fc.integer({ min: 1, max: 15 }), (given, min) => {
        const input = given.map((s) => ({ ...s, street: s.streetId, leaking: Math.floor(s.share * s.households) }));
        const result = streetLeakCounts(input, min);
        const households = new Map(input.map((s) => [s.streetId, s.households]));
        const all = input.reduce((sum, s) => sum + s.households, 0);
        const withheld = result.streets.filter((s) => s.leaking === null);
        const remainder = withheld.reduce((sum, s) => sum + (households.get(s.streetId) as number), 0);
        // Each shown street covers enough homes; the total minus them covers enough, nothing, or the whole neighbourhood.
        for (const shown of result.streets.filter((s) => s.leaking !== null))
          expect(households.get(shown.streetId)).toBeGreaterThanOrEqual(min);
        expect(remainder === 0 || remainder >= min || remainder === all).toBe(true);
        // And the shown counts with the remainder add up to the total.
        const shownSum = result.streets.reduce((sum, s) => sum + (s.leaking ?? 0), 0);
        const withheldLeaks = input
          .filter((s) => withheld.some((w) => w.streetId === s.streetId))
          .reduce((a, s) => a + s.leaking, 0);
        expect(result.leaking - shownSum).toBe(withheldLeaks);
      }),
    );
  });
});
