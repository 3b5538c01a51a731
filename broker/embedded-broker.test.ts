import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { meterTopic } from '../devices/contract/topics.ts';
import { CredentialBook } from './credentials.ts';
import { type EmbeddedBroker, type EmbeddedBrokerOptions, PortTakenError, startEmbeddedBroker } from './embedded-broker.ts';

const started: EmbeddedBroker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((broker) => broker.close()));
});

async function brokerWithMeters(extra: Partial<EmbeddedBrokerOptions> = {}) {
  const book = new CredentialBook();
  await book.add('meter-m1', 'pw1', { role: 'meter', meterId: 'm1' });
  await book.add('meter-m2', 'pw2', { role: 'meter', meterId: 'm2' });
  await book.add('meter-m3', 'pw3', { role: 'meter', meterId: 'm3', clientId: 'glow-A1B2C3' });
  await book.add('ingest', 'pw-ingest', { role: 'service', name: 'ingest' });
  const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book, ...extra });
  started.push(broker);
  return broker;
}

// Aedes speaks MQTT 3.1.1; a refused publish closes the connection (MQTT-3.3.5-2). A meter's
// client id is its user name; a service's begins with ontap-.
const connect = (url: string, username: string, password: string, options: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(url, {
    username,
    password,
    clientId: username.startsWith('meter-') ? username : `ontap-${username}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...options,
  });

describe('embedded broker', () => {
  it('lets a meter publish under its own id and delivers it to a service subscriber', async () => {
    const broker = await brokerWithMeters();
    const ingest = await connect(broker.url, 'ingest', 'pw-ingest');
    const received: string[] = [];
    ingest.on('message', (topic) => received.push(topic));
    await ingest.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    await meter.publishAsync(meterTopic('m1', 'readings'), '{}', { qos: 1 });
    await expect.poll(() => received).toStrictEqual([meterTopic('m1', 'readings')]);
    await meter.endAsync();
    await ingest.endAsync();
  });

  it('disconnects a meter that publishes as another meter, and delivers nothing', async () => {
    const broker = await brokerWithMeters();
    const ingest = await connect(broker.url, 'ingest', 'pw-ingest');
    const received: string[] = [];
    ingest.on('message', (topic) => received.push(topic));
    await ingest.subscribeAsync('ontap/#', { qos: 1 });
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
    meter.publish(meterTopic('m2', 'readings'), '{}', { qos: 1 });
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toStrictEqual([]);
    await ingest.endAsync();
  });

  it('keeps a device connected through its housekeeping publishes, retaining none of them', async () => {
    const broker = await brokerWithMeters();
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    await meter.publishAsync('tele/m1-device/LWT', 'Online', { qos: 1, retain: true });
    await meter.publishAsync('tele/m1-device/STATE', '{"Uptime":"0T00:01:02"}', { qos: 1 });
    expect(meter.connected).toBe(true);
    const ingest = await connect(broker.url, 'ingest', 'pw-ingest');
    const retained: string[] = [];
    ingest.on('message', (topic) => retained.push(topic));
    await ingest.subscribeAsync('tele/#', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(retained).toStrictEqual([]);
    await meter.endAsync();
    await ingest.endAsync();
  });

  it('lets a meter publish on a foreign topic bridged to it, and on no other meter’s', async () => {
    const book = new CredentialBook();
    await book.add('meter-m1', 'pw1', { role: 'meter', meterId: 'm1' });
    const owners: Record<string, string> = { 'tele/m1-device/SENSOR': 'm1', 'tele/m2-device/SENSOR': 'm2' };
    const broker = await startEmbeddedBroker({
      port: 0,
      portWasChosen: true,
      authority: book,
      publisherOf: (topic) => owners[topic],
    });
    started.push(broker);
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    await meter.publishAsync('tele/m1-device/SENSOR', '{}', { qos: 1 });
    const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
    meter.publish('tele/m2-device/SENSOR', '{}', { qos: 1 });
    await closed;
  });

  it('refuses a meter that subscribes, a wrong password and an anonymous client', async () => {
    const broker = await brokerWithMeters();
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    // MQTT 3.1.1 SUBACK return code 0x80 = failure (mqtt.js rejects); the device stays connected.
    await expect(meter.subscribeAsync('ontap/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await meter.publishAsync(meterTopic('m1', 'readings'), '{}', { qos: 1 });
    expect(meter.connected).toBe(true);
    meter.end(true);
    await expect(connect(broker.url, 'meter-m1', 'nope')).rejects.toThrow(/Not authorized|Bad username/i);
    await expect(mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })).rejects.toThrow();
  });

  describe('against hostile clients', () => {
    it('binds a client id to its identity: a meter cannot connect as a service’s client id or another meter’s', async () => {
      const broker = await brokerWithMeters();
      const ingest = await connect(broker.url, 'ingest', 'pw-ingest', { clientId: 'ontap-ingest-1', clean: false });
      const received: string[] = [];
      ingest.on('message', (topic) => received.push(topic));
      await ingest.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });
      // The session takeover once found: a meter's credentials with ingest's client id and clean: false.
      await expect(connect(broker.url, 'meter-m1', 'pw1', { clientId: 'ontap-ingest-1', clean: false })).rejects.toThrow(
        /Identifier rejected/i,
      );
      await expect(connect(broker.url, 'meter-m1', 'pw1', { clientId: 'meter-m2' })).rejects.toThrow(/Identifier rejected/i);
      await expect(connect(broker.url, 'meter-m1', 'pw1', { clientId: 'anything' })).rejects.toThrow(/Identifier rejected/i);
      // A meter bound to its device's fixed client id connects with that one only.
      await (await connect(broker.url, 'meter-m3', 'pw3', { clientId: 'glow-A1B2C3' })).endAsync();
      await expect(connect(broker.url, 'meter-m3', 'pw3')).rejects.toThrow(/Identifier rejected/i);
      // A service keeps to its own prefix too.
      await expect(connect(broker.url, 'ingest', 'pw-ingest', { clientId: 'meter-m1' })).rejects.toThrow(/Identifier rejected/i);
      expect(ingest.connected).toBe(true);
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      await meter.publishAsync(meterTopic('m1', 'readings'), '{}', { qos: 1 });
      await expect.poll(() => received).toStrictEqual([meterTopic('m1', 'readings')]);
      await meter.endAsync();
      await ingest.endAsync();
    });

    it('retains no reading, and refuses any topic under a meter’s prefix but its readings and status', async () => {
      const broker = await brokerWithMeters();
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      await meter.publishAsync(meterTopic('m1', 'readings'), '{"r":1}', { qos: 1, retain: true });
      await meter.publishAsync(meterTopic('m1', 'status'), '{"online":true}', { qos: 1, retain: true });
      const ingest = await connect(broker.url, 'ingest', 'pw-ingest');
      const retained: string[] = [];
      ingest.on('message', (topic) => retained.push(topic));
      await ingest.subscribeAsync('ontap/#', { qos: 1 });
      await expect.poll(() => retained).toStrictEqual([meterTopic('m1', 'status')]);
      // A retained flood on made-up topics under its own prefix (2,000 × 100 kB when it was found).
      const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
      meter.publish('ontap/v1/meters/m1/flood-1', Buffer.alloc(100_000), { qos: 1, retain: true });
      await closed;
      await ingest.endAsync();
    });

    it('closes a connection announcing a packet over the limit before buffering it (Aedes once buffered 200 MB)', async () => {
      const broker = await brokerWithMeters({ maxPacketBytes: 64 * 1024 });
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
      const rssBefore = process.memoryUsage.rss();
      // 200 MB announced; sent in 1 MB pieces until the broker hangs up.
      const header = Buffer.from([0x32, 0x80, 0x80, 0x80, 0x60]); // PUBLISH QoS 1, remaining length 201,326,592
      const stream = (meter as unknown as { stream: import('node:net').Socket }).stream;
      stream.write(header);
      let sent = 0;
      let open = true;
      stream.once('close', () => {
        open = false;
      });
      while (open && sent < 200) {
        stream.write(Buffer.alloc(1024 * 1024));
        sent++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await closed;
      expect(sent).toBeLessThan(200);
      expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(150 * 1024 * 1024);
    });

    it('disconnects a meter publishing faster than its rate limit, without acknowledging the excess', async () => {
      const broker = await brokerWithMeters({ meterRateLimit: { burst: 5, perSecond: 1 } });
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      const acknowledged: number[] = [];
      const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
      for (let i = 0; i < 20; i++)
        meter.publish(meterTopic('m1', 'readings'), `{"i":${i}}`, { qos: 1 }, (error) => {
          if (!error) acknowledged.push(i);
        });
      await closed;
      expect(acknowledged.length).toBeLessThanOrEqual(5);
      // Another meter is not held back by it.
      const other = await connect(broker.url, 'meter-m2', 'pw2');
      await other.publishAsync(meterTopic('m2', 'readings'), '{}', { qos: 1 });
      await other.endAsync();
      meter.end(true);
    });

    it('disconnects a meter sending more bytes than its limit (a disk-filling flood of valid-size messages)', async () => {
      const broker = await brokerWithMeters({ meterByteLimit: { burst: 500_000, perSecond: 1000 } });
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
      let acknowledged = 0;
      for (let i = 0; i < 10; i++)
        meter.publish(meterTopic('m1', 'readings'), Buffer.alloc(100_000, 0x20), { qos: 1 }, (error) => {
          if (!error) acknowledged++;
        });
      await closed;
      expect(acknowledged).toBeLessThanOrEqual(5);
      meter.end(true);
    });

    it('acknowledges a publish on ingest’s topics only after ingest’s intake took it, and not at all when it failed', async () => {
      const taken: string[] = [];
      let fail = false;
      const broker = await brokerWithMeters({
        intake: {
          reads: (topic) => topic.startsWith('ontap/v1/meters/'),
          async accept(topic, payload) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            if (fail) throw new Error('disk full');
            taken.push(`${topic} ${payload.toString()}`);
          },
        },
      });
      const meter = await connect(broker.url, 'meter-m1', 'pw1');
      await meter.publishAsync(meterTopic('m1', 'readings'), '{"i":1}', { qos: 1 });
      // The PUBACK came after the intake resolved.
      expect(taken).toStrictEqual([`${meterTopic('m1', 'readings')} {"i":1}`]);
      fail = true;
      const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
      let acknowledged = false;
      meter.publish(meterTopic('m1', 'readings'), '{"i":2}', { qos: 1 }, (error) => {
        acknowledged = !error;
      });
      await closed;
      expect(acknowledged).toBe(false);
      meter.end(true);
    });
  });

  it('hands ingest a publish on a bridged topic as live, though the device asks the broker to retain it', async () => {
    // Home Assistant's statestream retains every state it publishes (ESPHome's states by default):
    // the flag asks the broker to keep the message, it does not make this one old.
    const taken: string[] = [];
    const bridged = 'homeassistant/sensor/water_meter/state';
    const broker = await brokerWithMeters({
      publisherOf: (topic) => (topic === bridged ? 'm1' : undefined),
      intake: {
        reads: (topic) => topic === bridged,
        async accept(topic, payload, retained) {
          taken.push(`${topic} ${payload.toString()} retained=${retained}`);
        },
      },
    });
    const meter = await connect(broker.url, 'meter-m1', 'pw1');
    await meter.publishAsync(bridged, '1234.567', { qos: 1, retain: true });
    expect(taken).toStrictEqual([`${bridged} 1234.567 retained=false`]);
    await meter.endAsync();
  });

  it('moves to a free port when the default one is taken, and says so', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const broker = await startEmbeddedBroker({ port: taken, portWasChosen: false, authority: new CredentialBook() });
    started.push(broker);
    expect(broker.movedFromPort).toBe(taken);
    expect(broker.port).not.toBe(taken);
    await expect(startEmbeddedBroker({ port: taken, portWasChosen: true, authority: new CredentialBook() })).rejects.toThrow(
      PortTakenError,
    );
    blocker.close();
  });
});
