// Bridged topics on the test Mosquitto: with dynamic security, ingest is granted its bridges'
// topics (directly and in shared groups) and each bridge's publisher may publish on its own
// foreign topic, and on no other meter's.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { MosquittoDynsec } from '../../broker/mosquitto/mosquitto-dynsec.ts';
import { provisionBridges } from '../../cli/provision-bridges.ts';
import { meterUsername } from '../../devices/contract/identities.ts';
import { moduleLogger } from '../../lib/logger.ts';
import { testServices } from '../../testing/inject.ts';
import { uniqueId } from '../testing/harness.ts';
import { BridgeRouter, parseBridges } from './bridges.ts';

const services = testServices();

describe('bridged topics on Mosquitto', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('lets ingest subscribe to a bridged topic and only its publisher publish there', { timeout: 30_000 }, async () => {
    const dynsec = await MosquittoDynsec.connect(services.mqttUrl, services.mqttAdmin);
    cleanups.push(() => dynsec.close());
    const [mine, other] = [uniqueId('br-a-'), uniqueId('br-b-')];
    const password = randomBytes(12).toString('hex');
    for (const meterId of [mine, other]) {
      await dynsec.provisionMeter(meterId, password);
      cleanups.push(() => dynsec.removeMeter(meterId));
    }
    const topics = { mine: `tele/${mine}/SENSOR`, other: `tele/${other}/SENSOR` };
    const router = new BridgeRouter(
      parseBridges({
        bridges: [
          { topic: topics.mine, family: 'tasmota-counter', profile: { meterId: mine, unitsPerPulse: 1 } },
          { topic: topics.other, family: 'tasmota-counter', profile: { meterId: other, unitsPerPulse: 1 } },
        ],
      }),
    );
    // Twice, as at every start of ingest: granting is idempotent.
    await provisionBridges(dynsec, router, services.mqttIngest.username, moduleLogger('bridges-test'));
    await provisionBridges(dynsec, router, services.mqttIngest.username, moduleLogger('bridges-test'));
    cleanups.push(async () => {
      for (const topic of router.topicFilters())
        for (const [acltype, filter] of [
          ['subscribePattern', topic],
          ['subscribePattern', `$share/+/${topic}`],
          ['publishClientReceive', topic],
        ])
          await dynsec.send({ command: 'removeRoleACL', rolename: 'ontap-bridges', acltype, topic: filter }).catch(() => {});
    });

    const ingest = await mqtt.connectAsync(services.mqttUrl, { ...services.mqttIngest, protocolVersion: 5, clean: true });
    cleanups.push(() => ingest.endAsync(true));
    const granted = await ingest.subscribeAsync([topics.mine, topics.other, `$share/g1/${topics.mine}`], { qos: 1 });
    expect(granted.map((grant) => grant.qos)).toStrictEqual([1, 1, 1]);
    const received: string[] = [];
    ingest.on('message', (topic, payload) => received.push(`${topic} ${payload}`));

    const device = await mqtt.connectAsync(services.mqttUrl, {
      username: meterUsername(mine),
      clientId: meterUsername(mine),
      password,
      protocolVersion: 5,
      clean: true,
    });
    cleanups.push(() => device.endAsync(true));
    await device.publishAsync(topics.mine, '{"COUNTER":{"C1":1}}', { qos: 1 });
    // On another meter's bridged topic: Mosquitto refuses it (PUBACK reason "not authorized"), nobody gets it.
    await device.publishAsync(topics.other, '{"COUNTER":{"C1":999}}', { qos: 1 }).catch(() => undefined);
    await expect.poll(() => received.length).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.filter((line) => line.startsWith(`${topics.mine} `))).toHaveLength(2); // direct + shared group
    expect(received.filter((line) => line.startsWith(`${topics.other} `))).toStrictEqual([]);
  });
});
