// The default intake for an external broker: ingest's own paced subscriber (../mqtt/). Each
// socket read's burst goes into the sink as it is parsed, is committed with one write, and only
// then do its PUBACKs leave, in one write too.
import type { Logger } from '../../lib/logger.ts';
import { PacedSubscriber } from '../mqtt/paced-subscriber.ts';
import type { Intake, IntakeSink } from './intake.ts';
import { type MqttIntakeOptions, sessionExpiryOf, subscribedTopics } from './mqtt-options.ts';

export class PacedIntake implements Intake {
  readonly id: string;
  readonly #options: MqttIntakeOptions;
  readonly #logger: Logger;
  #subscriber: PacedSubscriber | undefined;

  constructor(options: MqttIntakeOptions, logger: Logger) {
    this.id = options.clientId;
    this.#options = options;
    this.#logger = logger;
  }

  async start(topics: readonly string[], sink: IntakeSink): Promise<void> {
    const options = this.#options;
    const logger = this.#logger;
    const failed = (error: unknown) => {
      // Not in the spool: the subscriber drops the connection without the PUBACKs and the broker redelivers.
      logger.error({ err: error }, 'spool write failed; disconnecting so the broker keeps the messages');
      throw error;
    };
    const subscriber = new PacedSubscriber(
      {
        url: options.url,
        username: options.username,
        password: options.password,
        clientId: options.clientId,
        protocolVersion: options.protocolVersion,
        sessionExpirySeconds: sessionExpiryOf(options),
        topics: subscribedTopics(topics, options.sharedGroup),
        reconnectMs: options.reconnectMs,
        readPauseMs: options.readPauseMs,
      },
      {
        message: (buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained, receivedAt) =>
          sink.addFrom(buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained, receivedAt),
        commit() {
          try {
            return sink.commit()?.catch(failed);
          } catch (error) {
            return failed(error);
          }
        },
      },
    );
    subscriber.on('connect', (sessionPresent) => logger.info({ sessionPresent }, 'mqtt connected'));
    subscriber.on('offline', (reason) => logger.warn({ reason }, 'mqtt offline; reconnecting'));
    subscriber.on('error', (error) => logger.warn({ err: error }, 'mqtt error'));
    this.#subscriber = subscriber;
    await subscriber.start();
  }

  connected(): boolean {
    return this.#subscriber?.connected ?? false;
  }

  socketReads(): number {
    return this.#subscriber?.reads ?? 0;
  }

  async stop(): Promise<void> {
    await this.#subscriber?.close();
  }
}
