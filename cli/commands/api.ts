// `ontap api`: the API alone, against external services (PostgreSQL, InfluxDB, Mosquitto).
import { startApiServer } from '../../api/server.ts';
import { MosquittoDynsec } from '../../broker/mosquitto/mosquitto-dynsec.ts';
import { loadConfig } from '../../config/config.ts';
import { moduleLogger } from '../../lib/logger.ts';
import { openMetadata, openReadingStore } from '../../storage/open-stores.ts';
import { untilStopped } from '../stop-signal.ts';
import type { Command } from './index.ts';

export const apiCommand: Command = {
  usage: [
    'Usage: ontap api',
    '',
    'Serves the API (and dashboard) on ONTAP_HTTP_HOST:ONTAP_HTTP_PORT over the metadata database',
    '(ONTAP_DATABASE_URL, else embedded PGlite) and the readings store (ONTAP_INFLUX_URL, else embedded).',
    'With ONTAP_MQTT_URL and ONTAP_MQTT_DYNSEC_USERNAME/PASSWORD, new meters are provisioned in',
    "Mosquitto's dynamic-security plugin so they can publish at once. Stop with Ctrl-C or SIGTERM.",
  ].join('\n'),
  async run() {
    const config = loadConfig();
    const logger = moduleLogger('api');
    const db = await openMetadata(config);
    const store = await openReadingStore(config, db);
    const dynsec =
      config.ONTAP_MQTT_URL && config.ONTAP_MQTT_DYNSEC_USERNAME && config.ONTAP_MQTT_DYNSEC_PASSWORD
        ? await MosquittoDynsec.connect(config.ONTAP_MQTT_URL, {
            username: config.ONTAP_MQTT_DYNSEC_USERNAME,
            password: config.ONTAP_MQTT_DYNSEC_PASSWORD,
          })
        : undefined;
    const api = await startApiServer(config, { db, store, logger, ...(dynsec ? { brokerCredentials: dynsec } : {}) });
    console.log(`API: ${api.url}  (reference at ${api.url}/docs/json)`);
    return untilStopped(async () => {
      await api.close();
      await dynsec?.close();
      await store.close();
      await db.close();
    });
  },
};
