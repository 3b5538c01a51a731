// Riverside as the attacks on published aggregates need it (differencing.test.ts, open-data.test.ts),
// with numbers by hand: every research household uses 10 L/h (240 L a day, 2 people), but Swift
// ("x", Elm Street) uses 13 L/h (312 L a day). Research on 1–11 March: Elm Street 16 + Swift = 17,
// Ash Grove 16, Oak Road 3. Wren ("y", Ash Grove) and a heavy user on Elm consent to challenges only.
// Neighbourhood: 35 × 240 + 312 = 8712 L over 36 homes, 72 people → 121 L per person per day.
import type { Database } from '../../storage/metadata/database.ts';
import { type Consent, insertHousehold } from '../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../../storage/metadata/repositories/neighbourhoods.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { writeSteadyWater } from './readings.ts';

export const RIVERSIDE_STREETS = { elm: 'Elm Street', ash: 'Ash Grove', oak: 'Oak Road' } as const;

/** Neighbourhood n1 with water readings from 1 March to 12 March 2026 (midnight UTC). */
export async function seedRiverside(db: Database, store: ReadingStore): Promise<void> {
  await insertNeighbourhood(db, { id: 'n1', name: 'Riverside' });
  await insertStreets(
    db,
    Object.entries(RIVERSIDE_STREETS).map(([id, name]) => ({ id, neighbourhoodId: 'n1', name })),
  );
  type Home = { id: string; alias: string; street: keyof typeof RIVERSIDE_STREETS; consent: Consent; litresPerHour: number };
  const many = (prefix: string, count: number, street: Home['street']): Home[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `${prefix}${i}`,
      alias: `${prefix}${i}`,
      street,
      consent: 'research',
      litresPerHour: 10,
    }));
  const homes: Home[] = [
    ...many('e', 16, 'elm'),
    { id: 'x', alias: 'Swift', street: 'elm', consent: 'research', litresPerHour: 13 },
    { id: 'heavy', alias: 'Heavy', street: 'elm', consent: 'challenge', litresPerHour: 100 },
    ...many('a', 16, 'ash'),
    { id: 'y', alias: 'Wren', street: 'ash', consent: 'challenge', litresPerHour: 10 },
    ...many('o', 3, 'oak'),
  ];
  for (const home of homes) {
    await insertHousehold(db, { id: home.id, streetId: home.street, alias: home.alias, occupants: 2, consent: home.consent });
    await insertMeters(db, [{ id: `${home.id}-w`, householdId: home.id, kind: 'water' }]);
    await writeSteadyWater(
      store,
      { meterId: `${home.id}-w`, household: home.id, street: home.street, neighbourhood: 'n1' },
      '2026-03-01T00:00:00Z',
      '2026-03-12T00:00:00Z',
      home.litresPerHour,
    );
  }
}
