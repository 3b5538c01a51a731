// npm run bench:simulate — how fast the simulator writes readings to a file, and how many live
// meters (one reading a minute) one process can carry through gateway connections to a real
// Mosquitto. Prints medians of several runs; the machines are shared and noisy.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { MosquittoDynsec } from '../broker/mosquitto/mosquitto-dynsec.ts';
import { addDays, localDate } from '../lib/time.ts';
import { writeNdjsonFile } from '../simulators/file-writer.ts';
import { PARTITIONS } from '../simulators/generate.ts';
import { buildManifest, generateMessages, simulationSpecSchema } from '../simulators/index.ts';
import { LiveMqttSink } from '../simulators/live.ts';
import { obtainTestServices } from '../testing/services.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const yesterday = addDays(localDate(Date.now(), 'UTC'), -1);

async function fileRate(threads?: number): Promise<{ readingsPerSecond: number; bytes: number; readings: number }> {
  const spec = simulationSpecSchema.parse({ households: 2000, streets: 20, from: '2026-05-01', to: '2026-05-14', seed: 1 });
  const path = join(tmpdir(), `ontap-bench-${process.pid}.ndjson`);
  const manifest = buildManifest(spec);
  const started = performance.now();
  const { messages } = await writeNdjsonFile(spec, manifest, path, threads === undefined ? {} : { threads });
  const seconds = (performance.now() - started) / 1000;
  const bytes = (await stat(path)).size;
  await rm(path);
  return { readingsPerSecond: messages / seconds, bytes, readings: messages };
}

/** Publishes QoS 1 readings as fast as PUBACKs return, through `connections` gateway clients, for `seconds`. */
async function liveRate(url: string, gateway: { username: string; password: string }, connections: number, seconds: number) {
  const clients = await Promise.all(
    Array.from({ length: connections }, (_, i) =>
      mqtt.connectAsync(url, { ...gateway, protocolVersion: 5, clientId: `ontap-bench-gw-${i}`, reconnectPeriod: 0 }),
    ),
  );
  let acked = 0;
  const deadline = Date.now() + seconds * 1000;
  const meters = 100_000;
  await Promise.all(
    clients.map(async (client, c) => {
      let n = c;
      const window = 500;
      let inFlight = 0;
      await new Promise<void>((resolve) => {
        const pump = () => {
          while (inFlight < window && Date.now() < deadline) {
            const meter = `bench-${n % meters}`;
            n += connections;
            inFlight++;
            client.publish(
              `ontap/v1/meters/${meter}/readings`,
              `{"ts":${Date.now()},"kind":"water","register":${n},"unit":"L"}`,
              { qos: 1 },
              () => {
                inFlight--;
                acked++;
                if (Date.now() < deadline) pump();
                else if (inFlight === 0) resolve();
              },
            );
          }
        };
        pump();
      });
    }),
  );
  await Promise.all(clients.map((client) => client.endAsync()));
  return acked / seconds;
}

for (const threads of [1, undefined]) {
  const fileRuns = [];
  for (let i = 0; i < runs; i++) fileRuns.push(await fileRate(threads));
  const fileMedian = median(fileRuns.map((r) => r.readingsPerSecond));
  console.log(
    `file (${threads === 1 ? '1 thread' : `${Math.min(availableParallelism(), PARTITIONS)} worker threads`}): ${fileRuns[0]?.readings} readings (${((fileRuns[0]?.bytes ?? 0) / 1e6).toFixed(0)} MB) per run; readings/s median of ${runs}: ${Math.round(fileMedian).toLocaleString('en-GB')}  [${fileRuns.map((r) => Math.round(r.readingsPerSecond)).join(', ')}]`,
  );
}

const { services, stop } = await obtainTestServices();
const dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
const gateway = { username: 'bench-gateway', password: randomBytes(12).toString('hex') };
// A gateway may publish for any meter under ontap/v1/meters/ (a bench-only identity).
await dynsec
  .send({
    command: 'createRole',
    rolename: 'bench-gateway',
    acls: [{ acltype: 'publishClientSend', topic: 'ontap/v1/meters/#', allow: true }],
  })
  .catch(() => undefined);
await dynsec.send({ command: 'deleteClient', username: gateway.username }).catch(() => undefined);
await dynsec.send({ command: 'createClient', ...gateway, roles: [{ rolename: 'bench-gateway' }] });
const liveRuns = [];
for (let i = 0; i < runs; i++) liveRuns.push(await liveRate(services.mqttUrl, gateway, 4, 5));

// The simulator itself live: a generated neighbourhood of ≈100k meters (water, electricity, gas),
// one hour of it (a window of yesterday) through LiveMqttSink's gateway connections as fast as
// Mosquitto acknowledges, the meters' own schedules (15 and 30 minutes) and all.
const neighbourhood = simulationSpecSchema.parse({
  households: 35_100,
  streets: 300,
  from: yesterday,
  to: yesterday,
  seed: 3,
  idPrefix: 'bench',
  window: { from: `${yesterday}T09:00:00Z`, to: `${yesterday}T10:00:00Z` },
});
const bigManifest = buildManifest(neighbourhood);
const simulatedRuns: { perSecond: number; messages: number; seconds: number }[] = [];
for (let i = 0; i < runs; i++) {
  const sink = await LiveMqttSink.connect(
    {
      url: services.mqttUrl,
      speed: 1e9, // the window is in the past: no pacing, only back-pressure
      protocolVersion: 5,
      gateway: { ...gateway, connections: 4 },
    },
    bigManifest,
  );
  let started = 0;
  await generateMessages(neighbourhood, bigManifest, {
    message(topic, payload) {
      started ||= performance.now(); // from the first message: the day's draws before it are not publishing
      sink.message(topic, payload);
    },
    tick: (at) => sink.tick(at),
  });
  await sink.close();
  const seconds = (performance.now() - started) / 1000;
  if (sink.failed > 0) throw new Error(`${sink.failed} publishes failed: ${sink.lastError?.message}`);
  simulatedRuns.push({ perSecond: sink.published / seconds, messages: sink.published, seconds });
}
await dynsec.send({ command: 'deleteClient', username: gateway.username });
await dynsec.close();
await stop?.();
const liveMedian = median(liveRuns);
console.log(
  `live: QoS 1 publishes acknowledged by Mosquitto through 4 gateway connections, msg/s median of ${runs}: ${Math.round(liveMedian).toLocaleString('en-GB')}  [${liveRuns.map(Math.round).join(', ')}]`,
);
console.log(
  `live meters sustained at one reading a minute (synthetic pump): ${Math.round(liveMedian * 60).toLocaleString('en-GB')} (target 100,000)`,
);
const simulatedMedian = median(simulatedRuns.map((r) => r.perSecond));
console.log(
  `live simulation of ${bigManifest.meters.length.toLocaleString('en-GB')} meters (one hour, ${simulatedRuns[0]?.messages.toLocaleString('en-GB')} QoS 1 messages through LiveMqttSink, 4 gateway connections): msg/s median of ${runs}: ${Math.round(simulatedMedian).toLocaleString('en-GB')}  [${simulatedRuns.map((r) => `${Math.round(r.perSecond)} (${r.seconds.toFixed(1)} s)`).join(', ')}]`,
);
console.log(
  `  → meters one process carries at one reading a minute: ${Math.round(simulatedMedian * 60).toLocaleString('en-GB')} (target 100,000); the hour took ${(median(simulatedRuns.map((r) => r.seconds)) / 60).toFixed(2)} min of the 60 it simulates`,
);
