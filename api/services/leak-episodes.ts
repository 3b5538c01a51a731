// Leak episodes (issue 15, docs/leaks.md): a household's over any stretch of its history, its marks
// on them, the live warning, and a champion's counts per street. The rules are domain/leaks.ts;
// this loads the hours they read.
//
// Episodes are found from the readings each time they are asked for, not stored. Back-filled and
// late readings then change them at once, with nothing to invalidate (a stored episode would need
// the rollups' dirty marks and a recomputation that may split, merge or move episodes). It is fast
// enough for a page a household opens now and then: with half-hourly readings, 400 days take about
// 0.9 s on the embedded store and the default 90 days 0.3 s, nearly all of it the store reading the
// readings, as for any hourly chart (npm run bench:leaks; bench/RESULTS.md). Only a household's
// word on an episode is stored (leak_marks), under the episode's start.
import {
  findLeakEpisodes,
  isLeakHour,
  LEAK_COUNT_MIN_HOUSEHOLDS,
  type LeakEpisode,
  type LeakHour,
  type LeakMark,
  leakCost,
  markOf,
  streetLeakCounts,
  type WaterTariff,
} from '../../domain/leaks.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { addDays, DATE_RANGE, earlierDate, type LocalDate, laterDate, localDate, startOfLocalDay } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  leakMarksOf,
  openLeaksByStreet,
  type StoredLeakMark,
  setLeakMark,
  waterMetersOf,
} from '../../storage/metadata/repositories/leaks.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { notFound } from '../http-errors.ts';
import type { HouseholdLeaks, LeakMarkReceipt, NeighbourhoodLeaks } from '../schemas/leaks.ts';
import { timeZoneOf } from './neighbourhoods.ts';

interface Stores {
  db: Database;
  store: ReadingStore;
}
type LeakScope = { household: string } | { neighbourhood: string };
interface Place {
  id: string;
  timeZone: string;
}

/** Meters asked of the readings store at once (an InfluxQL condition per meter). */
const METERS_PER_QUERY = 500;

/**
 * Water use by local clock hour from `from` to `to` (local dates), per household of the scope, for
 * the leak rule. Only hours that are over count, and a household's hours after its latest reading
 * are left out: its meter has said nothing about them yet, so they are neither dry nor wet (a meter
 * that sends its backlog every few hours would otherwise look dry in between). Once that reading is
 * over 6 hours old the hours after it have no data, and an episode running into them ends.
 */
export async function leakHours(
  { db, store }: Stores,
  scope: LeakScope,
  timeZone: string,
  from: LocalDate,
  to: LocalDate,
  now: number,
): Promise<Map<string, LeakHour[]>> {
  const [totals, meters] = await Promise.all([
    store.totals({ kind: 'water', scope, from, to, timeZone, granularity: 'hour', groupBy: 'household' }),
    waterMetersOf(db, scope),
  ]);
  const latest = new Map<string, number>();
  for (let i = 0; i < meters.length; i += METERS_PER_QUERY) {
    const batch = meters.slice(i, i + METERS_PER_QUERY);
    const last = await store.lastReadings(batch.map((meter) => meter.id));
    for (const meter of batch) {
      const ts = last.get(meter.id)?.ts;
      if (ts !== undefined) latest.set(meter.householdId, Math.max(ts, latest.get(meter.householdId) ?? ts));
    }
  }
  const byHousehold = new Map<string, LeakHour[]>();
  for (const total of totals) {
    const hasData = total.householdsWithData > 0;
    if (total.end > now || (hasData && total.end > (latest.get(total.group) ?? Number.POSITIVE_INFINITY))) continue;
    getOrCreate(byHousehold, total.group, () => []).push({ start: total.start, end: total.end, use: total.use, hasData });
  }
  return byHousehold;
}

/** Where the run of leak hours at the start of `hours` ends (undefined when the first hour is none). */
function leadingRunEnd(hours: readonly LeakHour[]): number | undefined {
  let end: number | undefined;
  for (const hour of hours) {
    if (!isLeakHour(hour) || (end !== undefined && hour.start !== end)) break;
    end = hour.end;
  }
  return end;
}

