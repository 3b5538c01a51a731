// `ontap start`: everything in one process on the embedded default (no service installed).
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/config.ts';
import { CredentialBook } from '../../ingest/broker/credentials.ts';
import { startEmbeddedBroker } from '../../ingest/broker/embedded-broker.ts';
import { moduleLogger } from '../../lib/logger.ts';
import type { Command } from './index.ts';

export const startCommand: Command = {
  summary: 'run OnTap on this machine: broker, ingest, API, dashboard and a demo neighbourhood',
  usage: [
    'Usage: ontap start',
    '',
    'Starts the embedded MQTT broker (ONTAP_MQTT_PORT, default 1883; if that default is taken a free',
    'port is used and printed) unless ONTAP_MQTT_URL names an external broker. Stop with Ctrl-C.',
  ].join('\n'),
  async run() {
    const config = loadConfig();
    const logger = moduleLogger('start');
    const services = new CredentialBook();
    // OnTap's own in-process clients get a fresh secret each start; devices get theirs from provisioning.
    await services.add('ontap-ingest', randomBytes(18).toString('base64url'), { role: 'service', name: 'ingest' });
    const stops: (() => Promise<void>)[] = [];

    if (config.ONTAP_MQTT_URL) {
      console.log(`MQTT: using the external broker ${new URL(config.ONTAP_MQTT_URL).host}`);
    } else {
      const broker = await startEmbeddedBroker({
        port: config.ONTAP_MQTT_PORT,
        portWasChosen: config.explicitlySet.has('ONTAP_MQTT_PORT'),
        authority: services,
        logger,
      });
      stops.push(broker.close);
      if (broker.movedFromPort !== undefined) {
        console.log(`MQTT: port ${broker.movedFromPort} is taken, so the embedded broker listens on ${broker.port} instead`);
      }
      console.log(`MQTT broker:  ${broker.url}  (devices publish to ontap/v1/meters/<meterId>/readings)`);
    }
    console.log('OnTap is running. Press Ctrl-C to stop.');

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    console.log('Stopping…');
    for (const stop of stops.reverse()) await stop();
    return 0;
  },
};
