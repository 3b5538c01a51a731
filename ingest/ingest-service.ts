// Ingest, assembled: MQTT intake → durable spool → drainer (pipeline + store writes) → checkpoint.
// Plus /metrics (Prometheus) and /health on an HTTP port, and a graceful stop.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/logger.ts';
import type { BridgeRouter } from './bridges/bridges.ts';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics.ts';
import { type MqttIntake, type MqttIntakeOptions, startMqttIntake } from './mqtt-intake.ts';
import type { MeterDirectory } from './pipeline/meter-directory.ts';
import { deadLetterOf, emptyBatch, meterIdOfTopic, type ProcessedBatch, processBatch } from './pipeline/pipeline.ts';
import { type FsyncPolicy, Spool, type SpoolPosition, type SpoolRecord } from './spool/spool.ts';
import { backoffDelay } from './store/influx/influx-http.ts';
import type { ReadingStore } from './store/reading-store.ts';
import type { RegisterPoint } from './usage/intervals.ts';

export interface IngestOptions {
  mqtt: MqttIntakeOptions;
  store: ReadingStore;
  directory: MeterDirectory;
  spoolDir: string;
  fsync?: FsyncPolicy;
  /** HTTP port for /metrics and /health; 0 picks a free one; undefined serves none. */
  metricsPort?: number;
  logger: Logger;
  /** Told, after each store write, which time spans of which households the readings can change (rollup invalidation). */
  onTouched?: (spans: ProcessedBatch['touched']) => Promise<unknown>;
  /** Foreign device topics to subscribe to and decode (ONTAP_BRIDGES). */
  bridges?: BridgeRouter;
  /** Most messages / payload bytes taken from the spool per store write. */
  batchMessages?: number;
  batchBytes?: number;
}

export interface IngestService {
  metrics: IngestMetrics;
  metricsPort: number | undefined;
  /** Resolves when everything received so far is in the store. */
  drained(): Promise<void>;
  /** Graceful stop: stop taking messages, write what is spooled, then close. */
  stop(): Promise<void>;
}

export function ingestMetrics(registry = new MetricsRegistry()) {
  return {
    registry,
    received: registry.add(new Counter('ontap_ingest_messages_received_total', 'MQTT messages accepted into the spool')),
    processed: registry.add(new Counter('ontap_ingest_messages_processed_total', 'Spooled messages processed and committed')),
    written: registry.add(new Counter('ontap_ingest_readings_written_total', 'Readings written to the store')),
    deadLetters: registry.add(new Counter('ontap_ingest_dead_letters_total', 'Rejected messages or readings, by reason')),
    events: registry.add(new Counter('ontap_ingest_meter_events_total', 'Register resets and impossible steps, by type')),
    status: registry.add(new Counter('ontap_ingest_status_messages_total', 'Valid meter status messages')),
    bridged: registry.add(
      new Counter('ontap_ingest_bridged_messages_total', 'Foreign device messages run through a bridge, by family'),
    ),
    receiptTimed: registry.add(
      new Counter('ontap_ingest_receipt_timed_readings_total', 'Bridged readings without a device time (receive time used)'),
    ),
    storeErrors: registry.add(new Counter('ontap_ingest_store_errors_total', 'Failed store or directory calls (retried)')),
    batchSeconds: registry.add(
      new Histogram(
        'ontap_ingest_batch_seconds',
        'Time to process and write one batch',
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ),
    ),
  };
}
export type IngestMetrics = ReturnType<typeof ingestMetrics>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COMMIT_EVERY_MS = 200;
const LINGER_MS = 5;
const CHUNK_MESSAGES = 500;

