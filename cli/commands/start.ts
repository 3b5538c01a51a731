// `ontap start`: everything in one process on the embedded default (no service installed):
// metadata and readings in PGlite, the embedded broker, ingest, the API.
import { join, resolve } from 'node:path';
import type { MeterCredentialSink } from '../../api/context.ts';
import { startApiServer } from '../../api/server.ts';
import { checkLeaks } from '../../api/services/leak-watch.ts';
import { startEmbeddedBroker } from '../../broker/embedded-broker.ts';
import { MeterAuthority } from '../../broker/meter-authority.ts';
import { type Config, loadConfig } from '../../config/config.ts';
import { startDemo } from '../../demo/demo.ts';
import { bridgeRouterFrom } from '../../ingest/bridges/bridges.ts';
import { startIngest } from '../../ingest/ingest-service.ts';
import { createMqttIntake } from '../../ingest/intake/mqtt-intakes.ts';
import { MeterDirectory } from '../../ingest/pipeline/meter-directory.ts';
import { logToFile, moduleLogger } from '../../lib/logger.ts';
import { markTouchedDaysDirty } from '../../storage/metadata/rollups.ts';
import { openMetadata, openReadingStore, spoolDirOf } from '../../storage/open-stores.ts';
import { provisionBridgesOnBroker } from '../provision-bridges.ts';
import { untilStopped } from '../stop-signal.ts';
import type { Command } from './index.ts';

export const startCommand: Command = {
  usage: [
    'Usage: ontap start',
    '',
    'Runs OnTap in one process: the embedded MQTT broker (ONTAP_MQTT_PORT, default 1883; if that',
    'default is taken a free port is used and printed) unless ONTAP_MQTT_URL names an external broker,',
    'ingest, and the API on ONTAP_HTTP_PORT (default 3000, same rule). Data lives in ONTAP_DATA_DIR',
    'unless ONTAP_DATABASE_URL / ONTAP_INFLUX_URL name real services. Stop with Ctrl-C.',
  ].join('\n'),
  async run() {
    const config = loadConfig();
    // The terminal is for people: the log lines go to a file unless asked for on standard output.
    const logFile = join(resolve(config.ONTAP_DATA_DIR), 'ontap.log');
    if (config.ONTAP_LOG_FORMAT === 'file') logToFile(logFile);
    console.log(`Logs:         ${config.ONTAP_LOG_FORMAT === 'file' ? logFile : 'standard output (JSON lines)'}`);
    const stops: (() => Promise<void>)[] = [];
    try {
      await runAll(config, stops);
    } catch (error) {
      // Close what did start (PGlite, sockets) so the process can exit with its one line.
      for (const stop of stops.reverse()) await stop().catch(() => {});
      throw error;
    }
    // The stop is installed before "running" is said: a Ctrl-C (or SIGTERM) the moment it shows
    // must find the graceful stop, not the default that kills the process mid-write.
    const stopped = untilStopped(async () => {
      console.log('Stopping…');
      const steps = stops.reverse();
      for (const [index, stop] of steps.entries()) {
        // Say so when a step hangs (an open connection, a store that does not answer).
        const slow = setTimeout(() => console.error(`still stopping (step ${index + 1} of ${steps.length})…`), 5000);
        await stop();
        clearTimeout(slow);
      }
    });
    console.log('OnTap is running. Press Ctrl-C to stop.');
    return stopped;
  },
};

