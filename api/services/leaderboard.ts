// A challenge's leaderboard: members' daily use from the ReadingStore, scored by the pure
// functions in ../scoring, aliases only. Private households are left off, also as mentors.
// Litres saved beside a saving and its days give away a baseline (saved ÷ (saving × days)), so a
// household's litres are its own (GET /api/households/:id/challenges), never on a board; a group's
// are shown to signed-in callers only from LITRES_SHOWN_FROM rated members up. The public board
// carries rank and saving over complete days only: no litres, no live figure.
import type { MeterKind } from '../../devices/contract/units.ts';
import {
  baselineFromSummary,
  groupSaving,
  type HouseholdProgress,
  MIN_RATED_STREET_HOUSEHOLDS,
  MIN_RATED_TEAM_HOUSEHOLDS,
  progressFromSummary,
  provisionalSaving,
  rank,
} from '../../domain/scoring.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { addDays, earlierDate, type LocalDate, localDate, localDayBounds } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { notFound } from '../http-errors.ts';
import type { DailyUse } from './daily-use.ts';

export interface Challenge {
  id: string;
  neighbourhoodId: string;
  template: string;
  name: string;
  metric: MeterKind;
  scope: 'households' | 'teams' | 'streets';
  startsOn: LocalDate;
  endsOn: LocalDate;
  baselineFrom: LocalDate;
  baselineTo: LocalDate;
  targetSaving: number | null;
  public: boolean;
  timeZone: string;
}

export type EntryStatus = 'ranked' | 'not_rated_yet' | 'not_enough_data' | 'too_few_rated';

export interface LeaderboardEntry {
  rank: number | null;
  name: string;
  status: EntryStatus;
  saving: number | null;
  saved: number | null;
  members?: number;
  ratedMembers?: number;
  mentor?: string | null;
  /** Provisional saving today so far (live boards); null outside the challenge or without a baseline. */
  today: number | null;
}

/** How one member household stands: for its own pages, never put on a leaderboard. */
export interface MemberStanding {
  status: EntryStatus;
  saving: number | null;
  saved: number | null;
  team: string | null;
  street: string;
}

export interface ComputedLeaderboard {
  board: Leaderboard;
  /** `board` as JSON, made once: a 10k-entry board is served many times between recomputations. */
  json: string;
  /** What anyone with the link may see (DESIGN: aliases, rank and saving for complete days only). */
  publicBoard: PublicLeaderboard;
  members: Map<string, MemberStanding>;
}

export type PublicEntry = Pick<LeaderboardEntry, 'rank' | 'name' | 'status' | 'saving' | 'mentor'>;
export type PublicLeaderboard = Omit<Leaderboard, 'entries'> & { entries: PublicEntry[] };

/**
 * A group's litres saved are shown from this many rated members: fewer, and a member who knows its
 * own litres and baseline could subtract them and be left with too few others (a team of two: the
 * other's baseline). The same number DESIGN asks of a street before it shows any figure.
 */
export const LITRES_SHOWN_FROM = MIN_RATED_STREET_HOUSEHOLDS;

export interface Leaderboard {
  challengeId: string;
  scope: Challenge['scope'];
  completeDays: number;
  lastCompleteDay: LocalDate | null;
  target: { saving: number; reached: number | null } | null;
  entries: LeaderboardEntry[];
}

const toDate = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

