// Both MQTT intakes, the same promises, against the test Mosquitto: every message arrives byte for
// byte; a QoS 1 message is acknowledged only once its spool write has finished, so a write that
// is slow holds the PUBACK and a write that fails means the broker sends the message again; a
// connection the broker drops is made again; stop() lets a write under way finish first; hostile
// messages do not stop the intake. Whether the broker got a PUBACK is seen the broker's way: a
// message it was not acknowledged comes again on the session's next connection, one it was does not.
import mqtt from 'mqtt';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { testServices } from '../../testing/inject.ts';
import { dropSession, gatewayCredentials, ingestAccount, uniqueId } from '../testing/harness.ts';
import { type Received, recordingSink } from '../testing/recording-sink.ts';
import { type Intake, ingestTopics } from './intake.ts';
import { createMqttIntake, mqttIntakeKinds } from './mqtt-intakes.ts';
import type { MqttIntakeOptions } from './mqtt-options.ts';

const services = testServices();
const POLL = { timeout: 30_000, interval: 100 };

interface Sent {
  topic: string;
  payload: string | Buffer;
  qos?: 0 | 1;
  retain?: boolean;
}

const readings = (prefix: string, count: number): Sent[] =>
  Array.from({ length: count }, (_, i) => ({
    topic: `ontap/v1/meters/${prefix}-${i % 7}/readings`,
    // Every 50th message is big enough to be cut across socket reads.
    payload: i % 50 === 0 ? `{"i":${i},"pad":"${'x'.repeat(150_000)}"}` : `{"i":${i}}`,
  }));

const text = (messages: readonly (Sent | Received)[]) =>
  messages.map(({ topic, payload }) => `${topic} ${Buffer.from(payload).toString('base64')}`);