/** Where the run of leak hours at the end of `hours` starts (undefined when the last hour is none). */
function trailingRunStart(hours: readonly LeakHour[]): number | undefined {
  let start: number | undefined;
  for (let i = hours.length - 1; i >= 0; i--) {
    const hour = hours[i] as LeakHour;
    if (!isLeakHour(hour) || (start !== undefined && hour.end !== start)) break;
    start = hour.start;
  }
  return start;
}

/** A run at the edge of what was loaded may go on beyond it: this many days more, doubling, up to a year at a time. */
const FIRST_STEP_DAYS = 31;
const LONGEST_STEP_DAYS = 366;

/**
 * The household's episodes that overlap its local days `from`…`to`, whole: a run that reaches an
 * edge of the hours loaded is followed back to its start and on to its end (or to now), so an
 * episode has the same start, end and litres whichever window it is asked through.
 */
export async function householdEpisodes(
  stores: Stores,
  household: Place,
  window: { from: LocalDate; to: LocalDate },
  now: number,
  preloaded?: { from: LocalDate; to: LocalDate; hours: LeakHour[] },
): Promise<{ episodes: LeakEpisode[]; hours: LeakHour[] }> {
  const { id, timeZone } = household;
  const today = localDate(now, timeZone);
  const load = async (from: LocalDate, to: LocalDate) =>
    from > to ? [] : ((await leakHours(stores, { household: id }, timeZone, from, to, now)).get(id) ?? []);
  const windowStart = startOfLocalDay(window.from, timeZone);
  const windowEnd = startOfLocalDay(addDays(window.to, 1), timeZone);
  let first = preloaded?.from ?? laterDate(addDays(window.from, -1), DATE_RANGE.from);
  let last = preloaded?.to ?? earlierDate(addDays(window.to, 1), today);
  let hours = preloaded?.hours ?? (await load(first, last));

  for (let step = FIRST_STEP_DAYS; first > DATE_RANGE.from; step = Math.min(2 * step, LONGEST_STEP_DAYS)) {
    const runEnd = leadingRunEnd(hours);
    if (runEnd === undefined || runEnd <= windowStart) break;
    const earlier = laterDate(addDays(first, -step), DATE_RANGE.from);
    const more = await load(earlier, addDays(first, -1));
    hours = [...more, ...hours];
    first = earlier;
    if (more.length === 0) break;
  }
  for (let step = FIRST_STEP_DAYS; last < today; step = Math.min(2 * step, LONGEST_STEP_DAYS)) {
    const runStart = trailingRunStart(hours);
    if (runStart === undefined || runStart >= windowEnd) break;
    const later = earlierDate(addDays(last, step), today);
    const more = await load(addDays(last, 1), later);
    hours = [...hours, ...more];
    last = later;
    if (more.length === 0) break;
  }
  const episodes = findLeakEpisodes(hours).filter(
    (episode) => episode.start < windowEnd && (episode.end ?? Number.POSITIVE_INFINITY) > windowStart,
  );
  return { episodes, hours };
}

const iso = (ms: number) => new Date(ms).toISOString();
const markOfStored = (episode: LeakEpisode, marks: readonly StoredLeakMark[]) =>
  markOf(
    episode,
    marks.map((mark) => ({ ...mark, episodeStart: mark.episodeStart.getTime(), markedAt: mark.markedAt.getTime() })),
  );

/** The household's episodes over its local days `from`…`to`, newest first, with cost and mark. */
export async function householdLeaks(
  stores: Stores,
  tariff: WaterTariff,
  household: Place,
  window: { from: LocalDate; to: LocalDate },
  now: number,
): Promise<HouseholdLeaks> {
  const [{ episodes }, marks] = await Promise.all([
    householdEpisodes(stores, household, window, now),
    leakMarksOf(stores.db, [household.id]),
  ]);
  return {
    timeZone: household.timeZone,
    from: window.from,
    to: window.to,
    tariff,
    episodes: episodes.reverse().map((episode) => {
      const mark = markOfStored(episode, marks);
      return {
        start: iso(episode.start),
        end: episode.end === null ? null : iso(episode.end),
        ongoing: episode.end === null,
        endedBy: episode.endedBy,
        hours: episode.hours,
        litresLost: episode.litresLost,
        cost: leakCost(episode.litresLost, tariff),
        mark: mark?.mark ?? null,
        markedAt: mark ? iso(mark.markedAt) : null,
      };
    }),
  };
}

