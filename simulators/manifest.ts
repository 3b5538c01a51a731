// The manifest: everything a simulation put into the world, so tests can check what comes out.

import { meterUsername } from '../devices/contract/identities.ts';
import type { MeterKind } from '../devices/contract/units.ts';
import { Random } from '../lib/random.ts';
import { addDays, dateRange, startOfLocalDay } from '../lib/time.ts';
import { aliasFor, occupantsMix, streetNames } from './profiles/households.ts';
import type { SimulationSpec } from './spec.ts';

export interface ManifestHousehold {
  id: string;
  street: string;
  occupants: number;
  alias: string;
}

export interface ManifestMeter {
  id: string;
  kind: MeterKind;
  household: string;
  unit: 'L' | 'kWh' | 'm3';
  intervalMinutes: number;
  /** Broker credentials: the meter id is the user name. */
  username: string;
  password: string;
}

export interface Manifest {
  seed: number;
  from: string;
  to: string;
  timeZone: string;
  households: ManifestHousehold[];
  meters: ManifestMeter[];
  savings: { household: string; from: string; fraction: number }[];
  faults: {
    leaks: { household: string; meter: string; from: number; litresPerHour: number }[];
    offline: { meter: string; from: number; to: number }[];
    skews: { meter: string; skewMs: number }[];
    replacements: { meter: string; at: number }[];
    duplicates: { meter: string; ts: number }[];
    reordered: { meter: string; ts: number }[];
    malformed: { meter: string; at: number; reason: string }[];
  };
}

const unitOf = { water: 'L', electricity: 'kWh', gas: 'm3' } as const;

/** Builds the neighbourhood and draws the savings and per-meter faults. Message faults are recorded while generating. */
export function buildManifest(spec: SimulationSpec): Manifest {
  const random = new Random(spec.seed).fork('manifest');
  const days = dateRange(spec.from, spec.to);
  const start = startOfLocalDay(spec.from, spec.timeZone);
  const end = startOfLocalDay(addDays(spec.to, 1), spec.timeZone);
  const streets = Array.from({ length: spec.streets }, (_, i) =>
    i < streetNames.length ? streetNames[i] : `${streetNames[i % streetNames.length]} ${Math.floor(i / streetNames.length) + 1}`,
  ) as string[];
  const width = String(spec.households).length;
  const manifest: Manifest = {
    seed: spec.seed,
    from: spec.from,
    to: spec.to,
    timeZone: spec.timeZone,
    households: [],
    meters: [],
    savings: [],
    faults: { leaks: [], offline: [], skews: [], replacements: [], duplicates: [], reordered: [], malformed: [] },
  };
  const secret = () => Array.from({ length: 4 }, () => Math.floor(random.next() * 2 ** 32).toString(36)).join('');

  for (let i = 0; i < spec.households; i++) {
    const id = `${spec.idPrefix}${String(i + 1).padStart(width, '0')}`;
    const household: ManifestHousehold = {
      id,
      street: streets[i % spec.streets] as string,
      occupants: random.weighted(occupantsMix),
      alias: aliasFor(i),
    };
    manifest.households.push(household);
    const kinds: MeterKind[] = random.chance(spec.gasShare) ? ['water', 'electricity', 'gas'] : ['water', 'electricity'];
    for (const kind of kinds) {
      const meterId = `${id}-${kind === 'water' ? 'w' : kind === 'electricity' ? 'e' : 'g'}`;
      manifest.meters.push({
        id: meterId,
        kind,
        household: id,
        unit: unitOf[kind],
        intervalMinutes: spec.intervals[kind],
        username: meterUsername(meterId),
        password: secret(),
      });
    }
    // Every draw happens whatever the options, so changing one option leaves the rest of the neighbourhood as it was.
    const saves = random.chance(spec.savings.share);
    const fraction = Math.round(random.uniform(spec.savings.min, spec.savings.max) * 1000) / 1000;
    if (saves)
      manifest.savings.push({
        household: id,
        from: spec.savings.from ?? (days[Math.floor(days.length / 2)] as string),
        fraction,
      });
    const leaks = random.chance(spec.faults.leak);
    const leakFrom = start + Math.floor((random.uniform(0, 0.6) * (end - start)) / 3600000) * 3600000;
    const litresPerHour = Math.round(random.uniform(5, 30) * 10) / 10;
    if (leaks) manifest.faults.leaks.push({ household: id, meter: `${id}-w`, from: leakFrom, litresPerHour });
  }
  const hour = 3600000;
  for (const meter of manifest.meters) {
    const goesOffline = random.chance(spec.faults.offline);
    const offFrom = start + Math.floor((random.uniform(0.05, 0.85) * (end - start)) / hour) * hour;
    const offTo = Math.min(end - hour, offFrom + random.int(2, 36) * hour);
    if (goesOffline && offTo > offFrom) manifest.faults.offline.push({ meter: meter.id, from: offFrom, to: offTo });
    const skewed = random.chance(spec.faults.skew);
    const seconds = random.int(10, 240) * (random.chance(0.5) ? -1 : 1);
    if (skewed) manifest.faults.skews.push({ meter: meter.id, skewMs: seconds * 1000 });
    const replaced = random.chance(spec.faults.replace);
    const at = start + Math.floor((random.uniform(0.1, 0.9) * (end - start)) / hour) * hour;
    if (replaced) manifest.faults.replacements.push({ meter: meter.id, at });
  }
  return manifest;
}
