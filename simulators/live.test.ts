// Live mode against the real test Mosquitto: every meter connects with its own credentials
// (provisioned through dynamic security) and every message it publishes arrives.
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { MosquittoDynsec } from '../broker/mosquitto/mosquitto-dynsec.ts';
import { addDays, localDate } from '../lib/time.ts';
import { testServices } from '../testing/inject.ts';
import { buildManifest, generateMessages, simulationSpecSchema } from './index.ts';
import { LiveMqttSink } from './live.ts';

const services = testServices();

describe('live simulation to Mosquitto', () => {
  const day = addDays(localDate(Date.now(), 'Europe/London'), -2);
  const spec = simulationSpecSchema.parse({
    households: 4,
    streets: 1,
    from: day,
    to: day,
    seed: 5,
    idPrefix: `live${Date.now() % 100000}-`,
    faults: { duplicate: 0.02, malformed: 0.01, offline: 0.3 },
  });
  const manifest = buildManifest(spec);
  let dynsec: MosquittoDynsec | undefined;

  afterAll(async () => {
    for (const meter of manifest.meters) await dynsec?.removeMeter(meter.id);
    await dynsec?.close();
  });

  it('delivers every message of a simulated day, each meter publishing as itself', async () => {
    dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    for (const meter of manifest.meters) await dynsec.provisionMeter(meter.id, meter.password);

    const subscriber = await mqtt.connectAsync(services.mqttUrl, {
      ...services.mqttIngest,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    const received: string[] = [];
    subscriber.on('message', (topic, payload) => {
      if (topic.startsWith(`ontap/v1/meters/${spec.idPrefix}`)) received.push(`${topic} ${payload}`);
    });
    await subscriber.subscribeAsync('ontap/v1/meters/+/readings', { qos: 1 });

    const sent: string[] = [];
    const live = await LiveMqttSink.connect({ url: services.mqttUrl, speed: 1e9, protocolVersion: 5 }, manifest);
    await generateMessages(spec, manifest, {
      message(topic, payload) {
        sent.push(`${topic} ${payload}`);
        live.message(topic, payload);
      },
      tick: (at) => live.tick(at),
    });
    await live.close();
    expect(live.failed).toBe(0);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(sent.length);
    await subscriber.endAsync();
    expect(received.sort()).toStrictEqual(sent.sort());
    expect(sent.some((line) => line.includes(' ['))).toBe(true); // a backlog batch went through
    expect(live.published).toBe(sent.length);
  });
});
