// Export: everything held about a household (DESIGN "Consent and privacy").

import { meterKinds } from '../../../devices/contract/units.ts';
import type { Database } from '../../../storage/metadata/database.ts';
import { DEAD_LETTER_QUERY_LIMIT, type ReadingStore } from '../../../storage/readings/reading-store.ts';
import { notFound } from '../../http-errors.ts';

export interface HouseholdExport {
  exportedAt: string;
  household: Record<string, unknown>;
  accounts: { email: string; role: string; createdAt: string }[];
  meters: { id: string; kind: string; createdAt: string }[];
  consentHistory: { consent: string; changedAt: string }[];
  challenges: { challengeId: string; name: string; team: string | null; joinedAt: string }[];
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
  const household = (await db.query<Record<string, unknown>>('SELECT * FROM households WHERE id = $1', [householdId]))[0];
  if (!household) throw notFound(`no household ${householdId}`);
  const accounts = await db.query<{ email: string; role: string; created_at: unknown }>(
    'SELECT email, role, created_at FROM accounts WHERE household_id = $1',
    [householdId],
  );
  const meters = await db.query<{ id: string; kind: string; created_at: unknown }>(
    'SELECT id, kind, created_at FROM meters WHERE household_id = $1',
    [householdId],
  );
  const consent = await db.query<{ consent: string; changed_at: unknown }>(
    'SELECT consent, changed_at FROM consent_changes WHERE household_id = $1 ORDER BY changed_at',
    [householdId],
  );
  const memberships = await db.query<{ challenge_id: string; name: string; team: string | null; joined_at: unknown }>(
    `SELECT m.challenge_id, c.name, t.name AS team, m.joined_at FROM memberships m JOIN challenges c ON c.id = m.challenge_id
     LEFT JOIN teams t ON t.id = m.team_id WHERE m.household_id = $1`,
    [householdId],
  );
  const events = await db.query<{ type: string; meter_id: string | null; at: unknown; detail: string }>(
    'SELECT type, meter_id, at, detail FROM household_events WHERE household_id = $1 ORDER BY at',
    [householdId],
  );
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
    accounts: accounts.map((a) => ({ email: a.email, role: a.role, createdAt: iso(a.created_at) })),
    meters: meters.map((m) => ({ id: m.id, kind: m.kind, createdAt: iso(m.created_at) })),
    consentHistory: consent.map((c) => ({ consent: c.consent, changedAt: iso(c.changed_at) })),
    challenges: memberships.map((m) => ({ challengeId: m.challenge_id, name: m.name, team: m.team, joinedAt: iso(m.joined_at) })),
    events: [
      ...events.map((e) => ({ type: e.type, meterId: e.meter_id, at: iso(e.at), detail: e.detail })),
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

const csvField = (value: string | number | null) => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function householdCsv(data: HouseholdExport): string {
  const lines = ['meter_id,kind,ts,register,delta'];
  for (const r of data.readings) lines.push([r.meterId, r.kind, r.ts, r.register, r.delta].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
