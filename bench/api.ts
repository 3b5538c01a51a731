// npm run bench:api — a 10,000-household Personal Best challenge over 90 days of hourly water
// readings in the real InfluxDB, served by `ontap api` as its own process (metadata in the test
// PostgreSQL). Prints:
//   first run: the leaderboard while the daily rollups are computed from 21.6M readings;
//   cold: the first leaderboard request after the API process starts (rollups in PostgreSQL);
//   warm: p50/p99 latency and requests/s with autocannon against the running process;
//   RSS of the API process.
// BENCH_HOUSEHOLDS and BENCH_DAYS make it smaller for a quick look. Medians of BENCH_RUNS (3).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { encodePasswordHash, hashPassword, sha256 } from '../lib/passwords.ts';
import { addDays, localDate, startOfLocalDay } from '../lib/time.ts';
import { type Database, migrate, openDatabase } from '../storage/metadata/database.ts';
import { apiTokenName, insertAccount, insertApiToken } from '../storage/metadata/repositories/accounts.ts';
import { challengeIds, insertChallenge } from '../storage/metadata/repositories/challenges.ts';
import { insertHouseholds } from '../storage/metadata/repositories/households.ts';
import { insertMemberships } from '../storage/metadata/repositories/memberships.ts';
import { insertMeters } from '../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../storage/metadata/repositories/neighbourhoods.ts';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresDatabaseUrl,
} from '../storage/metadata/testing/scratch-databases.ts';
import { InfluxReadingStore } from '../storage/readings/influx/influx-reading-store.ts';
import { dropInfluxDatabase } from '../storage/readings/testing/scratch-influx-databases.ts';
import { obtainTestServices } from '../testing/services.ts';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TZ = 'Europe/London';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

async function startApi(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'cli', 'ontap.ts'), 'api'], {
    env: { ...process.env, ONTAP_LOG_LEVEL: 'warn', ONTAP_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 600 && !/API: (http:\/\/\S+)/.test(output); i++) await sleep(50);
  const url = /API: (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`the API did not start:\n${output}`);
  return { child, url };
}

