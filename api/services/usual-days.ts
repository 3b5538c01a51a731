// Usual days (domain/usual-day.ts) from the readings store: a household's over its baseline period
// (its own page), and, per challenge, its members' usual use by clock hour over the challenge's
// baseline window (the live `today` of its teams or streets board). Both periods are fixed for a day
// at least and asked for every few seconds, so both are kept for a while; a challenge's, once its
// window has settled, in the database (usual_hours) until the challenge has ended: a
// 10,000-household neighbourhood's four weeks of hours are read from the store once, not at every
// start. Only members that are not private are kept (a household's hours show when it is home).
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MeterKind } from '../../devices/contract/units.ts';
import type { Challenge } from '../../domain/challenge.ts';
import { addByClockHour, clockHours, meanByClockHour, type UsualDay, usualDayOf } from '../../domain/usual-day.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { runEvery } from '../../lib/periodic.ts';
import { addDays, type DateWindow, earlierDate, localDate, startOfLocalDay } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { databaseNow, markedDirtySince } from '../../storage/metadata/repositories/daily-use.ts';
import {
  challengesWithUsualHours,
  deleteUsualHoursOfChallenge,
  replaceUsualHours,
  usualHoursOfChallenge,
} from '../../storage/metadata/repositories/usual-hours.ts';
import { SETTLE_MS } from '../../storage/metadata/rollups.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { DailyUse } from './daily-use.ts';

export const USUAL_DAY_CACHE_MS = 10 * 60_000;
/** A challenge's usual hours are kept in memory this long, then checked again (served meanwhile). */
export const USUAL_HOURS_CACHE_MS = 10 * 60_000;
/** Usual days kept (household × kind × period) and challenges' usual hours; the least recently read go first. */
const CACHED_USUAL_DAYS = 10_000;
const CACHED_CHALLENGES = 1_000;
/** Days of hourly totals read from the store at once (a neighbourhood's hours: bounds memory). */
const HOURS_CHUNK_DAYS = 7;

export interface UsualDayKey {
  household: { id: string; timeZone: string };
  kind: MeterKind;
  period: DateWindow;
}

export type BaselineOfChallenge = Pick<Challenge, 'id' | 'neighbourhoodId' | 'metric' | 'baselineFrom' | 'baselineTo'> & {
  timeZone: string;
};

/** A challenge's baseline and the members whose usual hours it needs (those that are not private). */
interface ChallengeMembers {
  challenge: BaselineOfChallenge;
  members: ReadonlySet<string>;
  membersHash: string;
}

/** Which members a set of usual hours is for, without keeping their ids (sorted, so order does not matter). */
export function membersHashOf(members: Iterable<string>): string {
  return createHash('sha256')
    .update([...members].sort().join('\u0000'))
    .digest('base64url');
}

/** Per household, its mean use by local clock hour (0–23) over the days with data. */
export type UsualHours = ReadonlyMap<string, readonly number[]>;

export class UsualDays {
  readonly #days: LRUCache<string, UsualDay, UsualDayKey>;
  readonly #hours: LRUCache<string, UsualHours, ChallengeMembers>;

  constructor(db: Database, store: ReadingStore, dailyUse: DailyUse, now: () => number) {
    // The API's clock (tests fix it), read afresh each time. A result dropped while computing
    // (forget) still answers whoever asked, but is not kept.
    const common = { perf: { now }, ttlResolution: 0, ignoreFetchAbort: true } as const;
    this.#days = new LRUCache<string, UsualDay, UsualDayKey>({
      ...common,
      max: CACHED_USUAL_DAYS,
      ttl: USUAL_DAY_CACHE_MS,
      fetchMethod: (_key, _stale, { context }) => computeUsualDay(store, context),
    });
    this.#hours = new LRUCache<string, UsualHours, ChallengeMembers>({
      ...common,
      max: CACHED_CHALLENGES,
      ttl: USUAL_HOURS_CACHE_MS,
      // Served stale while refreshed: a board's computation does not wait for a neighbourhood's hours.
      allowStale: true,
      noDeleteOnFetchRejection: true,
      fetchMethod: (_key, _stale, { context }) => storedUsualHours({ db, store, dailyUse, now }, context),
    });
  }

  /** A household's usual day over a period. */
  async household(key: UsualDayKey): Promise<UsualDay> {
    const { household, kind, period } = key;
    const usual = await this.#days.fetch(JSON.stringify([household.id, household.timeZone, kind, period.from, period.to]), {
      context: key,
    });
    // fetchMethod always resolves to a value or rejects; undefined would mean an abort not ignored.
    if (usual === undefined) throw new Error(`usual day of ${household.id} was not computed`);
    return usual;
  }

  /**
   * The usual hours over a challenge's baseline window of its `members` (those that are not
   * private: no other household's are computed or kept). Another set of members computes them again.
   */
  async ofChallenge(challenge: BaselineOfChallenge, members: readonly string[]): Promise<UsualHours> {
    const { id, metric, baselineFrom, baselineTo, timeZone } = challenge;
    const membersHash = membersHashOf(members);
    const usual = await this.#hours.fetch(JSON.stringify([id, metric, baselineFrom, baselineTo, timeZone, membersHash]), {
      context: { challenge, members: new Set(members), membersHash },
    });
    if (usual === undefined) throw new Error(`usual hours of challenge ${id} were not computed`);
    return usual;
  }

  /** After an erasure: nothing of the household may be served again. */
  forget(): void {
    this.#days.clear();
    this.#hours.clear();
  }
}

