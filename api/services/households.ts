// A household's own profile and consent, and its meters as the household sees them.
import { statusPayloadSchema } from '../../devices/contract/status.ts';
import type { Consent, HouseholdProfile } from '../../domain/people.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { householdProfile, insertConsentChange, setConsent } from '../../storage/metadata/repositories/households.ts';
import { metersOf } from '../../storage/metadata/repositories/meters.ts';
import type { ReadingStore, StoredStatus } from '../../storage/readings/reading-store.ts';
import { notFound } from '../http-errors.ts';
import type { Household, MeterStatus } from '../schemas/households.ts';

export async function householdOf(db: Database, householdId: string): Promise<HouseholdProfile> {
  const household = await householdProfile(db, householdId);
  if (!household) throw notFound(`no household ${householdId}`, { reason: 'household_unknown' });
  return household;
}

/** The household with its meters, each with the time of its latest reading and its latest status. */
export async function householdWithMeters(db: Database, store: ReadingStore, householdId: string): Promise<Household> {
  const household = await householdOf(db, householdId);
  const meters = await metersOf(db, household.id);
  const ids = meters.map((meter) => meter.id);
  const [lastReadings, statuses] = await Promise.all([store.lastReadings(ids), store.latestStatuses(ids)]);
  return {
    ...household,
    meters: meters.map(({ id, kind }) => {
      const last = lastReadings.get(id);
      const status = statuses.get(id);
      return {
        id,
        kind,
        lastReadingAt: last ? new Date(last.ts).toISOString() : null,
        status: status ? meterStatusOf(status) : null,
      };
    }),
  };
}

/** A stored status as the API shows it; one that no longer reads as a status payload is none. */
function meterStatusOf({ ts, detail }: StoredStatus): MeterStatus | null {
  let payload: unknown;
  try {
    payload = JSON.parse(detail);
  } catch {
    return null;
  }
  const parsed = statusPayloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const { online, battery, rssi } = parsed.data;
  return { online, battery: battery ?? null, rssi: rssi ?? null, at: new Date(ts).toISOString() };
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
