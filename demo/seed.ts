// Registers a simulated neighbourhood (a simulator manifest) in the metadata database: the demo
// of `ontap start` and the tests use it. Idempotent.
import { aliasKey, checkAlias } from '../lib/aliases.ts';
import type { Manifest } from '../simulators/manifest.ts';
import type { Database, Queryable } from '../storage/metadata/database.ts';
import { insertHouseholds } from '../storage/metadata/repositories/households.ts';
import { insertMeters } from '../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../storage/metadata/repositories/neighbourhoods.ts';

/** A seeded alias passes the same rule as one given at sign-up (lib/aliases.ts). */
function seededAlias(householdId: string, alias: string): string {
  const checked = checkAlias(alias);
  if ('problem' in checked) throw new Error(`household ${householdId}: alias "${alias}": ${checked.problem}`);
  return checked.alias;
}

export const streetIdOf = (neighbourhoodId: string, streetName: string) =>
  `${neighbourhoodId}-${streetName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`.slice(0, 64);

/** Registers the manifest in one transaction: a seed that fails half-way leaves nothing. */
export async function registerManifest(
  db: Database,
  manifest: Manifest,
  neighbourhood: { id: string; name: string },
): Promise<void> {
  await db.transaction((tx) => insertManifest(tx, manifest, neighbourhood));
}

/** The neighbourhood, streets, households and meters of a manifest; those already there are left as they are. */
export async function insertManifest(
  q: Queryable,
  manifest: Manifest,
  neighbourhood: { id: string; name: string },
): Promise<void> {
  const households = manifest.households.map((h) => ({ ...h, alias: seededAlias(h.id, h.alias) }));
  const keys = new Map<string, string>();
  for (const h of households) {
    const other = keys.get(aliasKey(h.alias));
    if (other)
      throw new Error(`households ${other} and ${h.id} share the alias "${h.alias}": aliases differ within a neighbourhood`);
    keys.set(aliasKey(h.alias), h.id);
  }
  const streets = [...new Set(manifest.households.map((h) => h.street))];
  const skipExisting = { skipExisting: true };
  await insertNeighbourhood(q, { ...neighbourhood, timeZone: manifest.timeZone }, skipExisting);
  await insertStreets(
    q,
    streets.map((name) => ({ id: streetIdOf(neighbourhood.id, name), neighbourhoodId: neighbourhood.id, name })),
    skipExisting,
  );
  await insertHouseholds(
    q,
    households.map((h) => ({
      id: h.id,
      streetId: streetIdOf(neighbourhood.id, h.street),
      alias: h.alias,
      occupants: Math.min(20, h.occupants),
    })),
    skipExisting,
  );
  await insertMeters(
    q,
    manifest.meters.map((m) => ({ id: m.id, householdId: m.household, kind: m.kind })),
    skipExisting,
  );
}
