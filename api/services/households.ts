// A household's own profile and consent.
import type { Consent, HouseholdProfile } from '../../domain/people.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { householdProfile, insertConsentChange, setConsent } from '../../storage/metadata/repositories/households.ts';
import { challengeIdsOfHousehold } from '../../storage/metadata/repositories/memberships.ts';
import { metersOf } from '../../storage/metadata/repositories/meters.ts';
import { notFound } from '../http-errors.ts';
import type { Household } from '../schemas/households.ts';

export async function householdOf(db: Database, householdId: string): Promise<HouseholdProfile> {
  const household = await householdProfile(db, householdId);
  if (!household) throw notFound(`no household ${householdId}`, { reason: 'household_unknown' });
  return household;
}

/** The household with its meters. */
export async function householdWithMeters(db: Database, householdId: string): Promise<Household> {
  const household = await householdOf(db, householdId);
  const meters = (await metersOf(db, household.id)).map(({ id, kind }) => ({ id, kind }));
  return { ...household, meters };
}

/** Changes the household's consent and records who changed it: both or neither. */
export async function changeConsent(
  db: Database,
  householdId: string,
  consent: Consent,
  changedBy: string | null,
): Promise<void> {
  await householdOf(db, householdId);
  await db.transaction(async (tx) => {
    await setConsent(tx, [householdId], consent);
    await insertConsentChange(tx, { householdId, consent, changedBy });
  });
}

export function joinedChallengeIds(db: Database, householdId: string): Promise<string[]> {
  return challengeIdsOfHousehold(db, householdId);
}
