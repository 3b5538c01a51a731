// Test support for ingest: a simulated neighbourhood registered in a fresh PostgreSQL database,
// a fresh InfluxDB database, a gateway that publishes the simulator's messages to the test
// Mosquitto, and the independent oracle's totals to compare against.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { expect } from 'vitest';
import { MosquittoDynsec } from '../../broker/mosquitto/mosquitto-dynsec.ts';
import { registerManifest } from '../../demo/seed.ts';
import { parseReadingMessage } from '../../devices/contract/index.ts';
import { meterKinds } from '../../devices/contract/units.ts';
import { type CollectedMessage, type SimulationSpecInput, simulateToArray } from '../../simulators/index.ts';
import type { Manifest } from '../../simulators/manifest.ts';
import { type Database, migrate, openDatabase } from '../../storage/metadata/database.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { usageIntervals } from '../../storage/readings/usage/intervals.ts';
import { freshInfluxDatabase, freshPostgresDatabase } from '../../testing/databases.ts';
import { testServices } from '../../testing/inject.ts';
import { dailyUseFromMessages } from '../../testing/usage-oracle.ts';

export const uniqueId = (prefix: string) => `${prefix}${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export interface Neighbourhood {
  prefix: string;
  neighbourhoodId: string;
  manifest: Manifest;
  messages: CollectedMessage[];
  databaseUrl: string;
  db: Database;
  influx: { url: string; database: string };
  cleanup(): Promise<void>;
}

export interface Broker {
  mqttUrl: string;
  mqttAdmin: { username: string; password: string };
  mqttIngest: { username: string; password: string };
}

export async function prepareNeighbourhood(
  spec: Omit<SimulationSpecInput, 'idPrefix'>,
  influxUrl?: string,
): Promise<Neighbourhood> {
  const prefix = uniqueId('t');
  const { manifest, messages } = await simulateToArray({ ...spec, idPrefix: `${prefix}-` });
  const postgres = await freshPostgresDatabase();
  const db = await openDatabase(postgres.url);
  await migrate(db);
  const neighbourhoodId = `${prefix}-n`;
  await registerManifest(db, manifest, { id: neighbourhoodId, name: 'Test neighbourhood' });
  const influx = await freshInfluxDatabase(influxUrl);
  return {
    prefix,
    neighbourhoodId,
    manifest,
    messages,
    databaseUrl: postgres.url,
    db,
    influx: { url: influx.url, database: influx.database },
    async cleanup() {
      await db.close();
      await postgres.drop();
      await influx.drop();
    },
  };
}

/** A gateway identity on the test Mosquitto that may publish for every meter. */
export async function gatewayCredentials(broker: Broker = testServices()): Promise<{ username: string; password: string }> {
  const dynsec = await MosquittoDynsec.connect(broker.mqttUrl, broker.mqttAdmin);
  const credentials = { username: 'ontap-test-gateway', password: 'gateway-secret-for-tests' };
  await dynsec.provisionGateway(credentials.username, credentials.password);
  await dynsec.close();
  return credentials;
}

/**
 * An account of its own with ingest's role on the test broker. Every test run's set-up
 * (infra/services.sh) sets the shared ingest account's password again, and Mosquitto then drops
 * that account's connections: a test that counts deliveries exactly subscribes with one of these.
 * `disable` makes the broker drop this account's connections and refuse new ones until `enable`.
 */
export async function ingestAccount(broker: Broker = testServices()) {
  const dynsec = await MosquittoDynsec.connect(broker.mqttUrl, broker.mqttAdmin);
  const username = uniqueId('ontap-test-ingest-');
  const password = randomBytes(12).toString('hex');
  await dynsec.send({ command: 'createClient', username, password, roles: [{ rolename: 'ontap-ingest' }] });
  return {
    credentials: { username, password },
    disable: async () => void (await dynsec.send({ command: 'disableClient', username })),
    enable: async () => void (await dynsec.send({ command: 'enableClient', username })),
    async remove() {
      await dynsec.send({ command: 'deleteClient', username });
      await dynsec.close();
    },
  };
}

/**
 * Publishes messages in order, QoS 1, with a persistent session so that what the broker has not
 * acknowledged is sent again after a broker restart. Resolves when every message is acknowledged.
 */
export async function publishAll(
  messages: readonly { topic: string; payload: string }[],
  options: { broker?: Broker; window?: number; onProgress?: (published: number) => void | Promise<void> } = {},
): Promise<void> {
  const broker = options.broker ?? testServices();
  const client = await mqtt.connectAsync(broker.mqttUrl, {
    ...(await gatewayCredentials(broker)),
    clientId: uniqueId('ontap-pub-'),
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 600 },
    reconnectPeriod: 200,
  });
  const window = options.window ?? 200;
  let next = 0;
  try {
    while (next < messages.length) {
      const slice = messages.slice(next, next + window);
      await Promise.all(slice.map((message) => client.publishAsync(message.topic, message.payload, { qos: 1 })));
      next += slice.length;
      await options.onProgress?.(next);
    }
  } finally {
    await client.endAsync();
  }
}

/** Ends a persistent session left on the test broker (MQTT 5 clean start, expiry 0). */
export async function dropSession(clientId: string, broker: Broker = testServices()): Promise<void> {
  const client = await mqtt.connectAsync(broker.mqttUrl, {
    ...broker.mqttIngest,
    clientId,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
  });
  await client.endAsync();
}

/** household → kind → date → use, from the oracle. */
export function expectedHouseholdTotals(neighbourhood: Neighbourhood): Map<string, number> {
  const { manifest, messages } = neighbourhood;
  const perMeter = dailyUseFromMessages(messages, manifest.timeZone);
  const meters = new Map(manifest.meters.map((m) => [m.id, m]));
  const totals = new Map<string, number>();
  for (const [meterId, days] of perMeter) {
    const meter = meters.get(meterId);
    if (!meter) continue;
    for (const [date, use] of days) {
      if (date < manifest.from || date > manifest.to) continue;
      const key = `${meter.household}|${meter.kind}|${date}`;
      totals.set(key, (totals.get(key) ?? 0) + use);
    }
  }
  return totals;
}

export async function storeHouseholdTotals(store: ReadingStore, neighbourhood: Neighbourhood): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const kind of meterKinds) {
    const rows = await store.totals({
      kind,
      scope: { neighbourhood: neighbourhood.neighbourhoodId },
      from: neighbourhood.manifest.from,
      to: neighbourhood.manifest.to,
      timeZone: neighbourhood.manifest.timeZone,
      granularity: 'day',
      groupBy: 'household',
    });
    for (const row of rows) if (row.use !== 0) totals.set(`${row.group}|${kind}|${row.date}`, row.use);
  }
  return totals;
}

/** Every household-kind-day the oracle has, equal to within 1e-9 relative; nothing extra. */
export function expectSameTotals(actual: Map<string, number>, expected: Map<string, number>): void {
  const differences: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key) ?? 0;
    const e = expected.get(key) ?? 0;
    if (Math.abs(a - e) > 1e-9 * Math.max(1, Math.abs(e))) differences.push(`${key}: stored ${a}, expected ${e}`);
  }
  expect(differences.slice(0, 10), `${differences.length} of ${expected.size} totals differ`).toStrictEqual([]);
}

/** Dead letters the simulator meant to cause, by reason: its malformed faults. */
export function expectedDeadLetters(manifest: Manifest): Record<string, number> {
  const reasonOf: Record<string, string> = {
    'bad-json': 'INVALID_JSON',
    'wrong-type': 'BAD_REGISTER',
    'negative-register': 'BAD_REGISTER',
    'unknown-kind': 'UNKNOWN_KIND',
  };
  const counts: Record<string, number> = {};
  for (const fault of manifest.faults.malformed) {
    const reason = reasonOf[fault.reason] ?? fault.reason;
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

/** Dead letters in the store from this neighbourhood's meters (other tests share the broker). */
export async function storedDeadLetters(
  store: ReadingStore,
  prefix: string,
): Promise<{ counts: Record<string, number>; distinct: Set<string> }> {
  const counts: Record<string, number> = {};
  const distinct = new Set<string>();
  for (const letter of await store.deadLetters({ limit: 10_000 })) {
    if (!letter.topic.includes(`/${prefix}-`)) continue;
    counts[letter.reason] = (counts[letter.reason] ?? 0) + 1;
    distinct.add(`${letter.reason}|${letter.topic}|${letter.payload}`);
  }
  return { counts, distinct };
}

/** Polls `check` until it stops throwing or `timeoutMs` passes (then throws its last error). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

/**
 * Why a household-kind-day differs: for each of its meters, the readings the messages carry on
 * that day that the store lacks or holds differently, and the meter's dead letters. For failure
 * messages of the exactness tests (a total alone does not say which reading went missing).
 */
export async function explainDifference(store: ReadingStore, neighbourhood: Neighbourhood, key: string): Promise<string> {
  const [household, kind, date] = key.split('|') as [string, (typeof meterKinds)[number], string];
  const { manifest, messages } = neighbourhood;
  const lines: string[] = [];
  const meterIds = manifest.meters.filter((m) => m.household === household && m.kind === kind).map((m) => m.id);
  const series = await store.seriesAround(
    { household },
    kind,
    Date.parse(`${date}T00:00:00Z`) - 86_400_000,
    Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000,
  );
  const letters = await store.deadLetters({ limit: 10_000 });
  for (const meterId of meterIds) {
    const stored = new Map((series.find((s) => s.placement.meterId === meterId)?.points ?? []).map((p) => [p.ts, p.register]));
    const sent = new Map<number, number>();
    for (const { topic, payload } of messages) {
      if (!topic.includes(`/${meterId}/`)) continue;
      try {
        for (const r of parseReadingMessage(topic, payload, Date.parse('2100-01-01')).readings)
          if (r.register !== undefined && r.ts >= Date.parse(`${date}T00:00:00Z`) - 86_400_000) sent.set(r.ts, r.register);
      } catch {}
    }
    const missing = [...sent].filter(([ts, register]) => stored.get(ts) !== register);
    lines.push(
      `${meterId}: ${sent.size} readings sent from the day before, ${stored.size} stored; missing or different: ${missing
        .slice(0, 20)
        .map(([ts, register]) => `${new Date(ts).toISOString()}=${register} (stored ${stored.get(ts)})`)
        .join(', ')}`,
    );
    // Use the store leaves out on purpose: the oracle counts every rise of the register.
    for (const interval of usageIntervals(
      kind,
      [...stored].map(([ts, register]) => ({ ts, register })).sort((a, b) => a.ts - b.ts),
    ))
      if (interval.excluded > 0)
        lines.push(
          `  excluded as impossible: ${interval.excluded} from ${new Date(interval.from).toISOString()} to ${new Date(interval.to).toISOString()}`,
        );
    for (const letter of letters.filter((l) => l.topic.includes(`/${meterId}/`)))
      lines.push(`  dead letter ${letter.reason}: ${letter.detail} ${letter.payload.slice(0, 120)}`);
  }
  return lines.join('\n');
}
