// Erasure while the household's meter is publishing (a review once found 1,101 readings stored after the
// 200, the meter still connected, 101,499 UNKNOWN_METER dead letters carrying its payloads, and
// dead letters, rollup marks and log lines left behind). Everything here is real: the embedded
// broker with ingest's in-process intake, PGlite, the API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialBook, firstOf } from '../../../broker/credentials.ts';
import { startEmbeddedBroker } from '../../../broker/embedded-broker.ts';
import { MeterAuthority } from '../../../broker/meter-authority.ts';
import { meterTopic, meterUsername } from '../../../devices/contract/index.ts';
import { startIngest } from '../../../ingest/ingest-service.ts';
import { MeterDirectory } from '../../../ingest/pipeline/meter-directory.ts';
import { currentValue } from '../../../lib/metrics.ts';
import { encodePasswordHash, hashPassword } from '../../../lib/passwords.ts';
import { erasureSweepPending } from '../../../storage/metadata/repositories/erasure.ts';
import { setMeterCredentials } from '../../../storage/metadata/repositories/meters.ts';
import { markTouchedDaysDirty } from '../../../storage/metadata/rollups.ts';
import { dirtyMarkCount, tombstoneCount } from '../../../storage/metadata/testing/inspect.ts';
import { backdateTombstones } from '../../../storage/metadata/testing/time-travel.ts';
import { SqlReadingStore } from '../../../storage/readings/sql/sql-reading-store.ts';
import { readingRowCount } from '../../../storage/readings/testing/sql-readings-table.ts';
import { buildApp } from '../../app.ts';
import { runErasureSweeps } from '../../services/erasure.ts';
import { bearer, callerWithToken, openTestDatabase, seedNeighbourhoods } from '../../testing/fixtures.ts';

