// Raises and clears leak warnings as readings arrive: every few minutes, whether each household has
// a leak episode running now (domain/leaks.ts, over the hours leakHours loads: the same as its own
// …/leak and …/leaks read, so the events agree with what the household sees). A change is recorded
// as a household event (the household sees it; its champion sees only counts).

import { ongoingEpisode } from '../../domain/leaks.ts';
import { runEvery } from '../../lib/periodic.ts';
import { addDays, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { clearLeak, householdsWithOpenLeak, raiseLeak } from '../../storage/metadata/repositories/leaks.ts';
import { listNeighbourhoods } from '../../storage/metadata/repositories/neighbourhoods.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { leakHours } from './leak-episodes.ts';

export async function checkLeaks(
  db: Database,
  store: ReadingStore,
  now: number,
): Promise<{ raised: string[]; cleared: string[] }> {
  const neighbourhoods = await listNeighbourhoods(db);
  const raised: string[] = [];
  const cleared: string[] = [];
  for (const neighbourhood of neighbourhoods) {
    const today = localDate(now, neighbourhood.timeZone);
    // Two days and today: at least 24 hours before the latest reading, however late in the day.
    const byHousehold = await leakHours(
      { db, store },
      { neighbourhood: neighbourhood.id },
      neighbourhood.timeZone,
      addDays(today, -2),
      today,
      now,
    );
    const leaking = new Set([...byHousehold].filter(([, hours]) => ongoingEpisode(hours) !== undefined).map(([id]) => id));
    const open = new Set(await householdsWithOpenLeak(db, { neighbourhoodId: neighbourhood.id }));
    for (const household of leaking) if (!open.has(household)) raised.push(household);
    // Also one whose meter has said nothing for weeks (no hours at all): its household sees no leak either.
    for (const household of open) if (!leaking.has(household)) cleared.push(household);
  }
  for (const household of raised) await raiseLeak(db, household);
  for (const household of cleared) await clearLeak(db, household);
  return { raised, cleared };
}

export function watchLeaks(db: Database, store: ReadingStore, everyMs: number, onError: (error: unknown) => void): () => void {
  return runEvery(everyMs, () => checkLeaks(db, store, Date.now()), onError);
}
