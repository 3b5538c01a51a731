// Malformed messages of every kind in the catalogue (malformed.ts), interleaved with good ones, a
// status flood and meters flapping on- and offline, through a real broker into ingest and a real
// store; then the count of what was stored and what was dead-lettered, per kind and reason. Run by ingest.poison.test.ts and `npm run bench:poison`,
// on the embedded default (Aedes with the in-process intake, PGlite) or on Mosquitto, InfluxDB and
// PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { CredentialBook } from '../../broker/credentials.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { MosquittoDynsec } from '../../broker/mosquitto/mosquitto-dynsec.ts';
import { meterTopic } from '../../devices/contract/topics.ts';
import { currentValue } from '../../lib/metrics.ts';
import { type Database, migrate, openDatabase } from '../../storage/metadata/database.ts';
import { insertHousehold } from '../../storage/metadata/repositories/households.ts';
import { insertMeters } from '../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../../storage/metadata/repositories/neighbourhoods.ts';
import { InfluxReadingStore } from '../../storage/readings/influx/influx-reading-store.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../../storage/readings/sql/sql-reading-store.ts';
import { type IngestService, startIngest } from '../ingest-service.ts';
import { MeterDirectory } from '../pipeline/meter-directory.ts';
import { STATUS_STORED_EVERY_MS, STATUSES_STORED_PER_MINUTE } from '../pipeline/pipeline.ts';
import { malformedKinds } from './malformed.ts';

export type PoisonTarget =
  | { kind: 'embedded' }
  | {
      kind: 'mosquitto-influx';
      /** A PostgreSQL database of its own (migrated here) and an InfluxDB database of its own. */
      databaseUrl: string;
      influx: { url: string; database: string };
      mqttUrl: string;
      mqttAdmin: { username: string; password: string };
      mqttIngest: { username: string; password: string };
    };

/** The Mosquitto + InfluxDB + PostgreSQL target on fresh databases of the given services. */
export function mosquittoInfluxTarget(
  services: Omit<Extract<PoisonTarget, { kind: 'mosquitto-influx' }>, 'kind' | 'databaseUrl' | 'influx'>,
  databaseUrl: string,
  influx: { url: string; database: string },
): PoisonTarget {
  const { mqttUrl, mqttAdmin, mqttIngest } = services;
  return {
    kind: 'mosquitto-influx',
    databaseUrl,
    influx: { url: influx.url, database: influx.database },
    mqttUrl,
    mqttAdmin,
    mqttIngest,
  };
}

export interface PoisonResult {
  target: string;
  kinds: number;
  good: { sent: number; stored: number };
  malformed: { sent: number; deadLetteredOnce: number; missing: number; duplicated: number; unexpectedReasons: string[] };
  /**
   * Valid statuses the good meters flood in with (online all along): each meter's latest is kept,
   * at most one a minute (and one per batch) is stored.
   */
  statuses: { sent: number; metersWithStatus: number; stored: number; storedAtMost: number };
  /**
   * Statuses from meters flapping on- and offline with every message: at most
   * STATUSES_STORED_PER_MINUTE a minute each are stored, and the state each sent last is the
   * state of its latest stored status (`lastStateKept` meters of `meters`), once ingest has stopped.
   */
  flapping: { sent: number; meters: number; stored: number; storedAtMost: number; lastStateKept: number };
  /** Messages OnTap itself failed on (each would be a bug, dead-lettered PROCESSING_FAILED). */
  processingFailures: number;
  /** Longest time ingest had messages waiting and processed none. */
  longestStallMs: number;
  elapsedMs: number;
  health: string;
}

const PREFIX = 'poison';
const kindMeter = (index: number) => `${PREFIX}-k${index}`;
const goodMeter = (index: number) => `${PREFIX}-g${index}`;
const GOOD_METERS = 10;
const flappingMeter = (index: number) => `${PREFIX}-f${index}`;
const FLAPPING_METERS = 2;
/** Whether a flapping meter's `n`th status says online: f0 starts online, f1 offline. */
const flapsOnline = (meter: number, n: number) => (n + meter) % 2 === 0;

