// Ingest, assembled: intake → durable spool → drainer (pipeline + store writes) → checkpoint.
// The intake is injected (intake/): an MQTT subscription, or, in the all-in-one process, the
// embedded broker handing over each publish before acknowledging it (intake/in-process-intake.ts).
// Plus /metrics (Prometheus) and /health on an HTTP port, and a graceful stop.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Counter, Gauge, Histogram } from 'prom-client';
import { rejectionCodes } from '../devices/contract/errors.ts';
import { familyNames } from '../devices/decoders/catalog.ts';
import type { Logger } from '../lib/logger.ts';
import { currentValue, renderMetrics, serviceRegistry } from '../lib/metrics.ts';
import { backoffDelay } from '../storage/readings/influx/influx-http.ts';
import {
  type DeadLetter,
  type MeterEvent,
  meterEventTypes,
  type ReadingStore,
  type StoredReading,
} from '../storage/readings/reading-store.ts';
import type { RegisterPoint } from '../storage/readings/usage/intervals.ts';
import type { BridgeRouter } from './bridges/bridges.ts';
import { InProcessIntake } from './intake/in-process-intake.ts';
import { type Intake, ingestTopics } from './intake/intake.ts';
import type { MqttIntakeOptions } from './intake/mqtt-options.ts';
import { PacedIntake } from './intake/paced-intake.ts';
import { spoolSink } from './intake/spool-sink.ts';
import { MessageStamps } from './message-stamps.ts';
import type { MeterDirectory } from './pipeline/meter-directory.ts';
import {
  commitStatuses,
  emptyBatch,
  hasHeldStatuses,
  meterIdOfTopic,
  type ProcessedBatch,
  processBatch,
  rejectMessage,
  releaseHeldStatuses,
  type StatusMemory,
} from './pipeline/pipeline.ts';
import { comparePositions, type FsyncPolicy, Spool, type SpoolPosition, type SpoolRecord } from './spool/spool.ts';
import { type IsolatingWrite, writeIsolating } from './writer/isolating-write.ts';

type TouchedSpan = ProcessedBatch['touched'] extends Map<string, infer Span> ? Span : never;

export interface IngestOptions {
  /** Subscribe to a broker … */
  /** Where messages come from (intake/) … */
  intake?: Intake;
  /** … or, for short, the paced subscriber to a broker with these options … */
  mqtt?: MqttIntakeOptions;
  /** … or publishes from the embedded broker in this process (`brokerIntake`); `id` names this ingest. */
  inProcess?: { id: string };
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
  /**
   * How long stop() lets the drainer finish what is spooled (default 10 s). What is left stays in
   * the spool and is written at the next start, so a stop never waits on a store that is away.
   */
  stopTimeoutMs?: number;
  /** Raw messages stay in the spool at most about this long after they are stored (default 15 min). */
  maxSegmentAgeMs?: number;
  /** /health says "behind" when the drainer has not caught up with the spool for this long (default 120 s). */
  maxBehindSeconds?: number;
}

export interface IngestHealth {
  status: 'ok' | 'degraded';
  mqttConnected: boolean;
  /** running; stopped (stop() was called); crashed (must never happen: a fault of OnTap's, logged as fatal). */
  drainer: 'running' | 'stopped' | 'crashed';
  /** False while a store or database call keeps failing (ingest retries; nothing acknowledged is lost). */
  storeHealthy: boolean;
  /** Since when, and the last failure, while failing. */
  failingSince: string | null;
  lastFailure: string | null;
  /** Seconds since the drainer last caught up with the spool. */
  behindSeconds: number;
  spoolBacklogBytes: number;
  lastWriteAgeSeconds: number;
}

export interface IngestService {
  /** With an in-process intake: what the embedded broker hands publishes to before acknowledging them. */
  brokerIntake?: InProcessIntake;
  metrics: IngestMetrics;
  metricsPort: number | undefined;
  /** What /health answers. */
  health(): IngestHealth;
  /** Resolves when everything received so far is in the store. */
  drained(): Promise<void>;
  /** Graceful stop: stop taking messages, write what is spooled, then close. */
  stop(): Promise<void>;
}

