// A challenge's leaderboard, computed from data already loaded: who is in it, their daily-use
// summaries and their use today so far. No I/O here; api/services/leaderboard.ts loads and calls.
//
// Every board a challenge's scope implies: a households challenge has its households board; a teams
// or streets challenge its teams or streets board and, beside it, its households in rank order.
//
// Privacy: private households are in no board, not even as a mentor. Litres saved beside a saving
// and its days give away a baseline (saved ÷ (saving × days)), so a household's litres are its own
// (its standing), never on a board; a group's are shown only from LITRES_SHOWN_FROM rated members.
// Today so far changes every few seconds: a household's would tell its neighbours when it is home,
// so no households board carries one; a group's is shown from TODAY_SHOWN_FROM_MEMBERS members that
// contribute to it, in steps of TODAY_STEP, so no member can work out another's from its own.
// A group's saving weighs its members by their baselines: with each member's saving beside it, a
// member who knows its own baseline could solve for the others' from a few days' boards. So the
// households board of a teams or streets challenge ranks without savings, and a households
// challenge's target is measured by the mean of its households' savings, not weighted.
import { getOrCreate } from '../lib/collections.ts';
import { addDays, type DateWindow, earlierDate, type LocalDate, localDate, startOfLocalDay } from '../lib/time.ts';
import {
  type Challenge,
  challengePhase,
  type EntryStatus,
  type Leaderboard,
  type LeaderboardEntry,
  type PublicLeaderboard,
} from './challenge.ts';
import {
  baselineFromSummary,
  type GroupSaving,
  groupSaving,
  type HouseholdProgress,
  MIN_RATED_STREET_HOUSEHOLDS,
  MIN_RATED_TEAM_HOUSEHOLDS,
  progressFromSummary,
  provisionalSaving,
  rank,
  type WindowSummary,
} from './scoring.ts';
import { type ClockTime, clockTimeOf, useUntil } from './usual-day.ts';

/**
 * A group's litres saved are shown from this many rated members: fewer, and a member who knows its
 * own litres and baseline could subtract them and be left with too few others (a team of two: the
 * other's baseline). The same number a street needs before it shows any figure.
 */
export const LITRES_SHOWN_FROM = MIN_RATED_STREET_HOUSEHOLDS;

/**
 * Before two hours of today have gone a provisional saving is mostly noise (a household that
 * usually uses 5 L by 01:00 and used none "saves 100%"): none is shown.
 */
export const TODAY_SHOWN_FROM_MS = 2 * 3_600_000;

/**
 * A team's or street's today is shown only when this many of its members contribute to it (a
 * baseline, usual hours, data today): a member knows its own figures to the litre from its own page,
 * and with fewer others in the group it could solve for theirs from a figure refreshed every 5 s.
 */
export const TODAY_SHOWN_FROM_MEMBERS = LITRES_SHOWN_FROM;

/** A group's today is rounded to whole steps of 5%, so that small changes in one member do not show. */
export const TODAY_STEP = 0.05;

export type BoardChallenge = Pick<
  Challenge,
  'id' | 'scope' | 'startsOn' | 'endsOn' | 'baselineFrom' | 'baselineTo' | 'targetSaving'
>;

/** Which days a board needs, at a moment: what the loader fetches. */
export interface BoardPeriod {
  /** The last complete challenge day; null before the first one is over. */
  lastCompleteDay: LocalDate | null;
  completeDays: number;
  /** The baseline window, then the challenge's complete days (when there are any). */
  windows: DateWindow[];
  /**
   * Today and its clock time, while the challenge runs and enough of the day has gone for a live
   * figure; never on a households board (a household's live figure would show when it is home).
   */
  today: { date: LocalDate; clock: ClockTime } | null;
}

export function boardPeriod(challenge: BoardChallenge, now: number, timeZone: string): BoardPeriod {
  const today = localDate(now, timeZone);
  const last = earlierDate(addDays(today, -1), challenge.endsOn);
  const started = last >= challenge.startsOn;
  const windows = [{ from: challenge.baselineFrom, to: challenge.baselineTo }];
  if (started) windows.push({ from: challenge.startsOn, to: last });
  let live: BoardPeriod['today'] = null;
  if (
    challenge.scope !== 'households' &&
    challengePhase(challenge, today) === 'running' &&
    now - startOfLocalDay(today, timeZone) >= TODAY_SHOWN_FROM_MS
  )
    live = { date: today, clock: clockTimeOf(now, timeZone) };
  return {
    lastCompleteDay: started ? last : null,
    completeDays: started ? dayCount(challenge.startsOn, last) : 0,
    windows,
    today: live,
  };
}

/** A household in the challenge, as loaded: private ones too, so that the rules here leave them out. */
export interface ChallengeMember {
  householdId: string;
  alias: string;
  street: string;
  private: boolean;
  team: { id: string; name: string; mentorHouseholdId: string | null } | null;
}