async function runAll(config: Config, stops: (() => Promise<void>)[]): Promise<void> {
  const logger = moduleLogger('start');
  const bridges = bridgeRouterFrom(config.ONTAP_BRIDGES);
  if (bridges) console.log(`Bridges:      ${bridges.bridges.length} foreign device topics from ${config.ONTAP_BRIDGES}`);
  const metadata = await openMetadata(config);
  stops.push(() => metadata.close());

  const store = await openReadingStore(config, metadata);
  stops.push(() => store.close());
  const directory = await MeterDirectory.open(metadata);
  stops.push(() => directory.close());
  const embeddedBroker = !config.ONTAP_MQTT_URL;
  if (!embeddedBroker) await provisionBridgesOnBroker(config, bridges, logger);
  // With the embedded broker, ingest takes each publish before the broker acknowledges it, and
  // is ready before the broker listens: nothing acknowledged is ever only in the broker's memory.
  const ingest = await startIngest({
    ...(embeddedBroker
      ? { inProcess: { id: `ontap-${config.ONTAP_INGEST_ID}` } }
      : {
          intake: createMqttIntake(
            config.ONTAP_INGEST_INTAKE,
            {
              url: config.ONTAP_MQTT_URL as string,
              username: config.ONTAP_MQTT_USERNAME,
              password: config.ONTAP_MQTT_PASSWORD,
              clientId: `ontap-${config.ONTAP_INGEST_ID}`,
              protocolVersion: 5,
            },
            moduleLogger('ingest'),
          ),
        }),
    store,
    directory,
    bridges,
    onTouched: (spans) => markTouchedDaysDirty(metadata, spans.values(), Date.now()),
    spoolDir: spoolDirOf(config),
    fsync: config.ONTAP_SPOOL_FSYNC,
    metricsPort: config.explicitlySet.has('ONTAP_METRICS_PORT') ? config.ONTAP_METRICS_PORT : 0,
    logger: moduleLogger('ingest'),
  });
  stops.push(() => ingest.stop());

  let mqttUrl: string;
  let brokerCredentials: MeterCredentialSink | undefined;
  if (config.ONTAP_MQTT_URL) {
    mqttUrl = config.ONTAP_MQTT_URL;
    console.log(`MQTT: using the external broker ${new URL(config.ONTAP_MQTT_URL).host}`);
  } else {
    const broker = await startEmbeddedBroker({
      port: config.ONTAP_MQTT_PORT,
      portWasChosen: config.explicitlySet.has('ONTAP_MQTT_PORT'),
      authority: new MeterAuthority(metadata),
      publisherOf: (topic) => bridges?.publisherOf(topic),
      ...(ingest.brokerIntake ? { intake: ingest.brokerIntake } : {}),
      logger,
    });
    // Stopped before ingest (stops run in reverse): no publish arrives at an ingest that has stopped.
    stops.push(broker.close);
    if (broker.movedFromPort !== undefined) {
      console.log(`MQTT: port ${broker.movedFromPort} is taken, so the embedded broker listens on ${broker.port} instead`);
    }
    console.log(`MQTT broker:  ${broker.url}  (devices publish to ontap/v1/meters/<meterId>/readings)`);
    mqttUrl = broker.url;
    // The embedded broker checks passwords against the database; erasure also disconnects the meter.
    brokerCredentials = {
      provisionMeter: async () => {},
      removeMeter: (meterId) => broker.forgetMeter(meterId),
    };
  }
  console.log(
    `Ingest:       ${config.ONTAP_INFLUX_URL ? `InfluxDB ${new URL(config.ONTAP_INFLUX_URL).host}` : 'embedded store (PGlite)'}; metrics http://127.0.0.1:${ingest.metricsPort}/metrics`,
  );

  const api = await startApiServer(config, {
    db: metadata,
    store,
    logger: moduleLogger('api'),
    ...(brokerCredentials ? { brokerCredentials } : {}),
  });
  stops.push(() => api.close());
  if (api.movedFromPort !== undefined)
    console.log(`HTTP: port ${api.movedFromPort} is taken, so the API listens on ${api.url} instead`);
  console.log(`API:          ${api.url}  (reference: ${api.url}/docs)`);
  if (config.ONTAP_DEMO === 'on') {
    console.log('Demo: loading the demo neighbourhood (the first time takes a few seconds)…');
    const demo = await startDemo({
      db: metadata,
      store,
      dataDir: resolve(config.ONTAP_DATA_DIR),
      timeZone: config.ONTAP_TZ,
      ...(embeddedBroker ? { brokerUrl: mqttUrl } : {}),
    });
    stops.push(demo.stop);
    // Stops run last-in first: this one marks the stop before the demo's ends its history.
    let stopping = false;
    stops.push(async () => {
      stopping = true;
    });
    console.log(`\nDashboard:    ${api.url}/`);
    console.log('Demo sign-ins (kept in ONTAP_DATA_DIR/demo.json):');
    for (const login of demo.logins)
      console.log(`  ${login.role.padEnd(9)}  ${login.email.padEnd(28)}  ${login.password}   ${login.note}`);
    // Sign-ins work at once; charts and boards fill in as the history is written.
    console.log(`Demo history: writing ${demo.historyDays} days in the background; charts and boards fill in meanwhile.`);
    demo.history.then(
      async () => {
        await checkLeaks(metadata, store, Date.now());
        console.log('Demo history is in: charts, boards and the leak warning are complete.');
      },
      (error: unknown) => {
        if (!stopping) logger.error({ err: error }, 'the demo history was not written');
      },
    );
  } else console.log(`Dashboard:    ${api.url}/`);
}
