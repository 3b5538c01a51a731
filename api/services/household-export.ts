// Export: everything OnTap holds about a household, as JSON or its readings as CSV.

import { meterKinds } from '../../devices/contract/units.ts';
import { csvText } from '../../lib/csv.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { householdAccounts } from '../../storage/metadata/repositories/accounts.ts';
import { householdEventsOf } from '../../storage/metadata/repositories/household-events.ts';
import { consentChangesOf, householdRecord } from '../../storage/metadata/repositories/households.ts';
import { leakMarksOf } from '../../storage/metadata/repositories/leaks.ts';
import { membershipsOfHousehold } from '../../storage/metadata/repositories/memberships.ts';
import { metersOf } from '../../storage/metadata/repositories/meters.ts';
import { usualHoursOfHousehold } from '../../storage/metadata/repositories/usual-hours.ts';
import { DEAD_LETTER_QUERY_LIMIT, type ReadingStore } from '../../storage/readings/reading-store.ts';
import { notFound } from '../http-errors.ts';

export interface HouseholdExport {
  exportedAt: string;
  household: Record<string, unknown>;
  accounts: { email: string; role: string; createdAt: string }[];
  meters: { id: string; kind: string; createdAt: string }[];
  consentHistory: { consent: string; changedAt: string }[];
  challenges: { challengeId: string; name: string; team: string | null; joinedAt: string; pledges: string[] }[];
  /**
   * Per challenge it is in (while the challenge runs), its usual use by local clock hour over the
   * challenge's baseline window: 24 means, from the hour from midnight on (base units: L or Wh).
   */
  usualHours: { challengeId: string; hours: number[] }[];
  /** Its marks on its leak episodes: the episode's start, fixed or expected, and when it said so. */
  leakMarks: { episodeStart: string; mark: string; markedAt: string }[];
  events: { type: string; meterId: string | null; at: string; detail: string }[];
  readings: { meterId: string; kind: string; ts: string; register: number | null; delta: number | null }[];
  /** Messages of its meters ingest refused, with why (newest first, at most 10,000). */
  deadLetters: { meterId: string | null; receivedAt: string; topic: string; reason: string; detail: string; payload: string }[];
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

export async function householdExport(
  db: Database,
  store: ReadingStore,
  householdId: string,
  now: number,
): Promise<HouseholdExport> {
  const household = await householdRecord(db, householdId);
  if (!household) throw notFound(`no household ${householdId}`, { reason: 'household_unknown' });
  const accounts = await householdAccounts(db, householdId);
  const meters = await metersOf(db, householdId);
  const consent = await consentChangesOf(db, [householdId]);
  const memberships = await membershipsOfHousehold(db, householdId);
  const events = await householdEventsOf(db, householdId);
  const usualHours = await usualHoursOfHousehold(db, householdId);
  const leakMarks = await leakMarksOf(db, [householdId]);
  // Meter events ingest recorded (register resets, impossible steps) live in the readings store.
  const meterEvents = (await Promise.all(meters.map((m) => store.events(m.id)))).flat();
  const readings: HouseholdExport['readings'] = [];
  for (const kind of meterKinds) {
    for (const series of await store.seriesAround({ household: householdId }, kind, Date.UTC(2000, 0, 1), now + 86_400_000)) {
      for (const point of series.points) {
        readings.push({
          meterId: series.placement.meterId,
          kind,
          ts: new Date(point.ts).toISOString(),
          register: point.register ?? null,
          delta: point.delta ?? null,
        });
      }
    }
  }
  const deadLetters = await store.deadLetters({ meterIds: meters.map((m) => m.id), limit: DEAD_LETTER_QUERY_LIMIT });
  return {
    exportedAt: new Date(now).toISOString(),
    household: { ...household, created_at: iso(household.created_at) },
    accounts: accounts.map((a) => ({ email: a.email, role: a.role, createdAt: iso(a.createdAt) })),
    meters: meters.map((m) => ({ id: m.id, kind: m.kind, createdAt: iso(m.createdAt) })),
    consentHistory: consent.map((c) => ({ consent: c.consent, changedAt: iso(c.changedAt) })),
    challenges: memberships.map((m) => ({
      challengeId: m.challengeId,
      name: m.name,
      team: m.team,
      joinedAt: iso(m.joinedAt),
      pledges: m.pledges,
    })),
    usualHours,
    leakMarks: leakMarks.map((m) => ({ episodeStart: iso(m.episodeStart), mark: m.mark, markedAt: iso(m.markedAt) })),
    events: [
      ...events.map((e) => ({ type: e.type, meterId: e.meterId, at: iso(e.at), detail: e.detail })),
      ...meterEvents.map((e) => ({ type: e.type, meterId: e.meterId, at: new Date(e.ts).toISOString(), detail: e.detail })),
    ],
    readings,
    deadLetters: deadLetters.map((letter) => ({
      meterId: letter.meterId ?? null,
      receivedAt: new Date(letter.receivedAt).toISOString(),
      topic: letter.topic,
      reason: letter.reason,
      detail: letter.detail,
      payload: letter.payload,
    })),
  };
}

export function householdCsv(data: HouseholdExport): string {
  const rows = data.readings.map((r) => [r.meterId, r.kind, r.ts, r.register, r.delta]);
  return csvText(['meter_id', 'kind', 'ts', 'register', 'delta'], rows, '\n');
}
