// The in-process intake inside the embedded broker (Aedes, MQTT 3.1.1), with meters publishing
// over TCP. Here the PUBACK that waits for the spool write is the broker's to the publisher: a
// slow write holds it, a failed one means none (the broker drops the publisher, which sends the
// message again), stop() lets a write under way finish and refuses what comes after.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialBook } from '../../broker/credentials.ts';
import { startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { meterTopic } from '../../devices/contract/topics.ts';
import { recordingSink } from '../testing/recording-sink.ts';
import { InProcessIntake } from './in-process-intake.ts';
import { ingestTopics } from './intake.ts';

const POLL = { timeout: 30_000, interval: 50 };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function brokerWithIntake() {
  const intake = new InProcessIntake('ontap-ingest-test');
  const recording = recordingSink();
  await intake.start(ingestTopics(), recording.sink);
  const book = new CredentialBook();
  await book.add('meter-m1', 'pw1', { role: 'meter', meterId: 'm1' });
  const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book, intake });
  cleanups.push(() => broker.close());
  cleanups.push(() => intake.stop());
  const meter = async (options: mqtt.IClientOptions = {}): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(broker.url, {
      username: 'meter-m1',
      password: 'pw1',
      clientId: 'meter-m1',
      protocolVersion: 4,
      reconnectPeriod: 0,
      ...options,
    });
    client.on('error', () => {});
    cleanups.push(() => client.endAsync(true));
    return client;
  };
  return { intake, meter, ...recording };
}

/** A gate a write waits on. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const readings = meterTopic('m1', 'readings');
const payloads = (received: readonly { payload: Buffer }[]) => received.map((message) => message.payload.toString('utf8'));

describe('the in-process intake in the embedded broker', () => {
  it('takes QoS 0 and QoS 1 publishes byte for byte, all live, and leaves other topics alone', async () => {
    const { intake, meter, committed } = await brokerWithIntake();
    expect(intake.id).toBe('ontap-ingest-test');
    expect(intake.connected()).toBe(true);
    expect(intake.socketReads()).toBe(0);
    const client = await meter();
    await client.publishAsync(meterTopic('m1', 'status'), '{"online":true}', { qos: 1, retain: true });
    for (let i = 0; i < 100; i++) await client.publishAsync(readings, `{"i":${i}}`, { qos: 1 });
    await client.publishAsync(readings, Buffer.from([0x00, 0xff, 0xc3, 0x28]), { qos: 0 });
    await client.publishAsync(readings, '', { qos: 1 });
    // A device's housekeeping on a topic ingest does not read: acknowledged by the broker, not taken.
    await client.publishAsync('tele/plug/STATE', '{"POWER":"ON"}', { qos: 1 });
    await expect.poll(() => committed.length, POLL).toBe(103);
    // Published with retain, but live: only a broker's replay to a new subscriber is old, and
    // ingest here is no subscriber (a live retained status is stored, as through an MQTT intake).
    expect(committed[0]).toStrictEqual({
      topic: meterTopic('m1', 'status'),
      payload: Buffer.from('{"online":true}'),
      retained: false,
    });
    expect(payloads(committed.slice(1, 101))).toStrictEqual(Array.from({ length: 100 }, (_, i) => `{"i":${i}}`));
    expect(committed.slice(101).map((message) => message.payload)).toStrictEqual([
      Buffer.from([0x00, 0xff, 0xc3, 0x28]),
      Buffer.alloc(0),
    ]);
    expect(intake.reads('tele/plug/STATE')).toBe(false);
  });

  it('holds the publisher’s PUBACK while the spool write is slow', async () => {
    const { meter, committed, onWrite } = await brokerWithIntake();
    const write = gate();
    let waiting = 0;
    onWrite(() => {
      waiting++;
      return waiting === 1 ? write.opened : undefined;
    });
    const client = await meter();
    const order: string[] = [];
    const published = client.publishAsync(readings, 'slow', { qos: 1 }).then(() => void order.push('acknowledged'));
    await expect.poll(() => waiting, POLL).toBe(1);
    expect(order).toStrictEqual([]);
    order.push('written');
    write.open();
    await published;
    expect(order).toStrictEqual(['written', 'acknowledged']);
    expect(payloads(committed)).toStrictEqual(['slow']);
  });

  it('gives the publisher no PUBACK when the spool write fails, at once or later: it sends the message again', async () => {
    const { meter, committed, onWrite } = await brokerWithIntake();
    let failures = 0;
    onWrite(() => {
      if (failures >= 2) return;
      failures++;
      if (failures === 1) throw new Error('disk full (test)');
      return Promise.reject(new Error('disk full, later (test)'));
    });
    // A persistent session, as meters keep: what was not acknowledged is sent again on reconnect.
    const client = await meter({ clean: false, reconnectPeriod: 100 });
    let closes = 0;
    client.on('close', () => closes++);
    await client.publishAsync(readings, 'again', { qos: 1 });
    expect(failures).toBe(2);
    expect(closes).toBe(2);
    expect(payloads(committed)).toStrictEqual(['again']);
  });

  it('stop() lets the write under way finish, then refuses what comes (the sender keeps it)', async () => {
    const { intake, meter, committed, onWrite } = await brokerWithIntake();
    const write = gate();
    let waiting = 0;
    onWrite(() => {
      waiting++;
      return waiting === 1 ? write.opened : undefined;
    });
    const client = await meter();
    const published = client.publishAsync(readings, 'under way', { qos: 1 });
    await expect.poll(() => waiting, POLL).toBe(1);
    let stopped = false;
    const stopping = intake.stop().then(() => {
      stopped = true;
    });
    expect(stopped).toBe(false);
    write.open();
    await Promise.all([stopping, published]);
    expect(intake.connected()).toBe(false);

    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    let acknowledged = false;
    client.publish(readings, 'after the stop', { qos: 1 }, (error) => {
      acknowledged = !error;
    });
    await closed;
    expect(acknowledged).toBe(false);
    expect(payloads(committed)).toStrictEqual(['under way']);
  });

  it('goes on after a publisher is dropped for an oversized packet', async () => {
    const { meter, committed } = await brokerWithIntake();
    const big = await meter();
    const dropped = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.publish(readings, Buffer.alloc(1024 * 1024, 0x20), { qos: 1 });
    await dropped;
    const client = await meter();
    await client.publishAsync(readings, '{"after":true}', { qos: 1 });
    expect(payloads(committed)).toStrictEqual(['{"after":true}']);
  });
});

describe('the in-process intake before it is started', () => {
  it('claims OnTap’s own topics and refuses their publishes, so the broker acknowledges none unspooled', async () => {
    const intake = new InProcessIntake('ontap-ingest-test');
    expect(intake.connected()).toBe(false);
    expect(intake.reads(readings)).toBe(true);
    await expect(intake.accept(readings, Buffer.from('{}'), false)).rejects.toThrow('ingest has not started');
  });
});