async function stopApi(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One GET, timed to the last byte (node:http: no client timeout, the first run can take minutes). */
function timed(url: string, token: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${response.statusCode} ${body.slice(0, 300)}`));
        else resolve(performance.now() - started);
      });
    }).on('error', reject);
  });
}

/** Creates the neighbourhood, the challenge, a champion's token and the readings. */
async function prepare(db: Database, influxUrl: string, name: string) {
  const today = localDate(Date.now(), TZ);
  const firstDay = addDays(today, -DAYS);
  const startsOn = addDays(firstDay, 28);
  console.log(
    `${HOUSEHOLDS.toLocaleString('en')} households, ${DAYS} days of hourly water readings from ${firstDay}; challenge from ${startsOn}`,
  );

  const householdIds = Array.from({ length: HOUSEHOLDS }, (_, i) => `h${i}`);
  const streetIds = Array.from({ length: Math.ceil(HOUSEHOLDS / 100) }, (_, i) => `s${i}`);
  await insertNeighbourhood(db, { id: 'bn', name: 'Bench', timeZone: TZ });
  await insertStreets(
    db,
    streetIds.map((id, i) => ({ id, neighbourhoodId: 'bn', name: `Street ${i}` })),
  );
  await insertHouseholds(
    db,
    householdIds.map((id, i) => ({ id, streetId: `s${Math.floor(i / 100)}`, alias: `Household ${i}`, occupants: 1 + (i % 5) })),
  );
  await insertMeters(
    db,
    householdIds.map((id) => ({ id: `${id}-w`, householdId: id, kind: 'water' as const })),
  );
  const challengeId = randomUUID();
  await insertChallenge(db, {
    id: challengeId,
    neighbourhoodId: 'bn',
    template: 'personal_best',
    name: 'Bench',
    metric: 'water',
    scope: 'households',
    startsOn,
    endsOn: addDays(startsOn, DAYS),
    baselineFrom: firstDay,
    baselineTo: addDays(startsOn, -1),
  });
  await insertMemberships(db, challengeId, householdIds);
  const accountId = randomUUID();
  await insertAccount(db, {
    id: accountId,
    email: 'bench@example.org',
    passwordHash: encodePasswordHash(await hashPassword('bench password')),
    role: 'champion',
    neighbourhoodId: 'bn',
  });
  const token = `ontap_bench_${randomUUID()}`;
  await insertApiToken(db, { id: randomUUID(), tokenHash: sha256(token), accountId, name: 'bench' });

  // Hourly readings: each household its own steady-ish use, 10% lower from the challenge start for every third household.
  const store = new InfluxReadingStore({ url: influxUrl, database: name });
  await store.ensureDatabase();
  const start = startOfLocalDay(firstDay, TZ);
  const hours = DAYS * 24;
  const writeStarted = performance.now();
  const challengeStart = startOfLocalDay(startsOn, TZ);
  const batch: Parameters<InfluxReadingStore['writeReadings']>[0][number][] = [];
  const inFlight: Promise<unknown>[] = [];
  for (let h = 0; h < HOUSEHOLDS; h++) {
    let register = 0;
    const perHour = 4 + (h % 13);
    const placement = {
      meterId: `h${h}-w`,
      kind: 'water' as const,
      household: `h${h}`,
      street: `s${Math.floor(h / 100)}`,
      neighbourhood: 'bn',
    };
    for (let i = 0; i <= hours; i++) {
      const ts = start + i * 3_600_000;
      batch.push({ ...placement, ts, register });
      register += perHour * (ts >= challengeStart && h % 3 === 0 ? 0.9 : 1) * (i % 24 < 6 ? 0.2 : 1.2);
    }
    if (batch.length >= 50_000) {
      inFlight.push(store.writeReadings(batch.splice(0)));
      if (inFlight.length >= 3) await inFlight.shift();
    }
  }
  inFlight.push(store.writeReadings(batch.splice(0)));
  await Promise.all(inFlight);
  const readings = HOUSEHOLDS * (hours + 1);
  console.log(`wrote ${readings.toLocaleString('en')} readings in ${((performance.now() - writeStarted) / 1000).toFixed(0)} s`);

  // For BENCH_REUSE: the plain token kept in a row no one can sign in with (its hash is not a SHA-256).
  await insertApiToken(db, { id: 'bench-plain', tokenHash: 'x', accountId, name: token });
  return { challengeId, token, readings };
}

/** What a kept run left. */
async function reused(db: Database) {
  const [challengeId] = await challengeIds(db);
  return { challengeId: challengeId as string, token: (await apiTokenName(db, 'bench-plain')) as string, readings: 0 };
}

async function main() {
  const { services, stop } = await obtainTestServices();
  // BENCH_REUSE=<name> runs against databases a run with BENCH_KEEP=1 left (skips the long set-up).
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `ontap_bench_api_${Date.now().toString(36)}`;
  const dbUrl = reuse
    ? postgresDatabaseUrl(services.databaseUrl, name)
    : await createPostgresDatabase(services.databaseUrl, name);
  const db = await openDatabase(dbUrl);
  await migrate(db);
  const { challengeId, token, readings } = reuse ? await reused(db) : await prepare(db, services.influxUrl, name);
  console.log(`databases: ${name}${process.env.BENCH_KEEP ? ` (kept: BENCH_REUSE=${name})` : ''}`);

  const env = {
    ONTAP_DATABASE_URL: dbUrl,
    ONTAP_INFLUX_URL: services.influxUrl,
    ONTAP_INFLUX_DB: name,
    ONTAP_ADMIN_EMAIL: 'admin@example.org',
    ONTAP_ADMIN_PASSWORD: 'bench admin password',
  };
  const path = `/api/challenges/${challengeId}/leaderboard`;

  // First run: rollups computed from the readings.
  let api = await startApi(env);
  const firstRun = await timed(`${api.url}${path}`, token);
  if (!reuse) console.log(`first run (rollups computed from InfluxDB): ${(firstRun / 1000).toFixed(1)} s`);
  await stopApi(api.child);

  const cold: number[] = [];
  const warm: { p50: number; p99: number; rps: number; rss: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    api = await startApi(env);
    cold.push(await timed(`${api.url}${path}`, token));
    // Latency with one client (no queueing behind our own requests); throughput with ten.
    const options = { url: `${api.url}${path}`, headers: { authorization: `Bearer ${token}` }, duration: 10 };
    const latency = await autocannon({ ...options, connections: 1 });
    const result = await autocannon({ ...options, connections: 10 });
    if (result.non2xx + latency.non2xx > 0) throw new Error(`${result.non2xx + latency.non2xx} requests failed`);
    warm.push({
      p50: latency.latency.p50,
      p99: latency.latency.p99,
      rps: result.requests.average,
      rss: rssMb(api.child.pid as number),
    });
    console.log(
      `run ${run}: cold ${cold.at(-1)?.toFixed(0)} ms; warm p50 ${latency.latency.p50} ms, p99 ${latency.latency.p99} ms (1 client); ${Math.round(result.requests.average)} req/s (10 clients, p99 ${result.latency.p99} ms); RSS ${warm.at(-1)?.rss.toFixed(0)} MB`,
    );
    await stopApi(api.child);
  }

  console.log(`\nleaderboard of ${HOUSEHOLDS.toLocaleString('en')} households, median of ${runs} runs (targets in brackets):`);
  console.log(`  cold (API just started, rollups in PostgreSQL)  ${median(cold).toFixed(0)} ms  (< 3 s)`);
  console.log(
    `  warm p50 ${median(warm.map((w) => w.p50))} ms, p99 ${median(warm.map((w) => w.p99))} ms, one client  (p99 < 50 ms)`,
  );
  console.log(`  warm throughput ${Math.round(median(warm.map((w) => w.rps)))} requests/s (one API process, 10 connections)`);
  console.log(`  RSS of the API process ${median(warm.map((w) => w.rss)).toFixed(0)} MB`);
  if (!reuse)
    console.log(
      `  first run, computing the daily rollups from ${readings.toLocaleString('en')} readings: ${(firstRun / 1000).toFixed(1)} s`,
    );

  await db.close();
  if (!process.env.BENCH_KEEP) {
    await dropInfluxDatabase(services.influxUrl, name);
    await dropPostgresDatabase(services.databaseUrl, name);
  }
  await stop?.();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
