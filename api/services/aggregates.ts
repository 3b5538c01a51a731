// Utility aggregates under the "15/15" rule (docs/scoring.md, "Utility aggregates"): a figure covers at
// least `minHouseholds` households and no single household above `maxShare` of it. And no withheld
// figure may be worked out from shown ones: the neighbourhood minus the shown streets is the sum of
// the withheld streets, so that sum must pass the rule too (complementary suppression). Pure: the
// adapter (published-aggregates.ts) fetches the days and stores what is published.
import type { MeterKind } from '../../devices/contract/units.ts';

export interface AggregateRule {
  minHouseholds: number;
  maxShare: number;
}

import type { Consent } from '../../domain/people.ts';
import type { WithheldReason } from '../schemas/neighbourhoods.ts';

export type { Consent };

/** One counted household's use on one day, on the street it lives on. */
export interface HouseholdUse {
  street: string;
  use: number;
  occupants: number;
}

/** A published figure: numbers only when shown; a withheld one says why and nothing else. */
export interface Figure {
  households: number | null;
  total: number | null;
  perPersonPerDay: number | null;
  withheld: string | null;
}

export interface DayFigures {
  neighbourhood: Figure;
  /** Every street of the neighbourhood, by name, so a street's presence says nothing either. */
  streets: ({ street: string } & Figure)[];
}

export const COMPLEMENTARY = 'withheld so that the withheld streets cannot be worked out from the neighbourhood figure';

interface Cell {
  households: number;
  total: number;
  occupants: number;
  largest: number;
}

const emptyCell: Cell = { households: 0, total: 0, occupants: 0, largest: 0 };

function cellOf(uses: readonly HouseholdUse[]): Cell {
  return combine(uses.map((u) => ({ households: 1, total: u.use, occupants: u.occupants, largest: u.use })));
}

function combine(cells: readonly Cell[]): Cell {
  return cells.reduce(
    (sum, cell) => ({
      households: sum.households + cell.households,
      total: sum.total + cell.total,
      occupants: sum.occupants + cell.occupants,
      largest: Math.max(sum.largest, cell.largest),
    }),
    emptyCell,
  );
}

/** The code of a withheld figure's reason (published figures keep the English text they were stored with). */
export function withheldReasonOf(withheld: string | null): WithheldReason | null {
  if (withheld === null) return null;
  if (withheld.startsWith('fewer than')) return 'too_few_households';
  if (withheld.startsWith('one household is above')) return 'dominant_household';
  if (withheld === COMPLEMENTARY) return 'complementary';
  return 'looser_rule';
}

/** Why the rule withholds a figure over these households, or null when it may be shown. */
export function ruleFailure(cell: Cell, rule: AggregateRule): string | null {
  if (cell.households < rule.minHouseholds) return `fewer than ${rule.minHouseholds} households`;
  if (cell.total > 0 && cell.largest > rule.maxShare * cell.total)
    return `one household is above ${Math.round(rule.maxShare * 1000) / 10}% of the total`;
  return null;
}

/**
 * Every figure of one day, decided together: the rule on each street and on the neighbourhood,
 * then, while the neighbourhood is shown and the withheld streets together fail the rule, the
 * shown street with the fewest households (then by name) is withheld too. Any figure a reader can
 * derive is then a union of shown streets and that remainder, each of which passes the rule, so
 * the union does too.
 */
export function publishDay(
  streets: readonly { id: string; name: string }[],
  households: readonly HouseholdUse[],
  rule: AggregateRule,
  kind: MeterKind,
): DayFigures {
  const byStreet = new Map<string, HouseholdUse[]>(streets.map((s) => [s.id, []]));
  for (const household of households) byStreet.get(household.street)?.push(household);
  const neighbourhood = cellOf(households);
  const neighbourhoodWithheld = ruleFailure(neighbourhood, rule);
  const cells = streets.map((street) => {
    const cell = cellOf(byStreet.get(street.id) ?? []);
    return { name: street.name, cell, withheld: ruleFailure(cell, rule) };
  });
  if (neighbourhoodWithheld === null) {
    const shown = cells
      .filter((s) => s.withheld === null)
      .sort((a, b) => a.cell.households - b.cell.households || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let remainder = combine(cells.filter((s) => s.withheld !== null).map((s) => s.cell));
    // An empty remainder discloses nothing; with no shown street left it is the neighbourhood, which passes.
    while (remainder.households > 0 && ruleFailure(remainder, rule) !== null) {
      const next = shown.shift();
      if (!next) break;
      next.withheld = COMPLEMENTARY;
      remainder = combine([remainder, next.cell]);
    }
  }
  const figure = (cell: Cell, withheld: string | null): Figure =>
    withheld === null
      ? {
          households: cell.households,
          total: cell.total,
          perPersonPerDay: kind === 'water' ? cell.total / Math.max(1, cell.occupants) : null,
          withheld: null,
        }
      : { households: null, total: null, perPersonPerDay: null, withheld };
  return {
    neighbourhood: figure(neighbourhood, neighbourhoodWithheld),
    streets: cells
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, cell, withheld }) => ({ street: name, ...figure(cell, withheld) })),
  };
}

/** Whether any figure of the day is shown (a day with none may be computed again later: it disclosed no number). */
export const showsAnything = (day: DayFigures): boolean =>
  day.neighbourhood.withheld === null || day.streets.some((s) => s.withheld === null);

/**
 * Whether a household's consent was `research` for the whole of [start, end), from its recorded
 * changes (sorted by time). Before its first record a household had the default, `challenge`:
 * consent to research does not reach back. A household with no record at all has had its present
 * consent throughout (it was created with it, as the demo's are).
 */
export function researchThroughout(
  changes: readonly { consent: Consent; at: number }[],
  present: Consent,
  start: number,
  end: number,
): boolean {
  if (present !== 'research') return false;
  if (changes.length === 0) return true;
  let atStart: Consent = 'challenge';
  for (const change of changes) if (change.at <= start) atStart = change.consent;
  return atStart === 'research' && changes.every((c) => c.at <= start || c.at >= end || c.consent === 'research');
}
