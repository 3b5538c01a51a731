// A challenge's leaderboard: loads the challenge, its members and their daily use, then hands them
// to the pure rules in domain/leaderboard.ts.
import { z } from 'zod';
import { challengePhase, storedChallengeSchema } from '../../domain/challenge.ts';
import { boardPeriod, type ComputedBoard, computeLeaderboard, membersOnBoard } from '../../domain/leaderboard.ts';
import { localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  type ChallengeRecord,
  challengeMemberships,
  challengeRecord,
} from '../../storage/metadata/repositories/leaderboard-inputs.ts';
import { deleteUsualHoursOfChallenge } from '../../storage/metadata/repositories/usual-hours.ts';
import { notFound } from '../http-errors.ts';
import type { DailyUse } from './daily-use.ts';
import type { UsualDays } from './usual-days.ts';

/** A challenge as stored with its neighbourhood's time zone, in which its days are counted. */
const zonedChallengeSchema = storedChallengeSchema.extend({ timeZone: z.string() });
export type ZonedChallenge = z.infer<typeof zonedChallengeSchema>;

export interface ComputedLeaderboard extends ComputedBoard {
  /** `board` as JSON, made once: a 10k-entry board is served many times between recomputations. */
  json: string;
}

export async function loadChallenge(db: Database, challengeId: string): Promise<ZonedChallenge> {
  const record = await challengeRecord(db, challengeId);
  if (!record) throw notFound(`no challenge ${challengeId}`, { reason: 'challenge_unknown' });
  return loadedChallenge(record);
}

/** A stored challenge checked against the schema (template, scope and status are text in the database). */
export const loadedChallenge = (record: ChallengeRecord): ZonedChallenge => zonedChallengeSchema.parse(record);

/** A cancelled challenge has no board: its board routes answer 404. */
export const boardOfCancelled = (challengeId: string) =>
  notFound(`challenge ${challengeId} was cancelled: it has no leaderboard`, { reason: 'challenge_cancelled' });

/** The challenge, when it has a board (it is not cancelled). */
export async function loadChallengeWithBoard(db: Database, challengeId: string): Promise<ZonedChallenge> {
  const challenge = await loadChallenge(db, challengeId);
  if (challenge.lifecycle === 'cancelled') throw boardOfCancelled(challengeId);
  return challenge;
}

export async function computeChallengeLeaderboard(
  { db, dailyUse, usualDays }: { db: Database; dailyUse: DailyUse; usualDays: UsualDays },
  challenge: ZonedChallenge,
  now: number,
): Promise<ComputedLeaderboard> {
  const { neighbourhoodId, metric, timeZone } = challenge;
  const period = boardPeriod(challenge, now, timeZone);
  const members = await challengeMemberships(db, challenge.id);
  const households = membersOnBoard(members).map((member) => member.householdId);
  const summaries = await dailyUse.summaries(neighbourhoodId, metric, households, period.windows, timeZone);
  let useToday: ReadonlyMap<string, number> = new Map();
  let usualHours: ReadonlyMap<string, readonly number[]> = new Map();
  if (period.today) {
    // Today (members with data since midnight) against the same hours of each member's usual day
    // over the baseline window, kept for the members that are not private only.
    useToday = await dailyUse.todaySoFar(neighbourhoodId, metric, period.today.date, timeZone, now);
    usualHours = await usualDays.ofChallenge(challenge, households);
  } else if (challengePhase(challenge, localDate(now, timeZone)) === 'finished') {
    // Ended: its usual hours served its live today only.
    await deleteUsualHoursOfChallenge(db, challenge.id);
  }
  const computed = computeLeaderboard({ challenge, period, members, summaries, useToday, usualHours });
  return { ...computed, json: JSON.stringify(computed.board) };
}
