// Meter provisioning against the real Mosquitto: credentials from the API work at once, only for
// the meter's own topics, and stop working when the household is erased.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoDynsec } from '../../../broker/mosquitto/mosquitto-dynsec.ts';
import { SqlReadingStore } from '../../../storage/readings/sql/sql-reading-store.ts';
import { testServices } from '../../../testing/inject.ts';
import { buildApp } from '../../app.ts';
import { bearer, callerWithToken, openTestDatabase, seedNeighbourhoods } from '../../testing/fixtures.ts';

const services = testServices();

describe('meter provisioning through Mosquitto dynamic security', () => {
  let dynsec: MosquittoDynsec;
  let close: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let db: Awaited<ReturnType<typeof openTestDatabase>>['db'];
  const meterId = `prov-${Date.now().toString(36)}`;

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase('postgres'));
    await seedNeighbourhoods(db);
    dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    app = await buildApp({ db, store: await SqlReadingStore.open(db), brokerCredentials: dynsec });
  });
  afterAll(async () => {
    await dynsec?.removeMeter(meterId);
    await dynsec?.close();
    await app?.close();
    await close?.();
  });

  it('lets a new meter publish at once, as itself only, until its household is erased', async () => {
    const household = await callerWithToken(db, 'prov', 'household', { householdId: 'h3' });
    const created = await app.inject({
      method: 'POST',
      url: '/api/households/h3/meters',
      headers: bearer(household),
      payload: { meterId, kind: 'water' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { username, clientId, password, topic } = created.json().mqtt;

    const meter = await mqtt.connectAsync(services.mqttUrl, {
      username,
      clientId,
      password,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await meter.publishAsync(topic, JSON.stringify({ ts: Date.now(), kind: 'water', register: 1, unit: 'L' }), { qos: 1 });
    const statusTopic = topic.replace(/readings$/, 'status');
    await meter.publishAsync(statusTopic, '{"online":true}', { qos: 1, retain: true });
    await expect(meter.publishAsync('ontap/v1/meters/h1-w/readings', '{}', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await meter.endAsync();

    const erased = await app.inject({
      method: 'DELETE',
      url: '/api/households/h3',
      headers: bearer(household),
      payload: { confirm: 'Otter' },
    });
    expect(erased.statusCode, erased.body).toBe(200);
    await expect(
      mqtt.connectAsync(services.mqttUrl, { username, clientId, password, protocolVersion: 5, reconnectPeriod: 0 }),
    ).rejects.toThrow();
    // Its retained status is cleared on the broker.
    const observer = await mqtt.connectAsync(services.mqttUrl, {
      ...services.mqttIngest,
      clientId: `ontap-observer-${meterId}`,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    const retained: string[] = [];
    observer.on('message', (_topic, payload) => retained.push(payload.toString()));
    await observer.subscribeAsync(statusTopic, { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await observer.endAsync();
    expect(retained).toStrictEqual([]);
  });
});
