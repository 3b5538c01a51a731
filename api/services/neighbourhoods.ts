// A neighbourhood's organisation as champions see it: streets, invitation codes, challenges, leaks;
// and setting neighbourhoods and their streets up (operators).
import { aliasKey } from '../../lib/aliases.ts';
import { randomSecret, sha256 } from '../../lib/passwords.ts';
import { firstFreeId, slugOf } from '../../lib/slugs.ts';
import { ianaTimeZone } from '../../lib/time.ts';
import type { Database, Queryable } from '../../storage/metadata/database.ts';
import { type ChallengeListing, challengesOf } from '../../storage/metadata/repositories/challenges.ts';
import { insertInvitation } from '../../storage/metadata/repositories/invitations.ts';
import { householdsWithOpenLeak } from '../../storage/metadata/repositories/leaks.ts';
import {
  insertNeighbourhood,
  insertStreets,
  lockNeighbourhood,
  type NeighbourhoodSummary,
  neighbourhoodIdsStartingWith,
  neighbourhoodsWithCounts,
  neighbourhoodTimeZone,
  streetIdsStartingWith,
  streetInNeighbourhood,
  streetsOf,
  streetsWithHouseholdCounts,
} from '../../storage/metadata/repositories/neighbourhoods.ts';
import { badRequest, conflict, forbidden, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import type { CreatedNeighbourhood, CreatedStreets, NewInvitation, NewNeighbourhood } from '../schemas/neighbourhoods.ts';

export async function timeZoneOf(db: Queryable, neighbourhoodId: string): Promise<string> {
  const timeZone = await neighbourhoodTimeZone(db, neighbourhoodId);
  if (timeZone === undefined) throw notFound(`no neighbourhood ${neighbourhoodId}`, { reason: 'neighbourhood_unknown' });
  return timeZone;
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

/** How many households have a possible leak now: a count, and never of private households. */
export async function openLeakCount(db: Database, neighbourhoodId: string): Promise<number> {
  return (await householdsWithOpenLeak(db, { neighbourhoodId, withoutPrivate: true })).length;
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
  await timeZoneOf(db, neighbourhoodId);
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

/** Every neighbourhood with its counts of streets and households, by name. */
export async function neighbourhoodSummaries(db: Database): Promise<NeighbourhoodSummary[]> {
  const summaries = await neighbourhoodsWithCounts(db);
  // Sorted here, not by the database's collation, so PostgreSQL and PGlite agree.
  return summaries.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
}

const NEIGHBOURHOOD_ID_MAX = 40;
const STREET_ID_MAX = 64;

/**
 * A neighbourhood in an IANA time zone. Its id is the one given (409 when taken), else made from
 * its name and numbered when taken, also when another operator takes it at the same moment.
 */
export async function createNeighbourhood(db: Database, request: NewNeighbourhood): Promise<CreatedNeighbourhood> {
  const timeZone = ianaTimeZone(request.timeZone);
  if (!timeZone)
    throw badRequest('body.timeZone: not an IANA time zone (such as Europe/London)', {
      reason: 'time_zone_unknown',
      field: 'timeZone',
    });
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
    await timeZoneOf(tx, neighbourhoodId);
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