export async function runPoison(
  target: PoisonTarget,
  counts = { malformed: 10_000, good: 1_000, statuses: 3_000, flaps: 2_000 },
): Promise<PoisonResult> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const { db, store } = await openStores(target, cleanups);
    await registerMeters(db);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const logger = pino({ level: 'silent' });
    const spoolDir = mkdtempSync(join(tmpdir(), 'ontap-poison-'));
    let ingest: IngestService;
    let publisher: MqttClient;
    // Stopped once the run is over (held statuses are stored as ingest stops), or by the clean-up.
    let stopped: Promise<void> | undefined;
    const stopIngest = () => {
      stopped ??= ingest.stop();
      return stopped;
    };
    if (target.kind === 'embedded') {
      ingest = await startIngest({ inProcess: { id: 'ontap-poison' }, store, directory, spoolDir, logger });
      cleanups.push(stopIngest);
      const book = new CredentialBook();
      await book.add('poison-publisher', 'poison-password', { role: 'service', name: 'poison' });
      const broker: EmbeddedBroker = await startEmbeddedBroker({
        port: 0,
        portWasChosen: true,
        authority: book,
        intake: ingest.brokerIntake,
      });
      cleanups.push(() => broker.close());
      publisher = await mqtt.connectAsync(broker.url, {
        username: 'poison-publisher',
        password: 'poison-password',
        clientId: 'ontap-poison-publisher',
        protocolVersion: 4,
      });
    } else {
      const clientId = `ontap-poison-${process.pid}-${Date.now().toString(36)}`;
      ingest = await startIngest({
        // A short session: should the run fail before its clean-up, the broker does not keep
        // 150 MB of queued poison for a week (a bloated broker slows every test after it).
        mqtt: { url: target.mqttUrl, ...target.mqttIngest, clientId, protocolVersion: 5, sessionExpirySeconds: 300 },
        store,
        directory,
        spoolDir,
        logger,
      });
      cleanups.push(async () => {
        await stopIngest();
        // Leave no persistent session behind on the shared broker.
        const drop = await mqtt.connectAsync(target.mqttUrl, {
          ...target.mqttIngest,
          clientId,
          clean: true,
          protocolVersion: 5,
          properties: { sessionExpiryInterval: 0 },
        });
        await drop.endAsync();
      });
      const gateway = { username: `${PREFIX}-gateway`, password: 'poison-gateway-password' };
      const dynsec = await MosquittoDynsec.connect(target.mqttUrl, target.mqttAdmin);
      await dynsec.provisionGateway(gateway.username, gateway.password);
      await dynsec.close();
      publisher = await mqtt.connectAsync(target.mqttUrl, {
        ...gateway,
        clientId: `${gateway.username}-${process.pid}`,
        protocolVersion: 5,
      });
    }
    cleanups.push(() => publisher.endAsync());

    // The messages: malformed ones round the catalogue, a good one after every tenth.
    const now = Date.now();
    const plan: { topic: string; payload: string | Buffer }[] = [];
    const sentPerKind = new Array<number>(malformedKinds.length).fill(0);
    let good = 0;
    const goodEvery = Math.max(1, Math.floor(counts.malformed / counts.good));
    for (let i = 0; i < counts.malformed; i++) {
      const index = i % malformedKinds.length;
      const kind = malformedKinds[index] as (typeof malformedKinds)[number];
      plan.push({ topic: meterTopic(kindMeter(index), kind.topic), payload: kind.payload(`n${i}`, now) });
      sentPerKind[index] = (sentPerKind[index] as number) + 1;
      if ((i + 1) % goodEvery === 0 && good < counts.good) plan.push(goodMessage(good++, now));
    }
    while (good < counts.good) plan.push(goodMessage(good++, now));
    // A status flood from the good meters, spread through the run.
    const statusEvery = Math.max(1, Math.floor(plan.length / counts.statuses));
    for (let i = counts.statuses - 1; i >= 0; i--)
      plan.splice(Math.min(plan.length, i * statusEvery), 0, {
        topic: meterTopic(goodMeter(i % GOOD_METERS), 'status'),
        payload: JSON.stringify({ online: true, battery: i % 101, rssi: -40 - (i % 60) }),
      });
    // And meters going on- and offline with every status, spread through the run too.
    const flapEvery = Math.max(1, Math.floor(plan.length / counts.flaps));
    for (let i = counts.flaps - 1; i >= 0; i--) {
      const meter = i % FLAPPING_METERS;
      plan.splice(Math.min(plan.length, i * flapEvery), 0, {
        topic: meterTopic(flappingMeter(meter), 'status'),
        payload: JSON.stringify({ online: flapsOnline(meter, Math.floor(i / FLAPPING_METERS)) }),
      });
    }

    const started = performance.now();
    let longestStallMs = 0;
    let lastProgress = performance.now();
    let lastProcessed = 0;
    const watcher = setInterval(async () => {
      const processed = await currentValue(ingest.metrics.processed);
      const waiting = (await currentValue(ingest.metrics.received)) > processed;
      if (processed !== lastProcessed || !waiting) lastProgress = performance.now();
      lastProcessed = processed;
      longestStallMs = Math.max(longestStallMs, performance.now() - lastProgress);
    }, 50);
    try {
      await publishWindowed(publisher, plan, 200);
      const deadline = Date.now() + 300_000;
      while ((await currentValue(ingest.metrics.processed)) < plan.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      await ingest.drained();
    } finally {
      clearInterval(watcher);
    }
    const elapsedMs = performance.now() - started;

    // What the store holds: good readings per good meter, dead letters per kind and reason.
    let storedGood = 0;
    for (const series of await store.seriesAround({ household: `${PREFIX}-h` }, 'water', now - 30 * 86_400_000, now + 60_000))
      if (series.placement.meterId.startsWith(`${PREFIX}-g`)) storedGood += series.points.length;
    let deadLetteredOnce = 0;
    let missing = 0;
    let duplicated = 0;
    const unexpectedReasons = new Set<string>();
    for (const [index, kind] of malformedKinds.entries()) {
      const letters = await store.deadLetters({ meterIds: [kindMeter(index)], limit: 10_000 });
      const perReason = new Map<string, number>();
      for (const letter of letters) perReason.set(letter.reason, (perReason.get(letter.reason) ?? 0) + 1);
      for (const reason of perReason.keys())
        if (!kind.reasons.includes(reason as never)) unexpectedReasons.add(`${kind.name}: ${reason}`);
      const sent = sentPerKind[index] as number;
      // Exactly once: as many dead letters for each of its reasons as messages of the kind were sent.
      const least = Math.min(...kind.reasons.map((reason) => perReason.get(reason) ?? 0));
      const most = Math.max(...kind.reasons.map((reason) => perReason.get(reason) ?? 0));
      deadLetteredOnce += Math.min(least, sent);
      missing += Math.max(0, sent - least);
      duplicated += Math.max(0, most - sent);
    }
    const health = ingest.health();
    const processingFailures = await currentValue(ingest.metrics.processingFailures);
    // A flapping meter's last state may be held until its minute is over: stopping stores it.
    await stopIngest();
    let metersWithStatus = 0;
    let storedStatuses = 0;
    for (let index = 0; index < GOOD_METERS; index++) {
      storedStatuses += (await store.events(goodMeter(index))).filter((event) => event.type === 'status').length;
      if ((await store.latestStatuses([goodMeter(index)])).has(goodMeter(index))) metersWithStatus++;
    }
    let flapsStored = 0;
    let lastStateKept = 0;
    for (let meter = 0; meter < FLAPPING_METERS; meter++) {
      const id = flappingMeter(meter);
      flapsStored += (await store.events(id)).filter((event) => event.type === 'status').length;
      const sentByIt = Math.ceil((counts.flaps - meter) / FLAPPING_METERS);
      const latest = (await store.latestStatuses([id])).get(id);
      const online = latest ? (JSON.parse(latest.detail) as { online?: unknown }).online : undefined;
      if (sentByIt > 0 && online === flapsOnline(meter, sentByIt - 1)) lastStateKept++;
    }
    return {
      target: target.kind,
      kinds: malformedKinds.length,
      good: { sent: counts.good, stored: storedGood },
      malformed: {
        sent: counts.malformed,
        deadLetteredOnce,
        missing,
        duplicated,
        unexpectedReasons: [...unexpectedReasons],
      },
      statuses: {
        sent: counts.statuses,
        metersWithStatus,
        stored: storedStatuses,
        // One a minute per meter while it stays online, the first at once.
        storedAtMost: GOOD_METERS * (2 + Math.floor(elapsedMs / STATUS_STORED_EVERY_MS)),
      },
      flapping: {
        sent: counts.flaps,
        meters: FLAPPING_METERS,
        stored: flapsStored,
        // Per meter and minute of receipt the run touched (the first and last partly).
        storedAtMost: FLAPPING_METERS * STATUSES_STORED_PER_MINUTE * (2 + Math.floor(elapsedMs / 60_000)),
        lastStateKept,
      },
      processingFailures,
      longestStallMs: Math.round(longestStallMs),
      elapsedMs: Math.round(elapsedMs),
      health: `${health.status}, drainer ${health.drainer}`,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

function goodMessage(index: number, now: number): { topic: string; payload: string } {
  const meter = goodMeter(index % GOOD_METERS);
  const step = Math.floor(index / GOOD_METERS);
  // Each good meter's readings a minute apart, ending a minute ago.
  return {
    topic: meterTopic(meter, 'readings'),
    payload: JSON.stringify({ ts: now - 60_000 - (200 - step) * 60_000, kind: 'water', register: step * 10, unit: 'L' }),
  };
}

async function openStores(
  target: PoisonTarget,
  cleanups: (() => Promise<unknown>)[],
): Promise<{ db: Database; store: ReadingStore }> {
  if (target.kind === 'embedded') {
    const db = await openDatabase('pglite:memory');
    cleanups.push(() => db.close());
    await migrate(db);
    return { db, store: await SqlReadingStore.open(db) };
  }
  const db = await openDatabase(target.databaseUrl);
  cleanups.push(() => db.close());
  await migrate(db);
  const store = new InfluxReadingStore(target.influx);
  await store.ensureDatabase();
  return { db, store };
}

async function registerMeters(db: Database): Promise<void> {
  const meters = [
    ...malformedKinds.map((_, index) => kindMeter(index)),
    ...Array.from({ length: GOOD_METERS }, (_, index) => goodMeter(index)),
    ...Array.from({ length: FLAPPING_METERS }, (_, index) => flappingMeter(index)),
  ];
  await db.transaction(async (tx) => {
    await insertNeighbourhood(tx, { id: `${PREFIX}-n`, name: 'Poison' });
    await insertStreets(tx, [{ id: `${PREFIX}-s`, neighbourhoodId: `${PREFIX}-n`, name: 'Poison Street' }]);
    await insertHousehold(tx, { id: `${PREFIX}-h`, streetId: `${PREFIX}-s`, alias: 'Poisoned' });
    await insertMeters(
      tx,
      meters.map((id) => ({ id, householdId: `${PREFIX}-h`, kind: 'water' as const })),
    );
  });
}

/** QoS 1 with at most `window` unacknowledged; rejects on the first refused publish. */
async function publishWindowed(client: MqttClient, messages: { topic: string; payload: string | Buffer }[], window: number) {
  let next = 0;
  let inFlight = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (inFlight < window && next < messages.length) {
        const message = messages[next++] as { topic: string; payload: string | Buffer };
        inFlight++;
        client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
          if (error) return reject(error);
          inFlight--;
          if (next >= messages.length && inFlight === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}
