// Utility aggregates under the "15/15" rule (DESIGN "Consent and privacy"): a figure covers at
// least `minHouseholds` households with data and no single household above `maxShare` of it.
import type { MeterKind } from '../../devices/contract/units.ts';
import { getOrCreate } from '../../lib/collections.ts';
import type { DayUse } from '../scoring/scoring.ts';

export interface AggregateRule {
  minHouseholds: number;
  maxShare: number;
}

export interface AggregateDay {
  date: string;
  households: number;
  total: number | null;
  perPersonPerDay: number | null;
  withheld: string | null;
}

export function aggregateDays(
  households: readonly { id: string; street: string; occupants: number }[],
  days: Map<string, DayUse[]>,
  by: 'street' | 'neighbourhood',
  rule: AggregateRule,
  kind: MeterKind,
): { group: string; days: AggregateDay[] }[] {
  const groups = new Map<string, Map<string, { uses: number[]; occupants: number }>>();
  for (const household of households) {
    const group = getOrCreate(groups, by === 'street' ? household.street : 'neighbourhood', () => new Map());
    for (const day of days.get(household.id) ?? []) {
      if (!day.hasData) continue;
      const entry = getOrCreate(group, day.date, () => ({ uses: [] as number[], occupants: 0 }));
      entry.uses.push(day.use);
      entry.occupants += household.occupants;
    }
  }
  return [...groups]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([group, byDate]) => ({
      group,
      days: [...byDate]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([date, { uses, occupants }]) => {
          const total = uses.reduce((sum, use) => sum + use, 0);
          let withheld: string | null = null;
          if (uses.length < rule.minHouseholds) withheld = `fewer than ${rule.minHouseholds} households`;
          else if (total > 0 && Math.max(...uses) > rule.maxShare * total)
            withheld = `one household is above ${rule.maxShare * 100}% of the total`;
          return {
            date,
            households: uses.length,
            total: withheld ? null : total,
            perPersonPerDay: withheld || kind !== 'water' ? null : total / Math.max(1, occupants),
            withheld,
          };
        }),
    }));
}