/** What the store can refuse for good that has no dead-letter table of its own to go to. */
const unwritableKinds = ['meter event', 'rollup mark', 'dead letter'] as const;

export function ingestMetrics(registry = serviceRegistry()) {
  const registers = [registry];
  // A labelled counter starts at 0 for every value it can take: a scraper's rate() then sees 0, not "no data".
  const counter = <L extends string = never>(name: string, help: string, labelNames: L[] = [], known: readonly string[] = []) => {
    const made = new Counter<L>({ name, help, labelNames, registers });
    const [label] = labelNames;
    if (label) for (const value of known) made.inc({ [label]: value } as Partial<Record<L, string>>, 0);
    return made;
  };
  return {
    registry,
    received: counter('ontap_ingest_messages_received_total', 'MQTT messages accepted into the spool'),
    processed: counter('ontap_ingest_messages_processed_total', 'Spooled messages processed and committed'),
    written: counter('ontap_ingest_readings_written_total', 'Readings written to the store'),
    deadLetters: counter(
      'ontap_ingest_dead_letters_total',
      'Rejected messages or readings, by reason',
      ['reason'],
      Object.keys(rejectionCodes),
    ),
    events: counter(
      'ontap_ingest_meter_events_total',
      'Register resets and impossible steps, by type',
      ['type'],
      meterEventTypes,
    ),
    status: counter('ontap_ingest_status_messages_total', 'Valid meter status messages'),
    bridged: counter(
      'ontap_ingest_bridged_messages_total',
      'Foreign device messages run through a bridge, by family',
      ['family'],
      familyNames(),
    ),
    receiptTimed: counter(
      'ontap_ingest_receipt_timed_readings_total',
      'Bridged readings without a device time (receive time used)',
    ),
    storeErrors: counter('ontap_ingest_store_errors_total', 'Failed store or directory calls (retried)'),
    unwritable: counter(
      'ontap_ingest_unwritable_total',
      'Items the store refused for good and that cannot be dead-lettered (events, rollup marks, dead letters), by kind',
      ['kind'],
      unwritableKinds,
    ),
    processingFailures: counter(
      'ontap_ingest_processing_failures_total',
      'Messages OnTap itself failed on (dead-lettered PROCESSING_FAILED)',
    ),
    erased: counter('ontap_ingest_erased_meter_messages_total', 'Messages of erased households’ meters, dropped without a trace'),
    drainerErrors: counter(
      'ontap_ingest_drainer_errors_total',
      'Faults of the drainer outside any one message (the batch is read again)',
    ),
    batchSeconds: new Histogram({
      name: 'ontap_ingest_batch_seconds',
      help: 'Time to process and write one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
export type IngestMetrics = ReturnType<typeof ingestMetrics>;

const COMMIT_EVERY_MS = 200;
const LINGER_MS = 5;
const CHUNK_MESSAGES = 500;
/** How many refused items are logged one by one per batch (the rest are counted). */
const LOGGED_PER_BATCH = 5;

export async function startIngest(options: IngestOptions): Promise<IngestService> {
  const { store, directory, logger } = options;
  const metrics = ingestMetrics();
  const spool = new Spool({ dir: options.spoolDir, fsync: options.fsync, maxSegmentAgeMs: options.maxSegmentAgeMs });
  let reader = spool.reader();
  // Dead letters are keyed by (received ms, sequence); the instance's hash keeps two ingest processes apart.
  const intake = intakeOf(options);
  const stamps = new MessageStamps(createHash('sha1').update(intake.id).digest().readUInt16BE(0));

  const lastReadings: Map<string, RegisterPoint> = await store.lastReadings();
  let lastWriteAt = Date.now();
  let lastCaughtUpAt = Date.now();
  let failingSince: number | undefined;
  let lastFailure: string | undefined;
  let drainerState: IngestHealth['drainer'] = 'running';
  let stopping = false;
  // Aborted when stop() runs out of time: every wait of the drainer ends, and what is not yet
  // committed stays in the spool for the next start.
  const stopNow = new AbortController();
  let drainedWaiters: (() => void)[] = [];

  // Read when scraped. Memory, CPU, event-loop lag and GC come with the process's metrics.
  const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        this.set(await read());
      },
    });
  gauge('ontap_ingest_spool_backlog_bytes', 'Spooled bytes not yet in the store', () => spool.backlogBytes());
  gauge('ontap_ingest_queue_depth_messages', 'Messages received by this process not yet processed', async () =>
    Math.max(0, (await currentValue(metrics.received)) - (await currentValue(metrics.processed))),
  );
  gauge('ontap_ingest_behind_seconds', 'Seconds since the drainer last caught up with the spool', () => behindSeconds());
  gauge(
    'ontap_ingest_last_write_age_seconds',
    'Seconds since the store last took a write',
    () => (Date.now() - lastWriteAt) / 1000,
  );

  const behindSeconds = () => (drainerState === 'running' ? Math.max(0, (Date.now() - lastCaughtUpAt) / 1000) : 0);

  function noteFailure(what: string, error: unknown, attempt: number): void {
    failingSince ??= Date.now();
    lastFailure = `${what}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    metrics.storeErrors.inc();
    logger.warn({ err: error, attempt }, `${what} failed; retrying`);
  }

  /** Waits before another attempt: exponential backoff up to 10 s; ends at once when stop() runs out of time. */
  const pause = (attempt: number) =>
    delay(backoffDelay(Math.min(attempt, 6), { attempts: Infinity, baseDelayMs: 200, maxDelayMs: 10_000 }) + 50, undefined, {
      signal: stopNow.signal,
    });

  /** Retries a read-only I/O step (a directory lookup) until it succeeds. */
  async function untilDone<T>(what: string, step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        noteFailure(what, error, attempt);
        await pause(attempt);
      }
    }
  }

  /** How a phase of the batch is written: retried through outages, refused items set aside (writer/isolating-write.ts). */
  function phase<T>(
    what: string,
    write: (items: readonly T[]) => Promise<void>,
    probe: () => Promise<void>,
    refused: (item: T, error: unknown) => void,
  ): IsolatingWrite<T> {
    return { write, probe, refused, failed: (error, attempt) => noteFailure(what, error, attempt), wait: pause };
  }

  /** Items the store refuses and that cannot be dead-lettered themselves: counted and logged, never retried forever. */
  function unwritable(kind: (typeof unwritableKinds)[number]) {
    let logged = 0;
    return (item: unknown, error: unknown) => {
      metrics.unwritable.inc({ kind });
      // Which meter, never what it sent (logs outlive erasure).
      const meterId = (item as { meterId?: string } | undefined)?.meterId;
      if (logged++ < LOGGED_PER_BATCH) logger.error({ err: error, meterId }, `the store refused a ${kind} for good; left out`);
    };
  }

  const batchMessages = options.batchMessages ?? 5000;
  const batchBytes = options.batchBytes ?? 256 * 1024;
  const context = {
    placementOf: (id: string) => directory.cached(id),
    isErased: (id: string) => directory.isErased(id),
    lastReadings,
    // Changed only once a batch is stored (commitStatuses): a batch read again decides the same way.
    lastStatuses: new Map<string, StatusMemory>(),
    now: Date.now,
    bridges: options.bridges,
  };
  /**
   * Leaves out what belongs to a household erased while its batch was under way (told by NOTIFY),
   * at each attempt: a write retried through an outage must not bring it back.
   */
  const notErased = <T>(items: readonly T[], meterOf: (item: T) => string | undefined): readonly T[] =>
    directory.hasErased()
      ? items.filter((item) => {
          const meterId = meterOf(item);
          return meterId === undefined || !directory.isErased(meterId);
        })
      : items;
  const deferringContext = { ...context, deferUnknownMeters: true };

  /**
   * Reads up to a batch from the spool and runs the pipeline over it, CHUNK_MESSAGES records at a
   * time: each chunk's records die before the next is read, instead of a whole batch's records
   * living through the young generation's collections and being promoted.
   */
  async function processFromSpool(): Promise<{ batch: ProcessedBatch; count: number; resumeAt?: SpoolPosition }> {
    const batch = emptyBatch();
    let count = 0;
    let caughtUp = false;
    let lastReceivedAt = Number.NEGATIVE_INFINITY;
    let bytes = 0;
    let resumeAt: SpoolPosition | undefined;
    let lingered = false;
    while (count < batchMessages && bytes < batchBytes) {
      const records = reader.read(Math.min(CHUNK_MESSAGES, batchMessages - count), batchBytes - bytes);
      if (records.length === 0) {
        caughtUp = true;
        if (count === 0 || lingered || stopping || count >= batchMessages / 10) break;
        // A trickle: wait a moment so one store write carries more (at most LINGER_MS of latency).
        lingered = true;
        await delay(LINGER_MS);
        continue;
      }
      caughtUp = false;
      for (const record of records) bytes += record.payload.length;
      lastReceivedAt = (records[records.length - 1] as SpoolRecord).receivedAt;
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
    // Statuses of flapping meters held back while their minute's cap was reached are due once that
    // minute is over in receipt time: when the spool is caught up, by the clock; while a backlog is
    // read, only up to the last message read (an older minute's statuses may still be waiting).
    releaseHeldStatuses(batch, context.lastStatuses, caughtUp ? Date.now() : lastReceivedAt);
    return { batch, count, resumeAt };
  }

  /** Stores a processed batch of `count` messages read from `from` on, then moves the checkpoint. */
  async function storeBatch(batch: ProcessedBatch, count: number, from: SpoolPosition, resumeAt: SpoolPosition, started: number) {
    for (const [index, failure] of batch.processingFailures.entries()) {
      metrics.processingFailures.inc();
      if (index < LOGGED_PER_BATCH) logger.error({ err: failure }, 'ingest failed on a message; dead-lettered PROCESSING_FAILED');
    }
    const refusedReadings: { reading: StoredReading; reason: string }[] = [];
    await writeIsolating(
      batch.readings,
      phase<StoredReading>(
        'store write',
        async (readings) => {
          // InfluxDB's adapter isolates points it refuses itself and returns them.
          for (const refused of await store.writeReadings(notErased(readings, (r) => r.meterId))) refusedReadings.push(refused);
        },
        () => store.ping(),
        (reading, error) => refusedReadings.push({ reading, reason: error instanceof Error ? error.message : String(error) }),
      ),
    );
    if (refusedReadings.length > 0) deadLetterRefused(batch, refusedReadings, count, from);
    await writeEvents(batch.events);
    const onTouched = options.onTouched;
    if (onTouched && batch.touched.size > 0) {
      await writeIsolating(
        [...batch.touched],
        phase<[string, TouchedSpan]>(
          'rollup invalidation',
          async (spans) => void (await onTouched(new Map(spans))),
          () => directory.ping(),
          unwritable('rollup mark'),
        ),
      );
    }
    await writeIsolating(
      batch.deadLetters,
      phase<DeadLetter>(
        'dead letter write',
        (letters) => store.writeDeadLetters(notErased(letters, (l) => l.meterId)),
        () => store.ping(),
        unwritable('dead letter'),
      ),
    );
    commitStatuses(batch, context.lastStatuses);
    failingSince = undefined;
    lastFailure = undefined;
    uncommitted = resumeAt;
    lastWriteAt = Date.now();
    // The checkpoint only bounds what a restart replays (replay is harmless), so it is written
    // at most every COMMIT_EVERY_MS rather than after every batch.
    if (lastWriteAt - lastCommitAt >= COMMIT_EVERY_MS) commitCheckpoint();
    metrics.processed.inc(count);
    metrics.written.inc(batch.readings.length - refusedReadings.length);
    metrics.status.inc(batch.statusMessages);
    for (const [family, count] of batch.bridged) metrics.bridged.inc({ family }, count);
    metrics.receiptTimed.inc(batch.receiptTimed);
    metrics.erased.inc(batch.erasedMessages);
    for (const letter of batch.deadLetters) metrics.deadLetters.inc({ reason: letter.reason });
    for (const event of batch.events) metrics.events.inc({ type: event.type });
    metrics.batchSeconds.observe((performance.now() - started) / 1000);
  }

  /** Writes a batch's meter events, isolating any the store refuses for good (counted, left out). */
  async function writeEvents(events: readonly MeterEvent[]): Promise<void> {
    await writeIsolating(
      events,
      phase<MeterEvent>(
        'event write',
        (items) => store.writeEvents(notErased(items, (e) => e.meterId)),
        () => store.ping(),
        unwritable('meter event'),
      ),
    );
  }

  /** Stores the held statuses released into a batch of no message (the spool had none waiting). */
  async function storeReleasedStatuses(batch: ProcessedBatch): Promise<void> {
    await writeEvents(batch.events);
    commitStatuses(batch, context.lastStatuses);
    for (const event of batch.events) metrics.events.inc({ type: event.type });
  }

  /**
   * Dead-letters readings the store refused as STORE_REJECTED, each under the message it came
   * from (found again in the spool, where the batch still is), then writes those dead letters.
   */
  function deadLetterRefused(
    batch: ProcessedBatch,
    refused: readonly { reading: StoredReading; reason: string }[],
    count: number,
    from: SpoolPosition,
  ): void {
    const again = spool.reader(from);
    const sources = again.read(count, Number.POSITIVE_INFINITY);
    again.close();
    const bySource = new Map(sources.map((record) => [`${record.receivedAt}/${record.sequence}`, record]));
    const indexOf = new Map(batch.readings.map((reading, index) => [reading, index]));
    for (const { reading, reason } of refused) {
      const index = indexOf.get(reading);
      const source =
        index === undefined
          ? undefined
          : bySource.get(`${batch.readingSources[2 * index]}/${batch.readingSources[2 * index + 1]}`);
      const detail = `reading at ${new Date(reading.ts).toISOString()}: ${reason}`;
      if (source) rejectMessage(batch, source, 'STORE_REJECTED', detail, options.bridges);
      else logger.error({ meterId: reading.meterId, detail }, 'a refused reading’s message is no longer in the spool');
    }
  }

  let uncommitted: SpoolPosition | undefined;
  let lastCommitAt = 0;
  const commitCheckpoint = () => {
    if (uncommitted) spool.commit(uncommitted);
    uncommitted = undefined;
    lastCommitAt = Date.now();
  };

  const drainer = (async () => {
    for (let faults = 0; ; ) {
      const from = reader.position;
      try {
        const started = performance.now();
        const { batch, count, resumeAt } = await processFromSpool();
        if (count > 0 && resumeAt) {
          await storeBatch(batch, count, from, resumeAt, started);
          faults = 0;
          continue;
        }
        if (batch.events.length > 0) await storeReleasedStatuses(batch);
        // Caught up: everything read is stored. Close an old segment, so that once the reader has
        // moved past it the checkpoint can pass it and it is deleted.
        spool.rotateIfOld();
        if (comparePositions(reader.position, spool.checkpoint) > 0) uncommitted = reader.position;
        commitCheckpoint();
        lastCaughtUpAt = Date.now();
        for (const wake of drainedWaiters.splice(0)) wake();
        if (stopping) {
          // The last state a flapping meter sent is never lost: what is held is stored now.
          if (hasHeldStatuses(context.lastStatuses)) {
            const last = emptyBatch();
            releaseHeldStatuses(last, context.lastStatuses, Number.POSITIVE_INFINITY);
            await storeReleasedStatuses(last);
          }
          return;
        }
        await spool.waitForAppend(100);
      } catch (error) {
        // Out of time in stop(): what is not committed is replayed at the next start.
        if (stopNow.signal.aborted) return;
        // A fault outside any one message (reading the spool, a bug of OnTap's): read the batch
        // again after a pause. Nothing is skipped; /health says so while it lasts.
        metrics.drainerErrors.inc();
        noteFailure('drainer', error, faults);
        logger.error({ err: error }, 'drainer fault; reading the batch again');
        reader.close();
        reader = spool.reader(from);
        await pause(faults++).catch(() => {});
      }
    }
  })();
  drainer.then(
    () => {
      drainerState = 'stopped';
    },
    (error) => {
      drainerState = 'crashed';
      logger.fatal({ err: error }, 'drainer stopped');
    },
  );

  const onMessage = () => metrics.received.inc();
  const brokerIntake = intake instanceof InProcessIntake ? intake : undefined;
  await intake.start(ingestTopics(options.bridges?.topicFilters()), spoolSink(spool, stamps, onMessage));

  // A count the intake keeps, copied when scraped.
  new Counter({
    name: 'ontap_ingest_mqtt_reads_total',
    help: 'Socket reads of the MQTT connection (messages received ÷ reads: the burst size)',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(intake.socketReads());
    },
  });

  const maxBehindSeconds = options.maxBehindSeconds ?? 120;
  function healthNow(): IngestHealth {
    const behind = behindSeconds();
    const mqttConnected = intake.connected();
    return {
      status:
        mqttConnected && drainerState === 'running' && failingSince === undefined && behind <= maxBehindSeconds
          ? 'ok'
          : 'degraded',
      mqttConnected,
      drainer: drainerState,
      storeHealthy: failingSince === undefined,
      failingSince: failingSince === undefined ? null : new Date(failingSince).toISOString(),
      lastFailure: lastFailure ?? null,
      behindSeconds: Math.round(behind * 10) / 10,
      spoolBacklogBytes: spool.backlogBytes(),
      lastWriteAgeSeconds: (Date.now() - lastWriteAt) / 1000,
    };
  }

  let server: Server | undefined;
  if (options.metricsPort !== undefined) {
    server = createServer((request, response) => {
      if (request.url === '/metrics') {
        renderMetrics(metrics.registry).then(
          (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      } else if (request.url === '/health') {
        const health = healthNow();
        response
          .writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(health));
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(options.metricsPort, '127.0.0.1', resolve));
  }

  return {
    ...(brokerIntake ? { brokerIntake } : {}),
    metrics,
    metricsPort: server ? (server.address() as AddressInfo).port : undefined,
    health: healthNow,
    drained: () =>
      new Promise<void>((resolve) => {
        drainedWaiters.push(resolve);
      }),
    async stop() {
      await intake.stop();
      stopping = true;
      const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
      const finished = await Promise.race([drainer.then(() => true), delay(stopTimeoutMs).then(() => false)]);
      if (!finished) {
        logger.warn(
          { backlogBytes: spool.backlogBytes(), lastFailure },
          `the spool was not drained within ${stopTimeoutMs} ms; the rest is written at the next start`,
        );
        stopNow.abort();
        // A store call under way is not waited for (it has its own timeout); its batch is replayed.
        await Promise.race([drainer, delay(1000)]);
      }
      drainedWaiters = [];
      reader.close();
      spool.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      logger.info({ processed: await currentValue(metrics.processed) }, 'ingest stopped');
    },
  };
}

function intakeOf(options: IngestOptions): Intake {
  if (options.intake) return options.intake;
  if (options.mqtt) return new PacedIntake(options.mqtt, options.logger);
  if (options.inProcess) return new InProcessIntake(options.inProcess.id);
  throw new Error('startIngest needs an intake: intake, mqtt or inProcess');
}
