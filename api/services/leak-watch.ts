// Raises and clears leak warnings as readings arrive (the leak rule of domain/scoring.ts): every few minutes,
// each household's last 24 complete clock hours of water use; a change is recorded as a
// household event (the household sees it; its champion sees only a count).

import { possibleLeak } from '../../domain/scoring.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { runEvery } from '../../lib/periodic.ts';
import { addDays, localDate, localHourEdges } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { clearLeak, householdsWithOpenLeak, raiseLeak } from '../../storage/metadata/repositories/leaks.ts';
import { listNeighbourhoods } from '../../storage/metadata/repositories/neighbourhoods.ts';
import type { ReadingStore, Scope } from '../../storage/readings/reading-store.ts';

/**
 * Water use in each of the last 24 complete local clock hours, per household of the scope: what
 * the leak rule reads, for the household page and the watcher alike.
 */
export async function lastDayOfHours(
  store: ReadingStore,
  scope: Scope,
  timeZone: string,
  now: number,
): Promise<Map<string, number[]>> {
  const today = localDate(now, timeZone);
  const from = addDays(today, -2);
  const edges = localHourEdges(from, today, timeZone).filter((edge) => edge <= now);
  const lastEdge = edges[edges.length - 1] ?? now;
  const hourly = await store.totals({
    kind: 'water',
    scope,
    from,
    to: today,
    timeZone,
    granularity: 'hour',
    groupBy: 'household',
  });
  const byHousehold = new Map<string, number[]>();
  for (const total of hourly) {
    if (total.end <= lastEdge && total.start >= lastEdge - 24 * 3_600_000)
      getOrCreate(byHousehold, total.group, () => []).push(total.use);
  }
  return byHousehold;
}

export async function checkLeaks(
  db: Database,
  store: ReadingStore,
  now: number,
): Promise<{ raised: string[]; cleared: string[] }> {
  const neighbourhoods = await listNeighbourhoods(db);
  const open = new Set(await householdsWithOpenLeak(db));
  const raised: string[] = [];
  const cleared: string[] = [];
  for (const neighbourhood of neighbourhoods) {
    const byHousehold = await lastDayOfHours(store, { neighbourhood: neighbourhood.id }, neighbourhood.timeZone, now);
    for (const [household, hours] of byHousehold) {
      const leaking = possibleLeak(hours);
      if (leaking && !open.has(household)) raised.push(household);
      if (!leaking && open.has(household)) cleared.push(household);
    }
  }
  for (const household of raised) await raiseLeak(db, household);
  for (const household of cleared) await clearLeak(db, household);
  return { raised, cleared };
}

export function watchLeaks(db: Database, store: ReadingStore, everyMs: number, onError: (error: unknown) => void): () => void {
  return runEvery(everyMs, () => checkLeaks(db, store, Date.now()), onError);
}
