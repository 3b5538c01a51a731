// Hostile devices against the real Mosquitto with OnTap's dynamic-security set-up: a
// meter's credentials must not reach anybody else's session, account or messages, and its
// packets and retained messages are bounded. The embedded broker's side is in
// broker/embedded-broker.test.ts.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterTopic, meterUsername } from '../../devices/contract/index.ts';
import { gatewayCredentials, uniqueId } from '../../ingest/testing/harness.ts';
import { testServices } from '../../testing/inject.ts';
import { BrokerIdentityTakenError, MosquittoDynsec } from './mosquitto-dynsec.ts';

const services = testServices();

describe('hostile devices on Mosquitto', () => {
  let dynsec: MosquittoDynsec;
  const meter = uniqueId('hostile-');
  const password = randomBytes(12).toString('hex');
  const clients: MqttClient[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  const connectMeter = (options: mqtt.IClientOptions = {}) =>
    mqtt.connectAsync(services.mqttUrl, {
      username: meterUsername(meter),
      clientId: meterUsername(meter),
      password,
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...options,
    });

  beforeAll(async () => {
    dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    await dynsec.provisionMeter(meter, password);
  });
  afterAll(async () => {
    for (const client of clients) await client.endAsync(true).catch(() => {});
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await dynsec.removeMeter(meter);
    await dynsec.close();
  });

  it('keeps ingest’s persistent session: a meter with ingest’s client id is refused, and ingest gets every reading', async () => {
    const ingestId = uniqueId('ontap-ingest-hostile-');
    const ingest = await mqtt.connectAsync(services.mqttUrl, {
      ...services.mqttIngest,
      clientId: ingestId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 300 },
      reconnectPeriod: 0,
    });
    clients.push(ingest);
    cleanups.push(async () => {
      const drop = await mqtt.connectAsync(services.mqttUrl, {
        ...services.mqttIngest,
        clientId: ingestId,
        clean: true,
        protocolVersion: 5,
        properties: { sessionExpiryInterval: 0 },
        reconnectPeriod: 0,
      });
      await drop.endAsync();
    });
    const received: string[] = [];
    ingest.on('message', (_topic, payload) => received.push(payload.toString()));
    await ingest.subscribeAsync(meterTopic(meter, 'readings'), { qos: 1 });
    // Once: the thief connected with ingest's client id and clean: false, received 508 readings
    // and ingest lost 421. Its client id is bound to its user name now.
    await expect(connectMeter({ clientId: ingestId, clean: false, properties: { sessionExpiryInterval: 300 } })).rejects.toThrow(
      /Not authorized|Client identifier not valid/i,
    );
    expect(ingest.connected).toBe(true);
    const device = await connectMeter();
    clients.push(device);
    for (let i = 0; i < 20; i++) await device.publishAsync(meterTopic(meter, 'readings'), `{"i":${i}}`, { qos: 1 });
    await expect.poll(() => received.length).toBe(20);
  });

  it('binds a meter to its device’s fixed client id when it was registered with one, and to that only', async () => {
    const id = uniqueId('fixed-');
    const fixed = uniqueId('glow-');
    await dynsec.provisionMeter(id, 'fixed-password', fixed);
    cleanups.push(() => dynsec.removeMeter(id));
    const options = { username: meterUsername(id), password: 'fixed-password', protocolVersion: 5 as const, reconnectPeriod: 0 };
    await (await mqtt.connectAsync(services.mqttUrl, { ...options, clientId: fixed })).endAsync();
    await expect(mqtt.connectAsync(services.mqttUrl, { ...options, clientId: meterUsername(id) })).rejects.toThrow();
  });

  it('never delivers a message to a meter, whatever it subscribes to', async () => {
    const device = await connectMeter();
    clients.push(device);
    const got: string[] = [];
    device.on('message', (topic) => got.push(topic));
    const granted = await device.subscribeAsync('ontap/#', { qos: 1 }).catch(() => [{ qos: 128 }]);
    expect(granted.every((grant) => grant.qos >= 128)).toBe(true);
    const gateway = await mqtt.connectAsync(services.mqttUrl, {
      ...(await gatewayCredentials()),
      clientId: uniqueId('gw-'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(gateway);
    await gateway.publishAsync('ontap/v1/meters/someone/readings', '{}', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got).toStrictEqual([]);
  });

  it('gives a meter named like a service its own account: the service’s stays as it was', async () => {
    // Once: meter id "ontap-ingest" reset ingest's password; "ontap-admin" the admin's. (The
    // API refuses ids beginning with "ontap"; even so, provisioning one cannot touch a service.)
    for (const id of [services.mqttIngest.username, services.mqttAdmin.username]) {
      await dynsec.provisionMeter(id, 'impostor-password');
      cleanups.push(() => dynsec.removeMeter(id));
    }
    const ingest = await mqtt.connectAsync(services.mqttUrl, {
      ...services.mqttIngest,
      clientId: uniqueId('ontap-check-'),
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await ingest.endAsync();
    const admin = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    await admin.close();
    await expect(
      mqtt.connectAsync(services.mqttUrl, {
        username: services.mqttIngest.username,
        password: 'impostor-password',
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });

  it('never re-keys or deletes an account it did not make for that meter', async () => {
    const id = uniqueId('foreign-');
    // Somebody else's account happens to have the name OnTap would give meter `id`.
    await dynsec.send({ command: 'createClient', username: meterUsername(id), password: 'theirs' });
    cleanups.push(() => dynsec.send({ command: 'deleteClient', username: meterUsername(id) }));
    await expect(dynsec.provisionMeter(id, 'mine')).rejects.toBeInstanceOf(BrokerIdentityTakenError);
    await dynsec.removeMeter(id);
    const theirs = await mqtt.connectAsync(services.mqttUrl, {
      username: meterUsername(id),
      password: 'theirs',
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await theirs.endAsync();
  });

  it('refuses retained messages on topics a meter has no business on, and packets over the size limit', async () => {
    const device = await connectMeter();
    clients.push(device);
    // The retained flood once found: 100 kB on made-up topics under the meter's own prefix.
    await expect(
      device.publishAsync(`ontap/v1/meters/${meter}/flood-1`, Buffer.alloc(100_000), { qos: 1, retain: true }),
    ).rejects.toMatchObject({ code: 0x87 });
    // A packet over max_packet_size (320 KiB) disconnects its sender.
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(meterTopic(meter, 'readings'), Buffer.alloc(400 * 1024), { qos: 1 }, () => {});
    await closed;
  });
});
