// A neighbourhood's organisation as champions see it: streets, invitation codes, challenges;
// and setting neighbourhoods and their streets up (operators).
import { aliasKey } from '../../lib/aliases.ts';
import { randomSecret, sha256 } from '../../lib/passwords.ts';
import { firstFreeId, slugOf } from '../../lib/slugs.ts';
import { ianaTimeZone, laterDate, localDate } from '../../lib/time.ts';
import type { Database, Queryable } from '../../storage/metadata/database.ts';
import { type ChallengeListing, challengesOf } from '../../storage/metadata/repositories/challenges.ts';
import { insertInvitation } from '../../storage/metadata/repositories/invitations.ts';
import {
  archiveNeighbourhood,
  forgetLocalDays,
  insertNeighbourhood,
  insertStreets,
  lockNeighbourhood,
  type NeighbourhoodSummary,
  neighbourhoodIdsStartingWith,
  neighbourhoodState,
  neighbourhoodsWithCounts,
  neighbourhoodTimeZone,
  renameStreet,
  streetIdsStartingWith,
  streetInNeighbourhood,
  streetsOf,
  streetsWithHouseholdCounts,
  updateNeighbourhood,
} from '../../storage/metadata/repositories/neighbourhoods.ts';
import { badRequest, conflict, forbidden, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import type {
  CreatedNeighbourhood,
  CreatedStreets,
  NeighbourhoodChange,
  NeighbourhoodShown,
  NewInvitation,
  NewNeighbourhood,
} from '../schemas/neighbourhoods.ts';

const unknownNeighbourhood = (neighbourhoodId: string) =>
  notFound(`no neighbourhood ${neighbourhoodId}`, { reason: 'neighbourhood_unknown' });

export async function timeZoneOf(db: Queryable, neighbourhoodId: string): Promise<string> {
  const timeZone = await neighbourhoodTimeZone(db, neighbourhoodId);
  if (timeZone === undefined) throw unknownNeighbourhood(neighbourhoodId);
  return timeZone;
}

export const neighbourhoodArchived = (neighbourhoodId: string) =>
  conflict(`neighbourhood ${neighbourhoodId} is archived: it takes no new streets, invitations, challenges or sign-ups`, {
    reason: 'neighbourhood_archived',
  });

/**
 * The time zone of a neighbourhood that takes new things (streets, invitations, challenges,
 * sign-ups): 404 when there is none, 409 `neighbourhood_archived` once an operator archived it.
 */
export async function openNeighbourhood(db: Queryable, neighbourhoodId: string): Promise<string> {
  const state = await neighbourhoodState(db, neighbourhoodId);
  if (!state) throw unknownNeighbourhood(neighbourhoodId);
  if (state.archived) throw neighbourhoodArchived(neighbourhoodId);
  return state.timeZone;
}

export function streets(db: Database, neighbourhoodId: string) {
  return streetsWithHouseholdCounts(db, neighbourhoodId);
}

export function challenges(
  db: Database,
  neighbourhoodId: string,
  options: { includeArchived?: boolean } = {},
): Promise<ChallengeListing[]> {
  return challengesOf(db, neighbourhoodId, options);
}

/**
 * A sign-up code (returned once, kept as a hash): champions invite households to one of their
 * streets; only an admin invites champions and utility partners.
 */
export async function createInvitation(
  db: Database,
  by: Principal | null,
  request: NewInvitation & { neighbourhoodId: string },
  now: number,
): Promise<{ code: string; expiresAt: Date }> {
  const { neighbourhoodId, role, streetId, validDays } = request;
  if (role !== 'household' && by?.role !== 'admin')
    throw forbidden('only an admin invites champions and utility partners', { reason: 'admin_only' });
  await openNeighbourhood(db, neighbourhoodId);
  if (role === 'household') {
    if (!streetId)
      throw badRequest('body.streetId: a household invitation names its street', {
        reason: 'street_required',
        field: 'streetId',
      });
    if (!(await streetInNeighbourhood(db, streetId, neighbourhoodId)))
      throw badRequest('body.streetId: no such street in this neighbourhood', { reason: 'street_unknown', field: 'streetId' });
  }
  const code = randomSecret(12);
  const expiresAt = new Date(now + validDays * 86_400_000);
  await insertInvitation(db, {
    codeHash: sha256(code),
    neighbourhoodId,
    role,
    streetId: role === 'household' ? streetId : null,
    createdBy: by?.accountId ?? null,
    expiresAt,
  });
  return { code, expiresAt };
}

// ---- setting up (operators)

/** Every neighbourhood with its counts of streets and households, by name; archived ones only when asked. */
export async function neighbourhoodSummaries(
  db: Database,
  options: { includeArchived?: boolean } = {},
): Promise<NeighbourhoodSummary[]> {
  const summaries = await neighbourhoodsWithCounts(db, options);
  // Sorted here, not by the database's collation, so PostgreSQL and PGlite agree.
  return summaries.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
}

const NEIGHBOURHOOD_ID_MAX = 40;
const STREET_ID_MAX = 64;

function checkedTimeZone(given: string): string {
  const timeZone = ianaTimeZone(given);
  if (!timeZone)
    throw badRequest('body.timeZone: not an IANA time zone (such as Europe/London)', {
      reason: 'time_zone_unknown',
      field: 'timeZone',
    });
  return timeZone;
}

/**
 * A neighbourhood in an IANA time zone. Its id is the one given (409 when taken), else made from
 * its name and numbered when taken, also when another operator takes it at the same moment.
 */
export async function createNeighbourhood(db: Database, request: NewNeighbourhood): Promise<CreatedNeighbourhood> {
  const timeZone = checkedTimeZone(request.timeZone);
  const { name } = request;
  if (request.id) {
    if (!(await insertNeighbourhood(db, { id: request.id, name, timeZone }, { skipExisting: true })))
      throw conflict(`a neighbourhood ${request.id} exists`, { reason: 'neighbourhood_taken', field: 'id' });
    return { id: request.id, name, timeZone };
  }
  const slug = slugOf(name, NEIGHBOURHOOD_ID_MAX);
  const base = slug.length >= 2 ? slug : 'neighbourhood';
  const taken = new Set(await neighbourhoodIdsStartingWith(db, base));
  for (;;) {
    const id = firstFreeId(base, taken, NEIGHBOURHOOD_ID_MAX);
    if (await insertNeighbourhood(db, { id, name, timeZone }, { skipExisting: true })) return { id, name, timeZone };
    taken.add(id);
  }
}

/**
 * Adds streets to a neighbourhood. A name it has already (compared case-insensitively after NFKC,
 * as aliases are) is skipped and listed in `existing`, as is one the request repeats. Street ids
 * are made from the neighbourhood's id and the name, numbered when taken.
 */
export async function addStreets(db: Database, neighbourhoodId: string, names: readonly string[]): Promise<CreatedStreets> {
  return db.transaction(async (tx) => {
    await openNeighbourhood(tx, neighbourhoodId);
    // One set of streets at a time per neighbourhood: two operators adding a name at once add it once.
    await lockNeighbourhood(tx, neighbourhoodId);
    const known = new Set((await streetsOf(tx, neighbourhoodId)).map((street) => aliasKey(street.name)));
    const existing: string[] = [];
    let pending: string[] = [];
    for (const name of names) {
      const key = aliasKey(name);
      if (known.has(key)) existing.push(name);
      else pending.push(name);
      known.add(key);
    }
    const prefix = `${neighbourhoodId.slice(0, 30)}-`;
    const taken = new Set(await streetIdsStartingWith(tx, prefix));
    const created: CreatedStreets['created'] = [];
    // Ids are unique across neighbourhoods: one another neighbourhood took meanwhile is numbered again.
    while (pending.length > 0) {
      const streets = pending.map((name) => {
        const id = firstFreeId(`${prefix}${slugOf(name, 30) || 'street'}`, taken, STREET_ID_MAX);
        taken.add(id);
        return { id, neighbourhoodId, name };
      });
      const inserted = new Set(await insertStreets(tx, streets, { skipExisting: true }));
      created.push(...streets.filter((street) => inserted.has(street.id)).map(({ id, name }) => ({ id, name })));
      pending = streets.filter((street) => !inserted.has(street.id)).map((street) => street.name);
    }
    return { created, existing };
  });
}

/**
 * Renames a neighbourhood or moves it to another time zone. Every day OnTap counts there is a
 * calendar day in that zone, so a new zone moves each day's edges: what was kept by local day
 * (rollups, usual hours) is forgotten and computed again. A challenge that has started would see
 * its days, baselines and board move under its members, so the zone changes only while none has
 * (409 `time_zone_locked`), on the later local date of the two zones. Published utility
 * aggregates stay as they were published. Resolves with whether the zone changed.
 */
export async function changeNeighbourhood(
  db: Database,
  neighbourhoodId: string,
  change: NeighbourhoodChange,
  now: number,
): Promise<NeighbourhoodShown & { timeZoneChanged: boolean }> {
  if (change.name === undefined && change.timeZone === undefined)
    throw badRequest('body: give a new name or time zone', { reason: 'nothing_to_change' });
  const timeZone = change.timeZone === undefined ? undefined : checkedTimeZone(change.timeZone);
  return db.transaction(async (tx) => {
    const state = await neighbourhoodState(tx, neighbourhoodId, { forUpdate: true });
    if (!state) throw unknownNeighbourhood(neighbourhoodId);
    if (state.archived) throw neighbourhoodArchived(neighbourhoodId);
    const timeZoneChanged = timeZone !== undefined && timeZone !== state.timeZone;
    if (timeZoneChanged) {
      const today = laterDate(localDate(now, state.timeZone), localDate(now, timeZone));
      const firstStart = (await challengesOf(tx, neighbourhoodId, { includeArchived: true }))
        .filter((challenge) => challenge.lifecycle !== 'cancelled')
        .map((challenge) => challenge.startsOn)
        .sort()[0];
      if (firstStart !== undefined && firstStart <= today)
        throw conflict(
          `body.timeZone: a challenge of ${neighbourhoodId} has started (on ${firstStart}); its days would move under it, so the time zone can no longer change`,
          { reason: 'time_zone_locked', field: 'timeZone' },
        );
      await forgetLocalDays(tx, neighbourhoodId);
    }
    const changed = { name: change.name ?? state.name, timeZone: timeZone ?? state.timeZone };
    await updateNeighbourhood(tx, neighbourhoodId, changed);
    return { id: neighbourhoodId, ...changed, archived: false, timeZoneChanged };
  });
}

/**
 * Archives a neighbourhood once none of its challenges is still to come or running (409
 * `challenge_not_over`: end or cancel it first). Its data stays; it takes nothing new. Archiving
 * it again changes nothing.
 */
export async function archive(db: Database, neighbourhoodId: string, now: number): Promise<NeighbourhoodShown> {
  return db.transaction(async (tx) => {
    const state = await neighbourhoodState(tx, neighbourhoodId, { forUpdate: true });
    if (!state) throw unknownNeighbourhood(neighbourhoodId);
    const open = (await challengesOf(tx, neighbourhoodId)).filter(
      (challenge) => challenge.lifecycle === 'active' && challenge.endsOn >= localDate(now, state.timeZone),
    );
    if (!state.archived && open.length > 0)
      throw conflict(
        `${open.map((challenge) => challenge.name).join(', ')}: not over yet. End or cancel the neighbourhood's challenges first`,
        { reason: 'challenge_not_over' },
      );
    await archiveNeighbourhood(tx, neighbourhoodId);
    return { id: neighbourhoodId, name: state.name, timeZone: state.timeZone, archived: true };
  });
}

/** Renames a street of a neighbourhood that is not archived; a name another street has (as `addStreets` compares) is a 409. */
export async function changeStreet(
  db: Database,
  neighbourhoodId: string,
  streetId: string,
  name: string,
): Promise<{ id: string; name: string }> {
  return db.transaction(async (tx) => {
    await openNeighbourhood(tx, neighbourhoodId);
    await lockNeighbourhood(tx, neighbourhoodId);
    const key = aliasKey(name);
    if ((await streetsOf(tx, neighbourhoodId)).some((street) => street.id !== streetId && aliasKey(street.name) === key))
      throw conflict(`body.name: the neighbourhood has a street called ${name}`, { reason: 'street_name_taken', field: 'name' });
    if (!(await renameStreet(tx, neighbourhoodId, streetId, name)))
      throw notFound(`no street ${streetId} in ${neighbourhoodId}`, { reason: 'street_unknown' });
    return { id: streetId, name };
  });
}
