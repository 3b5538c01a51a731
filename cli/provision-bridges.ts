// On Mosquitto (dynamic security), bridged topics need ACLs: ingest may subscribe to them, and
// each bridge's publisher (a meter's credentials) may publish on its own. Granted at ingest's
// start, as the bridges file is read then.

import { MosquittoDynsec } from '../broker/mosquitto/mosquitto-dynsec.ts';
import type { Config } from '../config/config.ts';
import type { BridgeRouter } from '../ingest/bridges/bridges.ts';
import type { Logger } from '../lib/logger.ts';

export async function provisionBridges(
  dynsec: MosquittoDynsec,
  router: BridgeRouter,
  subscriber: string,
  logger: Logger,
): Promise<void> {
  await dynsec.allowSubscriber(subscriber, router.topicFilters());
  for (const bridge of router.bridges) {
    try {
      await dynsec.allowMeterTopic(bridge.publisher, bridge.topic);
    } catch (error) {
      logger.warn(
        { err: error, topic: bridge.topic, publisher: bridge.publisher },
        `bridge ${bridge.topic}: meter ${bridge.publisher} has no broker credentials yet (register it, then restart ingest)`,
      );
    }
  }
}

/** With an external broker and its dynamic-security admin configured, grants the bridges' topics there. */
export async function provisionBridgesOnBroker(config: Config, router: BridgeRouter | undefined, logger: Logger): Promise<void> {
  const { ONTAP_MQTT_URL: url, ONTAP_MQTT_USERNAME: subscriber } = config;
  const admin = { username: config.ONTAP_MQTT_DYNSEC_USERNAME, password: config.ONTAP_MQTT_DYNSEC_PASSWORD };
  if (!router || !url || !subscriber || !admin.username || !admin.password) return;
  const dynsec = await MosquittoDynsec.connect(url, { username: admin.username, password: admin.password });
  await provisionBridges(dynsec, router, subscriber, logger).finally(() => dynsec.close());
}