/** How one member household stands: for its own pages, never put on a leaderboard. */
export interface MemberStanding {
  status: EntryStatus;
  saving: number | null;
  saved: number | null;
  team: string | null;
  teamId: string | null;
  /** It is its team's mentor. */
  mentors: boolean;
  street: string;
}

export interface LeaderboardInputs {
  challenge: BoardChallenge;
  period: BoardPeriod;
  members: readonly ChallengeMember[];
  /** Per household, a summary of each of `period.windows`; a household missing here read nothing. */
  summaries: ReadonlyMap<string, readonly WindowSummary[]>;
  /**
   * Per household with data today (its meters leave no gap over 6 hours from local midnight to
   * now), its use so far; read only when `period.today` is set. A household missing here has no
   * data today and is left out of today's figures (its meter may be off: it saved nothing).
   */
  useToday: ReadonlyMap<string, number>;
  /**
   * Per household, its usual use of each local clock hour over the baseline window's days with
   * data (domain/usual-day.ts; read only when `period.today` is set); missing is none.
   */
  usualHours: ReadonlyMap<string, readonly number[]>;
}

export interface ComputedBoard {
  board: Leaderboard;
  publicBoard: PublicLeaderboard;
  /** By household id: every household on the board. */
  standings: Map<string, MemberStanding>;
}

/** The members a board may show: everyone but private households. */
export function membersOnBoard(members: readonly ChallengeMember[]): ChallengeMember[] {
  return members.filter((member) => !member.private);
}

/** A household's status: the one rule for its board entry and its own standing. */
export function householdStatus(progress: HouseholdProgress): Exclude<EntryStatus, 'too_few_rated'> {
  if (progress.baseline.status !== 'rated') return 'not_rated_yet';
  return progress.rated ? 'ranked' : 'not_enough_data';
}

export function groupStatus(result: GroupSaving): Extract<EntryStatus, 'ranked' | 'too_few_rated'> {
  return result.status === 'rated' ? 'ranked' : 'too_few_rated';
}

export function computeLeaderboard({
  challenge,
  period,
  members,
  summaries,
  useToday,
  usualHours,
}: LeaderboardInputs): ComputedBoard {
  const shown = membersOnBoard(members);
  const noDays: WindowSummary = { days: 0, daysWithData: 0, totalWithData: 0 };
  const progress = new Map<string, HouseholdProgress>();
  for (const member of shown) {
    const [baselineWindow = noDays, challengeWindow = noDays] = summaries.get(member.householdId) ?? [];
    progress.set(member.householdId, progressFromSummary(baselineFromSummary(baselineWindow), challengeWindow));
  }
  const progressOf = (member: ChallengeMember) => progress.get(member.householdId) as HouseholdProgress;
  const todayOf = (group: readonly ChallengeMember[]) =>
    groupToday(group.map(progressOf), group, period, { useToday, usualHours });

  const scope = challenge.scope;
  const byHousehold = scope === 'households';
  const households = householdEntries(shown, progressOf, { withSavings: byHousehold });
  const entries = scope === 'households' ? households : groupEntries(scope, shown, progressOf, todayOf);

  let target: Leaderboard['target'] = null;
  if (challenge.targetSaving !== null)
    target = {
      saving: challenge.targetSaving,
      reached: byHousehold ? meanSaving(households) : overallSaving([...progress.values()]),
    };
  const board: Leaderboard = {
    challengeId: challenge.id,
    scope: challenge.scope,
    completeDays: period.completeDays,
    lastCompleteDay: period.lastCompleteDay,
    target,
    entries,
    households: byHousehold ? null : households,
  };
  const publicEntry = (entry: LeaderboardEntry) => ({
    rank: entry.rank,
    name: entry.name,
    status: entry.status,
    saving: entry.saving,
    ...(entry.mentor !== undefined ? { mentor: entry.mentor } : {}),
  });
  const publicBoard: PublicLeaderboard = {
    ...board,
    entries: entries.map(publicEntry),
    households: board.households?.map(publicEntry) ?? null,
  };
  const standings = new Map<string, MemberStanding>();
  for (const member of shown) {
    const p = progressOf(member);
    const status = householdStatus(p);
    standings.set(member.householdId, {
      status,
      saving: status === 'ranked' ? (p.saving ?? null) : null,
      saved: status === 'ranked' ? (p.saved ?? null) : null,
      team: member.team?.name ?? null,
      teamId: member.team?.id ?? null,
      mentors: member.team !== null && member.team.mentorHouseholdId === member.householdId,
      street: member.street,
    });
  }
  return { board, publicBoard, standings };
}

type ProgressOf = (member: ChallengeMember) => HouseholdProgress;
type TodayOf = (group: readonly ChallengeMember[]) => number | null;

