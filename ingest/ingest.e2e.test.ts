// End to end through the test Mosquitto and InfluxDB: simulator output with every fault mixed in
// is published by a gateway, ingested, and the daily totals per household equal the oracle's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleLogger } from '../lib/logger.ts';
import { addDays, localDate } from '../lib/time.ts';
import { InfluxReadingStore } from '../storage/readings/influx/influx-reading-store.ts';
import { testServices } from '../testing/inject.ts';
import { type IngestService, startIngest } from './ingest-service.ts';
import { MeterDirectory } from './pipeline/meter-directory.ts';
import {
  dropSession,
  eventually,
  expectedDeadLetters,
  expectedHouseholdTotals,
  expectSameTotals,
  type Neighbourhood,
  prepareNeighbourhood,
  publishAll,
  storedDeadLetters,
  storeHouseholdTotals,
  uniqueId,
} from './testing/harness.ts';

const services = testServices();

describe('ingest end to end (Mosquitto → InfluxDB)', () => {
  let neighbourhood: Neighbourhood;
  let store: InfluxReadingStore;
  let directory: MeterDirectory;
  let ingest: IngestService;
  const clientId = uniqueId('ontap-ingest-e2e-');

  beforeAll(async () => {
    const to = addDays(localDate(Date.now(), 'Europe/London'), -2);
    neighbourhood = await prepareNeighbourhood({
      households: 12,
      streets: 2,
      from: addDays(to, -5),
      to,
      seed: 42,
      faults: { duplicate: 0.02, reorder: 0.02, offline: 0.3, replace: 0.2, malformed: 0.005, leak: 0.1, skew: 0.1 },
    });
    store = new InfluxReadingStore(neighbourhood.influx);
    directory = await MeterDirectory.open(neighbourhood.db);
    ingest = await startIngest({
      mqtt: { url: services.mqttUrl, ...services.mqttIngest, clientId, protocolVersion: 5 },
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-e2e-spool-')),
      metricsPort: 0,
      logger: moduleLogger('ingest-e2e'),
    });
  });

  afterAll(async () => {
    await ingest?.stop();
    await directory?.close();
    await dropSession(clientId);
    await neighbourhood?.cleanup();
  });

  it('stores exactly the oracle totals per household and day, and dead-letters every malformed message', {
    timeout: 90_000,
  }, async () => {
    const { messages, manifest } = neighbourhood;
    expect(manifest.faults.replacements.length).toBeGreaterThan(0);
    expect(manifest.faults.malformed.length).toBeGreaterThan(0);
    expect(manifest.faults.duplicates.length + manifest.faults.reordered.length).toBeGreaterThan(0);
    await publishAll(messages);

    const expected = expectedHouseholdTotals(neighbourhood);
    expect(expected.size).toBeGreaterThan(12 * 3 * 5);
    await eventually(async () => expectSameTotals(await storeHouseholdTotals(store, neighbourhood), expected), 60_000, 500);
    await eventually(async () =>
      expect((await storedDeadLetters(store, neighbourhood.prefix)).counts).toStrictEqual(expectedDeadLetters(manifest)),
    );

    const metrics = await (await fetch(`http://127.0.0.1:${ingest.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/ontap_ingest_readings_written_total \d+/);
    expect(metrics).toMatch(
      /ontap_ingest_dead_letters_total\{reason="INVALID_JSON"\} \d+|ontap_ingest_dead_letters_total\{reason="BAD_REGISTER"\} \d+/,
    );
    const health = await fetch(`http://127.0.0.1:${ingest.metricsPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mqttConnected: true, storeHealthy: true });
    // Each replaced meter's register went down once: recorded as an event.
    const replaced = manifest.faults.replacements[0]?.meter as string;
    expect((await store.events(replaced)).map((e) => e.type)).toContain('register_reset');
  });

  it('dead-letters a reading InfluxDB refuses, naming its message, and stores the rest of its batch', {
    timeout: 60_000,
  }, async () => {
    const [refusedMeter, keptMeter] = neighbourhood.manifest.meters.filter((meter) => meter.kind === 'water');
    const refusedAt = Date.parse('2021-06-02T00:00:00Z');
    const keptAt = Date.parse('2021-09-01T00:00:00Z');
    // A string "register" in that week's shard: a float one there is a field type conflict (400).
    await store.http.write([`reading,meter=conflict register="text" ${refusedAt - 60_000}`], 'ms');
    const refusedTopic = `ontap/v1/meters/${refusedMeter?.id}/readings`;
    await publishAll([
      // The same meter's good message first, in the same batch: once the dead letter carried its payload.
      { topic: refusedTopic, payload: JSON.stringify({ ts: keptAt, kind: 'water', register: 4, unit: 'L' }) },
      { topic: refusedTopic, payload: JSON.stringify({ ts: refusedAt, kind: 'water', register: 5, unit: 'L' }) },
      {
        topic: `ontap/v1/meters/${keptMeter?.id}/readings`,
        payload: JSON.stringify({ ts: keptAt, kind: 'water', register: 7, unit: 'L' }),
      },
    ]);
    const letter = await eventually(async () => {
      const letters = await store.deadLetters({ reason: 'STORE_REJECTED' });
      const found = letters.find((candidate) => candidate.topic === refusedTopic);
      expect(found).toBeDefined();
      return found;
    }, 30_000);
    expect(letter?.detail).toMatch(/^reading at 2021-06-02T00:00:00.000Z: .*field type conflict/);
    expect(letter?.payload).toBe(JSON.stringify({ ts: refusedAt, kind: 'water', register: 5, unit: 'L' }));
    expect(letter?.meterId).toBe(refusedMeter?.id);
    const [kept] = await store.seriesAround({ household: keptMeter?.household as string }, 'water', keptAt, keptAt + 1);
    expect(kept?.points.filter((point) => point.ts === keptAt)).toStrictEqual([{ ts: keptAt, register: 7 }]);
  });
});
