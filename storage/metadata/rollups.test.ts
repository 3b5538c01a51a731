// Which days ingest marks dirty, on both databases (the dates are expanded by PostgreSQL).
import { describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../api/testing/fixtures.ts';
import { markTouchedDaysDirty, SETTLE_MS } from './rollups.ts';

const at = (iso: string) => Date.parse(iso);

describe.each(databaseKinds)('markTouchedDaysDirty on %s', (kind) => {
  it('marks the UTC days a span can change, a day wider on each side, and skips unsettled spans', async () => {
    const { db, close } = await openTestDatabase(kind);
    try {
      const now = at('2026-03-10T12:00:00Z');
      const marked = await markTouchedDaysDirty(
        db,
        [
          // 10:00 on 3 March to 10:30 on 4 March: 2, 3, 4 and 5 March.
          { household: 'h1', kind: 'water', from: at('2026-03-03T10:00:00Z'), to: at('2026-03-04T10:30:00Z') },
          // Overlapping span of the same household: days are marked once.
          { household: 'h1', kind: 'water', from: at('2026-03-04T00:00:00Z'), to: at('2026-03-04T01:00:00Z') },
          { household: 'h2', kind: 'gas', from: at('2026-03-09T00:00:00Z'), to: at('2026-03-09T00:30:00Z') },
          // Started after the settle line: nothing there can be rolled up yet.
          { household: 'h3', kind: 'water', from: now - SETTLE_MS + 1, to: now },
        ],
        now,
      );
      expect(marked).toBe(3);
      const rows = await db.query<{ household_id: string; kind: string; date: string }>(
        "SELECT household_id, kind, to_char(date, 'YYYY-MM-DD') AS date FROM daily_use_dirty ORDER BY 1, 2, 3",
      );
      expect(rows.map((row) => `${row.household_id} ${row.kind} ${row.date}`)).toStrictEqual([
        'h1 water 2026-03-02',
        'h1 water 2026-03-03',
        'h1 water 2026-03-04',
        'h1 water 2026-03-05',
        'h2 gas 2026-03-08',
        'h2 gas 2026-03-09',
        'h2 gas 2026-03-10',
      ]);
    } finally {
      await close();
    }
  });
});
