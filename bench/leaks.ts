// npm run bench:leaks — leak episodes are found from the readings each time they are asked for
// (api/services/leak-episodes.ts): is that fast enough? One household with 400 days of
// half-hourly water readings (19,200), a night-time leak every few weeks and one running for the
// last 120 days, through the API with app.inject: …/leaks over 400 days and over the default 90,
// the live …/leak (which follows the running leak back to its start), and a mark. Median of
// BENCH_RUNS (default 5) after one warm-up. BENCH_TARGETS: `embedded` (PGlite, the default) and/or
// `influx` (PostgreSQL + InfluxDB from infra/services.sh).
import { randomUUID } from 'node:crypto';
import { buildApp } from '../api/app.ts';
import { randomSecret, sha256 } from '../lib/passwords.ts';
import { addDays, localDate } from '../lib/time.ts';
import { type Database, migrate, openDatabase } from '../storage/metadata/database.ts';
import { insertAccount, insertApiToken } from '../storage/metadata/repositories/accounts.ts';
import { insertHouseholds } from '../storage/metadata/repositories/households.ts';
import { insertMeters } from '../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../storage/metadata/repositories/neighbourhoods.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../storage/metadata/testing/scratch-databases.ts';
import { InfluxReadingStore } from '../storage/readings/influx/influx-reading-store.ts';
import type { ReadingStore } from '../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { createInfluxDatabase, dropInfluxDatabase } from '../storage/readings/testing/scratch-influx-databases.ts';
import { obtainTestServices } from '../testing/services.ts';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const targets = (process.env.BENCH_TARGETS ?? 'embedded').split(',');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const H = 3_600_000;
const NOW = Date.parse('2026-06-30T12:00:00Z');
const DAYS = 400;

/** 400 days to now: 15 L/h by day, dry nights; a 4 L/h leak for three days every 25 days; one of 2 L/h for the last 120 days. */
function litresPerHour(t: number): number {
  const day = Math.floor((NOW - t) / 86_400_000);
  const hour = new Date(t).getUTCHours();
  const leak = day < 120 ? 2 : day % 25 < 3 ? 4 : 0;
  return (hour >= 7 && hour < 22 ? 15 : 0) + leak;
}

async function setUp(db: Database, store: ReadingStore): Promise<string> {
  await insertNeighbourhood(db, { id: 'n1', name: 'Bench', timeZone: 'Europe/London' });
  await insertStreets(db, [{ id: 's1', neighbourhoodId: 'n1', name: 'Bench Street' }]);
  await insertHouseholds(db, [{ id: 'h1', streetId: 's1', alias: 'Bench', occupants: 2 }]);
  await insertMeters(db, [{ id: 'h1-w', householdId: 'h1', kind: 'water' }]);
  const accountId = randomUUID();
  await insertAccount(db, {
    id: accountId,
    email: 'bench@example.org',
    passwordHash: 'unused',
    role: 'household',
    neighbourhoodId: null,
    householdId: 'h1',
  });
  const token = `ontap_${randomSecret(24)}`;
  await insertApiToken(db, { id: randomUUID(), tokenHash: sha256(token), accountId, name: 'bench' });
  let register = 0;
  let batch = [];
  for (let t = NOW - DAYS * 86_400_000; t <= NOW; t += H / 2) {
    register += litresPerHour(t - H / 2) / 2;
    batch.push({ meterId: 'h1-w', kind: 'water' as const, household: 'h1', street: 's1', neighbourhood: 'n1', ts: t, register });
    if (batch.length === 2_000) {
      await store.writeReadings(batch);
      batch = [];
    }
  }
  await store.writeReadings(batch);
  return token;
}

async function measure(target: string, db: Database, store: ReadingStore) {
  const token = await setUp(db, store);
  const app = await buildApp({ db, store, now: () => NOW, rateLimits: false, dashboard: false });
  const today = localDate(NOW, 'Europe/London');
  const timed = async (url: string, method: 'GET' | 'PUT' = 'GET', payload?: object) => {
    const times: number[] = [];
    let body = '';
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      if (run > 0) times.push(performance.now() - started);
      body = response.body;
    }
    return { ms: median(times), body: JSON.parse(body) };
  };
  const year = await timed(`/api/households/h1/leaks?from=${addDays(today, -(DAYS - 1))}&to=${today}`);
  const recent = await timed('/api/households/h1/leaks');
  const live = await timed('/api/households/h1/leak');
  const running = year.body.episodes[0];
  const mark = await timed(`/api/households/h1/leaks/${running.start}/mark`, 'PUT', { mark: 'fixed' });
  await app.close();
  console.log(`\n${target}: 1 household, ${DAYS} days of half-hourly readings, median of ${runs}`);
  console.log(`  …/leaks over ${DAYS} days   ${year.ms.toFixed(0)} ms  (${year.body.episodes.length} episodes)`);
  console.log(`  …/leaks, last 90 days     ${recent.ms.toFixed(0)} ms  (${recent.body.episodes.length} episodes)`);
  console.log(`  …/leak (running ${running.hours} h) ${live.ms.toFixed(0)} ms  (possibleLeak ${live.body.possibleLeak})`);
  console.log(`  PUT …/mark on it          ${mark.ms.toFixed(0)} ms`);
}

for (const target of targets) {
  if (target === 'embedded') {
    const db = await openDatabase('pglite:memory');
    await migrate(db);
    await measure(target, db, await SqlReadingStore.open(db));
    await db.close();
  } else if (target === 'influx') {
    const { services, stop } = await obtainTestServices();
    const name = `ontap_bench_leaks_${Date.now().toString(36)}`;
    const url = await createPostgresDatabase(services.databaseUrl, name);
    await createInfluxDatabase(services.influxUrl, name);
    const db = await openDatabase(url);
    try {
      await migrate(db);
      await measure('PostgreSQL + InfluxDB', db, new InfluxReadingStore({ url: services.influxUrl, database: name }));
    } finally {
      await db.close();
      await dropPostgresDatabase(services.databaseUrl, name);
      await dropInfluxDatabase(services.influxUrl, name);
      await stop?.();
    }
  } else throw new Error(`BENCH_TARGETS: ${target} is neither embedded nor influx`);
}
