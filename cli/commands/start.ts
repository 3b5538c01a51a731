// `ontap start`: everything in one process on the embedded default (no service installed).
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/config.ts';
import { CredentialBook } from '../../ingest/broker/credentials.ts';
import { startEmbeddedBroker } from '../../ingest/broker/embedded-broker.ts';
import { startIngest } from '../../ingest/ingest-service.ts';
import { openMetadata, openReadingStore, spoolDirOf } from '../../ingest/open-stores.ts';
import { MeterDirectory } from '../../ingest/pipeline/meter-directory.ts';
import { moduleLogger } from '../../lib/logger.ts';
import type { Command } from './index.ts';

export const startCommand: Command = {
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
    const ingestSecret = randomBytes(18).toString('base64url');
    await services.add('ontap-ingest', ingestSecret, { role: 'service', name: 'ingest' });
    const stops: (() => Promise<void>)[] = [];

    let mqttUrl: string;
    if (config.ONTAP_MQTT_URL) {
      mqttUrl = config.ONTAP_MQTT_URL;
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
      mqttUrl = broker.url;
    }

    const metadata = await openMetadata(config);
    stops.push(() => metadata.close());
    const store = await openReadingStore(config, metadata);
    stops.push(() => store.close());
    const directory = await MeterDirectory.open(metadata);
    stops.push(() => directory.close());
    const embeddedBroker = !config.ONTAP_MQTT_URL;
    const ingest = await startIngest({
      mqtt: {
        url: mqttUrl,
        username: embeddedBroker ? 'ontap-ingest' : config.ONTAP_MQTT_USERNAME,
        password: embeddedBroker ? ingestSecret : config.ONTAP_MQTT_PASSWORD,
        clientId: `ontap-${config.ONTAP_INGEST_ID}`,
        // Aedes speaks MQTT 3.1.1 only.
        protocolVersion: embeddedBroker ? 4 : 5,
      },
      store,
      directory,
      spoolDir: spoolDirOf(config),
      fsync: config.ONTAP_SPOOL_FSYNC,
      metricsPort: config.explicitlySet.has('ONTAP_METRICS_PORT') ? config.ONTAP_METRICS_PORT : 0,
      logger: moduleLogger('ingest'),
    });
    stops.push(() => ingest.stop());
    console.log(
      `Ingest:       ${config.ONTAP_INFLUX_URL ? `InfluxDB ${new URL(config.ONTAP_INFLUX_URL).host}` : 'embedded store (PGlite)'}; metrics http://127.0.0.1:${ingest.metricsPort}/metrics`,
    );
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
