// The paced subscriber against real brokers: the test Mosquitto (MQTT 5) and the embedded Aedes
// (MQTT 3.1.1). Messages arrive byte for byte, big ones cut across reads included; PUBACKs leave
// only after the sink committed, so a failed commit means redelivery, not loss.
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialBook } from '../../broker/credentials.ts';
import { startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { testServices } from '../../testing/inject.ts';
import { dropSession, gatewayCredentials, ingestAccount, uniqueId } from '../testing/harness.ts';
import { PacedSubscriber, type PublishSink } from './paced-subscriber.ts';

interface Received {
  topic: string;
  payload: string;
  retained: boolean;
}

/** A sink that keeps what it is given, and whose commit can be made to fail. */
function recordingSink(options: { failCommits?: number } = {}) {
  const pending: Received[] = [];
  const committed: Received[] = [];
  let failures = options.failCommits ?? 0;
  const sink: PublishSink = {
    message(buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained) {
      const bytes = Buffer.from(buffer);
      pending.push({
        topic: bytes.toString('utf8', topicStart, topicEnd),
        payload: bytes.toString('utf8', payloadStart, payloadEnd),
        retained,
      });
    },
    commit() {
      if (failures > 0) {
        failures--;
        pending.length = 0;
        throw new Error('disk full (test)');
      }
      committed.push(...pending.splice(0));
    },
  };
  return { sink, committed };
}

const messages = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    topic: `ontap/v1/meters/${prefix}-${i % 7}/readings`,
    // Every 50th message is big enough to be cut across socket reads.
    payload: i % 50 === 0 ? `{"i":${i},"pad":"${'x'.repeat(150_000)}"}` : `{"i":${i}}`,
  }));

const subscribers: PacedSubscriber[] = [];
afterEach(async () => {
  await Promise.all(subscribers.splice(0).map((subscriber) => subscriber.close()));
});