describe('erasure under live traffic', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('revokes and disconnects first, drops what still comes, leaves no trace, and says what went', {
    timeout: 120_000,
  }, async () => {
    const { db, close } = await openTestDatabase('pglite');
    cleanups.push(close);
    await seedNeighbourhoods(db);
    // A device with a fixed client id of its own (erasure once disconnected only `meter-<id>`).
    await setMeterCredentials(db, 'h1-w', {
      passwordHash: encodePasswordHash(await hashPassword('meter-password')),
      clientId: 'swift-display-01',
    });
    const store = await SqlReadingStore.open(db);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const ingest = await startIngest({
      inProcess: { id: 'ontap-erasure-test' },
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-erasure-')),
      onTouched: (spans) => markTouchedDaysDirty(db, spans.values(), Date.now()),
      logger: pino({ level: 'silent' }),
    });
    cleanups.push(() => ingest.stop());
    // A gateway nobody told: it goes on publishing for the meter after the erasure.
    const services = new CredentialBook();
    await services.add('gateway', 'gateway-password', { role: 'service', name: 'gateway' });
    const broker = await startEmbeddedBroker({
      port: 0,
      portWasChosen: true,
      authority: firstOf(services, new MeterAuthority(db)),
      intake: ingest.brokerIntake,
    });
    cleanups.push(() => broker.close());
    const logLines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    const app = await buildApp({
      db,
      store,
      logger,
      brokerCredentials: { provisionMeter: async () => {}, removeMeter: (id) => broker.forgetMeter(id) },
    });
    cleanups.push(() => app.close());
    const swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });

    // The meter publishes a reading every few milliseconds (readings a day old, so their days are
    // settled and ingest marks them dirty), one of them malformed.
    const meter: MqttClient = await mqtt.connectAsync(broker.url, {
      username: meterUsername('h1-w'),
      clientId: 'swift-display-01',
      password: 'meter-password',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await meter.publishAsync(meterTopic('h1-w', 'status'), '{"online":true,"battery":80}', { qos: 1, retain: true });
    const meterClosed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
    const start = Date.now() - 2 * 86_400_000;
    let sent = 0;
    let meterOpen = true;
    meter.on('close', () => {
      meterOpen = false;
    });
    const publishing = (async () => {
      await meter.publishAsync(meterTopic('h1-w', 'readings'), '{"ts": "not a time", "kind": "water"}', { qos: 1 });
      while (meterOpen) {
        meter.publish(
          meterTopic('h1-w', 'readings'),
          JSON.stringify({ ts: start + sent * 60_000, kind: 'water', register: sent, unit: 'L' }),
          { qos: 1 },
          () => {},
        );
        sent++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await expect.poll(async () => (await store.lastReadings()).has('h1-w'), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await store.deadLetters({ meterIds: ['h1-w'] })).length, { timeout: 20_000 }).toBe(1);

    // The export holds the household's dead letters too.
    const exported = (await app.inject({ method: 'GET', url: '/api/households/h1/export', headers: bearer(swift) })).json();
    expect(
      exported.deadLetters.map((letter: { reason: string; meterId: string }) => [letter.reason, letter.meterId]),
    ).toStrictEqual([['BAD_TIMESTAMP', 'h1-w']]);

    const erased = await app.inject({
      method: 'DELETE',
      url: '/api/households/h1',
      headers: bearer(swift),
      payload: { confirm: 'Swift' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const receipt = erased.json();
    expect(receipt).toMatchObject({ erased: 'h1', metersRevoked: ['h1-w'] });
    expect(receipt.removed.readings).toBeGreaterThan(0);
    expect(receipt.removed).toMatchObject({ deadLetters: 1, meters: 1, accounts: 1, apiTokens: 1 });

    // Disconnected at once, and its credentials no longer open the broker.
    await meterClosed;
    await publishing;
    await expect(
      mqtt.connectAsync(broker.url, {
        username: meterUsername('h1-w'),
        clientId: 'swift-display-01',
        password: 'meter-password',
        protocolVersion: 4,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Not authorized/);
    // Its retained status is gone from the broker too.
    const observer = await mqtt.connectAsync(broker.url, {
      username: 'gateway',
      clientId: 'ontap-observer',
      password: 'gateway-password',
      protocolVersion: 4,
    });
    const retained: string[] = [];
    observer.on('message', (topic, payload) => retained.push(`${topic} ${payload}`));
    await observer.subscribeAsync('ontap/v1/meters/+/status', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(retained).toStrictEqual([]);
    await observer.endAsync();

    // The gateway goes on: valid readings and a malformed message for the erased meter.
    const gateway = await mqtt.connectAsync(broker.url, {
      username: 'gateway',
      clientId: 'ontap-gateway',
      password: 'gateway-password',
      protocolVersion: 4,
    });
    for (let i = 0; i < 200; i++)
      await gateway.publishAsync(
        meterTopic('h1-w', 'readings'),
        JSON.stringify({ ts: start + (sent + i) * 60_000, kind: 'water', register: sent + i, unit: 'L' }),
        { qos: 1 },
      );
    await gateway.publishAsync(meterTopic('h1-w', 'readings'), 'not json at all', { qos: 1 });
    // A neighbour's reading after them: once ingest has written it, ingest is past the erased meter's.
    await gateway.publishAsync(
      meterTopic('h2-w', 'readings'),
      JSON.stringify({ ts: Date.now() - 60_000, kind: 'water', register: 1, unit: 'L' }),
      { qos: 1 },
    );
    await gateway.endAsync();
    await expect.poll(async () => (await store.lastReadings()).has('h2-w'), { timeout: 20_000 }).toBe(true);
    expect(await currentValue(ingest.metrics.erased)).toBeGreaterThanOrEqual(201);

    // The last sweeps (2 and 15 minutes later in earnest; now here).
    await runErasureSweeps(db, store, { all: true });
    expect(await erasureSweepPending(db, 'h1')).toBe(false);
    expect((await store.lastReadings()).has('h1-w')).toBe(false);
    expect(await readingRowCount(db, { householdId: 'h1', meterId: 'h1-w' })).toBe(0);
    expect(await store.deadLetters({ meterIds: ['h1-w'] })).toStrictEqual([]);
    const letters = await store.deadLetters({ limit: 10_000 });
    expect(letters.filter((letter) => letter.topic.includes('h1-w') || letter.payload.includes('h1'))).toStrictEqual([]);
    expect(await dirtyMarkCount(db, 'h1')).toBe(0);
    // Its neighbours keep theirs.
    expect((await store.lastReadings()).has('h2-w')).toBe(true);
    // The request log names routes, not the household's id.
    expect(logLines.join('')).toContain('/api/households/:householdId');
    expect(logLines.join('')).not.toMatch(/households\/h1\b/);
    // The erased meter's id is not taken by another household soon after (a gateway still
    // publishing for it would hand it the erased home's readings); after 30 days it is free, and
    // its readings are then kept.
    const neighbour = await callerWithToken(db, 'heron', 'household', { householdId: 'h2' });
    const register = () =>
      app.inject({
        method: 'POST',
        url: '/api/households/h2/meters',
        headers: bearer(neighbour),
        payload: { meterId: 'h1-w', kind: 'water' },
      });
    const tooSoon = await register();
    expect(tooSoon.statusCode, tooSoon.body).toBe(409);
    await backdateTombstones(db, 31);
    const again = await register();
    expect(again.statusCode, again.body).toBe(201);
    expect(await tombstoneCount(db)).toBe(0);
    const reborn = await mqtt.connectAsync(broker.url, {
      username: again.json().mqtt.username,
      clientId: again.json().mqtt.clientId,
      password: again.json().mqtt.password,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await reborn.publishAsync(
      meterTopic('h1-w', 'readings'),
      JSON.stringify({ ts: Date.now() - 60_000, kind: 'water', register: 7, unit: 'L' }),
      { qos: 1 },
    );
    await reborn.endAsync();
    await expect.poll(async () => (await store.lastReadings()).get('h1-w')?.register, { timeout: 20_000 }).toBe(7);
  });
});
