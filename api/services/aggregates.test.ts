// The 15/15 rule with complementary suppression, and consent in force on a day, with numbers
// worked out by hand. Rule: at least 15 households, none above 15% of the figure.
import { describe, expect, it } from 'vitest';
import { COMPLEMENTARY, type HouseholdUse, publishDay, researchThroughout, ruleFailure, withheldReasonOf } from './aggregates.ts';
import { LOOSER_RULE } from './published-aggregates.ts';

const rule = { minHouseholds: 15, maxShare: 0.15 };
const homes = (street: string, count: number, use: number, occupants = 2): HouseholdUse[] =>
  Array.from({ length: count }, () => ({ street, use, occupants }));
const streets = (...names: string[]) => names.map((name) => ({ id: name.toLowerCase(), name }));
const withheld = (reason: string) => ({ households: null, total: null, perPersonPerDay: null, withheld: reason });
const FEWER = 'fewer than 15 households';

describe('publishDay', () => {
  it('withholds the only shown street when the neighbourhood minus it is a small street', () => {
    // Elm 16 × 240 = 3840 passes alone, but 19 × 240 = 4560 minus 3840 = Oak's 720 over 3 homes.
    const day = publishDay(streets('Elm', 'Oak'), [...homes('elm', 16, 240), ...homes('oak', 3, 240)], rule, 'water');
    expect(day).toStrictEqual({
      neighbourhood: { households: 19, total: 4560, perPersonPerDay: 120, withheld: null },
      streets: [
        { street: 'Elm', ...withheld(COMPLEMENTARY) },
        { street: 'Oak', ...withheld(FEWER) },
      ],
    });
  });

  it('withholds the smallest shown street first, until what the withheld streets add up to passes', () => {
    // Elm 17, Ash 16, Oak 3: Oak alone is the remainder (3) → withhold Ash (16 < 17) → 19 passes.
    const day = publishDay(
      streets('Elm', 'Ash', 'Oak'),
      [...homes('elm', 17, 240), ...homes('ash', 16, 240), ...homes('oak', 3, 240)],
      rule,
      'water',
    );
    expect(day.neighbourhood).toStrictEqual({ households: 36, total: 8640, perPersonPerDay: 120, withheld: null });
    expect(day.streets).toStrictEqual([
      { street: 'Ash', ...withheld(COMPLEMENTARY) },
      { street: 'Elm', households: 17, total: 4080, perPersonPerDay: 120, withheld: null },
      { street: 'Oak', ...withheld(FEWER) },
    ]);
  });

  it('takes several withheld streets together: 5 + 5 is still too few, 8 + 8 is enough', () => {
    const tooFew = publishDay(
      streets('Elm', 'Ash', 'Oak', 'Birch'),
      [...homes('elm', 20, 100), ...homes('ash', 20, 100), ...homes('oak', 5, 100), ...homes('birch', 5, 100)],
      rule,
      'water',
    );
    // Ash and Elm tie at 20 homes: by name, Ash goes first; then 30 homes are withheld.
    expect(tooFew.streets.map((s) => [s.street, s.total, s.withheld])).toStrictEqual([
      ['Ash', null, COMPLEMENTARY],
      ['Birch', null, FEWER],
      ['Elm', 2000, null],
      ['Oak', null, FEWER],
    ]);
    const enough = publishDay(
      streets('Elm', 'Oak', 'Birch'),
      [...homes('elm', 20, 100), ...homes('oak', 8, 100), ...homes('birch', 8, 100)],
      rule,
      'water',
    );
    // 3600 − 2000 = 1600 over Oak and Birch's 16 homes together: a figure the rule allows.
    expect(enough.neighbourhood.total).toBe(3600);
    expect(enough.streets.map((s) => [s.street, s.total, s.withheld])).toStrictEqual([
      ['Birch', null, FEWER],
      ['Elm', 2000, null],
      ['Oak', null, FEWER],
    ]);
  });

  it('holds the remainder to the share rule too', () => {
    // Elm 40 × 240 = 9600; Oak 14 × 100 and Birch's one home at 1500: the remainder is 15 homes
    // but 1500 of its 2900 (52%) is one home. In the neighbourhood 1500 of 12500 is 12%: shown.
    const day = publishDay(
      streets('Elm', 'Oak', 'Birch'),
      [...homes('elm', 40, 240), ...homes('oak', 14, 100), ...homes('birch', 1, 1500)],
      rule,
      'water',
    );
    expect(day.neighbourhood).toStrictEqual({ households: 55, total: 12500, perPersonPerDay: 12500 / 110, withheld: null });
    expect(day.streets.find((s) => s.street === 'Elm')).toStrictEqual({ street: 'Elm', ...withheld(COMPLEMENTARY) });
  });

  it('needs no remainder check when the neighbourhood itself is withheld', () => {
    // Oak: 15 × 100 + 2000 = 3500, 2000 is 57%; the neighbourhood: 2000 of 8300 is 24%.
    const day = publishDay(
      streets('Elm', 'Oak'),
      [...homes('elm', 20, 240), ...homes('oak', 15, 100), ...homes('oak', 1, 2000)],
      rule,
      'water',
    );
    expect(day).toStrictEqual({
      neighbourhood: withheld('one household is above 15% of the total'),
      streets: [
        { street: 'Elm', households: 20, total: 4800, perPersonPerDay: 120, withheld: null },
        { street: 'Oak', ...withheld('one household is above 15% of the total') },
      ],
    });
  });

  it('lists a street with no counted home as withheld, and has no per-person figure for energy', () => {
    const day = publishDay(streets('Elm', 'Empty'), homes('elm', 15, 2000, 3), rule, 'electricity');
    expect(day).toStrictEqual({
      neighbourhood: { households: 15, total: 30000, perPersonPerDay: null, withheld: null },
      streets: [
        { street: 'Elm', households: 15, total: 30000, perPersonPerDay: null, withheld: null },
        { street: 'Empty', ...withheld(FEWER) },
      ],
    });
  });
});

