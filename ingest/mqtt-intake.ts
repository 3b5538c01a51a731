// MQTT → spool. Each QoS 1 message is appended to the durable spool as it is read; at the end of
// each read the burst is written to the spool in one system call, and only then do its PUBACKs
// leave: once the broker forgets a message, it is on this machine's disk (page cache; fsync
// 'always' for power loss too). The connection is ingest's own paced subscriber (./mqtt/).
import { allMetersTopic } from '../devices/contract/topics.ts';
import type { Logger } from '../lib/logger.ts';
import type { MessageStamps } from './message-stamps.ts';
import { PacedSubscriber } from './mqtt/paced-subscriber.ts';
import type { Spool } from './spool/spool.ts';

export interface MqttIntakeOptions {
  /** mqtt:// or mqtts:// */
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
  /** Pause after each socket read so the next carries a burst (default 1 ms; 0 reads at once). */
  readPauseMs?: number;
}

export interface MqttIntake {
  connected(): boolean;
  /** Socket reads so far (each carries a burst of messages). */
  reads(): number;
  /** Stops taking messages: unsubscribes nothing (the session keeps queuing), closes the connection. */
  close(): Promise<void>;
}

export function subscriptionTopics(sharedGroup?: string, extraTopics: readonly string[] = []): string[] {
  const topics = [allMetersTopic('readings'), allMetersTopic('status'), ...extraTopics];
  return sharedGroup ? topics.map((topic) => `$share/${sharedGroup}/${topic}`) : topics;
}

export async function startMqttIntake(
  options: MqttIntakeOptions,
  spool: Spool,
  stamps: MessageStamps,
  logger: Logger,
  onMessage: () => void,
): Promise<MqttIntake> {
  const subscriber = new PacedSubscriber(
    {
      url: options.url,
      username: options.username,
      password: options.password,
      clientId: options.clientId,
      protocolVersion: options.protocolVersion,
      sessionExpirySeconds: options.protocolVersion === 5 ? (options.sessionExpirySeconds ?? 7 * 24 * 3600) : undefined,
      topics: subscriptionTopics(options.sharedGroup, options.extraTopics),
      readPauseMs: options.readPauseMs,
    },
    {
      message(buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained, receivedAt) {
        const at = stamps.receivedAt(receivedAt);
        spool.appendFrom(buffer, topicStart, topicEnd, buffer, payloadStart, payloadEnd, at, stamps.sequence(), retained);
        onMessage();
      },
      commit() {
        try {
          spool.flush();
        } catch (error) {
          // Not in the spool: the PUBACKs must not go out. The subscriber drops the connection
          // without them and the broker redelivers.
          logger.error({ err: error }, 'spool write failed; disconnecting so the broker keeps the messages');
          throw error;
        }
      },
    },
  );
  subscriber.on('connect', (sessionPresent) => logger.info({ sessionPresent }, 'mqtt connected'));
  subscriber.on('offline', (reason) => logger.warn({ reason }, 'mqtt offline; reconnecting'));
  subscriber.on('error', (error) => logger.warn({ err: error }, 'mqtt error'));
  await subscriber.start();
  return {
    connected: () => subscriber.connected,
    reads: () => subscriber.reads,
    close: () => subscriber.close(),
  };
}
