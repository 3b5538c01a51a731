// Expected values worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { daysWithoutData, progressBand } from './mentoring.ts';
import type { DayUse } from './scoring.ts';

describe('a member’s progress in words', () => {
  it('puts a saving in its band, the edges included, as shown to a tenth of a percent', () => {
    // 10% or more: a lot; over 2%: saving; from −2% to 2%: as usual; below −2%: using more.
    // 1 − 216/240 is 0.09999999999999998 in floating point: shown as 10.0%, a lot; 9.94% is 9.9%.
    expect([0.25, 0.1, 1 - 216 / 240, 0.0994, 0.021, 0.02, 0, -0.02, -0.0206, -0.5].map(progressBand)).toStrictEqual([
      'saving_a_lot',
      'saving_a_lot',
      'saving_a_lot',
      'saving',
      'saving',
      'as_usual',
      'as_usual',
      'as_usual',
      'using_more',
      'using_more',
    ]);
  });
});

describe('days without data', () => {
  const day = (date: string, hasData: boolean): DayUse => ({ date, use: hasData ? 300 : 0, hasData });

  it('counts the days in a row up to the last one with no data, a missing date as none', () => {
    // 10 March has data; 11 March has a gap; 12 March read nothing (missing); 13 March has a gap:
    // up to 13 March, 3 days in a row.
    const days = [day('2026-03-10', true), day('2026-03-11', false), day('2026-03-13', false)];
    expect(daysWithoutData(days, '2026-03-13', 30)).toBe(3);
    expect(daysWithoutData(days, '2026-03-10', 30)).toBe(0);
    expect(daysWithoutData(days, '2026-03-11', 30)).toBe(1);
  });

  it('looks back no further than it is asked, and across the spring clock change by dates', () => {
    // Nothing at all: capped at 5. 29 March 2026 is the 23-hour day in London; dates still count 1 each.
    expect(daysWithoutData([], '2026-03-30', 5)).toBe(5);
    expect(daysWithoutData([day('2026-03-28', true)], '2026-03-30', 5)).toBe(2);
  });
});
