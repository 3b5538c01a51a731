// The demo neighbourhood of `npm start`: seeded once into ONTAP_DATA_DIR — a few streets, three
// dozen households, eight weeks of history backfilled straight into the readings store, a running
// Friends On Tap challenge with teams and mentors, a Street League, one household with a leak —
// then today's readings streamed live (faster than real time up to now, then as they happen) by
// the meters themselves over MQTT, so pages move while you watch.

import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Role } from '../domain/people.ts';
import { type IncomingMessage, processBatch } from '../ingest/pipeline/pipeline.ts';
import { encodePasswordHash, hashPassword, randomSecret } from '../lib/passwords.ts';
import { addDays, localDate } from '../lib/time.ts';
import { buildManifest, generateMessages, type Manifest, simulationSpecSchema } from '../simulators/index.ts';
import { LiveMqttSink } from '../simulators/live.ts';
import type { Database, Queryable } from '../storage/metadata/database.ts';
import { insertAccount, type NewAccount } from '../storage/metadata/repositories/accounts.ts';
import { insertChallenge, inviteToChallenge } from '../storage/metadata/repositories/challenges.ts';
import { insertConsentChange, setConsent } from '../storage/metadata/repositories/households.ts';
import { assignTeam, insertMemberships } from '../storage/metadata/repositories/memberships.ts';
import { setMeterCredentials } from '../storage/metadata/repositories/meters.ts';
import { neighbourhoodTimeZone } from '../storage/metadata/repositories/neighbourhoods.ts';
import { insertTeam } from '../storage/metadata/repositories/teams.ts';
import type { MeterPlacement, ReadingStore } from '../storage/readings/reading-store.ts';
import { insertManifest, streetIdOf } from './seed.ts';

export const DEMO_NEIGHBOURHOOD = 'demo';
const TEAM_NAMES = ['Kingfishers', 'Otters', 'Herons', 'Dippers', 'Wagtails', 'Moorhens', 'Sand Martins', 'Grebes', 'Coots'];

export interface DemoLogin {
  role: Exclude<Role, 'admin'>;
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
  /** How many days of history are being written. */
  historyDays: number;
  /** Settles once the history is in the store (it fills in the background; the sign-ins work at once). */
  history: Promise<void>;
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

  const seeded = (await neighbourhoodTimeZone(db, DEMO_NEIGHBOURHOOD)) !== undefined;
  if (!seeded || !state) {
    state = { from, seed, logins: await seedMetadata(db, manifest, today, from) };
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
  // The meters connect while the history is written (each sign-in to the broker costs a password
  // check); they are needed only from the cutoff on.
  const brokerUrl = options.brokerUrl;
  const liveSink = brokerUrl ? LiveMqttSink.connect({ url: brokerUrl, speed: 120, protocolVersion: 4 }, manifest) : undefined;
  liveSink?.catch(() => {});
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
      if (at < cutoff || !liveSink) {
        pending.push({ topic, payload: Buffer.from(payload), receivedAt: at, sequence: sequence++ % 1_000_000 });
        if (pending.length >= 20_000) flush();
      } else heldForTick.push([topic, payload]);
    },
    async tick(at) {
      // Stopping ends the generation (the history may still be filling).
      if (stopped) throw new Error('the demo stopped');
      // The history is written while OnTap serves: a turn of the event loop for requests and
      // signals every tick, or the generation would hold the process for its whole run.
      if (at < cutoff) await nextTurn();
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
      if (!stopped && at >= cutoff && liveSink) {
        const live = await liveSink;
        await live.tick(at);
        const due = heldForTick;
        heldForTick = [];
        if (!stopped) for (const [topic, payload] of due) live.message(topic, payload);
      }
    },
  });
  // The history is in once the generator has passed the cutoff; the rest streams in the background.
  const history = new Promise<void>((resolve, reject) => {
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
  }).then(async () => {
    if (pending.length > 0) flush();
    await writes;
    bar?.stop();
  });
  // Seen by whoever awaits `history`; not an unhandled rejection meanwhile.
  history.catch(() => {});
  return {
    logins: state.logins,
    historyDays: days,
    history,
    async stop() {
      stopped = true;
      await history.catch(() => {});
      // Writes under way finish before the store closes.
      await writes.catch(() => {});
      bar?.stop();
      await (await liveSink?.catch(() => undefined))?.close();
    },
  };
}

/**
 * Registers the neighbourhood, meters (with their broker passwords), accounts, challenges and
 * teams, in one transaction: a demo whose seeding failed half-way is seeded afresh next start.
 * Passwords are hashed first, so the transaction holds the database only for the writes.
 */
