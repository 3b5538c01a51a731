// What a leaderboard is computed from, as stored: the challenge with its neighbourhood's time zone,
// and every membership with what the board's privacy rules need (consent, team, mentor).
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { Queryable } from '../database.ts';

/** A challenge row as stored; the API checks template and scope against its own schema. */
export interface ChallengeRecord {
  id: string;
  neighbourhoodId: string;
  template: string;
  name: string;
  metric: MeterKind;
  scope: string;
  startsOn: string;
  endsOn: string;
  baselineFrom: string;
  baselineTo: string;
  targetSaving: number | null;
  public: boolean;
  /** What an organiser decided (`challenges.status`, migration 015): active, cancelled or archived. */
  lifecycle: string;
  /** Whether each end of the baseline window was given at creation (else it follows the start). */
  baselineFromGiven: boolean;
  baselineToGiven: boolean;
  /** The neighbourhood's: a challenge's days are local days there. */
  timeZone: string;
}

export interface MembershipRecord {
  householdId: string;
  alias: string;
  street: string;
  /** The household's consent is `private`: it may be on no board. */
  private: boolean;
  team: { id: string; name: string; mentorHouseholdId: string | null } | null;
}

/** The challenge; `forUpdate` locks its row until the transaction ends (an organiser changing it). */
export async function challengeRecord(
  q: Queryable,
  challengeId: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<ChallengeRecord | undefined> {
  const [row] = await q.query<ChallengeRecord>(
    `SELECT c.id, c.neighbourhood_id AS "neighbourhoodId", c.template, c.name, c.metric, c.scope,
            to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
            to_char(c.baseline_from, 'YYYY-MM-DD') AS "baselineFrom", to_char(c.baseline_to, 'YYYY-MM-DD') AS "baselineTo",
            c.target_saving AS "targetSaving", c.public, c.status AS lifecycle,
            c.baseline_from_given AS "baselineFromGiven", c.baseline_to_given AS "baselineToGiven", n.time_zone AS "timeZone"
     FROM challenges c JOIN neighbourhoods n ON n.id = c.neighbourhood_id WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [challengeId],
  );
  return (
    row && {
      ...row,
      targetSaving: row.targetSaving === null ? null : Number(row.targetSaving),
      public: row.public === true,
      baselineFromGiven: row.baselineFromGiven === true,
      baselineToGiven: row.baselineToGiven === true,
    }
  );
}

/** Every household in the challenge, private ones included: the board's rules decide who is shown. */
export async function challengeMemberships(q: Queryable, challengeId: string): Promise<MembershipRecord[]> {
  const rows = await q.query<{
    householdId: string;
    alias: string;
    street: string;
    private: boolean;
    teamId: string | null;
    teamName: string | null;
    mentorHouseholdId: string | null;
  }>(
    `SELECT m.household_id AS "householdId", h.alias, s.name AS street, h.consent = 'private' AS private,
            t.id AS "teamId", t.name AS "teamName", t.mentor_household_id AS "mentorHouseholdId"
     FROM memberships m JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id
     LEFT JOIN teams t ON t.id = m.team_id
     WHERE m.challenge_id = $1`,
    [challengeId],
  );
  return rows.map(({ teamId, teamName, mentorHouseholdId, ...member }) => ({
    ...member,
    team: teamId === null ? null : { id: teamId, name: teamName ?? '', mentorHouseholdId },
  }));
}
