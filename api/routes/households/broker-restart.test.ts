// The API's dynamic-security connection across a Mosquitto restart (it once had
// reconnectPeriod 0, so the next meter registration or erasure threw an unhandled rejection, the
// process exited, and the erasure was left half done). A private Mosquitto, so stopping it
// disturbs no other test.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoDynsec } from '../../../broker/mosquitto/mosquitto-dynsec.ts';
import { type PrivateServices, startPrivateServices } from '../../../ingest/testing/processes.ts';
import { householdExists } from '../../../storage/metadata/repositories/households.ts';
import { meterExists } from '../../../storage/metadata/repositories/meters.ts';
import { SqlReadingStore } from '../../../storage/readings/sql/sql-reading-store.ts';
import { buildApp } from '../../app.ts';
import { bearer, callerWithToken, openTestDatabase, seedNeighbourhoods } from '../../testing/fixtures.ts';

describe('the API across a broker restart', () => {
  let services: PrivateServices;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    services = await startPrivateServices();
  }, 180_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await services?.down();
  }, 60_000);

  it('answers 503 while Mosquitto is down, erases nothing halfway, and works again once it is back', {
    timeout: 120_000,
  }, async () => {
    const { db, close } = await openTestDatabase('pglite');
    cleanups.push(close);
    await seedNeighbourhoods(db);
    const dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    cleanups.push(() => dynsec.close());
    const app = await buildApp({ db, store: await SqlReadingStore.open(db), brokerCredentials: dynsec });
    cleanups.push(() => app.close());
    const otter = await callerWithToken(db, 'otter', 'household', { householdId: 'h3' });
    const register = (meterId: string) =>
      app.inject({
        method: 'POST',
        url: '/api/households/h3/meters',
        headers: bearer(otter),
        payload: { meterId, kind: 'water' },
      });
    const erase = () =>
      app.inject({ method: 'DELETE', url: '/api/households/h3', headers: bearer(otter), payload: { confirm: 'Otter' } });

    const before = await register('otter-before');
    expect(before.statusCode, before.body).toBe(201);

    await services.stopMosquitto();
    const whileDown = await register('otter-down');
    expect(whileDown.statusCode, whileDown.body).toBe(503);
    expect(await meterExists(db, 'otter-down')).toBe(false);
    const eraseWhileDown = await erase();
    expect(eraseWhileDown.statusCode, eraseWhileDown.body).toBe(503);
    expect(eraseWhileDown.json().message).toMatch(/nothing else was erased yet/);
    expect(await householdExists(db, 'h3')).toBe(true);

    await services.startMosquitto();
    // The connection comes back by itself (mqtt.js reconnects every second).
    await expect.poll(async () => (await register('otter-after')).statusCode, { timeout: 30_000, interval: 1000 }).toBe(201);
    const erased = await erase();
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().metersRevoked.sort()).toStrictEqual(['h3-w', 'otter-after', 'otter-before']);
    // Revoked on the broker: the meter registered before the restart no longer gets in.
    await expect(
      mqtt.connectAsync(services.mqttUrl, {
        username: before.json().mqtt.username,
        clientId: before.json().mqtt.clientId,
        password: before.json().mqtt.password,
        protocolVersion: 5,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
  });
});
