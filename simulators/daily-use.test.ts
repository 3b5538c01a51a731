import { describe, expect, it } from 'vitest';
import { simulateDailyUse } from './daily-use.ts';

const spec = { households: 40, from: '2026-02-02', to: '2026-04-26', seed: 5 } as const;
const saving = { fraction: 0.08, from: '2026-03-30' };
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('simulateDailyUse', () => {
  it.each(['water', 'gas'] as const)('%s: a run without savings is the exact counterfactual of one with', (kind) => {
    const without = simulateDailyUse({ ...spec, kind });
    const withSaving = simulateDailyUse({ ...spec, kind, saving: (household) => (household % 2 === 0 ? saving : undefined) });
    expect(simulateDailyUse({ ...spec, kind })).toStrictEqual(without);
    expect(without.dates).toHaveLength(84);
    const from = without.dates.indexOf(saving.from);
    without.use.forEach((days, household) => {
      days.forEach((use, day) => {
        const saved = withSaving.use[household]?.[day] as number;
        if (household % 2 === 1 || day < from) expect(saved).toBe(use);
        // Every litre shrinks by 8% × u, u in 0.6–1.4: the day by 4.8% to 11.2%.
        else expect(saved / use).toSatisfy((ratio: number) => ratio >= 1 - 0.08 * 1.4 - 1e-12 && ratio <= 1 - 0.08 * 0.6 + 1e-12);
      });
    });
  });

  it('follows the weather: gas falls from February to April, as heating degree days do', () => {
    const { use } = simulateDailyUse({ ...spec, kind: 'gas' });
    // First four weeks (early February, ≈ 5–6 °C) against the last four (April, ≈ 10 °C).
    const february = mean(use.map((days) => mean(days.slice(0, 28))));
    const april = mean(use.map((days) => mean(days.slice(-28))));
    expect(april / february).toBeLessThan(0.8);
  });

  it('puts a household’s water in the range of the simulator’s calibration', () => {
    const { use } = simulateDailyUse({ ...spec, kind: 'water' });
    // England ≈ 136.5 L a person a day, 2.4 people a home on average: a middle home near 300 L a day.
    const perHome = use.map((days) => mean(days)).sort((a, b) => a - b);
    expect(perHome[perHome.length / 2]).toBeGreaterThan(200);
    expect(perHome[perHome.length / 2]).toBeLessThan(450);
  });
});
