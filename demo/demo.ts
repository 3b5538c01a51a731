// The demo neighbourhood of `npm start`: seeded once into ONTAP_DATA_DIR — a few streets, three
// dozen households, eight weeks of history backfilled straight into the readings store, a running
// Friends On Tap challenge with teams and mentors, a Street League, one household with a leak —
// then today's readings streamed live (faster than real time up to now, then as they happen) by
// the meters themselves over MQTT, so pages move while you watch.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type IncomingMessage, processBatch } from '../ingest/pipeline/pipeline.ts';
import { encodePasswordHash, hashPassword, randomSecret } from '../lib/passwords.ts';
import { addDays, localDate } from '../lib/time.ts';
import { buildManifest, generateMessages, type Manifest, simulationSpecSchema } from '../simulators/index.ts';
import { LiveMqttSink } from '../simulators/live.ts';
import type { Database } from '../storage/metadata/database.ts';
import type { MeterPlacement, ReadingStore } from '../storage/readings/reading-store.ts';
import { registerManifest, streetIdOf } from './seed.ts';

export const DEMO_NEIGHBOURHOOD = 'demo';
const TEAM_NAMES = ['Kingfishers', 'Otters', 'Herons', 'Dippers', 'Wagtails', 'Moorhens', 'Sand Martins', 'Grebes', 'Coots'];

export interface DemoLogin {
  role: 'champion' | 'household' | 'utility';
  email: string;
  password: string;
  note: string;
}

interface DemoState {
  from: string;
  seed: number;
  logins: DemoLogin[];
}

export interface Demo {
  logins: DemoLogin[];
  stop(): Promise<void>;
}

function demoSpec(from: string, to: string, seed: number, timeZone: string) {
  return simulationSpecSchema.parse({
    households: 36,
    streets: 3,
    from,
    to,
    seed,
    timeZone,
    idPrefix: 'demo-',
    savings: { share: 0.5, from: addDays(to, -14), min: 0.1, max: 0.25 },
    faults: { leak: 0.04 },
  });
}

/** Seeds (once) and starts streaming. `brokerUrl` is the embedded broker; without it, no live stream. */
export async function startDemo(options: {
  db: Database;
  store: ReadingStore;
  dataDir: string;
  timeZone: string;
  brokerUrl?: string;
  progress?: boolean;
}): Promise<Demo> {
  const { db, store, timeZone } = options;
  const stateFile = join(options.dataDir, 'demo.json');
  const today = localDate(Date.now(), timeZone);
  let state: DemoState | undefined;
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as DemoState;
  } catch {
    state = undefined;
  }
  const from = state?.from ?? addDays(today, -56);
  // A seed that gives exactly one leaking household (the leak is part of the demo).
  let seed = state?.seed ?? 2026;
  while (!state && buildManifest(demoSpec(from, today, seed, timeZone)).faults.leaks.length !== 1) seed++;
  const spec = demoSpec(from, today, seed, timeZone);
  const manifest = buildManifest(spec);

  const seeded = (await db.query('SELECT 1 FROM neighbourhoods WHERE id = $1', [DEMO_NEIGHBOURHOOD])).length > 0;
  if (!seeded || !state) {
    state = { from, seed, logins: await seedMetadata(db, manifest, today) };
    await writeFile(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  }

  // History straight into the store (idempotent, so a restart fills the days the demo was off);
  // the last minutes onwards through MQTT, paced by the clock.
  const placements = new Map<string, MeterPlacement>(
    manifest.meters.map((meter) => {
      const household = manifest.households.find((h) => h.id === meter.household);
      return [
        meter.id,
        {
          meterId: meter.id,
          kind: meter.kind,
          household: meter.household,
          street: streetIdOf(DEMO_NEIGHBOURHOOD, household?.street ?? ''),
          neighbourhood: DEMO_NEIGHBOURHOOD,
        },
      ];
    }),
  );
  const cutoff = Date.now() - 5 * 60_000;
  const live = options.brokerUrl
    ? await LiveMqttSink.connect({ url: options.brokerUrl, speed: 120, protocolVersion: 4 }, manifest)
    : undefined;
  const bar = options.progress
    ? new SingleBar({ format: 'demo history |{bar}| {percentage}% {value}/{total} days', hideCursor: true })
    : undefined;
  const days = Math.round((Date.parse(today) - Date.parse(from)) / 86_400_000) + 1;
  bar?.start(days, 0);
  let pending: IncomingMessage[] = [];
  let writes = Promise.resolve();
  let stopped = false;
  let lastDay = '';
  const flush = () => {
    const batch = pending;
    pending = [];
    const processed = processBatch(batch, { placementOf: (id) => placements.get(id), lastReadings: new Map(), now: Date.now });
    writes = writes.then(async () => {
      await store.writeReadings(processed.readings);
    });
  };
  let sequence = 0;
  // Live messages of a tick wait until the clock reaches the tick: a tick can be a whole reading
  // interval long, and sent at its start they were readings from the future (refused by ingest).
  let heldForTick: [topic: string, payload: string][] = [];
  const generation = generateMessages(spec, manifest, {
    message(topic, payload, at) {
      if (stopped) return;
      if (at < cutoff || !live) {
        pending.push({ topic, payload: Buffer.from(payload), receivedAt: at, sequence: sequence++ % 1_000_000 });
        if (pending.length >= 20_000) flush();
      } else heldForTick.push([topic, payload]);
    },
    async tick(at) {
      const day = localDate(at, timeZone);
      if (day !== lastDay) {
        lastDay = day;
        bar?.increment();
        await writes;
      }
      if (at >= cutoff && pending.length > 0) {
        flush();
        await writes;
      }
      if (!stopped && at >= cutoff && live) {
        await live.tick(at);
        const due = heldForTick;
        heldForTick = [];
        if (!stopped) for (const [topic, payload] of due) live.message(topic, payload);
      }
    },
  });
  // The history is in once the generator has passed the cutoff; the rest streams in the background.
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (Date.parse(`${lastDay}T00:00:00Z`) >= Date.parse(`${today}T00:00:00Z`)) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    generation.then(
      () => {
        clearInterval(check);
        resolve();
      },
      (error) => {
        clearInterval(check);
        reject(error);
      },
    );
  });
  if (pending.length > 0) flush();
  await writes;
  bar?.stop();
  return {
    logins: state.logins,
    async stop() {
      stopped = true;
      await live?.close();
    },
  };
}

