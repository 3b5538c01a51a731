// npm run bench:ingest — ingest against the real Mosquitto and InfluxDB of this machine, with
// `ontap ingest` as its own process (so its CPU and memory are its own):
//   1. single-reading messages: readings/s sustained, CPU µs per reading;
//   2. batched messages (100 readings each, a device's backlog): the same figures;
//   3. 1k msg/s steady: p50/p95 from publish to queryable in InfluxDB.
// Prints medians of BENCH_RUNS runs (default 3) and the ingest process's peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { MosquittoDynsec } from '../broker/mosquitto/mosquitto-dynsec.ts';
import { type IngestProcess, metricValue, spawnIngest } from '../ingest/testing/processes.ts';
import { migrate, openDatabase } from '../storage/metadata/database.ts';
import { insertHouseholds } from '../storage/metadata/repositories/households.ts';
import { insertMeters } from '../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../storage/metadata/repositories/neighbourhoods.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../storage/metadata/testing/scratch-databases.ts';
import { InfluxHttp } from '../storage/readings/influx/influx-http.ts';
import { countMeterReadings } from '../storage/readings/influx/meter-reading-count.ts';
import { createInfluxDatabase, dropInfluxDatabase } from '../storage/readings/testing/scratch-influx-databases.ts';
import { obtainTestServices } from '../testing/services.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_PHASES=single (or batched, latency, comma-separated): only those, e.g. to profile one. */
const phases = new Set((process.env.BENCH_PHASES ?? 'single,batched,latency').split(','));
const METERS = 20_000;
const CONNECTIONS = 4;
const PUBLISH_SLICE = 10_000;
const MAX_LEAD = 50_000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] as number;

/** utime + stime of a process, in µs (from /proc; clock ticks are 1/100 s on Linux). */
function cpuMicros(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}
function cpuSplit(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

async function publishAll(clients: MqttClient[], messages: { topic: string; payload: string }[], window = 1000): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const pump = () => {
            while (inFlight < window && next < messages.length) {
              const message = messages[next++] as { topic: string; payload: string };
              inFlight++;
              client.publish(message.topic, message.payload, { qos: 1 }, (error) => {
                if (error) return reject(error);
                inFlight--;
                if (next >= messages.length && inFlight === 0) resolve();
                else pump();
              });
            }
            if (next >= messages.length && inFlight === 0) resolve();
          };
          pump();
        }),
    ),
  );
}

async function waitForWritten(ingest: IngestProcess, target: number, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const written = await metricValue(ingest.metricsPort, 'ontap_ingest_readings_written_total');
    if (written >= target) return performance.now();
    if (Date.now() > deadline) {
      const metrics = await (await fetch(`http://127.0.0.1:${ingest.metricsPort}/metrics`)).text();
      const counters = metrics
        .split('\n')
        .filter((line) => /^ontap_ingest_(messages|dead|readings|spool|store_errors)/.test(line));
      throw new Error(`only ${written} of ${target} readings written in time:\n${counters.join('\n')}`);
    }
    await sleep(20);
  }
}

/** Runs bench/mqtt-floor-subscriber.ts and publishes 100k single readings to it. */
async function mqttFloor(
  services: { mqttUrl: string; mqttIngest: { username: string; password: string } },
  clients: MqttClient[],
): Promise<{ messagesPerSecond: number; cpuMicrosPerMessage: number }> {
  const total = 100_000;
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, 'mqtt-floor-subscriber.ts'),
      services.mqttUrl,
      services.mqttIngest.username,
      services.mqttIngest.password,
      String(total),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  while (!output.includes('ready')) await sleep(20);
  const base = Date.now() - 400 * 86_400_000;
  await publishAll(
    clients,
    Array.from({ length: total }, (_, i) => ({
      topic: `ontap/v1/meters/floor-${i % 1000}/readings`,
      payload: `{"ts":${base + i},"kind":"water","register":${i},"unit":"L"}`,
    })),
  );
  await exited;
  return JSON.parse(output.split('\n').find((line) => line.startsWith('{')) ?? '{}');
}

