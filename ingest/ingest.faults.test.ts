// Fault tests: `ontap ingest` as a child process against private Mosquitto and InfluxDB
// instances (so stopping them disturbs no other test). After each fault the totals per
// household and day must equal the oracle's exactly: nothing lost, nothing counted twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../lib/time.ts';
import { InfluxReadingStore } from '../storage/readings/influx/influx-reading-store.ts';
import {
  dropSession,
  eventually,
  expectedDeadLetters,
  expectedHouseholdTotals,
  expectSameTotals,
  explainDifference,
  type Neighbourhood,
  prepareNeighbourhood,
  publishAll,
  storedDeadLetters,
  storeHouseholdTotals,
  uniqueId,
} from './testing/harness.ts';
import { type IngestProcess, metricValue, type PrivateServices, spawnIngest, startPrivateServices } from './testing/processes.ts';

const FAULT_TIMEOUT = 180_000;

describe('ingest under faults', () => {
  let services: PrivateServices;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    services = await startPrivateServices();
  }, 180_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await services?.down();
  }, 60_000);

  /** A neighbourhood, its store, and the environment for `ontap ingest` processes serving it. */
  async function scenario(seed: number) {
    const to = addDays(localDate(Date.now(), 'Europe/London'), -2);
    const neighbourhood = await prepareNeighbourhood(
      {
        households: 8,
        streets: 2,
        from: addDays(to, -3),
        to,
        seed,
        faults: { duplicate: 0.02, reorder: 0.02, offline: 0.3, replace: 0.2, malformed: 0.01 },
      },
      services.influxUrl,
    );
    const store = new InfluxReadingStore(neighbourhood.influx);
    const dataDir = mkdtempSync(join(tmpdir(), 'ontap-fault-'));
    const ids: string[] = [];
    const env = (id: string) => {
      ids.push(`ontap-${id}`);
      return {
        ONTAP_MQTT_URL: services.mqttUrl,
        ONTAP_MQTT_USERNAME: services.mqttIngest.username,
        ONTAP_MQTT_PASSWORD: services.mqttIngest.password,
        ONTAP_INFLUX_URL: services.influxUrl,
        ONTAP_INFLUX_DB: neighbourhood.influx.database,
        ONTAP_DATABASE_URL: neighbourhood.databaseUrl,
        ONTAP_DATA_DIR: dataDir,
        ONTAP_INGEST_ID: id,
      };
    };
    cleanups.push(async () => {
      for (const id of ids) await dropSession(id, services);
      await neighbourhood.cleanup();
    });
    return { neighbourhood, store, env };
  }

  async function expectExact(
    store: InfluxReadingStore,
    neighbourhood: Neighbourhood,
    ingest: IngestProcess,
    distinctDeadLettersOnly = false,
  ) {
    const expected = expectedHouseholdTotals(neighbourhood);
    try {
      await eventually(async () => expectSameTotals(await storeHouseholdTotals(store, neighbourhood), expected), 90_000, 500);
    } catch (error) {
      // Say which readings are missing, and what ingest logged, before failing.
      const actual = await storeHouseholdTotals(store, neighbourhood);
      const keys = [...expected.keys()].filter((key) => Math.abs((actual.get(key) ?? 0) - (expected.get(key) ?? 0)) > 1e-6);
      const explained = await Promise.all(keys.slice(0, 3).map((key) => explainDifference(store, neighbourhood, key)));
      const metrics = await fetch(`http://127.0.0.1:${ingest.metricsPort}/metrics`).then((r) => r.text(), String);
      console.error(`${explained.join('\n')}\n--- ingest output\n${ingest.output().slice(-20_000)}\n--- metrics\n${metrics}`);
      throw error;
    }
    const wanted = expectedDeadLetters(neighbourhood.manifest);
    await eventually(async () => {
      const stored = await storedDeadLetters(store, neighbourhood.prefix);
      if (!distinctDeadLettersOnly) expect(stored.counts).toStrictEqual(wanted);
      // After a kill, a message spooled but not yet acknowledged is delivered again: its reading
      // overwrites itself, but a dead letter may be kept twice. Every one is there, none other.
      const distinct: Record<string, number> = {};
      for (const key of stored.distinct) distinct[key.split('|')[0] as string] = (distinct[key.split('|')[0] as string] ?? 0) + 1;
      expect(distinct).toStrictEqual(wanted);
    });
  }

  // Each MQTT intake (ONTAP_INGEST_INTAKE): what was not acknowledged comes again to the restarted process.
  it.each(['paced', 'mqttjs'])(
    'loses and doubles nothing when ingest (%s intake) is killed with SIGKILL three times mid-stream',
    {
      timeout: FAULT_TIMEOUT,
    },
    async (intake) => {
      const { neighbourhood, store, env } = await scenario(101);
      const id = uniqueId('kill');
      const killable = () => ({ ...env(id), ONTAP_INGEST_INTAKE: intake });
      let ingest: IngestProcess = await spawnIngest(killable());
      const total = neighbourhood.messages.length;
      const killAt = [0.2, 0.45, 0.7].map((share) => Math.floor(total * share));
      let kills = 0;
      await publishAll(neighbourhood.messages, {
        broker: services,
        window: 50,
        onProgress: async (published) => {
          if (kills < killAt.length && published >= (killAt[kills] as number)) {
            kills++;
            await ingest.kill9();
            ingest = await spawnIngest(killable());
          }
        },
      });
      expect(kills).toBe(3);
      try {
        await expectExact(store, neighbourhood, ingest, true);
      } finally {
        await ingest.stop();
      }
    },
  );

  it('loses nothing while InfluxDB is down, reports itself degraded, and stops on SIGTERM within its deadline meanwhile', {
    timeout: FAULT_TIMEOUT,
  }, async () => {
    const { neighbourhood, store, env } = await scenario(202);
    const id = uniqueId('influx');
    let ingest = await spawnIngest(env(id));
    const { messages } = neighbourhood;
    const third = Math.floor(messages.length / 3);
    try {
      await publishAll(messages.slice(0, third), { broker: services });
      await services.stopInflux();
      await publishAll(messages.slice(third, 2 * third), { broker: services });
      const health = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${ingest.metricsPort}/health`);
        expect(response.status).toBe(503);
        return (await response.json()) as { storeHealthy: boolean; spoolBacklogBytes: number; lastFailure: string | null };
      }, 30_000);
      expect(health.storeHealthy).toBe(false);
      expect(health.spoolBacklogBytes).toBeGreaterThan(0);
      expect(health.lastFailure).toMatch(/store write|event write|dead letter write|rollup/);
      expect(await metricValue(ingest.metricsPort, 'ontap_ingest_store_errors_total')).toBeGreaterThan(0);
      // Once SIGTERM waited for the store for ever. Now it gives the drainer 10 s, then leaves
      // the rest in the spool for the next start.
      const stopping = Date.now();
      const code = await ingest.stop();
      expect(Date.now() - stopping).toBeLessThan(25_000);
      expect(code).toBe(0);
      await services.startInflux();
      ingest = await spawnIngest(env(id));
      await publishAll(messages.slice(2 * third), { broker: services });
      await expectExact(store, neighbourhood, ingest);
    } finally {
      await ingest.stop();
    }
  });

  it('loses nothing when Mosquitto restarts (persistent sessions on both sides)', { timeout: FAULT_TIMEOUT }, async () => {
    const { neighbourhood, store, env } = await scenario(303);
    const ingest = await spawnIngest(env(uniqueId('broker')));
    const { messages } = neighbourhood;
    const half = Math.floor(messages.length / 2);
    try {
      await publishAll(messages.slice(0, half), { broker: services });
      await services.stopMosquitto();
      await services.startMosquitto();
      await publishAll(messages.slice(half), { broker: services });
      // A message delivered just before the broker went down may come again after it: its
      // reading overwrites itself, its dead letter may be kept twice (ingest/README.md).
      await expectExact(store, neighbourhood, ingest, true);
    } finally {
      await ingest.stop();
    }
  });

  it('splits the traffic between two processes in one shared-subscription group, totals still exact', {
    timeout: FAULT_TIMEOUT,
  }, async () => {
    const { neighbourhood, store, env } = await scenario(404);
    const group = uniqueId('g');
    const first = await spawnIngest(env(uniqueId('shared-a')), ['--shared', group]);
    const second = await spawnIngest(env(uniqueId('shared-b')), ['--shared', group]);
    try {
      await publishAll(neighbourhood.messages, { broker: services });
      await expectExact(store, neighbourhood, first);
      const processed = [
        await metricValue(first.metricsPort, 'ontap_ingest_messages_processed_total'),
        await metricValue(second.metricsPort, 'ontap_ingest_messages_processed_total'),
      ];
      expect(processed[0]).toBeGreaterThan(0);
      expect(processed[1]).toBeGreaterThan(0);
      expect((processed[0] as number) + (processed[1] as number)).toBe(neighbourhood.messages.length);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