/** The live warning: the episode running now, if any, with the last 24 hours the rule read. */
export async function currentLeak(stores: Stores, household: Place, now: number) {
  const today = localDate(now, household.timeZone);
  const [{ episodes, hours }, marks] = await Promise.all([
    householdEpisodes(stores, household, { from: today, to: today }, now),
    leakMarksOf(stores.db, [household.id]),
  ]);
  const ongoing = episodes.find((episode) => episode.end === null);
  const lastDay = hours.slice(-24).filter((hour) => hour.hasData);
  return {
    possibleLeak: ongoing !== undefined,
    hoursChecked: lastDay.length,
    hoursWithoutUse: lastDay.filter((hour) => !isLeakHour(hour)).length,
    since: ongoing ? iso(ongoing.start) : null,
    mark: (ongoing && markOfStored(ongoing, marks)?.mark) ?? null,
  };
}

/**
 * Marks the episode that starts at `start` (or forgets its mark); 404 when no episode starts
 * there. One mark per episode: one made earlier under another instant of it goes.
 */
export async function markLeakEpisode(
  stores: Stores,
  household: Place,
  start: number,
  mark: LeakMark | null,
  now: number,
): Promise<LeakMarkReceipt> {
  const day = localDate(start, household.timeZone);
  const { episodes } = await householdEpisodes(stores, household, { from: day, to: day }, now);
  const episode = episodes.find((one) => one.start === start);
  if (!episode) throw notFound(`no leak episode of this household starts at ${iso(start)}`, { reason: 'leak_episode_unknown' });
  const stored = await stores.db.transaction((tx) =>
    setLeakMark(
      tx,
      household.id,
      { from: new Date(episode.start), to: episode.end === null ? null : new Date(episode.end) },
      mark,
    ),
  );
  return { start: iso(start), mark: stored?.mark ?? null, markedAt: stored ? stored.markedAt.toISOString() : null };
}

/**
 * A champion's counts: households with an open leak warning (leak-watch's, so the count moves as
 * the households' own notices do) that have not marked the episode running now, per street and in
 * all, under the street threshold with complementary suppression (`streetLeakCounts`). Private
 * households are not read. The running episode's start, which names its mark, is found from the
 * neighbourhood's last two days of hours, followed further back only for a run older than that.
 */
export async function neighbourhoodLeaks(stores: Stores, neighbourhoodId: string, now: number): Promise<NeighbourhoodLeaks> {
  const timeZone = await timeZoneOf(stores.db, neighbourhoodId);
  const streets = await openLeaksByStreet(stores.db, neighbourhoodId);
  const open = streets.flatMap((street) => street.open);
  const marks = await leakMarksOf(stores.db, open);
  // Only a household that marked some episode can have marked the one running now.
  const withMarks = [...new Set(marks.map((mark) => mark.householdId))];
  const marked = new Set<string>();
  if (withMarks.length > 0) {
    const today = localDate(now, timeZone);
    const from = addDays(today, -2);
    const recent = await leakHours(stores, { neighbourhood: neighbourhoodId }, timeZone, from, today, now);
    for (const id of withMarks) {
      const preloaded = { from, to: today, hours: recent.get(id) ?? [] };
      const { episodes } = await householdEpisodes(stores, { id, timeZone }, { from: today, to: today }, now, preloaded);
      const ongoing = episodes.find((episode) => episode.end === null);
      if (
        ongoing &&
        markOfStored(
          ongoing,
          marks.filter((mark) => mark.householdId === id),
        )
      )
        marked.add(id);
    }
  }
  const counts = streetLeakCounts(
    streets.map(({ streetId, street, households, open: leaking }) => ({
      streetId,
      street,
      households,
      leaking: leaking.filter((id) => !marked.has(id)).length,
    })),
    LEAK_COUNT_MIN_HOUSEHOLDS,
  );
  return {
    households: counts.leaking,
    minHouseholds: LEAK_COUNT_MIN_HOUSEHOLDS,
    streets: counts.streets.map(({ streetId, street, leaking, withheldReason }) => ({
      streetId,
      street,
      households: leaking,
      withheldReason,
    })),
  };
}