export async function startIngest(options: IngestOptions): Promise<IngestService> {
  const { store, directory, logger } = options;
  const metrics = ingestMetrics();
  const spool = new Spool({ dir: options.spoolDir, fsync: options.fsync });
  const reader = spool.reader();
  // Dead letters are keyed by (received ms, sequence); the instance's hash keeps two ingest processes apart.
  const instancePart = (createHash('sha1').update(options.mqtt.clientId).digest().readUInt16BE(0) % 1000) * 1000;
  let counter = 0;
  const nextSequence = () => instancePart + (counter++ % 1000);

  const lastReadings: Map<string, RegisterPoint> = await store.lastReadings();
  let lastWriteAt = Date.now();
  let storeHealthy = true;
  let stopping = false;
  let drainedWaiters: (() => void)[] = [];

  metrics.registry.add(
    new Gauge('ontap_ingest_spool_backlog_bytes', 'Spooled bytes not yet in the store', () => spool.backlogBytes()),
  );
  metrics.registry.add(
    new Gauge('ontap_ingest_queue_depth_messages', 'Messages received by this process not yet processed', () =>
      Math.max(0, metrics.received.value() - metrics.processed.value()),
    ),
  );
  metrics.registry.add(
    new Gauge('process_resident_memory_bytes', 'Resident memory of this process', () => process.memoryUsage.rss()),
  );
  metrics.registry.add(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed));
  metrics.registry.add(new Gauge('nodejs_heap_total_bytes', 'V8 heap reserved', () => process.memoryUsage().heapTotal));
  metrics.registry.add(
    new Gauge('nodejs_external_memory_bytes', 'Memory of buffers outside the V8 heap', () => process.memoryUsage().external),
  );
  metrics.registry.add(
    new Gauge(
      'ontap_ingest_last_write_age_seconds',
      'Seconds since the store last took a write',
      () => (Date.now() - lastWriteAt) / 1000,
    ),
  );

  /** Retries an I/O step until it succeeds (nothing is acknowledged to the spool before it does). */
  async function untilDone<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await step();
        storeHealthy = true;
        return result;
      } catch (error) {
        storeHealthy = false;
        metrics.storeErrors.inc();
        logger.warn({ err: error, attempt }, `${what} failed; retrying`);
        await sleep(backoffDelay(Math.min(attempt, 6), { attempts: Infinity, baseDelayMs: 200, maxDelayMs: 10_000 }) + 50);
      }
    }
  }

  const batchMessages = options.batchMessages ?? 5000;
  const batchBytes = options.batchBytes ?? 256 * 1024;
  const context = {
    placementOf: (id: string) => directory.cached(id),
    lastReadings,
    now: Date.now,
    bridges: options.bridges,
  };
  const deferringContext = { ...context, deferUnknownMeters: true };

  /**
   * Reads up to a batch from the spool and runs the pipeline over it, CHUNK_MESSAGES records at a
   * time: each chunk's records die before the next is read, instead of a whole batch's records
   * living through the young generation's collections and being promoted.
   */
  async function processFromSpool(): Promise<{ batch: ProcessedBatch; count: number; resumeAt?: SpoolPosition }> {
    const batch = emptyBatch();
    let count = 0;
    let bytes = 0;
    let resumeAt: SpoolPosition | undefined;
    let lingered = false;
    while (count < batchMessages && bytes < batchBytes) {
      const records = reader.read(Math.min(CHUNK_MESSAGES, batchMessages - count), batchBytes - bytes);
      if (records.length === 0) {
        if (count === 0 || lingered || stopping || count >= batchMessages / 10) break;
        // A trickle: wait a moment so one store write carries more (at most LINGER_MS of latency).
        lingered = true;
        await sleep(LINGER_MS);
        continue;
      }
      for (const record of records) bytes += record.payload.length;
      processBatch(records, deferringContext, batch);
      if (batch.deferred.length > 0) {
        // Meters the directory's cache lacks (new ones, usually none): look them up, then process
        // their messages again; a meter still unknown is dead-lettered then.
        const deferred = batch.deferred.splice(0);
        const ids = new Set<string>();
        for (const message of deferred) {
          const id = meterIdOfTopic(message.topic, options.bridges);
          if (id) ids.add(id);
        }
        await untilDone('meter directory', () => directory.load(ids));
        processBatch(deferred, context, batch);
      }
      count += records.length;
      resumeAt = (records[records.length - 1] as SpoolRecord).next;
    }
    return { batch, count, resumeAt };
  }

  /** Stores a processed batch of `count` messages read from `from` on, then moves the checkpoint. */
  async function storeBatch(batch: ProcessedBatch, count: number, from: SpoolPosition, resumeAt: SpoolPosition, started: number) {
    const rejected = await untilDone('store write', () => store.writeReadings(batch.readings));
    if (rejected.length > 0) {
      // Rare: find each refused reading's message again in the spool, where the batch still is.
      const again = spool.reader(from);
      const sources = again.read(count, Number.POSITIVE_INFINITY);
      again.close();
      for (const { reading, reason } of rejected) {
        const source = sources.find((record) => meterIdOfTopic(record.topic, options.bridges) === reading.meterId);
        if (source)
          batch.deadLetters.push(deadLetterOf(source, 'STORE_REJECTED', `${new Date(reading.ts).toISOString()}: ${reason}`));
      }
    }
    if (batch.events.length > 0) await untilDone('event write', () => store.writeEvents(batch.events));
    const onTouched = options.onTouched;
    if (onTouched && batch.touched.size > 0) await untilDone('rollup invalidation', () => onTouched(batch.touched));
    if (batch.deadLetters.length > 0) await untilDone('dead letter write', () => store.writeDeadLetters(batch.deadLetters));
    uncommitted = resumeAt;
    lastWriteAt = Date.now();
    // The checkpoint only bounds what a restart replays (replay is harmless), so it is written
    // at most every COMMIT_EVERY_MS rather than after every batch.
    if (lastWriteAt - lastCommitAt >= COMMIT_EVERY_MS) commitCheckpoint();
    metrics.processed.inc(count);
    metrics.written.inc(batch.readings.length - rejected.length);
    metrics.status.inc(batch.statusMessages);
    for (const [family, count] of batch.bridged) metrics.bridged.inc(count, { family });
    metrics.receiptTimed.inc(batch.receiptTimed);
    for (const letter of batch.deadLetters) metrics.deadLetters.inc(1, { reason: letter.reason });
    for (const event of batch.events) metrics.events.inc(1, { type: event.type });
    metrics.batchSeconds.observe((performance.now() - started) / 1000);
  }

  let uncommitted: SpoolPosition | undefined;
  let lastCommitAt = 0;
  const commitCheckpoint = () => {
    if (uncommitted) spool.commit(uncommitted);
    uncommitted = undefined;
    lastCommitAt = Date.now();
  };

  const drainer = (async () => {
    for (;;) {
      const started = performance.now();
      const from = reader.position;
      const { batch, count, resumeAt } = await processFromSpool();
      if (count > 0 && resumeAt) {
        await storeBatch(batch, count, from, resumeAt, started);
        continue;
      }
      commitCheckpoint();
      for (const wake of drainedWaiters.splice(0)) wake();
      if (stopping) return;
      await spool.waitForAppend(100);
    }
  })();
  drainer.catch((error) => logger.fatal({ err: error }, 'drainer stopped'));

  const intake: MqttIntake = await startMqttIntake(
    { ...options.mqtt, extraTopics: options.bridges?.topicFilters() },
    spool,
    nextSequence,
    logger,
    () => metrics.received.inc(),
  );

  metrics.registry.add(
    new Gauge(
      'ontap_ingest_mqtt_reads_total',
      'Socket reads of the MQTT connection (messages received ÷ reads: the burst size)',
      () => intake.reads(),
      'counter',
    ),
  );

  let server: Server | undefined;
  if (options.metricsPort !== undefined) {
    server = createServer((request, response) => {
      if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.registry.render());
      } else if (request.url === '/health') {
        const health = {
          status: intake.connected() && storeHealthy ? 'ok' : 'degraded',
          mqttConnected: intake.connected(),
          storeHealthy,
          spoolBacklogBytes: spool.backlogBytes(),
          lastWriteAgeSeconds: (Date.now() - lastWriteAt) / 1000,
        };
        response
          .writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(health));
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(options.metricsPort, '127.0.0.1', resolve));
  }

  return {
    metrics,
    metricsPort: server ? (server.address() as AddressInfo).port : undefined,
    drained: () =>
      new Promise<void>((resolve) => {
        drainedWaiters.push(resolve);
      }),
    async stop() {
      await intake.close();
      stopping = true;
      await drainer;
      drainedWaiters = [];
      reader.close();
      spool.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      logger.info({ processed: metrics.processed.value() }, 'ingest stopped');
    },
  };
}
