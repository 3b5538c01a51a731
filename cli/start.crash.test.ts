// `ontap start` killed with SIGKILL three times while its meters publish, and started again each
// time (once, 241 acknowledged readings were lost to one kill -9, and 85–120 acknowledged after a
// restart before ingest had subscribed). Every reading the embedded broker acknowledged must be
// in the store at the end, and nothing else: no reading lost, none counted twice.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { registerManifest } from '../demo/seed.ts';
import { meterUsername, parseReadingMessage } from '../devices/contract/index.ts';
import { encodePasswordHash, hashPassword } from '../lib/passwords.ts';
import { addDays, localDate } from '../lib/time.ts';
import { simulateToArray } from '../simulators/index.ts';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { setMeterCredentials } from '../storage/metadata/repositories/meters.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { allReadingRows } from '../storage/readings/testing/sql-readings-table.ts';
import { type OntapStart, spawnOntapStart } from '../testing/ontap-start.ts';

const KILLS = 3;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ontap start under kill -9', () => {
  let ontap: OntapStart | undefined;
  afterAll(async () => {
    await ontap?.stop();
  });

  it('loses no acknowledged reading and counts none twice across three kills and restarts', { timeout: 300_000 }, async () => {
    const to = addDays(localDate(Date.now(), 'Europe/London'), -2);
    const { manifest, messages } = await simulateToArray({
      households: 6,
      streets: 1,
      from: addDays(to, -3),
      to,
      seed: 12,
      idPrefix: 'crash-',
      intervals: { water: 10, electricity: 10, gas: 30 },
    });
    // The neighbourhood and its meters' credentials, written before the first start.
    const dataDir = mkdtempSync(join(tmpdir(), 'ontap-crash-'));
    const seeded = await openDatabase(`pglite:${join(dataDir, 'pglite')}`);
    await migrate(seeded);
    await registerManifest(seeded, manifest, { id: 'crash-n', name: 'Crash test' });
    for (const meter of manifest.meters)
      await setMeterCredentials(seeded, meter.id, { passwordHash: encodePasswordHash(await hashPassword(meter.password)) });
    await seeded.close();

    const env = { ONTAP_DATA_DIR: dataDir, ONTAP_DEMO: 'off', ONTAP_MQTT_PORT: String(await freePort()) };
    ontap = await spawnOntapStart(env);
    const mqttUrl = ontap.mqttUrl;

    // Each meter publishes its own messages in order, QoS 1, and counts one as acknowledged only
    // when the broker's PUBACK arrives. A message not acknowledged (the process died under it) is
    // sent again once the meter is reconnected, as a device does.
    const acknowledged = new Set<number>();
    const byMeter = new Map<string, number[]>();
    messages.forEach((message, index) => {
      const meterId = message.topic.split('/')[3] as string;
      byMeter.set(meterId, [...(byMeter.get(meterId) ?? []), index]);
    });
    const clients: MqttClient[] = [];
    const publishOne = (client: MqttClient, index: number) =>
      new Promise<boolean>((resolve) => {
        const message = messages[index] as { topic: string; payload: string };
        const timer = setTimeout(() => resolve(false), 5_000);
        client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
          clearTimeout(timer);
          resolve(!error);
        });
      });
    const publishers = manifest.meters.map(async (meter) => {
      const client = await mqtt.connectAsync(mqttUrl, {
        username: meterUsername(meter.id),
        clientId: meterUsername(meter.id),
        password: meter.password,
        protocolVersion: 4,
        reconnectPeriod: 200,
        connectTimeout: 5_000,
      });
      client.on('error', () => {});
      clients.push(client);
      for (const index of byMeter.get(meter.id) ?? []) {
        while (!acknowledged.has(index)) {
          if (!client.connected) await new Promise((resolve) => setTimeout(resolve, 100));
          else if (await publishOne(client, index)) acknowledged.add(index);
        }
        // Paced, so the kills fall mid-stream.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    });

    let kills = 0;
    const killer = (async () => {
      while (kills < KILLS) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (acknowledged.size >= ((kills + 1) / (KILLS + 1)) * messages.length) {
          await ontap?.kill9();
          kills++;
          ontap = await spawnOntapStart(env);
        }
      }
    })();
    await Promise.all([...publishers, killer]);
    for (const client of clients) await client.endAsync(true);
    expect(kills).toBe(KILLS);
    expect(acknowledged.size).toBe(messages.length);

    // Ingest has written all it spooled once its backlog is gone.
    await expect
      .poll(async () => (await (await fetch(`${ontap?.metricsUrl}/health`)).json()).spoolBacklogBytes, { timeout: 60_000 })
      .toBe(0);
    expect(await ontap.stop()).toBe(0);
    ontap = undefined;

    const db = await openDatabase(`pglite:${join(dataDir, 'pglite')}`);
    try {
      const store = new SqlReadingStore(db);
      const stored = new Map<string, number | undefined>();
      for (const row of await allReadingRows(db)) stored.set(`${row.meter_id}@${row.ts}`, row.register ?? undefined);
      const sent = new Map<string, number | undefined>();
      for (const index of acknowledged) {
        const message = messages[index] as { topic: string; payload: string };
        for (const reading of parseReadingMessage(message.topic, message.payload, Date.now()).readings)
          sent.set(`${reading.meterId}@${reading.ts}`, reading.register);
      }
      const lost = [...sent.keys()].filter((key) => !stored.has(key));
      const extra = [...stored.keys()].filter((key) => !sent.has(key));
      const changed = [...sent].filter(
        ([key, register]) => stored.has(key) && Math.abs((stored.get(key) ?? 0) - (register ?? 0)) > 1e-6,
      );
      console.log(
        `kill -9 ×${kills}: ${acknowledged.size} messages acknowledged, ${sent.size} readings; stored ${stored.size}; lost ${lost.length}, extra ${extra.length}, changed ${changed.length}`,
      );
      expect({ lost: lost.slice(0, 5), extra: extra.slice(0, 5), changed: changed.slice(0, 5) }).toStrictEqual({
        lost: [],
        extra: [],
        changed: [],
      });
      expect(stored.size).toBe(sent.size);
      await store.close();
    } finally {
      await db.close();
    }
  });
});
