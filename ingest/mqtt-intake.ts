// MQTT → spool. Each QoS 1 message is appended to the durable spool inside mqtt.js's
// handleMessage, and mqtt.js sends the PUBACK only after that returns: once the broker forgets a
// message, it is on this machine's disk (page cache; fsync 'always' for power loss too).
import mqtt, { type MqttClient } from 'mqtt';
import { allMetersTopic } from '../devices/contract/topics.ts';
import type { Logger } from '../lib/logger.ts';
import type { Spool } from './spool/spool.ts';

export interface MqttIntakeOptions {
  url: string;
  username?: string;
  password?: string;
  /** Fixed, so the broker keeps this consumer's session (and queued messages) across restarts. */
  clientId: string;
  /** 5 for external brokers (session expiry, shared subscriptions); 4 for the embedded Aedes. */
  protocolVersion: 4 | 5;
  /** Join a shared subscription group ($share/GROUP/…) so several ingest processes split the load. */
  sharedGroup?: string;
  /** How long the broker keeps the session while ingest is away (MQTT 5). */
  sessionExpirySeconds?: number;
  /** Foreign device topic filters of the bridges, subscribed beside OnTap's own. */
  extraTopics?: readonly string[];
}

export interface MqttIntake {
  readonly client: MqttClient;
  connected(): boolean;
  /** Stops taking messages: unsubscribes nothing (the session keeps queuing), closes the connection. */
  close(): Promise<void>;
}

export function subscriptionTopics(sharedGroup?: string, extraTopics: readonly string[] = []): string[] {
  const topics = [allMetersTopic('readings'), allMetersTopic('status'), ...extraTopics];
  return sharedGroup ? topics.map((topic) => `$share/${sharedGroup}/${topic}`) : topics;
}

export function startMqttIntake(
  options: MqttIntakeOptions,
  spool: Spool,
  nextSequence: () => number,
  logger: Logger,
  onMessage: () => void,
): Promise<MqttIntake> {
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    clean: false,
    protocolVersion: options.protocolVersion,
    ...(options.protocolVersion === 5
      ? { properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 7 * 24 * 3600 } }
      : {}),
    username: options.username,
    password: options.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    manualConnect: true,
  });
  let closing = false;
  // Group commit: the PUBACKs of all messages that arrive in one turn of the event loop are held
  // in the corked socket, the turn's records go to the spool in one write, and only then are
  // the PUBACKs released. One system call per burst instead of two per message.
  let held: typeof client.stream | undefined;
  const release = () => {
    const stream = held;
    held = undefined;
    try {
      spool.flush();
    } catch (error) {
      // Not in the spool: the PUBACKs must not go out. Dropping the connection discards them
      // and the broker redelivers.
      logger.error({ err: error }, 'spool write failed; disconnecting so the broker keeps the messages');
      stream?.destroy();
      return;
    }
    stream?.uncork();
  };
  // Set before connecting: a persistent session's queued messages arrive right after CONNACK.
  client.handleMessage = (packet, done) => {
    if (closing) return; // no ack: the broker redelivers to the next session
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    spool.appendBuffered(packet.topic, payload, Date.now(), nextSequence(), packet.retain);
    if (!held) {
      held = client.stream;
      held.cork();
      setImmediate(release);
    }
    onMessage();
    done();
  };
  client.on('error', (error) => logger.warn({ err: error }, 'mqtt error'));
  client.on('offline', () => logger.warn('mqtt offline; reconnecting'));
  // Subscribing again to a kept session is harmless and picks up a changed group. A refused
  // subscription (MQTT 5 SUBACK reason ≥ 0x80, e.g. no ACL for $share/…) is not an error to
  // mqtt.js, so look at the granted QoS.
  const subscribe = () =>
    client.subscribeAsync(subscriptionTopics(options.sharedGroup, options.extraTopics), { qos: 1 }).then((granted) => {
      const refused = granted.filter((grant) => grant.qos >= 0x80);
      if (refused.length > 0) {
        throw new Error(
          `the broker refused the subscription to ${refused.map((grant) => grant.topic).join(', ')} (reason ${refused[0]?.qos})`,
        );
      }
    });
  let connectedBefore = false;
  client.on('connect', (connack) => {
    logger.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
    if (connectedBefore) subscribe().catch((error) => logger.error({ err: error }, 'subscribe failed'));
    connectedBefore = true;
  });
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      client.end(true);
      reject(error);
    };
    client.once('error', failed);
    client.once('connect', async () => {
      client.off('error', failed);
      try {
        await subscribe();
      } catch (error) {
        failed(error as Error);
        return;
      }
      resolve({
        client,
        connected: () => client.connected,
        close: async () => {
          closing = true;
          if (held) release();
          await client.endAsync(false);
        },
      });
    });
    client.connect();
  });
}
