// The OnTap nodes in a real Node-RED 5 runtime (node-red-node-test-helper), against the real
// embedded MQTT broker (Aedes) with meter credentials. The flow through Mosquitto, ingest and
// the API is in node-red.e2e.test.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialBook } from '../../broker/credentials.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { familyNames } from '../decoders/catalog.ts';
import { targetsReached } from './lib/challenge-events.ts';
import decodeNode from './nodes/ontap-decode.js';
import meterNode from './nodes/ontap-meter.js';
import serverNode from './nodes/ontap-server.js';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

/** The next message a node sends on one of its outputs (via a helper node wired there). */
function nextMessage(helperId: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => helper.getNode(helperId).once('input', resolve));
}

describe('OnTap Node-RED nodes', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    const book = new CredentialBook();
    await book.add('meter-h1-water', 'meter-secret', { role: 'meter', meterId: 'h1-water' });
    await book.add('observer', 'observer-secret', { role: 'service', name: 'test' });
    broker = await startEmbeddedBroker({ port: 0, portWasChosen: true, authority: book });
    await helper.startServer();
  });
  afterEach(async () => {
    await helper.unload();
  });
  afterAll(async () => {
    await helper.stopServer();
    await broker.close();
  });

  const server = () => ({
    id: 's1',
    type: 'ontap-server',
    apiUrl: 'http://127.0.0.1:9',
    brokerUrl: broker.url,
    meterId: 'h1-water',
  });
  const credentials = { s1: { token: '', meterPassword: 'meter-secret' } };

  it('ontap decode turns a Tasmota message into contract readings, and says why it refuses ESPHome’s nan', async () => {
    const flow = [
      { id: 'd1', type: 'ontap-decode', family: 'tasmota-counter', profile: '{"unitsPerPulse": 0.5}', wires: [['ok'], ['no']] },
      { id: 'd2', type: 'ontap-decode', family: 'esphome-pulse-meter', profile: '{"unit":"m3"}', wires: [['ok'], ['no']] },
      { id: 'ok', type: 'helper' },
      { id: 'no', type: 'helper' },
    ];
    await helper.load(decodeNode, flow);
    const decoded = nextMessage('ok');
    helper.getNode('d1').receive({ topic: 'tele/meter/SENSOR', payload: '{"Time":"2024-01-10T10:00:00","COUNTER":{"C1":300}}' });
    expect((await decoded).payload).toStrictEqual([{ ts: '2024-01-10T10:00:00.000Z', kind: 'water', register: 150, unit: 'L' }]);
    const refused = nextMessage('no');
    helper.getNode('d2').receive({ topic: 'm/sensor/total/state', payload: Buffer.from('nan') });
    expect((await refused).payload).toMatchObject([{ code: 'NO_READING' }]);
  });

  it('ontap decode offers every device family of the catalog in its editor, in the catalog’s order', () => {
    const editor = readFileSync(new URL('./nodes/ontap-decode.html', import.meta.url), 'utf8');
    const offered = [...editor.matchAll(/<option value="([^"]+)">/g)].map((match) => match[1]);
    expect(offered).toStrictEqual(familyNames());
  });

  it('ontap decode reads a Home Assistant statestream state, and refuses the retained one replayed at the start', async () => {
    const flow = [
      { id: 'd1', type: 'ontap-decode', family: 'home-assistant-statestream', profile: '{"unit":"m3"}', wires: [['ok'], ['no']] },
      { id: 'ok', type: 'helper' },
      { id: 'no', type: 'helper' },
    ];
    await helper.load(decodeNode, flow);
    const refused = nextMessage('no');
    helper.getNode('d1').receive({ topic: 'homeassistant/sensor/water_meter/state', payload: '1234.567', retain: true });
    expect((await refused).payload).toMatchObject([{ code: 'STALE_RETAINED' }]);
    const decoded = nextMessage('ok');
    helper.getNode('d1').receive({ topic: 'homeassistant/sensor/water_meter/state', payload: '1234.568' });
    expect((await decoded).payload).toMatchObject([{ kind: 'water', register: 1_234_568, unit: 'L' }]);
  });

  it('ontap decode refuses a bad profile when the flow is deployed, with the reason', async () => {
    await helper.load(decodeNode, [
      { id: 'd1', type: 'ontap-decode', family: 'esphome-pulse-meter', profile: '{"unit":"gallons"}', wires: [[], []] },
    ]);
    const node = helper.getNode('d1');
    await expect.poll(() => node.error.callCount).toBe(1);
    expect(String(node.error.firstCall.args[0])).toMatch(/^ontap decode: profile: unit: /);
  });

  it('ontap meter publishes numbers and decoded readings as its meter, acknowledged by the broker', async () => {
    const observer = await mqtt.connectAsync(broker.url, {
      username: 'observer',
      password: 'observer-secret',
      clientId: 'ontap-observer',
      protocolVersion: 4,
    });
    await observer.subscribeAsync('ontap/v1/meters/#', { qos: 1 });
    const seen: string[] = [];
    observer.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    const flow = [
      server(),
      { id: 'm1', type: 'ontap-meter', server: 's1', kind: 'water', unit: 'm3', mode: 'register', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    await helper.load([serverNode, meterNode], flow, credentials);
    const sent = nextMessage('out');
    helper.getNode('m1').receive({ payload: '1.25', timestamp: Date.parse('2026-01-01T00:00:00Z') });
    expect(await sent).toMatchObject({
      topic: 'ontap/v1/meters/h1-water/readings',
      payload: [{ ts: Date.parse('2026-01-01T00:00:00Z'), kind: 'water', unit: 'm3', register: 1.25 }],
    });
    const second = nextMessage('out');
    helper.getNode('m1').receive({ payload: [{ ts: '2026-01-01T00:15:00.000Z', kind: 'water', register: 1300, unit: 'L' }] });
    await second;
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1]).toBe(
      'ontap/v1/meters/h1-water/readings [{"ts":"2026-01-01T00:15:00.000Z","kind":"water","register":1300,"unit":"L"}]',
    );
    await observer.endAsync(true);
  });

  it('ontap meter refuses what the contract refuses, with the reason, and still sends the valid readings', async () => {
    const flow = [server(), { id: 'm1', type: 'ontap-meter', server: 's1', kind: 'water', unit: 'L', wires: [[]] }];
    await helper.load([serverNode, meterNode], flow, credentials);
    const meter = helper.getNode('m1');
    const failed = new Promise<Error>((resolve) => meter.once('call:error', (call: { args: [Error] }) => resolve(call.args[0])));
    meter.receive({
      payload: [
        { ts: '2026-01-01T00:00:00Z', kind: 'water', register: 5, unit: 'L' },
        { ts: '2026-01-01T00:15:00Z', kind: 'water', register: -5, unit: 'L' },
      ],
    });
    expect(String(await failed)).toMatch(/OnTap refused 1 reading\(s\): reading 1: BAD_REGISTER/);
  });

  it('ontap meter is refused by the broker when it publishes with wrong credentials', async () => {
    const flow = [server(), { id: 'm1', type: 'ontap-meter', server: 's1', kind: 'water', unit: 'L', wires: [[]] }];
    await helper.load([serverNode, meterNode], flow, { s1: { meterPassword: 'not-it' } });
    const meter = helper.getNode('m1');
    const failed = new Promise<Error>((resolve) => meter.once('call:error', (call: { args: [Error] }) => resolve(call.args[0])));
    meter.receive({ payload: 5 });
    expect(String(await failed)).toMatch(/Not authorized|Bad username or password|connack/i);
  });
});

describe('target reached (pure)', () => {
  const board = (entries: [string, number | null][], reached: number | null = null) => ({
    challengeId: 'c1',
    target: { saving: 0.1, reached },
    entries: entries.map(([name, saving]) => ({ name, saving, status: 'ranked' })),
  });

  it('fires once per entry when its saving first reaches the target, and once for the whole challenge', () => {
    expect(
      targetsReached(
        undefined,
        board([
          ['Elm Street', 0.12],
          ['Oak Road', 0.05],
        ]),
      ),
    ).toStrictEqual([{ name: 'Elm Street', saving: 0.12, target: 0.1 }]);
    const before = board(
      [
        ['Elm Street', 0.12],
        ['Oak Road', 0.05],
      ],
      0.08,
    );
    const after = board(
      [
        ['Elm Street', 0.13],
        ['Oak Road', 0.1],
      ],
      0.115,
    );
    expect(targetsReached(before, after)).toStrictEqual([
      { name: 'Oak Road', saving: 0.1, target: 0.1 },
      { name: 'the challenge', saving: 0.115, target: 0.1 },
    ]);
    expect(targetsReached(after, after)).toStrictEqual([]);
    expect(targetsReached(before, { ...after, target: null })).toStrictEqual([]);
  });
});