async function publish(messages: readonly Sent[]): Promise<void> {
  const publisher = await mqtt.connectAsync(services.mqttUrl, {
    ...(await gatewayCredentials()),
    clientId: uniqueId('ontap-test-gateway-'),
    protocolVersion: 5,
  });
  await Promise.all(
    messages.map((message) =>
      publisher.publishAsync(message.topic, message.payload, { qos: message.qos ?? 1, retain: message.retain ?? false }),
    ),
  );
  await publisher.endAsync();
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gate a write waits on. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe.each(mqttIntakeKinds)('the %s intake on Mosquitto (MQTT 5)', (kind) => {
  /**
   * An intake on an account of its own (so only the test drops its connections), started on
   * ingest's topics into a recording sink. A second intake of the same session passes `clientId`
   * and the first one's `account`.
   */
  async function started(options: Partial<MqttIntakeOptions> = {}, given?: Awaited<ReturnType<typeof ingestAccount>>) {
    const account = given ?? (await ingestAccount());
    if (!given) cleanups.push(() => account.remove());
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const clientId = options.clientId ?? uniqueId('ontap-intake-');
    const intake: Intake = createMqttIntake(
      kind,
      {
        url: services.mqttUrl,
        ...account.credentials,
        clientId,
        protocolVersion: 5,
        sessionExpirySeconds: 300,
        reconnectMs: 100,
        ...options,
      },
      logger,
    );
    const recording = recordingSink();
    cleanups.push(async () => {
      await intake.stop();
      await dropSession(clientId);
    });
    await intake.start(ingestTopics(), recording.sink);
    return { intake, clientId, account, logs, ...recording };
  }

  it('delivers QoS 0 and QoS 1 messages byte for byte, the retained flag with them, and acknowledges QoS 1 once written', async () => {
    const prefix = uniqueId('d');
    const status: Sent = { topic: `ontap/v1/meters/${prefix}-r/status`, payload: '{"online":true}', retain: true };
    cleanups.push(() => publish([{ ...status, payload: '' }]));
    await publish([status]); // retained before the intake subscribes: it comes flagged so
    const first = await started();
    expect(first.intake.id).toBe(first.clientId);
    expect(first.intake.connected()).toBe(true);
    const atLeastOnce = readings(prefix, 500);
    const atMostOnce = readings(`${prefix}q0`, 30).map((message): Sent => ({ ...message, qos: 0 }));
    await publish([...atLeastOnce, ...atMostOnce]);

    const live = () => first.ours(prefix).filter((message) => !message.retained);
    await expect.poll(() => live().length + first.ours(`${prefix}q0`).length, POLL).toBe(530);
    expect(text(live())).toStrictEqual(text(atLeastOnce));
    expect(text(first.ours(`${prefix}q0`)).sort()).toStrictEqual(text(atMostOnce).sort());
    expect(first.ours(prefix).filter((message) => message.retained)).toStrictEqual([
      { topic: status.topic, payload: Buffer.from('{"online":true}'), retained: true },
    ]);
    expect(first.intake.socketReads()).toBeGreaterThan(0);

    // Acknowledged: the session's next connection gets none of them again, only what comes later.
    await first.intake.stop();
    expect(first.intake.connected()).toBe(false);
    const next = await started({ clientId: first.clientId }, first.account);
    const marker: Sent = { topic: `ontap/v1/meters/${prefix}-m/readings`, payload: 'after' };
    await publish([marker]);
    await expect.poll(() => text(next.ours(prefix).filter((message) => !message.retained)), POLL).toStrictEqual(text([marker]));
  });

  it('holds the PUBACK while the spool write is slow: the broker, dropping the connection meanwhile, sends the message again', async () => {
    const { intake, account, ours, onWrite } = await started();
    const prefix = uniqueId('s');
    const slow: Sent = { topic: `ontap/v1/meters/${prefix}-slow/readings`, payload: 'slow' };
    const write = gate();
    let waiting = 0;
    onWrite((batch) => {
      if (waiting > 0 || !batch.some((message) => message.topic === slow.topic)) return;
      waiting++;
      return write.opened;
    });
    await publish([slow]);
    await expect.poll(() => waiting, POLL).toBe(1);
    // The write is under way, so the broker has no PUBACK yet. When this answers, the broker has
    // closed the connection: a PUBACK sent on it after the write can no longer reach the session.
    await account.disable();
    write.open();
    await expect.poll(() => ours(prefix).length, POLL).toBe(1);
    // (An intake paused on its write notices the drop only now.)
    await expect.poll(() => intake.connected(), POLL).toBe(false);
    await account.enable();
    await expect.poll(() => text(ours(prefix)), POLL).toStrictEqual(text([slow, slow]));
    expect(intake.connected()).toBe(true);
  });

  it('acknowledges a slow write once it finishes', async () => {
    const first = await started();
    const prefix = uniqueId('a');
    const slow: Sent = { topic: `ontap/v1/meters/${prefix}-slow/readings`, payload: 'slow but sure' };
    const write = gate();
    let waiting = 0;
    first.onWrite((batch) => {
      if (waiting > 0 || !batch.some((message) => message.topic === slow.topic)) return;
      waiting++;
      return write.opened;
    });
    await publish([slow]);
    await expect.poll(() => waiting, POLL).toBe(1);
    write.open();
    await expect.poll(() => first.ours(prefix).length, POLL).toBe(1);
    // DISCONNECT follows the PUBACK on the same connection: the next one gets only what comes later.
    await first.intake.stop();
    const next = await started({ clientId: first.clientId }, first.account);
    const marker: Sent = { topic: `ontap/v1/meters/${prefix}-m/readings`, payload: 'after' };
    await publish([marker]);
    await expect.poll(() => text(next.ours(prefix)), POLL).toStrictEqual(text([marker]));
  });

  it('sends no PUBACK when the spool write fails, at once or later: the message comes again after the reconnect', async () => {
    const { intake, ours, onWrite, logs } = await started();
    const prefix = uniqueId('f');
    const sent = readings(prefix, 20);
    const failing = sent[3] as Sent;
    let failures = 0;
    onWrite((batch) => {
      if (failures >= 2 || !batch.some((message) => message.topic === failing.topic)) return;
      failures++;
      // As the spool fails (synchronously: disk full), then as a write that waits and fails.
      if (failures === 1) throw new Error('disk full (test)');
      return Promise.reject(new Error('disk full, later (test)'));
    });
    await publish(sent);
    await expect.poll(() => new Set(text(ours(prefix))).size, POLL).toBe(sent.length);
    expect(failures).toBe(2);
    expect(new Set(text(ours(prefix)))).toStrictEqual(new Set(text(sent)));
    expect(logs.filter((line) => line.msg.startsWith('spool write failed')).length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => intake.connected(), POLL).toBe(true);
  });

  it('reconnects after the broker drops the connection, and gets what the session kept meanwhile', async () => {
    const { intake, account, ours, logs } = await started();
    await account.disable();
    await expect.poll(() => intake.connected(), POLL).toBe(false);
    const prefix = uniqueId('r');
    const sent = readings(prefix, 200);
    await publish(sent);
    await account.enable();
    await expect.poll(() => intake.connected(), POLL).toBe(true);
    await expect.poll(() => ours(prefix).length, POLL).toBe(sent.length);
    expect(text(ours(prefix))).toStrictEqual(text(sent));
    expect(logs.some((line) => line.msg.startsWith('mqtt offline'))).toBe(true);
  });

  it('stop() lets the write under way finish and acknowledges it before it ends; the session keeps the rest', async () => {
    const first = await started();
    const prefix = uniqueId('t');
    const slow: Sent = { topic: `ontap/v1/meters/${prefix}-slow/readings`, payload: 'in the spool before the goodbye' };
    const write = gate();
    let waiting = 0;
    first.onWrite((batch) => {
      if (waiting > 0 || !batch.some((message) => message.topic === slow.topic)) return;
      waiting++;
      return write.opened;
    });
    await publish([slow]);
    await expect.poll(() => waiting, POLL).toBe(1);
    let stopped = false;
    const stopping = first.intake.stop().then(() => {
      stopped = true;
    });
    const later = readings(prefix, 10);
    await publish(later);
    expect(stopped).toBe(false);
    write.open();
    await stopping;
    expect(first.intake.connected()).toBe(false);
    expect(text(first.ours(prefix))).toStrictEqual(text([slow]));

    // The slow one was acknowledged before the DISCONNECT; the rest waited in the session.
    const next = await started({ clientId: first.clientId }, first.account);
    await expect.poll(() => next.ours(prefix).length, POLL).toBe(later.length);
    expect(text(next.ours(prefix))).toStrictEqual(text(later));
  });

  it('goes on after hostile and oversized messages', async () => {
    const { intake, ours, logs } = await started();
    const prefix = uniqueId('h');
    const topic = (name: string) => `ontap/v1/meters/${prefix}-${name}/readings`;
    const hostile: Sent[] = [
      // Over the device contract's 256 KiB, under the broker's 320 KiB packet limit: ingest's to refuse, not the intake's.
      { topic: topic('big'), payload: Buffer.alloc(300 * 1024, 0x7b) },
      { topic: topic('binary'), payload: Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80, 0x0a]) },
      { topic: topic('empty'), payload: '' },
      { topic: topic('nested'), payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
      { topic: `ontap/v1/meters/${prefix}-${'x'.repeat(60_000)}/readings`, payload: '{}' },
      { topic: topic('utf8'), payload: '{"ts":"\u202e\ud83d\udca7\u0000"}' },
    ];
    await publish(hostile);
    // Over the broker's packet limit: Mosquitto drops that sender; the intake never sees it.
    const oversized = await mqtt.connectAsync(services.mqttUrl, {
      ...(await gatewayCredentials()),
      clientId: uniqueId('ontap-test-gateway-'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    oversized.on('error', () => {});
    const dropped = new Promise<void>((resolve) => oversized.once('close', () => resolve()));
    oversized.publish(topic('oversized'), Buffer.alloc(400 * 1024, 0x20), { qos: 0 });
    await dropped;
    oversized.end(true);
    const after = readings(`${prefix}ok`, 20);
    await publish(after);

    await expect.poll(() => ours(`${prefix}ok`).length, POLL).toBe(after.length);
    expect(text(ours(`${prefix}ok`))).toStrictEqual(text(after));
    expect(text(ours(prefix))).toStrictEqual(text(hostile));
    expect(intake.connected()).toBe(true);
    expect(logs.filter((line) => line.level >= 40).map((line) => line.msg)).toStrictEqual([]);
  });

  it('rejects start() with the broker’s reason when it refuses the connection', async () => {
    const intake = createMqttIntake(
      kind,
      {
        url: services.mqttUrl,
        username: services.mqttIngest.username,
        password: 'wrong password',
        clientId: uniqueId('ontap-intake-'),
        protocolVersion: 5,
        reconnectMs: 100,
      },
      pino({ level: 'silent' }),
    );
    await expect(intake.start(ingestTopics(), recordingSink().sink)).rejects.toThrow(/bad user name or password|not authorized/i);
    expect(intake.connected()).toBe(false);
    await intake.stop();
  });
});