async function seedMetadata(db: Database, manifest: Manifest, today: string, from: string): Promise<DemoLogin[]> {
  // All at once: scrypt runs on libuv's threads, so the cores share the hashing.
  const [meterPasswordHashes, accounts] = await Promise.all([
    Promise.all(
      manifest.meters.map(async (meter) => [meter.id, encodePasswordHash(await hashPassword(meter.password))] as const),
    ).then((hashes) => new Map(hashes)),
    demoAccounts(manifest),
  ]);
  await db.transaction(async (tx) => {
    await insertManifest(tx, manifest, { id: DEMO_NEIGHBOURHOOD, name: 'Riverside (demo)' });
    for (const [meterId, passwordHash] of meterPasswordHashes) await setMeterCredentials(tx, meterId, { passwordHash });
    // Demo households agree to research, so the utility page has figures (and withheld ones); the
    // choice is on record like any household's, made before their history starts: a consent
    // counts only from when it was given, and the history's days would otherwise all be withheld.
    await setConsent(
      tx,
      manifest.households.map((h) => h.id),
      'research',
    );
    const agreedAt = new Date(`${addDays(from, -1)}T00:00:00Z`);
    for (const { id } of manifest.households)
      await insertConsentChange(tx, { householdId: id, consent: 'research', changedAt: agreedAt });
    await seedChallenges(tx, manifest, today);
    for (const { account } of accounts) await insertAccount(tx, account);
  });
  return accounts.map(({ login }) => login);
}

/** A running Friends On Tap challenge with teams, and a Street League; every demo household in both. */
async function seedChallenges(tx: Queryable, manifest: Manifest, today: string): Promise<void> {
  const households = manifest.households.map((h) => h.id);
  const challenges = [
    {
      id: randomUUID(),
      template: 'friends_on_tap',
      name: 'Friends On Tap',
      scope: 'teams',
      starts: addDays(today, -14),
      public: true,
    },
    {
      id: randomUUID(),
      template: 'street_league',
      name: 'Street League',
      scope: 'streets',
      starts: addDays(today, -7),
      public: false,
    },
  ] as const;
  for (const c of challenges) {
    await insertChallenge(tx, {
      id: c.id,
      neighbourhoodId: DEMO_NEIGHBOURHOOD,
      template: c.template,
      name: c.name,
      metric: 'water',
      scope: c.scope,
      startsOn: c.starts,
      endsOn: addDays(c.starts, 27),
      baselineFrom: addDays(c.starts, -28),
      baselineTo: addDays(c.starts, -1),
      targetSaving: 0.1,
      public: c.public,
    });
    await inviteToChallenge(tx, { id: c.id, neighbourhoodId: DEMO_NEIGHBOURHOOD }, { householdIds: households });
    await insertMemberships(tx, c.id, households);
  }
  // Friends On Tap teams: four neighbours on a street, the first of them the mentor.
  const friends = challenges[0].id;
  const byStreet = new Map<string, string[]>();
  for (const household of manifest.households)
    byStreet.set(household.street, [...(byStreet.get(household.street) ?? []), household.id]);
  let team = 0;
  for (const members of byStreet.values()) {
    for (let i = 0; i + 1 < members.length; i += 4) {
      const group = members.slice(i, i + 4);
      const id = randomUUID();
      await insertTeam(tx, {
        id,
        challengeId: friends,
        name: TEAM_NAMES[team++ % TEAM_NAMES.length] as string,
        mentorHouseholdId: group[0] as string,
      });
      await assignTeam(tx, friends, id, group);
    }
  }
}

/** The demo's sign-ins: a champion, three households (a mentor, the leaking one, another) and a utility partner. */
async function demoAccounts(manifest: Manifest): Promise<{ login: DemoLogin; account: NewAccount }[]> {
  const households = manifest.households;
  const leak = manifest.faults.leaks[0]?.household;
  const result: { login: DemoLogin; account: NewAccount }[] = [];
  const account = async (login: Omit<DemoLogin, 'password'>, scope: { household?: string; neighbourhood?: string }) => {
    const password = randomSecret(9);
    result.push({
      login: { ...login, password },
      account: {
        id: randomUUID(),
        email: login.email,
        passwordHash: encodePasswordHash(await hashPassword(password)),
        role: login.role,
        neighbourhoodId: scope.neighbourhood ?? null,
        householdId: scope.household ?? null,
      },
    });
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
  return result;
}
