// A neighbourhood's organisation as champions see it: streets, invitation codes, challenges, leaks.
import { randomSecret, sha256 } from '../../lib/passwords.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { type ChallengeListing, challengesOf } from '../../storage/metadata/repositories/challenges.ts';
import { insertInvitation } from '../../storage/metadata/repositories/invitations.ts';
import { householdsWithOpenLeak } from '../../storage/metadata/repositories/leaks.ts';
import {
  neighbourhoodTimeZone,
  streetInNeighbourhood,
  streetsWithHouseholdCounts,
} from '../../storage/metadata/repositories/neighbourhoods.ts';
import { badRequest, forbidden, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import type { NewInvitation } from '../schemas/neighbourhoods.ts';

export async function timeZoneOf(db: Database, neighbourhoodId: string): Promise<string> {
  const timeZone = await neighbourhoodTimeZone(db, neighbourhoodId);
  if (timeZone === undefined) throw notFound(`no neighbourhood ${neighbourhoodId}`, { reason: 'neighbourhood_unknown' });
  return timeZone;
}

export function streets(db: Database, neighbourhoodId: string) {
  return streetsWithHouseholdCounts(db, neighbourhoodId);
}

export function challenges(db: Database, neighbourhoodId: string): Promise<ChallengeListing[]> {
  return challengesOf(db, neighbourhoodId);
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
