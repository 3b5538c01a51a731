// The all-in-one path: embedded Aedes broker (MQTT 3.1.1), meters publishing as themselves,
// ingest into the embedded SQL store on PGlite. Ingest is restarted midway; the persistent
// session keeps what arrives meanwhile. Totals must equal the oracle's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialBook } from '../broker/credentials.ts';
import { startEmbeddedBroker } from '../broker/embedded-broker.ts';
import { registerManifest } from '../demo/seed.ts';
import { moduleLogger } from '../lib/logger.ts';
import { addDays, localDate } from '../lib/time.ts';
import { simulateToArray } from '../simulators/index.ts';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { type IngestOptions, startIngest } from './ingest-service.ts';
import { MeterDirectory } from './pipeline/meter-directory.ts';
import {
  eventually,
  expectedDeadLetters,
  expectedHouseholdTotals,
  expectSameTotals,
  storeHouseholdTotals,
} from './testing/harness.ts';

describe('ingest through the embedded broker into the embedded store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('gives the oracle totals with meters publishing as themselves over MQTT 3.1.1', { timeout: 90_000 }, async () => {
    const to = addDays(localDate(Date.now(), 'Europe/London'), -2);
    const { manifest, messages } = await simulateToArray({
      households: 4,
      streets: 1,
      from: addDays(to, -2),
      to,
      seed: 9,
      idPrefix: 'emb-',
      faults: { duplicate: 0.02, reorder: 0.02, offline: 0.3, malformed: 0.02, replace: 0.3 },
    });
    const db = await openDatabase('pglite:memory');
    cleanups.push(() => db.close());
    await migrate(db);
    await registerManifest(db, manifest, { id: 'emb-n', name: 'Embedded' });
    const store = await SqlReadingStore.open(db);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());

    const book = new CredentialBook();
    await book.add('ontap-ingest', 'ingest-secret', { role: 'service', name: 'ingest' });
    for (const meter of manifest.meters) await book.add(meter.username, meter.password, { role: 'meter', meterId: meter.id });
    const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book });
    cleanups.push(() => broker.close());

    const ingestOptions: IngestOptions = {
      mqtt: {
        url: broker.url,
        username: 'ontap-ingest',
        password: 'ingest-secret',
        clientId: 'ontap-ingest-embedded',
        protocolVersion: 4,
      },
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-embedded-spool-')),
      logger: moduleLogger('ingest-embedded'),
    };
    let ingest = await startIngest(ingestOptions);

    const clients = new Map<string, MqttClient>();
    for (const meter of manifest.meters) {
      clients.set(
        meter.id,
        await mqtt.connectAsync(broker.url, {
          username: meter.username,
          password: meter.password,
          clientId: meter.username,
          protocolVersion: 4,
          reconnectPeriod: 0,
        }),
      );
    }
    cleanups.push(async () => {
      for (const client of clients.values()) await client.endAsync(true);
    });
    const meterOf = (topic: string) => topic.split('/')[3] as string;
    const half = Math.floor(messages.length / 2);
    for (const [index, message] of messages.entries()) {
      if (index === half) await ingest.stop(); // gone for the second half; its session queues
      await clients.get(meterOf(message.topic))?.publishAsync(message.topic, message.payload, { qos: 1 });
    }
    ingest = await startIngest(ingestOptions);
    cleanups.push(() => ingest.stop());

    const neighbourhood = { manifest, messages, neighbourhoodId: 'emb-n' } as Parameters<typeof storeHouseholdTotals>[1];
    const expected = expectedHouseholdTotals(neighbourhood);
    await eventually(async () => expectSameTotals(await storeHouseholdTotals(store, neighbourhood), expected));
    expect(await store.deadLetterCounts()).toStrictEqual(expectedDeadLetters(manifest));

    // A meter may still publish only as itself here.
    const [first, second] = manifest.meters;
    const impostor = clients.get(first?.id as string) as MqttClient;
    const refused = await new Promise<boolean>((resolve) => {
      impostor.once('close', () => resolve(true));
      impostor.publish(`ontap/v1/meters/${second?.id}/readings`, '{}', { qos: 1 }, () => resolve(false));
    });
    expect(refused).toBe(true);
  });
});