async function main() {
  const { services, stop } = await obtainTestServices();
  const name = `ontap_bench_${Date.now().toString(36)}`;
  const dbUrl = await createPostgresDatabase(services.databaseUrl, name);
  const db = await openDatabase(dbUrl);
  await migrate(db);
  await insertNeighbourhood(db, { id: 'bn', name: 'Bench' });
  await insertStreets(db, [{ id: 'bs', neighbourhoodId: 'bn', name: 'Bench Street' }]);
  const households = Array.from({ length: METERS / 4 }, (_, i) => `bh-${i}`);
  await insertHouseholds(
    db,
    households.map((id) => ({ id, streetId: 'bs', alias: id })),
  );
  const meterIds = Array.from({ length: METERS }, (_, i) => `bm-${i}`);
  await insertMeters(db, [
    ...meterIds.map((id, i) => ({ id, householdId: `bh-${Math.floor(i / 4)}`, kind: 'water' as const })),
    { id: 'bm-latency', householdId: 'bh-0', kind: 'water' },
  ]);
  await createInfluxDatabase(services.influxUrl, name);
  const influx = new InfluxHttp({ url: services.influxUrl, database: name });

  const dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
  const gateway = { username: 'ontap-bench-gateway', password: 'bench-gateway-secret' };
  await dynsec.provisionGateway(gateway.username, gateway.password);
  await dynsec.close();
  const clients = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) =>
      mqtt.connectAsync(services.mqttUrl, {
        ...gateway,
        protocolVersion: 5,
        clientId: `ontap-bench-pub-${i}`,
        reconnectPeriod: 0,
      }),
    ),
  );

  // 0. The floor: what mqtt.js alone costs per QoS 1 message, in its own process, before the
  // ingest process (and its session) exists.
  const floor = await mqttFloor(services, clients);
  console.log(
    `mqtt.js floor: ${Math.round(floor.messagesPerSecond).toLocaleString('en')} msg/s, ${floor.cpuMicrosPerMessage.toFixed(2)} µs CPU/message`,
  );

  const ingestId = `bench-${Date.now().toString(36)}`;
  const ingest = await spawnIngest({
    ONTAP_MQTT_URL: services.mqttUrl,
    ONTAP_MQTT_USERNAME: services.mqttIngest.username,
    ONTAP_MQTT_PASSWORD: services.mqttIngest.password,
    ONTAP_INFLUX_URL: services.influxUrl,
    ONTAP_INFLUX_DB: name,
    ONTAP_DATABASE_URL: dbUrl,
    ONTAP_DATA_DIR: mkdtempSync(join(tmpdir(), 'ontap-bench-ingest-')),
    ONTAP_INGEST_ID: ingestId,
    ...(process.env.BENCH_INGEST_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_INGEST_NODE_OPTIONS } : {}),
  });
  const pid = ingest.child.pid as number;
  // A failed run must not leave its ingest behind, busy and skewing the next one.
  process.once('exit', () => ingest.child.kill('SIGKILL'));
  console.log(`ingest started: peak RSS so far ${peakRssMb(pid).toFixed(0)} MB`);
  let written = 0;
  let minute = 0;
  const base = Date.now() - 200 * 86_400_000;
  const reading = (meter: number, t: number) =>
    `{"ts":${base + t * 60_000},"kind":"water","register":${t * 3 + (meter % 7)},"unit":"L"}`;

  async function throughput(label: string, messages: { topic: string; payload: string }[], readings: number) {
    const cpuBefore = cpuMicros(pid);
    const splitBefore = cpuSplit(pid);
    const started = performance.now();
    // Publishers stay at most MAX_LEAD messages ahead of what ingest has taken, so Mosquitto's
    // queue for the ingest session (max_queued_messages, infra/mosquitto) never overflows and drops.
    const receivedBefore = await metricValue(ingest.metricsPort, 'ontap_ingest_messages_received_total');
    const readsBefore = await metricValue(ingest.metricsPort, 'ontap_ingest_mqtt_reads_total');
    for (let next = 0; next < messages.length; next += PUBLISH_SLICE) {
      while (next - ((await metricValue(ingest.metricsPort, 'ontap_ingest_messages_received_total')) - receivedBefore) > MAX_LEAD)
        await sleep(5);
      await publishAll(clients, messages.slice(next, next + PUBLISH_SLICE));
    }
    const ended = await waitForWritten(ingest, written + readings);
    written += readings;
    const seconds = (ended - started) / 1000;
    const result = { readingsPerSecond: readings / seconds, cpuMicrosPerReading: (cpuMicros(pid) - cpuBefore) / readings };
    const reads = (await metricValue(ingest.metricsPort, 'ontap_ingest_mqtt_reads_total')) - readsBefore;
    console.log(`  MQTT: ${(messages.length / reads).toFixed(1)} messages per socket read`);
    const rss = (await metricValue(ingest.metricsPort, 'process_resident_memory_bytes')) / 2 ** 20;
    const heap = (await metricValue(ingest.metricsPort, 'nodejs_heap_size_used_bytes')) / 2 ** 20;
    const heapTotal = (await metricValue(ingest.metricsPort, 'nodejs_heap_size_total_bytes')) / 2 ** 20;
    const external = (await metricValue(ingest.metricsPort, 'nodejs_external_memory_bytes')) / 2 ** 20;
    const splitAfter = cpuSplit(pid);
    console.log(
      `  cpu split: user ${((splitAfter.user - splitBefore.user) / readings).toFixed(2)} µs, system ${((splitAfter.system - splitBefore.system) / readings).toFixed(2)} µs per reading`,
    );
    console.log(`  memory: heap total ${heapTotal.toFixed(0)} MB, external ${external.toFixed(0)} MB`);
    console.log(
      `  ${label}: ${Math.round(result.readingsPerSecond).toLocaleString('en')} readings/s, ${result.cpuMicrosPerReading.toFixed(2)} µs CPU/reading (RSS now ${rss.toFixed(0)} MB, heap ${heap.toFixed(0)} MB, peak ${peakRssMb(pid).toFixed(0)} MB)`,
    );
    return result;
  }

  const single: { readingsPerSecond: number; cpuMicrosPerReading: number }[] = [];
  const batched: typeof single = [];
  const latencies: { p50: number; p95: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    console.log(`run ${run}/${runs}`);
    // 1. Single readings: 10 per meter, 200k messages.
    const singles: { topic: string; payload: string }[] = [];
    for (let t = 0; t < 10; t++, minute++)
      for (let m = 0; m < METERS; m++) singles.push({ topic: `ontap/v1/meters/bm-${m}/readings`, payload: reading(m, minute) });
    if (phases.has('single')) single.push(await throughput('single', singles, singles.length));

    // 2. Batches of 100 readings: 5000 messages, 500k readings.
    const batches: { topic: string; payload: string }[] = [];
    for (let m = 0; m < 5000; m++) {
      const items = Array.from({ length: 100 }, (_, k) => reading(m, minute + k));
      batches.push({ topic: `ontap/v1/meters/bm-${m}/readings`, payload: `[${items.join(',')}]` });
    }
    minute += 100;
    if (phases.has('batched')) batched.push(await throughput('batched', batches, 500_000));
    if (!phases.has('latency')) continue;

    // 3. 1k msg/s for 10 s through one connection; poll InfluxDB for what is queryable.
    const latencyBase = base + run * 86_400_000 * 30;
    const sentAt: number[] = [];
    const visibleAt: number[] = [];
    const total = 10_000;
    let polling = true;
    const poller = (async () => {
      while (polling || visibleAt.length < total) {
        const count = await countMeterReadings(influx, 'bm-latency', latencyBase, latencyBase + total * 1000);
        const now = performance.now();
        while (visibleAt.length < Math.min(count, sentAt.length)) visibleAt.push(now);
        if (!polling && visibleAt.length >= total) break;
        await sleep(10);
      }
    })();
    const client = clients[0] as MqttClient;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + i; // one message per millisecond
      const wait = due - performance.now();
      if (wait > 2) await sleep(wait);
      sentAt.push(performance.now());
      client.publish(
        'ontap/v1/meters/bm-latency/readings',
        `{"ts":${latencyBase + i * 1000},"kind":"water","register":${i},"unit":"L"}`,
        { qos: 1 },
      );
    }
    polling = false;
    await poller;
    written += total;
    const lags = sentAt.map((sent, i) => (visibleAt[i] as number) - sent);
    const result = { p50: quantile(lags, 0.5), p95: quantile(lags, 0.95) };
    console.log(
      `  latency at ${Math.round((total / ((sentAt[total - 1] as number) - started)) * 1000)} msg/s: p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms`,
    );
    latencies.push(result);
  }

  const rss = peakRssMb(pid);
  console.log(`\ningest, median of ${runs} runs (targets in brackets):`);
  console.log(
    `  single-reading messages  ${Math.round(median(single.map((r) => r.readingsPerSecond))).toLocaleString('en')} readings/s  (≥ 20,000)`,
  );
  console.log(
    `  batched messages         ${Math.round(median(batched.map((r) => r.readingsPerSecond))).toLocaleString('en')} readings/s  (≥ 100,000)`,
  );
  console.log(`  CPU per reading, single  ${median(single.map((r) => r.cpuMicrosPerReading)).toFixed(2)} µs  (≤ 8)`);
  console.log(`  CPU per reading, batched ${median(batched.map((r) => r.cpuMicrosPerReading)).toFixed(2)} µs  (≤ 8)`);
  console.log(
    `  publish → queryable at 1k msg/s: p50 ${median(latencies.map((l) => l.p50)).toFixed(0)} ms, p95 ${median(latencies.map((l) => l.p95)).toFixed(0)} ms`,
  );
  console.log(`  peak RSS of the ingest process ${rss.toFixed(0)} MB  (< 200)`);
  console.log(`  (a bare mqtt.js subscriber alone: ${floor.cpuMicrosPerMessage.toFixed(2)} µs CPU per message)`);

  await ingest.stop();
  for (const client of clients) await client.endAsync();
  await db.close();
  await dropInfluxDatabase(services.influxUrl, name);
  await dropPostgresDatabase(services.databaseUrl, name);
  const cleanup = await mqtt.connectAsync(services.mqttUrl, {
    ...services.mqttIngest,
    clientId: `ontap-${ingestId}`,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
  });
  await cleanup.endAsync();
  await stop?.();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