async function computeUsualDay(store: ReadingStore, { household, kind, period }: UsualDayKey): Promise<UsualDay> {
  const query = {
    kind,
    scope: { household: household.id },
    from: period.from,
    to: period.to,
    timeZone: household.timeZone,
    groupBy: 'household',
  } as const;
  const [days, hours] = await Promise.all([
    store.totals({ ...query, granularity: 'day' }),
    store.totals({ ...query, granularity: 'hour' }),
  ]);
  return usualDayOf(
    days.map((t) => ({ date: t.date, use: t.use, hasData: t.householdsWithData > 0 })),
    hours.map((t) => ({ date: t.date, start: t.start, use: t.use })),
    household.timeZone,
  );
}

/**
 * A challenge's usual hours as stored, or computed afresh when none are, they were computed for
 * other members, or ingest has since marked a baseline day dirty (a late reading, a new meter's
 * backlog). Stored once the window has settled.
 */
async function storedUsualHours(
  { db, store, dailyUse, now }: { db: Database; store: ReadingStore; dailyUse: DailyUse; now: () => number },
  { challenge, members, membersHash }: ChallengeMembers,
): Promise<UsualHours> {
  const { id, neighbourhoodId, metric, baselineFrom, baselineTo, timeZone } = challenge;
  const stored = await usualHoursOfChallenge(db, id);
  if (
    stored &&
    stored.membersHash === membersHash &&
    !(await markedDirtySince(db, neighbourhoodId, metric, baselineFrom, baselineTo, stored.computedAt))
  )
    return stored.hours;
  // Database time, before the store is read: a mark made while reading makes the result stale (as rollups).
  const computedAt = await databaseNow(db);
  const usual = await computeUsualHours(store, dailyUse, challenge, members);
  if (now() >= startOfLocalDay(addDays(baselineTo, 1), timeZone) + SETTLE_MS)
    await replaceUsualHours(db, id, { computedAt, membersHash }, usual);
  return usual;
}

/**
 * Drops the usual hours of every challenge that has ended (on its neighbourhood's local date): they
 * served its live `today` only. Run now and then (server.ts) and when an ended board is computed.
 */
export async function dropEndedUsualHours(db: Database, now: number): Promise<number> {
  let dropped = 0;
  for (const challenge of await challengesWithUsualHours(db))
    if (localDate(now, challenge.timeZone) > challenge.endsOn) dropped += await deleteUsualHoursOfChallenge(db, challenge.id);
  return dropped;
}

/** Drops ended challenges' usual hours every `everyMs`; returns a stop. */
export function watchEndedUsualHours(db: Database, everyMs: number, onError: (error: unknown) => void): () => void {
  return runEvery(everyMs, () => dropEndedUsualHours(db, Date.now()), onError);
}

/** Which days have data from the daily rollups; the hours from the store, a week at a time; members only. */
async function computeUsualHours(
  store: ReadingStore,
  dailyUse: DailyUse,
  challenge: BaselineOfChallenge,
  members: ReadonlySet<string>,
): Promise<UsualHours> {
  const { neighbourhoodId, metric, baselineFrom, baselineTo, timeZone } = challenge;
  const days = await dailyUse.byHousehold(neighbourhoodId, metric, baselineFrom, baselineTo, timeZone);
  const withData = new Map(
    [...days].map(([household, list]) => [household, new Set(list.filter((day) => day.hasData).map((day) => day.date))]),
  );
  const sums = new Map<string, number[]>();
  const hourOf = clockHours(timeZone);
  for (let from = baselineFrom; from <= baselineTo; from = addDays(from, HOURS_CHUNK_DAYS)) {
    const to = earlierDate(addDays(from, HOURS_CHUNK_DAYS - 1), baselineTo);
    const totals = await store.totals({
      kind: metric,
      scope: { neighbourhood: neighbourhoodId },
      from,
      to,
      timeZone,
      granularity: 'hour',
      groupBy: 'household',
    });
    const byHousehold = new Map<string, { date: string; start: number; use: number }[]>();
    for (const total of totals) if (members.has(total.group)) getOrCreate(byHousehold, total.group, () => []).push(total);
    for (const [household, hours] of byHousehold) {
      const dates = withData.get(household);
      if (dates?.size)
        addByClockHour(
          getOrCreate(sums, household, () => new Array(24).fill(0)),
          hours,
          dates,
          hourOf,
        );
    }
  }
  const usual = new Map<string, readonly number[]>();
  for (const [household, hourSums] of sums) {
    const perHour = meanByClockHour(hourSums, withData.get(household)?.size ?? 0);
    if (perHour) usual.set(household, perHour);
  }
  return usual;
}
