// An intake on mqtt.js: each QoS 1 message goes into the sink and its PUBACK is held, through
// mqtt.js's `customHandleAcks`, until the sink's commit has returned. mqtt.js handles one message
// of a connection at a time (the next waits for the PUBACK of the one before), so this costs a
// spool write per message where the paced subscriber makes one per socket read: the choice for
// brokers or transports the paced subscriber does not speak (WebSocket), not for throughput.
//
// The session is persistent (fixed client id, `clean: false`, MQTT 5 session expiry), so a
// message never acknowledged, a crash included, comes again on the next connection.
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../lib/logger.ts';
import type { Intake, IntakeSink } from './intake.ts';
import { type MqttIntakeOptions, sessionExpiryOf, subscribedTopics } from './mqtt-options.ts';

type AckDone = Parameters<NonNullable<IClientOptions['customHandleAcks']>>[3];

/** Said to mqtt.js for a message left unacknowledged on purpose (the broker sends it again); not logged. */
const NOT_ACKNOWLEDGED = new Error('not acknowledged: the broker sends it again on the next connection');

export class MqttJsIntake implements Intake {
  readonly id: string;
  readonly #options: MqttIntakeOptions;
  readonly #logger: Logger;
  #client: MqttClient | undefined;
  #subscribed = false;
  #stopping = false;
  /** A spool write failed on this connection: nothing more is taken on it (it is being dropped). */
  #failed = false;
  /** The write under way, if it waits: stop() lets it finish and acknowledge. */
  #inFlight: Promise<void> | undefined;
  #reads = 0;

  constructor(options: MqttIntakeOptions, logger: Logger) {
    this.id = options.clientId;
    this.#options = options;
    this.#logger = logger;
  }

  start(topics: readonly string[], sink: IntakeSink): Promise<void> {
    const options = this.#options;
    const logger = this.#logger;
    const filters = subscribedTopics(topics, options.sharedGroup);
    const sessionExpiryInterval = sessionExpiryOf(options);
    const client = mqtt.connect(options.url, {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      protocolVersion: options.protocolVersion,
      clean: false,
      ...(sessionExpiryInterval === undefined ? {} : { properties: { sessionExpiryInterval } }),
      keepalive: 60,
      connectTimeout: 10_000,
      reconnectPeriod: options.reconnectMs ?? 1000,
      // Keep trying while the broker refuses (restarting, credentials being changed); only the
      // first attempt's refusal is final (start() rejects).
      reconnectOnConnackError: true,
      // Subscribed on every connection below, with the SUBACK checked.
      resubscribe: false,
      customHandleAcks: (topic, payload, packet, done) => this.#take(sink, topic, payload, packet, done),
    });
    this.#client = client;
    // QoS 0 never reaches customHandleAcks: nothing to hold, but it goes into the spool too.
    client.on('message', (topic, payload, packet) => {
      if (packet.qos !== 0 || this.#stopping) return;
      sink.add(topic, payload, packet.retain, Date.now());
      try {
        sink.commit()?.catch((error: unknown) => logger.error({ err: error }, 'spool write of a QoS 0 message failed'));
      } catch (error) {
        logger.error({ err: error }, 'spool write of a QoS 0 message failed');
      }
    });

    return new Promise((resolve, reject) => {
      let first = true;
      let lastError: Error | undefined;
      const giveUp = (error: Error) => {
        first = false;
        client.end(true);
        reject(error);
      };
      client.on('connect', (connack) => {
        this.#failed = false;
        client.stream.on('data', () => this.#reads++);
        logger.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
        client.subscribe(filters, { qos: 1 }, (error) => {
          if (error) {
            // A refused subscription (SUBACK ≥ 0x80, e.g. no ACL for $share/…) would leave ingest
            // connected and deaf: say so and drop the connection.
            const refused = new Error(`the broker refused the subscription to ${filters.join(', ')} (${error.message})`);
            if (first) return giveUp(refused);
            logger.warn({ err: refused }, 'mqtt error');
            client.stream.destroy();
            return;
          }
          this.#subscribed = true;
          if (first) {
            first = false;
            resolve();
          }
        });
      });
      client.on('close', () => {
        this.#subscribed = false;
        if (first) giveUp(lastError ?? new Error('the broker closed the connection before it was ready'));
      });
      client.on('offline', () => {
        if (!this.#stopping) logger.warn('mqtt offline; reconnecting');
      });
      client.on('error', (error) => {
        if (error === NOT_ACKNOWLEDGED) return;
        lastError = error;
        if (!first) logger.warn({ err: error }, 'mqtt error');
      });
    });
  }

  /** customHandleAcks for QoS 1: into the sink, and the PUBACK (`done(0)`) only once it is committed there. */
  #take(sink: IntakeSink, topic: string, payload: Buffer, packet: IPublishPacket, done: AckDone): void {
    const client = this.#client as MqttClient;
    // Stopping, or a connection already lost or being dropped: a PUBACK would wait for the next
    // connection, where the broker sends this message again anyway.
    if (this.#stopping || this.#failed || !client.connected) {
      done(NOT_ACKNOWLEDGED);
      return;
    }
    const stream = client.stream;
    sink.add(topic, payload, packet.retain, Date.now());
    let committed: void | Promise<void>;
    try {
      committed = sink.commit();
    } catch (error) {
      this.#fail(error, done);
      return;
    }
    if (!committed) {
      done(0);
      return;
    }
    const settled = committed.then(
      () => done(client.connected && client.stream === stream ? 0 : NOT_ACKNOWLEDGED),
      (error: unknown) => this.#fail(error, done),
    );
    this.#inFlight = settled;
    settled.then(() => {
      if (this.#inFlight === settled) this.#inFlight = undefined;
    });
  }

  /** Not in the spool: no PUBACK, and the connection is dropped so the broker sends the message again. */
  #fail(error: unknown, done: AckDone): void {
    this.#logger.error({ err: error }, 'spool write failed; disconnecting so the broker keeps the messages');
    this.#failed = true;
    this.#client?.stream.destroy();
    done(NOT_ACKNOWLEDGED);
  }

  connected(): boolean {
    return this.#subscribed && (this.#client?.connected ?? false);
  }

  socketReads(): number {
    return this.#reads;
  }

  async stop(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#stopping = true;
    await this.#inFlight;
    // DISCONNECT (the session stays); a broker that does not answer is not waited for long.
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      client.endAsync().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 2000);
      }),
    ]);
    clearTimeout(timer);
    if (!ended) client.stream.destroy();
  }
}