/** Registers the neighbourhood, meters (with their broker passwords), accounts, challenges and teams. */
async function seedMetadata(db: Database, manifest: Manifest, today: string): Promise<DemoLogin[]> {
  await registerManifest(db, manifest, { id: DEMO_NEIGHBOURHOOD, name: 'Riverside (demo)' });
  for (const meter of manifest.meters) {
    await db.query('UPDATE meters SET password_hash = $2, credentials_issued_at = now() WHERE id = $1', [
      meter.id,
      encodePasswordHash(await hashPassword(meter.password)),
    ]);
  }
  // Demo households agree to research, so the utility page has figures (and withheld ones).
  await db.query("UPDATE households SET consent = 'research' WHERE id LIKE 'demo-%'");

  const households = manifest.households;
  const leak = manifest.faults.leaks[0]?.household;
  const challenges = [
    {
      id: randomUUID(),
      template: 'friends_on_tap',
      name: 'Friends On Tap',
      scope: 'teams',
      starts: addDays(today, -14),
      days: 28,
      public: true,
    },
    {
      id: randomUUID(),
      template: 'street_league',
      name: 'Street League',
      scope: 'streets',
      starts: addDays(today, -7),
      days: 28,
      public: false,
    },
  ];
  for (const c of challenges) {
    await db.query(
      `INSERT INTO challenges (id, neighbourhood_id, template, name, metric, scope, starts_on, ends_on, baseline_from, baseline_to, target_saving, public)
       VALUES ($1, $2, $3, $4, 'water', $5, $6, $7, $8, $9, 0.1, $10)`,
      [
        c.id,
        DEMO_NEIGHBOURHOOD,
        c.template,
        c.name,
        c.scope,
        c.starts,
        addDays(c.starts, c.days - 1),
        addDays(c.starts, -28),
        addDays(c.starts, -1),
        c.public,
      ],
    );
    await db.query(
      'INSERT INTO challenge_invitations (challenge_id, household_id) SELECT $1, id FROM households WHERE id LIKE $2',
      [c.id, 'demo-%'],
    );
    await db.query('INSERT INTO memberships (challenge_id, household_id) SELECT $1, id FROM households WHERE id LIKE $2', [
      c.id,
      'demo-%',
    ]);
  }
  // Friends On Tap teams: four neighbours on a street, the first of them the mentor.
  const friends = challenges[0]?.id as string;
  const byStreet = new Map<string, string[]>();
  for (const household of households) byStreet.set(household.street, [...(byStreet.get(household.street) ?? []), household.id]);
  let team = 0;
  for (const members of byStreet.values()) {
    for (let i = 0; i + 1 < members.length; i += 4) {
      const group = members.slice(i, i + 4);
      const id = randomUUID();
      await db.query('INSERT INTO teams (id, challenge_id, name, mentor_household_id) VALUES ($1, $2, $3, $4)', [
        id,
        friends,
        TEAM_NAMES[team++ % TEAM_NAMES.length],
        group[0],
      ]);
      await db.query('UPDATE memberships SET team_id = $1 WHERE challenge_id = $2 AND household_id = ANY($3::text[])', [
        id,
        friends,
        group,
      ]);
    }
  }

  const logins: DemoLogin[] = [];
  const account = async (login: Omit<DemoLogin, 'password'>, scope: { household?: string; neighbourhood?: string }) => {
    const password = randomSecret(9);
    await db.query(
      'INSERT INTO accounts (id, email, password_hash, role, neighbourhood_id, household_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        randomUUID(),
        login.email,
        encodePasswordHash(await hashPassword(password)),
        login.role,
        scope.neighbourhood ?? null,
        scope.household ?? null,
      ],
    );
    logins.push({ ...login, password });
  };
  await account(
    { role: 'champion', email: 'champion@demo.ontap.local', note: 'runs the challenges' },
    { neighbourhood: DEMO_NEIGHBOURHOOD },
  );
  const mentor = households[0];
  const withLeak = households.find((h) => h.id === leak);
  const other = households.find((h) => h.id !== mentor?.id && h.id !== leak);
  for (const [i, household, note] of [
    [1, mentor, 'a team mentor'],
    [2, withLeak, 'has a possible leak'],
    [3, other, 'a household'],
  ] as const) {
    if (household)
      await account(
        { role: 'household', email: `household${i}@demo.ontap.local`, note: `${household.alias}: ${note}` },
        { household: household.id },
      );
  }
  await account(
    { role: 'utility', email: 'utility@demo.ontap.local', note: 'area trends' },
    { neighbourhood: DEMO_NEIGHBOURHOOD },
  );
  return logins;
}
