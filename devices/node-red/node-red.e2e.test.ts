// End to end: a flow built from the OnTap nodes in a real Node-RED 5 runtime decodes a Tasmota
// water counter and publishes it as the household's meter to the test Mosquitto (credentials
// provisioned by dynamic security, as the API does); ingest stores it in the test InfluxDB; the
// API shows the use on the household's usage. The same flow's ontap-challenge node follows a
// challenge's live leaderboard from the API over HTTP and reports a new possible leak.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, callerWithToken, seedNeighbourhoods, testApp } from '../../api/testing/fixtures.ts';
import { MosquittoDynsec } from '../../broker/mosquitto/mosquitto-dynsec.ts';
import { startIngest } from '../../ingest/ingest-service.ts';
import { MeterDirectory } from '../../ingest/pipeline/meter-directory.ts';
import { eventually, uniqueId } from '../../ingest/testing/harness.ts';
import { moduleLogger } from '../../lib/logger.ts';
import { addDays, localDate } from '../../lib/time.ts';
import { raiseLeak } from '../../storage/metadata/repositories/leaks.ts';
import { testServices } from '../../testing/inject.ts';
import challengeNode from './nodes/ontap-challenge.js';
import decodeNode from './nodes/ontap-decode.js';
import meterNode from './nodes/ontap-meter.js';
import serverNode from './nodes/ontap-server.js';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));
const services = testServices();
const londonLocal = (ms: number) =>
  new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/London', hour12: false }).replace(' ', 'T');

describe('a Node-RED flow → Mosquitto → ingest → API', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  });

  it('shows a Tasmota counter’s use on the household’s usage, and follows the challenge live', { timeout: 90_000 }, async () => {
    const fixture = await testApp('postgres');
    cleanups.push(fixture.close);
    const { app, db, store } = fixture;
    await seedNeighbourhoods(db);
    const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const champion = await callerWithToken(db, 'champion', 'champion', { neighbourhoodId: 'n1' });
    const resident = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });

    // The resident registers the meter; the broker learns its credentials (as the API's provisioning does).
    const meterId = uniqueId('nr-h1-');
    const registered = await app.inject({
      method: 'POST',
      url: '/api/households/h1/meters',
      headers: bearer(resident),
      payload: { meterId, kind: 'water' },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    cleanups.push(async () => {
      await dynsec.removeMeter(meterId);
      await dynsec.close();
    });
    await dynsec.provisionMeter(meterId, registered.json().mqtt.password);

    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const ingest = await startIngest({
      mqtt: { url: services.mqttUrl, ...services.mqttIngest, clientId: uniqueId('ontap-nr-e2e-'), protocolVersion: 5 },
      store,
      directory,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-nr-spool-')),
      logger: moduleLogger('ingest-node-red'),
    });
    cleanups.push(() => ingest.stop());

    const created = await app.inject({
      method: 'POST',
      url: '/api/neighbourhoods/n1/challenges',
      headers: bearer(champion),
      payload: { template: 'street_league', startsOn: localDate(Date.now(), 'Europe/London'), targetSaving: 0.1 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const challengeId = created.json().id as string;

    await helper.startServer();
    cleanups.push(() => helper.stopServer());
    const flow = [
      { id: 's1', type: 'ontap-server', apiUrl, brokerUrl: services.mqttUrl, meterId },
      { id: 'decode', type: 'ontap-decode', family: 'tasmota-counter', profile: '{"unitsPerPulse": 1}', wires: [['meter'], []] },
      { id: 'meter', type: 'ontap-meter', server: 's1', kind: 'water', unit: 'L', wires: [['sent']] },
      { id: 'sent', type: 'helper' },
      {
        id: 'challenge',
        type: 'ontap-challenge',
        server: 's1',
        challengeId,
        leaks: true,
        leakPollSeconds: 1,
        wires: [['boards'], [], ['leaks']],
      },
      { id: 'boards', type: 'helper' },
      { id: 'leaks', type: 'helper' },
    ];
    const boards: Record<string, unknown>[] = [];
    const leaks: Record<string, unknown>[] = [];
    await helper.load([serverNode, decodeNode, meterNode, challengeNode], flow, {
      s1: { token: champion.token, meterPassword: registered.json().mqtt.password },
    });
    cleanups.push(() => helper.unload());
    helper.getNode('boards').on('input', (msg: Record<string, unknown>) => boards.push(msg));
    helper.getNode('leaks').on('input', (msg: Record<string, unknown>) => leaks.push(msg));

    // The Tasmota device's two telemetry messages, an hour apart, 250 pulses of a litre between them.
    const later = Math.floor(Date.now() / 1000) * 1000 - 30 * 60_000;
    let acknowledged = 0;
    helper.getNode('sent').on('input', () => acknowledged++);
    for (const [at, pulses] of [
      [later - 3_600_000, 1000],
      [later, 1250],
    ] as const) {
      helper.getNode('decode').receive({
        topic: 'tele/watermeter/SENSOR',
        payload: JSON.stringify({ Time: londonLocal(at), COUNTER: { C1: pulses } }),
      });
    }
    await eventually(async () => expect(acknowledged).toBe(2), 20_000);

    const today = localDate(Date.now(), 'Europe/London');
    await eventually(async () => {
      const response = await app.inject({
        url: `/api/households/h1/usage?granularity=hour&from=${addDays(today, -1)}&to=${today}`,
        headers: bearer(resident),
      });
      // The use is split over hours in proportion to time, so the hours sum to 250 up to rounding.
      const total = response.json().points.reduce((sum: number, point: { use: number }) => sum + point.use, 0);
      expect(total).toBeCloseTo(250, 6);
    }, 30_000);

    // The challenge node: the leaderboard arrived over the live stream; a new leak is reported.
    await eventually(async () => expect(boards[0]).toMatchObject({ topic: 'leaderboard', payload: { challengeId } }), 20_000);
    await raiseLeak(db, 'h2', 'test');
    await eventually(
      async () =>
        expect(leaks[0]).toMatchObject({
          topic: 'leak-raised',
          payload: { challengeId, neighbourhoodId: 'n1', households: 1, before: 0 },
        }),
      20_000,
    );
  });
});
