// `ontap simulate`: a seeded neighbourhood's meter traffic, to a file or live to a broker.
import { writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { addDays, localDate, startOfLocalDay } from '../../lib/time.ts';
import { writeNdjsonFile } from '../../simulators/file-writer.ts';
import type { MessageSink } from '../../simulators/generate.ts';
import { buildManifest, generateMessages } from '../../simulators/index.ts';
import { LiveMqttSink } from '../../simulators/live.ts';
import { NdjsonFileSink } from '../../simulators/ndjson.ts';
import { parseKeyValueList, simulationSpecSchema } from '../../simulators/spec.ts';
import { parseOptions, UsageError } from '../usage-error.ts';
import type { Command } from './index.ts';

const usage = `Usage: ontap simulate [options]

  --households N        households (default 50)
  --streets N           streets (default 5)
  --days N              days ending yesterday (default 7), or:
  --from YYYY-MM-DD --to YYYY-MM-DD   local dates, inclusive
  --seed N              random seed (default 1): same seed, same bytes
  --interval MIN        water reading interval in minutes (default 15; electricity and gas 30)
  --faults LIST         e.g. leak=0.05,offline=0.1,duplicate=0.01,reorder=0.01,skew=0.05,replace=0.02,malformed=0.001
  --savings LIST        e.g. share=0.3,from=2026-06-15,min=0.1,max=0.2
  --window FROM/TO      only the messages sent in this span (ISO date-times with a zone), e.g. one
                        hour of a big neighbourhood live: 2026-05-01T08:00:00Z/2026-05-01T09:00:00Z
  --out FILE.ndjson     write every message as {"topic","payload"} lines
  --manifest FILE.json  write households, meters (with MQTT credentials), savings and faults
  --mqtt URL            publish live (QoS 1) to this broker
  --speed X             with --mqtt: simulated time runs X times faster (never past now)
  --protocol 4|5        with --mqtt: MQTT 3.1.1 (default, every broker) or 5
  --gateway USER:PASS   with --mqtt: publish through gateway connections instead of one per meter
  --connections N       gateway connections (default 4)
  --threads N           with --out alone: worker threads writing the file (default: the CPUs, at most 4);
                        the file is the same whatever the number`;

const options = {
  households: { type: 'string' },
  streets: { type: 'string' },
  days: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  seed: { type: 'string' },
  interval: { type: 'string' },
  faults: { type: 'string' },
  savings: { type: 'string' },
  out: { type: 'string' },
  manifest: { type: 'string' },
  mqtt: { type: 'string' },
  speed: { type: 'string' },
  protocol: { type: 'string' },
  gateway: { type: 'string' },
  connections: { type: 'string' },
  threads: { type: 'string' },
  window: { type: 'string' },
} as const;

/** "FROM/TO" (ISO date-times with a zone) → the spec's window. */
function parseWindow(text: string): { from: string; to: string } {
  const [from, to, ...rest] = text.split('/');
  if (!from || !to || rest.length > 0) throw new UsageError(`--window: expected FROM/TO, got "${text}"`);
  return { from, to };
}

export const simulateCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, options);
    const timeZone = process.env.ONTAP_TZ || 'Europe/London';
    const yesterday = addDays(localDate(Date.now(), timeZone), -1);
    const days = Number(values.days ?? 7);
    if (!Number.isInteger(days) || days < 1)
      throw new UsageError(`--days: expected a whole number of days, got "${values.days}"`);
    const to = values.to ?? yesterday;
    const from = values.from ?? addDays(to, 1 - days);
    const parsed = simulationSpecSchema.safeParse({
      households: values.households ?? 50,
      streets: values.streets ?? 5,
      from,
      to,
      seed: values.seed ?? 1,
      timeZone,
      intervals: values.interval ? { water: values.interval } : {},
      faults: values.faults ? parseKeyValueList(values.faults) : {},
      savings: values.savings ? parseKeyValueList(values.savings) : {},
      ...(values.window ? { window: parseWindow(values.window) } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`--${issue?.path.join('.')}: ${issue?.message}`);
    }
    const spec = parsed.data;
    if (spec.from > spec.to) throw new UsageError(`--from ${spec.from} is after --to ${spec.to}`);
    if (!values.out && !values.mqtt && !values.manifest)
      throw new UsageError('say where to: --out FILE, --mqtt URL and/or --manifest FILE');

    const manifest = buildManifest(spec);
    const sinks: (MessageSink & { close(): Promise<void> })[] = [];
    if (values.out && values.mqtt) sinks.push(new NdjsonFileSink(values.out));
    if (values.mqtt) {
      const [username, password] = (values.gateway ?? '').split(':');
      if (values.gateway !== undefined && (!username || !password)) throw new UsageError('--gateway: expected USER:PASSWORD');
      const protocol = z.coerce
        .number()
        .pipe(z.union([z.literal(4), z.literal(5)]))
        .safeParse(values.protocol ?? 4);
      if (!protocol.success) throw new UsageError('--protocol: expected 4 (MQTT 3.1.1) or 5');
      sinks.push(
        await LiveMqttSink.connect(
          {
            url: values.mqtt,
            speed: Number(values.speed ?? 1),
            protocolVersion: protocol.data,
            ...(values.gateway && username && password
              ? { gateway: { username, password, connections: Number(values.connections ?? 4) } }
              : {}),
          },
          manifest,
        ),
      );
    }
    const start = startOfLocalDay(spec.from, timeZone);
    const end = startOfLocalDay(addDays(spec.to, 1), timeZone);
    const bar = process.stderr.isTTY
      ? new SingleBar({
          format: 'simulating [{bar}] {percentage}% | {value}/{total} h | {messages} messages',
          stream: process.stderr,
        })
      : undefined;
    bar?.start(Math.round((end - start) / 3_600_000), 0, { messages: 0 });
    let count = 0;
    const progress = (at: number, messages: number) => {
      if (bar && at % 3_600_000 === 0) bar.update(Math.round((at - start) / 3_600_000), { messages });
    };
    if (values.out && !values.mqtt) {
      // A file alone: worker threads generate shares of the meters (same bytes, faster).
      const threads = values.threads === undefined ? undefined : Number(values.threads);
      if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
        throw new UsageError(`--threads: expected a whole number ≥ 1, got "${values.threads}"`);
      ({ messages: count } = await writeNdjsonFile(spec, manifest, values.out, {
        ...(threads === undefined ? {} : { threads }),
        onProgress: (at, messages) => progress(at - (at % 3_600_000), messages),
      }));
    } else {
      await generateMessages(spec, manifest, {
        message(topic, payload, at, isJson) {
          count++;
          for (const sink of sinks) sink.message(topic, payload, at, isJson);
        },
        async tick(at) {
          for (const sink of sinks) await sink.tick?.(at);
          progress(at, count);
        },
      });
    }
    bar?.stop();
    for (const sink of sinks) await sink.close();
    if (values.manifest) await writeFile(values.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    console.error(
      `${count} messages from ${manifest.meters.length} meters in ${manifest.households.length} households, ${spec.from} to ${spec.to}`,
    );
    return 0;
  },
};