describe('researchThroughout', () => {
  it('counts a household with no record by its present consent', () => {
    expect(researchThroughout([], 'research', 0, 100)).toBe(true);
    expect(researchThroughout([], 'challenge', 0, 100)).toBe(false);
  });

  it('counts a day only when research was in force all of it, and still is', () => {
    const changes = [
      { consent: 'research' as const, at: 100 },
      { consent: 'private' as const, at: 250 },
      { consent: 'research' as const, at: 400 },
    ];
    expect(researchThroughout(changes, 'research', 0, 100)).toBe(false); // before the first record: challenge
    expect(researchThroughout(changes, 'research', 50, 150)).toBe(false); // became research during the day
    expect(researchThroughout(changes, 'research', 100, 200)).toBe(true); // a change at the start is in force
    expect(researchThroughout(changes, 'research', 200, 300)).toBe(false); // went private during the day
    expect(researchThroughout(changes, 'research', 300, 400)).toBe(false); // private all day
    expect(researchThroughout(changes, 'research', 400, 500)).toBe(true);
    expect(researchThroughout(changes, 'private', 400, 500)).toBe(false); // withdrawn since
  });
});

describe('withheldReasonOf', () => {
  const rule = { minHouseholds: 15, maxShare: 0.15 };
  it('gives each way a figure is withheld its own code, and none to a shown one', () => {
    const few = ruleFailure({ households: 14, total: 1400, occupants: 28, largest: 100 }, rule);
    const dominant = ruleFailure({ households: 20, total: 2000, occupants: 40, largest: 400 }, rule);
    expect([few, dominant, COMPLEMENTARY, LOOSER_RULE, null].map(withheldReasonOf)).toStrictEqual([
      'too_few_households',
      'dominant_household',
      'complementary',
      'looser_rule',
      null,
    ]);
  });
});
