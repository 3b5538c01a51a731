// Utility aggregates as published (migration 007): a settled day's figures, stored once and then
// served unchanged, with the rule they were decided under.
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { Queryable } from '../database.ts';

export interface PublishedDay<Figures> {
  date: string;
  minHouseholds: number;
  maxShare: number;
  figures: Figures;
}

/** Stores days not stored yet; a day another process stored first is left as it is. */
export async function insertPublishedDays<Figures>(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  rule: { minHouseholds: number; maxShare: number },
  days: readonly { date: string; figures: Figures }[],
): Promise<void> {
  await q.query(
    `INSERT INTO published_aggregates (neighbourhood_id, kind, date, min_households, max_share, figures)
     SELECT $1, $2, (d->>'date')::date, $3, $4, d->'figures' FROM jsonb_array_elements($5::jsonb) AS d
     ON CONFLICT (neighbourhood_id, kind, date) DO NOTHING`,
    [neighbourhoodId, kind, rule.minHouseholds, rule.maxShare, JSON.stringify(days)],
  );
}

export async function publishedDays<Figures>(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  from: string,
  to: string,
): Promise<PublishedDay<Figures>[]> {
  const rows = await q.query<{ date: string; minHouseholds: number; maxShare: number; figures: Figures | string }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, min_households AS "minHouseholds", max_share AS "maxShare", figures
     FROM published_aggregates WHERE neighbourhood_id = $1 AND kind = $2 AND date BETWEEN $3 AND $4`,
    [neighbourhoodId, kind, from, to],
  );
  // pg parses jsonb; a driver that does not hands it over as text.
  return rows.map((row) => ({
    date: row.date,
    minHouseholds: Number(row.minHouseholds),
    maxShare: Number(row.maxShare),
    figures: (typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures) as Figures,
  }));
}