/**
 * A households board: no litres and no today (a household's own are on its own page); savings only
 * when it is the challenge's own board (beside a group board they give baselines away: see above).
 */
function householdEntries(
  shown: readonly ChallengeMember[],
  progressOf: ProgressOf,
  { withSavings }: { withSavings: boolean },
): LeaderboardEntry[] {
  const contenders = shown.map((member) => {
    const p = progressOf(member);
    const status = householdStatus(p);
    return {
      name: member.alias,
      status,
      ...(status === 'ranked' ? { saving: p.saving as number, saved: p.saved as number } : {}),
    };
  });
  return rank(contenders).map(({ contender, rank: position }) => ({
    rank: position ?? null,
    name: contender.name,
    status: contender.status,
    saving: withSavings ? (contender.saving ?? null) : null,
    saved: null,
    today: null,
  }));
}

/** The mean of the ranked entries' savings; null when none is ranked. */
function meanSaving(entries: readonly LeaderboardEntry[]): number | null {
  const savings = entries.flatMap((entry) => (entry.status === 'ranked' && entry.saving !== null ? [entry.saving] : []));
  return savings.length === 0 ? null : savings.reduce((sum, saving) => sum + saving, 0) / savings.length;
}

/** All rated members together, as a group (weighted by baselines); null before anyone is rated. */
function overallSaving(progress: readonly HouseholdProgress[]): number | null {
  const overall = groupSaving(progress, 1);
  return overall.status === 'rated' ? overall.saving : null;
}

function groupEntries(
  scope: 'teams' | 'streets',
  shown: readonly ChallengeMember[],
  progressOf: ProgressOf,
  todayOf: TodayOf,
): LeaderboardEntry[] {
  const groups = new Map<string, ChallengeMember[]>();
  for (const member of shown) {
    const name = scope === 'teams' ? member.team?.name : member.street;
    if (name !== undefined) getOrCreate(groups, name, () => []).push(member);
  }
  const required = scope === 'teams' ? MIN_RATED_TEAM_HOUSEHOLDS : MIN_RATED_STREET_HOUSEHOLDS;
  const contenders = [...groups].map(([name, group]) => {
    const result = groupSaving(group.map(progressOf), required);
    return {
      name,
      status: groupStatus(result),
      mentor: scope === 'teams' ? mentorOf(group) : null,
      members: result.members,
      ratedMembers: result.ratedMembers,
      today: result.status === 'rated' ? todayOf(group) : null,
      ...(result.status === 'rated' ? { saving: result.saving, saved: result.saved } : {}),
    };
  });
  return rank(contenders).map(({ contender, rank: position }) => ({
    rank: position ?? null,
    name: contender.name,
    status: contender.status,
    saving: contender.saving ?? null,
    saved: contender.ratedMembers >= LITRES_SHOWN_FROM ? (contender.saved ?? null) : null,
    members: contender.members,
    ratedMembers: contender.ratedMembers,
    today: contender.today,
    ...(scope === 'teams' ? { mentor: contender.mentor } : {}),
  }));
}

/** A team's mentor is named while it is one of the team's shown members (so neither private nor gone). */
function mentorOf(team: readonly ChallengeMember[]): string | null {
  const mentorId = team[0]?.team?.mentorHouseholdId;
  return team.find((member) => member.householdId === mentorId)?.alias ?? null;
}

/**
 * A group's today so far: use since local midnight against the same hours of each contributing
 * member's usual day (its baseline window's mean use by clock hour, the current hour pro rata). A
 * member contributes with a rated baseline, usual hours and data today. Null with fewer than
 * TODAY_SHOWN_FROM_MEMBERS contributors, and while they usually use nothing by this time of day
 * (nothing to save against); else rounded to whole steps of TODAY_STEP.
 */
export function groupToday(
  progress: readonly HouseholdProgress[],
  group: readonly ChallengeMember[],
  period: Pick<BoardPeriod, 'today'>,
  { useToday, usualHours }: Pick<LeaderboardInputs, 'useToday' | 'usualHours'>,
): number | null {
  const today = period.today;
  if (!today) return null;
  const parts = group.flatMap((member, i) => {
    const usual = usualHours.get(member.householdId);
    const use = useToday.get(member.householdId);
    if (progress[i]?.baseline.status !== 'rated' || !usual || use === undefined) return [];
    return [{ expected: useUntil(usual, today.clock), use }];
  });
  if (parts.length < TODAY_SHOWN_FROM_MEMBERS) return null;
  const saving = provisionalSaving(parts);
  return saving === null ? null : roundToStep(saving, TODAY_STEP);
}

/** To the nearest whole step (halves away from zero), without a −0. */
function roundToStep(value: number, step: number): number {
  const perUnit = Math.round(1 / step);
  const steps = Math.sign(value) * Math.round(Math.abs(value) * perUnit);
  return steps === 0 ? 0 : steps / perUnit;
}

function dayCount(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}
