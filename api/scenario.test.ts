// Scenario: a simulated neighbourhood with injected savings and leaks goes through the embedded
// broker and ingest into the embedded store, for real; the API's leaderboard and leak warnings
// must show what the manifest put in. Water only (the challenge's metric), one reading per
// 30 minutes, 20 households, 28 baseline days and 28 challenge days.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialBook, firstOf } from '../broker/credentials.ts';
import { startEmbeddedBroker } from '../broker/embedded-broker.ts';
import { MeterAuthority } from '../broker/meter-authority.ts';
import { registerManifest } from '../demo/seed.ts';
import { baselineOf, householdProgress } from '../domain/scoring.ts';
import { startIngest } from '../ingest/ingest-service.ts';
import { MeterDirectory } from '../ingest/pipeline/meter-directory.ts';
import { moduleLogger } from '../lib/logger.ts';
import { currentValue } from '../lib/metrics.ts';
import { encodePasswordHash, hashPassword } from '../lib/passwords.ts';
import { addDays, dateRange, startOfLocalDay } from '../lib/time.ts';
import { simulateToArray } from '../simulators/index.ts';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { insertMemberships } from '../storage/metadata/repositories/memberships.ts';
import { setMeterCredentials } from '../storage/metadata/repositories/meters.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { dailyUseFromMessages } from '../testing/usage-oracle.ts';
import { buildApp } from './app.ts';
import { checkLeaks } from './services/leak-watch.ts';
import { bearer, callerWithToken } from './testing/fixtures.ts';

