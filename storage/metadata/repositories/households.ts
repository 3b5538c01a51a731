// Households: where they live, how many people, what they consent to (and the history of that).

import type { Consent, HouseholdProfile } from '../../../domain/people.ts';
import type { Queryable } from '../database.ts';
import type { InsertOptions } from './neighbourhoods.ts';
import { deleteUsualHoursOfHouseholds } from './usual-hours.ts';

export type { Consent };

export interface NewHousehold {
  id: string;
  streetId: string;
  alias: string;
  /** Default 2. */
  occupants?: number;
  /** Default challenge. */
  consent?: Consent;
}

/** One statement for any number of households (the bench and the demo insert thousands). */
export async function insertHouseholds(
  q: Queryable,
  households: readonly NewHousehold[],
  options: InsertOptions = {},
): Promise<void> {
  if (households.length === 0) return;
  await q.query(
    `INSERT INTO households (id, street_id, alias, occupants, consent)
     SELECT r.id, r.street_id, r.alias, COALESCE(r.occupants, 2), COALESCE(r.consent, 'challenge')
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS r(id, street_id, alias, occupants, consent)
     ${options.skipExisting ? 'ON CONFLICT (id) DO NOTHING' : ''}`,
    [
      households.map((h) => h.id),
      households.map((h) => h.streetId),
      households.map((h) => h.alias),
      households.map((h) => h.occupants ?? null),
      households.map((h) => h.consent ?? null),
    ],
  );
}

export async function insertHousehold(q: Queryable, household: NewHousehold): Promise<void> {
  await insertHouseholds(q, [household]);
}

export async function householdProfile(q: Queryable, householdId: string): Promise<HouseholdProfile | undefined> {
  const [row] = await q.query<HouseholdProfile>(
    `SELECT h.id, h.alias, h.occupants, h.consent, s.name AS street, s.neighbourhood_id AS "neighbourhoodId", n.time_zone AS "timeZone"
     FROM households h JOIN streets s ON s.id = h.street_id JOIN neighbourhoods n ON n.id = s.neighbourhood_id WHERE h.id = $1`,
    [householdId],
  );
  return row;
}

/** Every column of the household's row, as stored (for its export). */
export async function householdRecord(q: Queryable, householdId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await q.query<Record<string, unknown>>('SELECT * FROM households WHERE id = $1', [householdId]);
  return row;
}

export async function householdExists(q: Queryable, householdId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM households WHERE id = $1', [householdId])).length > 0;
}

export async function neighbourhoodOfHousehold(q: Queryable, householdId: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(
    'SELECT s.neighbourhood_id AS id FROM households h JOIN streets s ON s.id = h.street_id WHERE h.id = $1',
    [householdId],
  );
  return row?.id;
}

export async function aliasesInNeighbourhood(q: Queryable, neighbourhoodId: string): Promise<string[]> {
  const rows = await q.query<{ alias: string }>(
    'SELECT h.alias FROM households h JOIN streets s ON s.id = h.street_id WHERE s.neighbourhood_id = $1',
    [neighbourhoodId],
  );
  return rows.map((row) => row.alias);
}

/** The households of a neighbourhood that consent to research now. */
export async function researchHouseholds(
  q: Queryable,
  neighbourhoodId: string,
): Promise<{ id: string; streetId: string; occupants: number; consent: Consent }[]> {
  return q.query(
    `SELECT h.id, h.street_id AS "streetId", h.occupants, h.consent FROM households h JOIN streets s ON s.id = h.street_id
     WHERE s.neighbourhood_id = $1 AND h.consent = 'research'`,
    [neighbourhoodId],
  );
}

/** Sets consent; a household turning private keeps no usual hours for any challenge (migration 012). */
export async function setConsent(q: Queryable, householdIds: readonly string[], consent: Consent): Promise<void> {
  await q.query('UPDATE households SET consent = $2 WHERE id = ANY($1::text[])', [householdIds, consent]);
  if (consent === 'private') await deleteUsualHoursOfHouseholds(q, householdIds);
}

/** Raises a private household's consent to challenge; resolves true when it was private. */
export async function raiseConsentToChallenge(q: Queryable, householdId: string): Promise<boolean> {
  const rows = await q.query("UPDATE households SET consent = 'challenge' WHERE id = $1 AND consent = 'private' RETURNING id", [
    householdId,
  ]);
  return rows.length > 0;
}

/** Moves a household to another street (its meters go with it). */
export async function moveHousehold(q: Queryable, householdId: string, streetId: string): Promise<void> {
  await q.query('UPDATE households SET street_id = $2 WHERE id = $1', [householdId, streetId]);
}

/** Deletes the household; its accounts, sessions, tokens, meters, consent, memberships, events and rollups cascade. */
export async function deleteHousehold(q: Queryable, householdId: string): Promise<void> {
  await q.query('DELETE FROM households WHERE id = $1', [householdId]);
}

// ---- consent history

export async function insertConsentChange(
  q: Queryable,
  change: { householdId: string; consent: Consent; changedBy?: string | null; changedAt?: Date },
): Promise<void> {
  await q.query(
    'INSERT INTO consent_changes (household_id, consent, changed_by, changed_at) VALUES ($1, $2, $3, COALESCE($4::timestamptz, now()))',
    [change.householdId, change.consent, change.changedBy ?? null, change.changedAt?.toISOString() ?? null],
  );
}

export interface ConsentChange {
  householdId: string;
  consent: Consent;
  changedAt: Date;
}

/** The consent changes of these households, oldest first. */
export async function consentChangesOf(q: Queryable, householdIds: readonly string[]): Promise<ConsentChange[]> {
  const rows = await q.query<ConsentChange>(
    `SELECT household_id AS "householdId", consent, changed_at AS "changedAt" FROM consent_changes
     WHERE household_id = ANY($1::text[]) ORDER BY changed_at`,
    [householdIds],
  );
  return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }));
}
