// A champion's roster: the neighbourhood's households as consent allows. A household that is not
// private is listed by alias and street, with the challenges it is in or invited to and how many of
// its meters report; a private one is only counted on its street (so its street can still be
// invited). Never an address, a meter id, an email, occupants or a figure of use.
import { getOrCreate } from '../../lib/collections.ts';
import { localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  joinedOpenChallengesOf,
  metersAmong,
  openInvitationsAmong,
  type RosterChallenge,
  rosterOf,
} from '../../storage/metadata/repositories/roster.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { Roster } from '../schemas/neighbourhoods.ts';
import { timeZoneOf } from './neighbourhoods.ts';

/** A meter reads when its latest reading is this recent. */
export const METER_READING_WITHIN_MS = 24 * 3_600_000;
/** Meters asked of the readings store at once (an InfluxQL condition per meter). */
const METERS_PER_QUERY = 500;

const byName = (a: string, b: string) => a.localeCompare(b, 'en');

export async function roster(db: Database, store: ReadingStore, neighbourhoodId: string, now: number): Promise<Roster> {
  const today = localDate(now, await timeZoneOf(db, neighbourhoodId));
  const rows = await rosterOf(db, neighbourhoodId);
  const listed = rows.flatMap(({ householdId, alias, street, streetId }) =>
    householdId !== null && alias !== null ? [{ householdId, alias, street, streetId }] : [],
  );
  const ids = listed.map((row) => row.householdId);
  const [joined, invited, meters] = await Promise.all([
    joinedOpenChallengesOf(db, neighbourhoodId, ids, today),
    openInvitationsAmong(db, neighbourhoodId, ids, today),
    metersAmong(db, ids),
  ]);
  const reading = new Set<string>();
  for (let i = 0; i < meters.length; i += METERS_PER_QUERY) {
    const last = await store.lastReadings(meters.slice(i, i + METERS_PER_QUERY).map((meter) => meter.id));
    for (const [meterId, point] of last) if (point.ts > now - METER_READING_WITHIN_MS) reading.add(meterId);
  }
  const challengesBy = (list: RosterChallenge[]) => {
    const by = new Map<string, { challengeId: string; name: string }[]>();
    for (const { householdId, challengeId, name } of list) getOrCreate(by, householdId, () => []).push({ challengeId, name });
    return by;
  };
  const joinedBy = challengesBy(joined);
  const invitedBy = challengesBy(invited);
  const metersBy = new Map<string, { meters: number; metersReading: number }>();
  for (const { id, householdId } of meters) {
    const counts = getOrCreate(metersBy, householdId, () => ({ meters: 0, metersReading: 0 }));
    counts.meters += 1;
    if (reading.has(id)) counts.metersReading += 1;
  }

  const privateByStreet = new Map<string, { street: string; streetId: string; households: number }>();
  for (const row of rows)
    if (row.householdId === null)
      getOrCreate(privateByStreet, row.streetId, () => ({
        street: row.street,
        streetId: row.streetId,
        households: 0,
      })).households += 1;

  // Sorted here, not by the database's collation, so PostgreSQL and PGlite agree.
  return {
    households: listed
      .sort(
        (a, b) =>
          byName(a.street, b.street) ||
          (a.streetId < b.streetId ? -1 : a.streetId > b.streetId ? 1 : 0) ||
          byName(a.alias, b.alias) ||
          (a.householdId < b.householdId ? -1 : 1),
      )
      .map((row) => ({
        ...row,
        challenges: joinedBy.get(row.householdId) ?? [],
        ...(metersBy.get(row.householdId) ?? { meters: 0, metersReading: 0 }),
        invitedTo: invitedBy.get(row.householdId) ?? [],
      })),
    privateByStreet: [...privateByStreet.values()].sort(
      (a, b) => byName(a.street, b.street) || (a.streetId < b.streetId ? -1 : 1),
    ),
  };
}