describe('a simulated neighbourhood through ingest to the leaderboard', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  // Fixed dates, so the simulated weather and habits, and so the expected figures, never change.
  const to = '2026-04-26';
  const start = addDays(to, -27);
  let scenario: Awaited<ReturnType<typeof simulateToArray>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let store: SqlReadingStore;

  beforeAll(async () => {
    scenario = await simulateToArray({
      households: 20,
      streets: 2,
      from: addDays(start, -28),
      to,
      seed: 77,
      idPrefix: 'sc-',
      intervals: { water: 30 },
      savings: { share: 0.5, from: start, min: 0.2, max: 0.35 },
      faults: { leak: 0.15 },
    });
    db = await openDatabase('pglite:memory');
    cleanups.push(() => db.close());
    await migrate(db);
    await registerManifest(db, scenario.manifest, { id: 'sc', name: 'Scenario' });
    for (const meter of scenario.manifest.meters) {
      await setMeterCredentials(db, meter.id, { passwordHash: encodePasswordHash(await hashPassword(meter.password)) });
    }
    store = await SqlReadingStore.open(db);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const book = new CredentialBook();
    await book.add('ontap-ingest', 'scenario-secret', { role: 'service', name: 'ingest' });
    const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: firstOf(book, new MeterAuthority(db)) });
    cleanups.push(() => broker.close());
    const ingest = await startIngest({
      mqtt: {
        url: broker.url,
        username: 'ontap-ingest',
        password: 'scenario-secret',
        clientId: 'ontap-scenario',
        protocolVersion: 4,
      },
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-scenario-')),
      logger: moduleLogger('scenario'),
    });
    cleanups.push(() => ingest.stop());

    // Each water meter connects with the credentials registered for it and publishes its own readings.
    const water = scenario.manifest.meters.filter((m) => m.kind === 'water');
    await Promise.all(
      water.map(async (meter) => {
        const client = await mqtt.connectAsync(broker.url, {
          username: meter.username,
          password: meter.password,
          clientId: meter.username,
          protocolVersion: 4,
          reconnectPeriod: 0,
        });
        const topic = `ontap/v1/meters/${meter.id}/readings`;
        const mine = scenario.messages.filter((m) => m.topic === topic);
        for (let i = 0; i < mine.length; i += 100) {
          await Promise.all(mine.slice(i, i + 100).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })));
        }
        await client.endAsync();
      }),
    );
    const published = scenario.messages.filter((m) => water.some((meter) => m.topic.includes(`/${meter.id}/`))).length;
    const deadline = Date.now() + 60_000;
    while ((await currentValue(ingest.metrics.processed)) < published && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await ingest.drained();
    app = await buildApp({ db, store, rateLimits: false });
    cleanups.push(() => app.close());
  }, 120_000);

  it('ranks the households that saved above those that did not, by about what they saved', async () => {
    const champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'sc' });
    const created = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/sc/challenges',
      headers: bearer(champion),
      payload: { template: 'personal_best', startsOn: start, endsOn: to },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // Every household joins (their consent is challenge by default).
    await insertMemberships(
      db,
      id,
      scenario.manifest.households.map((h) => h.id),
    );
    const board = (
      await app.inject({ method: 'GET', url: `/api/challenges/${id}/leaderboard`, headers: bearer(champion) })
    ).json();
    expect(board.completeDays).toBe(28);

    // Exactly: the savings the scoring rules give on the oracle's daily totals of the published messages.
    const daily = dailyUseFromMessages(scenario.messages, scenario.manifest.timeZone);
    const householdOfMeter = new Map(scenario.manifest.meters.filter((m) => m.kind === 'water').map((m) => [m.id, m.household]));
    const expectedSaving = new Map<string, number>();
    for (const [meterId, byDate] of daily) {
      const household = householdOfMeter.get(meterId);
      if (!household) continue;
      const days = (from: string, until: string) =>
        dateRange(from, until).map((date) => ({ date, use: byDate.get(date) ?? 0, hasData: byDate.has(date) }));
      const progress = householdProgress(baselineOf(days(addDays(start, -28), addDays(start, -1))), days(start, to));
      if (progress.rated) expectedSaving.set(household, progress.saving as number);
    }
    expect(expectedSaving.size).toBe(20);
    for (const entry of board.entries as { name: string; saving: number | null }[]) {
      const household = scenario.manifest.households.find((h) => h.alias === entry.name)?.id as string;
      expect(entry.saving, entry.name).toBeCloseTo(expectedSaving.get(household) as number, 9);
    }

    const aliasOf = new Map(scenario.manifest.households.map((h) => [h.alias, h.id]));
    const injected = new Map(scenario.manifest.savings.map((s) => [s.household, s.fraction]));
    const ranked = board.entries.filter((e: { status: string }) => e.status === 'ranked') as {
      name: string;
      saving: number;
      rank: number;
    }[];
    expect(ranked.length).toBeGreaterThanOrEqual(16);
    // A leak swamps any saving (use goes up by the leak's litres); leave leaking households out.
    const leaking = new Set(scenario.manifest.faults.leaks.map((leak) => leak.household));
    const compared = ranked.filter((e) => !leaking.has(aliasOf.get(e.name) as string));
    const injectedOf = (e: { name: string }) => injected.get(aliasOf.get(e.name) as string) ?? 0;
    const savers = compared.filter((e) => injectedOf(e) > 0);
    const others = compared.filter((e) => injectedOf(e) === 0);
    expect(savers.length).toBeGreaterThan(3);
    expect(others.length).toBeGreaterThan(3);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // The savers' measured saving beyond the others' is what was injected, give or take natural variation.
    const injectedMean = mean(savers.map(injectedOf));
    expect(Math.abs(mean(savers.map((e) => e.saving)) - mean(others.map((e) => e.saving)) - injectedMean)).toBeLessThan(0.06);
    // And the order follows the injected savings: Spearman's rank correlation well above chance.
    expect(
      spearman(
        compared.map(injectedOf),
        compared.map((e) => e.saving),
      ),
    ).toBeGreaterThan(0.6);
  });

  it('raises a leak warning for exactly the households whose leak ran for the last 24 hours', async () => {
    const end = startOfLocalDay(addDays(to, 1), scenario.manifest.timeZone);
    const { raised } = await checkLeaks(db, store, end);
    const expected = scenario.manifest.faults.leaks
      .filter((leak) => leak.from <= end - 24 * 3_600_000)
      .map((leak) => leak.household);
    expect(expected.length).toBeGreaterThan(0);
    expect(raised.sort()).toStrictEqual([...new Set(expected)].sort());
    const again = await checkLeaks(db, store, end);
    expect(again).toStrictEqual({ raised: [], cleared: [] });
  });
});

/** Spearman's rank correlation (average ranks for ties). */
function spearman(xs: number[], ys: number[]): number {
  const ranks = (values: number[]) => {
    const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
    const result = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.value === order[i]?.value) j++;
      for (let k = i; k <= j; k++) result[(order[k] as { index: number }).index] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return result;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mx = rx.reduce((a, b) => a + b, 0) / rx.length;
  const my = ry.reduce((a, b) => a + b, 0) / ry.length;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += ((rx[i] as number) - mx) * ((ry[i] as number) - my);
    dx += ((rx[i] as number) - mx) ** 2;
    dy += ((ry[i] as number) - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}