describe('paced subscriber on Mosquitto (MQTT 5)', () => {
  const services = testServices();
  // An account of its own: the shared ingest account's connections are dropped whenever a test run starts.
  let account: Awaited<ReturnType<typeof ingestAccount>>;
  beforeAll(async () => {
    account = await ingestAccount();
  });
  afterAll(() => account?.remove());
  const subscriberOptions = (clientId: string) => ({
    url: services.mqttUrl,
    ...account.credentials,
    clientId,
    protocolVersion: 5 as const,
    sessionExpirySeconds: 60,
    topics: [`ontap/v1/meters/+/readings`],
    readPauseMs: 1,
  });

  async function publish(sent: { topic: string; payload: string }[]) {
    const publisher = await mqtt.connectAsync(services.mqttUrl, {
      ...(await gatewayCredentials()),
      clientId: uniqueId('pub'),
      protocolVersion: 5,
    });
    await Promise.all(sent.map((message) => publisher.publishAsync(message.topic, message.payload, { qos: 1 })));
    await publisher.endAsync();
  }

  it('delivers every message byte for byte, in order, and acknowledges them once committed', async () => {
    const prefix = uniqueId('ps');
    const clientId = uniqueId('ontap-paced');
    const { sink, committed } = recordingSink();
    const subscriber = new PacedSubscriber(subscriberOptions(clientId), sink);
    subscribers.push(subscriber);
    await subscriber.start();
    expect(subscriber.connected).toBe(true);
    const sent = messages(prefix, 2000);
    await publish(sent);
    const ours = () => committed.filter((message) => message.topic.includes(`/${prefix}-`));
    await expect.poll(() => ours().length, { timeout: 20_000 }).toBe(sent.length);
    expect(ours().map(({ topic, payload }) => ({ topic, payload }))).toStrictEqual(sent);
    // Acknowledged: a new connection of the same session gets nothing again.
    await subscriber.close();
    const again = recordingSink();
    const next = new PacedSubscriber(subscriberOptions(clientId), again.sink);
    subscribers.push(next);
    await next.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(again.committed.filter((message) => message.topic.includes(`/${prefix}-`))).toStrictEqual([]);
    await next.close();
    await dropSession(clientId);
  });

  it('sends no PUBACK when the commit fails: the broker delivers again after the reconnect', async () => {
    const prefix = uniqueId('pf');
    const clientId = uniqueId('ontap-paced');
    const { sink, committed } = recordingSink({ failCommits: 1 });
    const subscriber = new PacedSubscriber({ ...subscriberOptions(clientId), reconnectMs: 100 }, sink);
    subscribers.push(subscriber);
    const errors: Error[] = [];
    subscriber.on('error', (error) => errors.push(error));
    await subscriber.start();
    const sent = messages(prefix, 300);
    await publish(sent);
    const ours = () => committed.filter((message) => message.topic.includes(`/${prefix}-`));
    await expect.poll(() => new Set(ours().map((message) => message.payload)).size, { timeout: 20_000 }).toBe(sent.length);
    expect(errors.map((error) => error.message)).toContain('disk full (test)');
    await subscriber.close();
    await dropSession(clientId);
  });

  it('says why the broker refused it', async () => {
    const subscriber = new PacedSubscriber(
      { ...subscriberOptions(uniqueId('ontap-paced')), password: 'wrong password' },
      recordingSink().sink,
    );
    await expect(subscriber.start()).rejects.toThrow(/refused the connection.*(bad user name or password|not authorized)/);
  });

  it('pauses after reads by default, also when the option is passed as undefined (as ingest passes it)', () => {
    const { sink } = recordingSink();
    expect(new PacedSubscriber({ ...subscriberOptions('x'), readPauseMs: undefined }, sink).readPauseMs).toBe(1);
    expect(new PacedSubscriber({ ...subscriberOptions('x'), readPauseMs: 0 }, sink).readPauseMs).toBe(0);
  });

  it('refuses WebSocket URLs with a clear reason', () => {
    expect(() => new PacedSubscriber({ ...subscriberOptions('x'), url: 'ws://127.0.0.1:9001' }, recordingSink().sink)).toThrow(
      'ingest connects to its broker over mqtt:// or mqtts://, not ws://',
    );
  });
});

describe('paced subscriber on the embedded broker (MQTT 3.1.1)', () => {
  it('delivers the retained flag and every message', async () => {
    const book = new CredentialBook();
    await book.add('meter-m1', 'pw1', { role: 'meter', meterId: 'm1' });
    await book.add('ingest', 'pw-ingest', { role: 'service', name: 'ingest' });
    const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book });
    try {
      const meter = await mqtt.connectAsync(broker.url, {
        username: 'meter-m1',
        clientId: 'meter-m1',
        password: 'pw1',
        protocolVersion: 4,
      });
      await meter.publishAsync('ontap/v1/meters/m1/status', '{"online":true}', { qos: 1, retain: true });
      const { sink, committed } = recordingSink();
      const subscriber = new PacedSubscriber(
        {
          url: broker.url,
          username: 'ingest',
          password: 'pw-ingest',
          clientId: 'ontap-paced-embedded',
          protocolVersion: 4,
          topics: ['ontap/v1/meters/+/readings', 'ontap/v1/meters/+/status'],
        },
        sink,
      );
      subscribers.push(subscriber);
      await subscriber.start();
      for (let i = 0; i < 100; i++) await meter.publishAsync('ontap/v1/meters/m1/readings', `{"i":${i}}`, { qos: 1 });
      await expect.poll(() => committed.length, { timeout: 10_000 }).toBe(101);
      expect(committed[0]).toStrictEqual({ topic: 'ontap/v1/meters/m1/status', payload: '{"online":true}', retained: true });
      expect(committed.slice(1).map((message) => message.payload)).toStrictEqual(
        Array.from({ length: 100 }, (_, i) => `{"i":${i}}`),
      );
      await meter.endAsync();
      await subscriber.close();
    } finally {
      await broker.close();
    }
  });
});
