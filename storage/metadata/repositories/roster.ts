// A neighbourhood's households as its champion sees them: aliases and streets, the challenges they
// are in or invited to, how many meters they have. Never a private household's id or alias: those
// are not even read, only its street.
import type { Queryable } from '../database.ts';
import { INVITED } from './challenges.ts';

export interface RosterRow {
  /** null for a private household (as is its alias): it is only counted on its street. */
  householdId: string | null;
  alias: string | null;
  street: string;
  streetId: string;
}

/** Every household of the neighbourhood with its street, in one statement (so the list and the counts agree). */
export async function rosterOf(q: Queryable, neighbourhoodId: string): Promise<RosterRow[]> {
  return q.query<RosterRow>(
    `SELECT CASE WHEN h.consent = 'private' THEN NULL ELSE h.id END AS "householdId",
            CASE WHEN h.consent = 'private' THEN NULL ELSE h.alias END AS alias,
            s.name AS street, s.id AS "streetId"
     FROM streets s JOIN households h ON h.street_id = s.id WHERE s.neighbourhood_id = $1`,
    [neighbourhoodId],
  );
}

export interface RosterChallenge {
  householdId: string;
  challengeId: string;
  name: string;
}

/**
 * The neighbourhood's challenges that end on `today` or later, neither cancelled nor archived, which
 * these (not private) households joined; soonest start first.
 */
export async function joinedOpenChallengesOf(
  q: Queryable,
  neighbourhoodId: string,
  householdIds: readonly string[],
  today: string,
): Promise<RosterChallenge[]> {
  if (householdIds.length === 0) return [];
  return q.query<RosterChallenge>(
    `SELECT h.id AS "householdId", c.id AS "challengeId", c.name
     FROM memberships m JOIN households h ON h.id = m.household_id JOIN challenges c ON c.id = m.challenge_id
     WHERE m.household_id = ANY($2::text[]) AND h.consent <> 'private' AND c.neighbourhood_id = $1 AND c.ends_on >= $3::date
       AND c.status = 'active'
     ORDER BY c.starts_on, c.name, c.id`,
    [neighbourhoodId, householdIds, today],
  );
}

/**
 * The neighbourhood's challenges that end on `today` or later, neither cancelled nor archived,
 * which these (not private) households are invited to, by themselves or by their street, and have
 * not joined.
 */
export async function openInvitationsAmong(
  q: Queryable,
  neighbourhoodId: string,
  householdIds: readonly string[],
  today: string,
): Promise<RosterChallenge[]> {
  if (householdIds.length === 0) return [];
  return q.query<RosterChallenge>(
    `SELECT h.id AS "householdId", c.id AS "challengeId", c.name
     FROM households h JOIN challenges c ON c.neighbourhood_id = $1
     WHERE h.id = ANY($2::text[]) AND h.consent <> 'private' AND c.ends_on >= $3::date AND c.status = 'active' AND ${INVITED}
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.challenge_id = c.id AND m.household_id = h.id)
     ORDER BY c.starts_on, c.name, c.id`,
    [neighbourhoodId, householdIds, today],
  );
}

/** The meters of these (not private) households. */
export async function metersAmong(q: Queryable, householdIds: readonly string[]): Promise<{ id: string; householdId: string }[]> {
  if (householdIds.length === 0) return [];
  return q.query(
    `SELECT m.id, m.household_id AS "householdId" FROM meters m JOIN households h ON h.id = m.household_id
     WHERE m.household_id = ANY($1::text[]) AND h.consent <> 'private'`,
    [householdIds],
  );
}
