import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { meterTopic } from '../../devices/contract/topics.ts';
import { CredentialBook } from './credentials.ts';
import { type EmbeddedBroker, PortTakenError, startEmbeddedBroker } from './embedded-broker.ts';

const started: EmbeddedBroker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((broker) => broker.close()));
});

async function brokerWithMeters() {
  const book = new CredentialBook();
  await book.add('m1', 'pw1', { role: 'meter', meterId: 'm1' });
  await book.add('ingest', 'pw-ingest', { role: 'service', name: 'ingest' });
  const broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book });
  started.push(broker);
  return broker;
}

// Aedes speaks MQTT 3.1.1; a refused publish closes the connection (MQTT-3.3.5-2).
const connect = (url: string, username: string, password: string) =>
  mqtt.connectAsync(url, { username, password, protocolVersion: 4, reconnectPeriod: 0 });

describe('embedded broker', () => {
  it('lets a meter publish under its own id and delivers it to a service subscriber', async () => {
    const broker = await brokerWithMeters();
    const ingest = await connect(broker.url, 'ingest', 'pw-ingest');
    const received: string[] = [];
    ingest.on('message', (topic) => received.push(topic));
    await ingest.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });
    const meter = await connect(broker.url, 'm1', 'pw1');
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
    const meter = await connect(broker.url, 'm1', 'pw1');
    const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
    meter.publish(meterTopic('m2', 'readings'), '{}', { qos: 1 });
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toStrictEqual([]);
    await ingest.endAsync();
  });

  it('keeps a device connected through its housekeeping publishes, retaining none of them', async () => {
    const broker = await brokerWithMeters();
    const meter = await connect(broker.url, 'm1', 'pw1');
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
    await book.add('m1', 'pw1', { role: 'meter', meterId: 'm1' });
    const owners: Record<string, string> = { 'tele/m1-device/SENSOR': 'm1', 'tele/m2-device/SENSOR': 'm2' };
    const broker = await startEmbeddedBroker({
      port: 0,
      portWasChosen: true,
      authority: book,
      publisherOf: (topic) => owners[topic],
    });
    started.push(broker);
    const meter = await connect(broker.url, 'm1', 'pw1');
    await meter.publishAsync('tele/m1-device/SENSOR', '{}', { qos: 1 });
    const closed = new Promise<void>((resolve) => meter.once('close', () => resolve()));
    meter.publish('tele/m2-device/SENSOR', '{}', { qos: 1 });
    await closed;
  });

  it('refuses a meter that subscribes, a wrong password and an anonymous client', async () => {
    const broker = await brokerWithMeters();
    const meter = await connect(broker.url, 'm1', 'pw1');
    // MQTT 3.1.1 SUBACK return code 0x80 = failure (mqtt.js rejects); the device stays connected.
    await expect(meter.subscribeAsync('ontap/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await meter.publishAsync(meterTopic('m1', 'readings'), '{}', { qos: 1 });
    expect(meter.connected).toBe(true);
    meter.end(true);
    await expect(connect(broker.url, 'm1', 'nope')).rejects.toThrow(/Not authorized|Bad username/i);
    await expect(mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })).rejects.toThrow();
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
