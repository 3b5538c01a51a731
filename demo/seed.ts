// Registers a simulated neighbourhood (a simulator manifest) in the metadata database: the demo
// of `ontap start` and the tests use it. Idempotent.
import { aliasKey, checkAlias } from '../lib/aliases.ts';
import type { Manifest } from '../simulators/manifest.ts';
import type { Database } from '../storage/metadata/database.ts';

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

export async function registerManifest(
  db: Database,
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
  await db.query('INSERT INTO neighbourhoods (id, name, time_zone) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    neighbourhood.id,
    neighbourhood.name,
    manifest.timeZone,
  ]);
  await db.query(
    `INSERT INTO streets (id, neighbourhood_id, name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
    [streets.map((name) => streetIdOf(neighbourhood.id, name)), streets.map(() => neighbourhood.id), streets],
  );
  await db.query(
    `INSERT INTO households (id, street_id, alias, occupants)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) ON CONFLICT (id) DO NOTHING`,
    [
      households.map((h) => h.id),
      households.map((h) => streetIdOf(neighbourhood.id, h.street)),
      households.map((h) => h.alias),
      households.map((h) => Math.min(20, h.occupants)),
    ],
  );
  await db.query(
    `INSERT INTO meters (id, household_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
    [manifest.meters.map((m) => m.id), manifest.meters.map((m) => m.household), manifest.meters.map((m) => m.kind)],
  );
}
