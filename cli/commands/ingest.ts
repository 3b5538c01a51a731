// `ontap ingest`: the ingest service on its own, against an external broker (production, scale-out).
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { bridgeRouterFrom } from '../../ingest/bridges/bridges.ts';
import { startIngest } from '../../ingest/ingest-service.ts';
import { createMqttIntake } from '../../ingest/intake/mqtt-intakes.ts';
import { MeterDirectory } from '../../ingest/pipeline/meter-directory.ts';
import { moduleLogger } from '../../lib/logger.ts';
import { markTouchedDaysDirty } from '../../storage/metadata/rollups.ts';
import { openMetadata, openReadingStore, spoolDirOf } from '../../storage/open-stores.ts';
import { provisionBridgesOnBroker } from '../provision-bridges.ts';
import { untilStopped } from '../stop-signal.ts';
import { UsageError } from '../usage-error.ts';
import type { Command } from './index.ts';

export const ingestCommand: Command = {
  usage: [
    'Usage: ontap ingest [--shared GROUP]',
    '',
    'Subscribes (QoS 1, persistent session as ontap-<ONTAP_INGEST_ID>) to ontap/v1/meters/+/readings and',
    '…/status on ONTAP_MQTT_URL, spools every message before acknowledging it, and writes readings to',
    'InfluxDB (ONTAP_INFLUX_URL) or the embedded store. Metrics and health on ONTAP_METRICS_PORT.',
    'With ONTAP_BRIDGES it also subscribes to the foreign device topics listed there and decodes them;',
    'with ONTAP_MQTT_DYNSEC_USERNAME/PASSWORD it first grants those topics on Mosquitto (ingest may',
    'subscribe, each bridge’s publisher may publish). ONTAP_INGEST_INTAKE picks the MQTT client: paced',
    '(ingest’s own, the default) or mqttjs.',
    '',
    '  --shared GROUP   join the shared subscription $share/GROUP/… so several ingest processes split',
    '                   the load (give each its own ONTAP_INGEST_ID)',
    '  --protocol 4|5   MQTT version (default 5; 4 for brokers that speak only 3.1.1)',
    '',
    'SIGTERM or Ctrl-C stops taking messages, writes what is spooled, then exits.',
  ].join('\n'),
  async run(args) {
    let values: { shared?: string; protocol?: string };
    try {
      ({ values } = parseArgs({ args, options: { shared: { type: 'string' }, protocol: { type: 'string', default: '5' } } }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.shared !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(values.shared)) {
      throw new UsageError('--shared: expected a group name of letters, digits, _ or -');
    }
    if (values.protocol !== '4' && values.protocol !== '5') throw new UsageError('--protocol: expected 4 or 5');
    const config = loadConfig();
    if (!config.ONTAP_MQTT_URL)
      throw new UsageError('ontap ingest needs ONTAP_MQTT_URL (the embedded broker runs only inside ontap start)');
    const logger = moduleLogger('ingest');
    const bridges = bridgeRouterFrom(config.ONTAP_BRIDGES);
    await provisionBridgesOnBroker(config, bridges, logger);
    const metadata = await openMetadata(config);
    const store = await openReadingStore(config, metadata);
    const directory = await MeterDirectory.open(metadata);
    const service = await startIngest({
      intake: createMqttIntake(
        config.ONTAP_INGEST_INTAKE,
        {
          url: config.ONTAP_MQTT_URL,
          username: config.ONTAP_MQTT_USERNAME,
          password: config.ONTAP_MQTT_PASSWORD,
          clientId: `ontap-${config.ONTAP_INGEST_ID}`,
          protocolVersion: values.protocol === '4' ? 4 : 5,
          sharedGroup: values.shared,
        },
        logger,
      ),
      store,
      directory,
      bridges,
      onTouched: (spans) => markTouchedDaysDirty(metadata, spans.values(), Date.now()),
      spoolDir: spoolDirOf(config),
      fsync: config.ONTAP_SPOOL_FSYNC,
      metricsPort: config.ONTAP_METRICS_PORT,
      logger,
    });
    console.log(`ingest ${config.ONTAP_INGEST_ID}: metrics on http://127.0.0.1:${service.metricsPort}/metrics`);
    return untilStopped(async () => {
      await service.stop();
      await directory.close();
      await store.close();
      await metadata.close();
    });
  },
};