export async function loadChallenge(db: Database, challengeId: string): Promise<Challenge> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT c.*, n.time_zone FROM challenges c JOIN neighbourhoods n ON n.id = c.neighbourhood_id WHERE c.id = $1`,
    [challengeId],
  );
  const row = rows[0];
  if (!row) throw notFound(`no challenge ${challengeId}`);
  return {
    id: String(row.id),
    neighbourhoodId: String(row.neighbourhood_id),
    template: String(row.template),
    name: String(row.name),
    metric: row.metric as MeterKind,
    scope: row.scope as Challenge['scope'],
    startsOn: toDate(row.starts_on),
    endsOn: toDate(row.ends_on),
    baselineFrom: toDate(row.baseline_from),
    baselineTo: toDate(row.baseline_to),
    targetSaving: row.target_saving === null ? null : Number(row.target_saving),
    public: row.public === true,
    timeZone: String(row.time_zone),
  };
}

interface MemberRow {
  household_id: string;
  alias: string;
  street_name: string;
  team_name: string | null;
  mentor_alias: string | null;
}

export async function computeLeaderboard(
  db: Database,
  dailyUse: DailyUse,
  challenge: Challenge,
  now: number,
): Promise<ComputedLeaderboard> {
  const yesterday = addDays(localDate(now, challenge.timeZone), -1);
  const lastCompleteDay = earlierDate(yesterday, challenge.endsOn);
  const hasStarted = lastCompleteDay >= challenge.startsOn;
  // A mentor is named only while it is in the team and not private.
  const members = await db.query<MemberRow>(
    `SELECT m.household_id, h.alias, s.name AS street_name, t.name AS team_name,
            CASE WHEN mm.household_id IS NOT NULL AND mh.consent <> 'private' THEN mh.alias END AS mentor_alias
     FROM memberships m JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id
     LEFT JOIN teams t ON t.id = m.team_id LEFT JOIN households mh ON mh.id = t.mentor_household_id
     LEFT JOIN memberships mm ON mm.challenge_id = m.challenge_id AND mm.household_id = t.mentor_household_id AND mm.team_id = t.id
     WHERE m.challenge_id = $1 AND h.consent <> 'private'`,
    [challenge.id],
  );
  const windows = [{ from: challenge.baselineFrom, to: challenge.baselineTo }];
  if (hasStarted) windows.push({ from: challenge.startsOn, to: lastCompleteDay });
  const summaries = await dailyUse.summaries(
    challenge.neighbourhoodId,
    challenge.metric,
    members.map((m) => m.household_id),
    windows,
    challenge.timeZone,
  );
  const noDays = { days: 0, daysWithData: 0, totalWithData: 0 };
  const progress = new Map<string, HouseholdProgress>();
  for (const member of members) {
    const [baselineWindow = noDays, challengeWindow = noDays] = summaries.get(member.household_id) ?? [];
    progress.set(member.household_id, progressFromSummary(baselineFromSummary(baselineWindow), challengeWindow));
  }

  // Today so far, for live boards: use since local midnight against the baseline's share of the day gone.
  const today = localDate(now, challenge.timeZone);
  const todayParts = new Map<string, { expected: number; use: number }>();
  if (today >= challenge.startsOn && today <= challenge.endsOn) {
    const [dayStart, dayEnd] = localDayBounds(today, challenge.timeZone);
    const share = (now - dayStart) / (dayEnd - dayStart);
    if (share >= 0.02) {
      const used = await dailyUse.byHousehold(challenge.neighbourhoodId, challenge.metric, today, today, challenge.timeZone);
      for (const member of members) {
        const baseline = progress.get(member.household_id)?.baseline;
        if (baseline?.status !== 'rated') continue;
        todayParts.set(member.household_id, {
          expected: baseline.baseline * share,
          use: used.get(member.household_id)?.[0]?.use ?? 0,
        });
      }
    }
  }
  const todayOf = (households: readonly string[]) =>
    provisionalSaving(
      households.flatMap((id) => {
        const part = todayParts.get(id);
        return part ? [part] : [];
      }),
    );

  let entries: LeaderboardEntry[];
  if (challenge.scope === 'households') {
    entries = rank(
      members.map((member) => {
        const p = progress.get(member.household_id) as HouseholdProgress;
        const status: EntryStatus = p.baseline.status !== 'rated' ? 'not_rated_yet' : p.rated ? 'ranked' : 'not_enough_data';
        return {
          name: member.alias,
          status,
          today: todayOf([member.household_id]),
          ...(status === 'ranked' ? { saving: p.saving as number, saved: p.saved as number } : {}),
        };
      }),
    ).map(({ contender, rank: position }) => ({
      rank: position ?? null,
      name: contender.name,
      status: contender.status,
      saving: contender.saving ?? null,
      saved: null,
      today: contender.today,
    }));
  } else {
    const groups = new Map<string, { progress: HouseholdProgress[]; households: string[]; mentor: string | null }>();
    for (const member of members) {
      const name = challenge.scope === 'teams' ? member.team_name : member.street_name;
      if (name === null) continue;
      const group = getOrCreate(groups, name, () => ({
        progress: [] as HouseholdProgress[],
        households: [] as string[],
        mentor: member.mentor_alias,
      }));
      group.progress.push(progress.get(member.household_id) as HouseholdProgress);
      group.households.push(member.household_id);
    }
    const required = challenge.scope === 'teams' ? MIN_RATED_TEAM_HOUSEHOLDS : MIN_RATED_STREET_HOUSEHOLDS;
    entries = rank(
      [...groups].map(([name, group]) => {
        const result = groupSaving(group.progress, required);
        return {
          name,
          mentor: group.mentor,
          members: result.members,
          ratedMembers: result.ratedMembers,
          today: result.status === 'rated' ? todayOf(group.households) : null,
          ...(result.status === 'rated' ? { saving: result.saving, saved: result.saved } : {}),
        };
      }),
    ).map(({ contender, rank: position }) => ({
      rank: position ?? null,
      name: contender.name,
      status: position === undefined ? 'too_few_rated' : 'ranked',
      saving: contender.saving ?? null,
      saved: contender.ratedMembers >= LITRES_SHOWN_FROM ? (contender.saved ?? null) : null,
      members: contender.members,
      ratedMembers: contender.ratedMembers,
      today: contender.today,
      ...(challenge.scope === 'teams' ? { mentor: contender.mentor } : {}),
    }));
  }

  let target: Leaderboard['target'] = null;
  if (challenge.targetSaving !== null) {
    const overall = groupSaving([...progress.values()], 1);
    target = { saving: challenge.targetSaving, reached: overall.status === 'rated' ? overall.saving : null };
  }
  const standings = new Map<string, MemberStanding>();
  for (const member of members) {
    const p = progress.get(member.household_id) as HouseholdProgress;
    const status: EntryStatus = p.baseline.status !== 'rated' ? 'not_rated_yet' : p.rated ? 'ranked' : 'not_enough_data';
    standings.set(member.household_id, {
      status,
      saving: status === 'ranked' ? (p.saving ?? null) : null,
      saved: status === 'ranked' ? (p.saved ?? null) : null,
      team: member.team_name,
      street: member.street_name,
    });
  }
  const board: Leaderboard = {
    challengeId: challenge.id,
    scope: challenge.scope,
    completeDays: hasStarted ? dayCount(challenge.startsOn, lastCompleteDay) : 0,
    lastCompleteDay: hasStarted ? lastCompleteDay : null,
    target,
    entries,
  };
  const publicBoard: PublicLeaderboard = {
    ...board,
    entries: entries.map((entry) => ({
      rank: entry.rank,
      name: entry.name,
      status: entry.status,
      saving: entry.saving,
      ...(challenge.scope === 'teams' ? { mentor: entry.mentor ?? null } : {}),
    })),
  };
  return { board, json: JSON.stringify(board), publicBoard, members: standings };
}

function dayCount(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}
