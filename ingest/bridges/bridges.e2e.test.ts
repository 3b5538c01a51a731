// A resident connects each device family by configuration alone: register a meter (credentials
// once), add a bridge (topic, family, profile) to ONTAP_BRIDGES, point the device at the broker
// with the meter's credentials. Here each family's device publishes its own format on its own
// topic to the embedded broker, ingest decodes it through the bridge, and the household's usage
// (what the household page shows) carries exactly the use between its two messages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, callerWithToken, seedNeighbourhoods, testApp } from '../../api/testing/fixtures.ts';
import { CredentialBook, firstOf } from '../../broker/credentials.ts';
import { startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { MeterAuthority } from '../../broker/meter-authority.ts';
import { meterUsername } from '../../devices/contract/identities.ts';
import type { MeterKind } from '../../devices/contract/units.ts';
import { moduleLogger } from '../../lib/logger.ts';
import { addDays, localDate } from '../../lib/time.ts';
import { insertHouseholds } from '../../storage/metadata/repositories/households.ts';
import { startIngest } from '../ingest-service.ts';
import { MeterDirectory } from '../pipeline/meter-directory.ts';
import { eventually } from '../testing/harness.ts';
import { BridgeRouter, loadBridges } from './bridges.ts';

const londonLocal = (ms: number) =>
  new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/London', hour12: false }).replace(' ', 'T');
const iso = (ms: number) => new Date(ms).toISOString();

/** A Glow display's message for one of its meters (shape as in hildebrand-glow's examples). */
const glowMessage = (meter: 'electricitymeter' | 'gasmeter', at: number, kwh: number) =>
  JSON.stringify({
    [meter]: {
      timestamp: iso(at).replace(/\.\d+Z$/, 'Z'),
      energy: { import: { cumulative: kwh, units: 'kWh' } },
      power: { value: 0.6, units: 'kW' },
    },
  });

interface Device {
  household: string;
  meterId: string;
  kind: MeterKind;
  family: string;
  topic: string;
  profile: Record<string, unknown>;
  /** A hub's devices publish with one meter's credentials (a Glow: electricity and gas). */
  publisher?: string;
  /** The two messages the device sends (earlier, later) and the use between them in base units. */
  messages(earlier: number, later: number): [string, string];
  use: number;
  /** The device gives no time (timed by receipt) and asks the broker to retain each message. */
  untimed?: { retain: boolean };
  /** Topics the device also publishes on, retained, that nobody reads (attributes beside a state). */
  housekeeping?: Record<string, string>;
}

const devices: Device[] = [
  {
    household: 'h1',
    meterId: 'h1-tasmota',
    kind: 'water',
    family: 'tasmota-counter',
    topic: 'tele/h1-water/SENSOR',
    profile: { unitsPerPulse: 0.5 },
    messages: (a, b) => [
      JSON.stringify({ Time: londonLocal(a), COUNTER: { C1: 1000 } }),
      JSON.stringify({ Time: londonLocal(b), COUNTER: { C1: 1300 } }),
    ],
    use: 150,
  },
  {
    household: 'h2',
    meterId: 'h2-esphome',
    kind: 'water',
    family: 'esphome-pulse-meter',
    topic: 'h2-meter/sensor/water_total/state',
    profile: { unit: 'm3' },
    // No device time: timed by receipt, so the two states are sent 1.5 s apart (see below).
    messages: () => ['12.0000', '12.0004'],
    use: 0.4,
    untimed: { retain: false },
  },
  {
    household: 'h3',
    meterId: 'h3-ttn',
    kind: 'water',
    family: 'the-things-stack',
    topic: 'v3/ontap-street@ttn/devices/h3-w1/up',
    profile: { model: 'axioma-qalcosonic-w1' },
    messages: (a, b) =>
      [
        [a, 6.054],
        [b, 6.2],
      ].map(([at, volume]) =>
        JSON.stringify({
          received_at: iso(at as number),
          uplink_message: { decoded_payload: { current_volume_m3: volume, timestamp_utc: iso(at as number) } },
        }),
      ) as [string, string],
    use: 146,
  },
  {
    household: 'h4',
    meterId: 'h4-glow',
    kind: 'electricity',
    family: 'hildebrand-glow',
    topic: 'glow/A1B2C3D4E5F6/SENSOR/electricitymeter',
    profile: {},
    messages: (a, b) => [glowMessage('electricitymeter', a, 4595.563), glowMessage('electricitymeter', b, 4596.1)],
    use: 537,
  },
  {
    household: 'h4',
    meterId: 'h4-glow-gas',
    kind: 'gas',
    family: 'hildebrand-glow',
    topic: 'glow/A1B2C3D4E5F6/SENSOR/gasmeter',
    profile: {},
    publisher: 'h4-glow',
    messages: (a, b) => [glowMessage('gasmeter', a, 6728.026), glowMessage('gasmeter', b, 6729.5)],
    use: 1474,
  },
  {
    household: 'h5',
    meterId: 'h5-wmbus',
    kind: 'water',
    family: 'wmbusmeters',
    topic: 'wmbusmeters/TapWater',
    profile: {},
    messages: (a, b) => [
      JSON.stringify({ media: 'water', meter: 'iperl', total_m3: 123.529, timestamp: iso(a) }),
      JSON.stringify({ media: 'water', meter: 'iperl', total_m3: 123.6, timestamp: iso(b) }),
    ],
    use: 71,
  },
  {
    household: 'h6',
    meterId: 'h6-z2m',
    kind: 'water',
    family: 'zigbee2mqtt-water',
    topic: 'zigbee2mqtt/h6_water_meter',
    profile: {},
    messages: (a, b) => [
      JSON.stringify({ water_consumed: 41.27, last_seen: iso(a), battery: 97 }),
      JSON.stringify({ water_consumed: 41.3, last_seen: iso(b), battery: 97 }),
    ],
    use: 30,
  },
  {
    household: 'h7',
    meterId: 'h7-ha',
    kind: 'water',
    family: 'home-assistant-statestream',
    topic: 'homeassistant/sensor/water_meter/state',
    profile: { unit: 'm3' },
    // Statestream retains every state and attribute it publishes, and gives the state no time.
    messages: () => ['1234.5670', '1234.5675'],
    use: 0.5,
    untimed: { retain: true },
    housekeeping: {
      'homeassistant/sensor/water_meter/unit_of_measurement': '"m³"',
      'homeassistant/sensor/water_meter/device_class': '"water"',
    },
  },
];

describe('bridged devices, end to end through the embedded broker', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('each family connects by configuration alone and its use shows on the household’s usage', { timeout: 60_000 }, async () => {
    const fixture = await testApp('pglite');
    cleanups.push(fixture.close);
    const { app, db, store } = fixture;
    await seedNeighbourhoods(db);
    await insertHouseholds(db, [
      { id: 'h4', streetId: 'oak', alias: 'Wren', occupants: 2 },
      { id: 'h5', streetId: 'oak', alias: 'Vole', occupants: 2 },
      { id: 'h6', streetId: 'oak', alias: 'Stoat', occupants: 2 },
      { id: 'h7', streetId: 'oak', alias: 'Otter', occupants: 2 },
    ]);
    const admin = await callerWithToken(db, 'admin', 'admin');

    // 1. Each resident registers a meter and is given its MQTT credentials once.
    const credentials = new Map<string, string>();
    for (const device of devices) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/households/${device.household}/meters`,
        headers: bearer(admin),
        payload: { meterId: device.meterId, kind: device.kind },
      });
      expect(response.statusCode, response.body).toBe(201);
      credentials.set(device.meterId, response.json().mqtt.password);
    }

    // 2. The bridges file: topic, family, profile (whose meter, what the payload cannot say).
    const bridgesFile = join(mkdtempSync(join(tmpdir(), 'ontap-bridges-')), 'bridges.json');
    writeFileSync(
      bridgesFile,
      JSON.stringify({
        bridges: devices.map((d) => ({
          topic: d.topic,
          family: d.family,
          profile: { meterId: d.meterId, ...d.profile },
          ...(d.publisher ? { publisher: d.publisher } : {}),
        })),
      }),
    );
    const bridges = new BridgeRouter(loadBridges(bridgesFile));

    const services = new CredentialBook();
    await services.add('ontap-ingest', 'ingest-secret', { role: 'service', name: 'ingest' });
    const broker = await startEmbeddedBroker({
      port: 0,
      portWasChosen: true,
      authority: firstOf(services, new MeterAuthority(db)),
      publisherOf: (topic) => bridges.publisherOf(topic),
    });
    cleanups.push(broker.close);
    const directory = await MeterDirectory.open(db);
    cleanups.push(() => directory.close());
    const ingest = await startIngest({
      mqtt: {
        url: broker.url,
        username: 'ontap-ingest',
        password: 'ingest-secret',
        clientId: 'ontap-bridges',
        protocolVersion: 4,
      },
      store,
      directory,
      bridges,
      spoolDir: mkdtempSync(join(tmpdir(), 'ontap-bridges-spool-')),
      logger: moduleLogger('ingest-bridges'),
    });
    cleanups.push(() => ingest.stop());

    // 3. Each device publishes its own format on its own topic, as its meter.
    const later = Math.floor(Date.now() / 1000) * 1000 - 30 * 60_000;
    const earlier = later - 60 * 60_000;
    const clients = new Map<string, MqttClient>();
    for (const device of devices) {
      const publisher = device.publisher ?? device.meterId;
      let client = clients.get(publisher);
      if (!client) {
        client = await mqtt.connectAsync(broker.url, {
          username: meterUsername(publisher),
          clientId: meterUsername(publisher),
          password: credentials.get(publisher),
          protocolVersion: 4,
          reconnectPeriod: 0,
        });
        clients.set(publisher, client);
        const opened = client;
        cleanups.push(() => opened.endAsync(true));
        // Devices publish housekeeping too (Tasmota's STATE and retained LWT): accepted, read by nobody.
        await client.publishAsync(`${publisher}/LWT`, 'Online', { qos: 1, retain: true });
      }
      for (const [topic, payload] of Object.entries(device.housekeeping ?? {}))
        await client.publishAsync(topic, payload, { qos: 1, retain: true });
      for (const payload of device.messages(earlier, later)) {
        await client.publishAsync(device.topic, payload, { qos: 1, retain: device.untimed?.retain ?? false });
        // Devices without a clock are timed by receipt: keep their messages apart, as real ones are
        // (two registers a few ms apart would be a physically impossible flow, left out of totals).
        if (device.untimed) await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    }

    // A meter may not publish on another meter's bridged topic.
    const impostor = clients.get('h1-tasmota') as MqttClient;
    const refused = await new Promise<boolean>((resolve) => {
      impostor.once('close', () => resolve(true));
      impostor.publish('wmbusmeters/TapWater', '{"total_m3":999,"timestamp":"2026-01-01T00:00:00Z"}', { qos: 1 }, () =>
        resolve(false),
      );
    });
    expect(refused).toBe(true);

    // 4. What each household page shows: hourly use over yesterday and today.
    const today = localDate(Date.now(), 'Europe/London');
    await eventually(async () => {
      for (const device of devices) {
        const resident = await callerWithToken(db, `resident-${device.household}`, 'household', {
          householdId: device.household,
        });
        const response = await app.inject({
          url: `/api/households/${device.household}/usage?kind=${device.kind}&granularity=hour&from=${addDays(today, -1)}&to=${today}`,
          headers: bearer(resident),
        });
        expect(response.statusCode).toBe(200);
        const total = response.json().points.reduce((sum: number, point: { use: number }) => sum + point.use, 0);
        expect(total, device.family).toBeCloseTo(device.use, 6);
      }
    });
    expect(await store.deadLetterCounts()).toStrictEqual({});
    const rendered = await ingest.metrics.registry.metrics();
    for (const family of new Set(devices.map((d) => d.family))) {
      const sent = 2 * devices.filter((d) => d.family === family).length;
      expect(rendered).toContain(`ontap_ingest_bridged_messages_total{family="${family}"} ${sent}`);
    }
  });
});
