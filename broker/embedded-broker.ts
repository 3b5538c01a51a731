// The embedded MQTT broker (Aedes) of the all-in-one mode. Aedes speaks MQTT 3.1.1 only.
//
// Who may do what (README "Security model"):
// - Every client authenticates. A meter connects only with its own client id (its user name,
//   devices/contract/identities.ts), so no meter can take over another client's session; OnTap's
//   services use client ids beginning with `ontap-`, which no meter may.
// - A meter publishes only its own readings and status, and the foreign topics bridged to it
//   (ONTAP_BRIDGES); a device's housekeeping on topics nobody reads is accepted but never retained.
//   Readings are never retained (only a meter's status is, one message per meter).
// - Only services subscribe and only services receive: a meter never gets a message.
// - A packet larger than `maxPacketBytes` closes the connection before it is buffered whole, and
//   a meter publishing faster than its rate limit is disconnected (unacknowledged: it sends again).
// - With `intake`, every publish on a topic ingest reads is written to ingest's spool before the
//   broker acknowledges it (PUBACK): what the broker acknowledged survives kill -9.
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { contractLimits } from '../devices/contract/reading.ts';
import { meterTopic, TOPIC_PREFIX } from '../devices/contract/topics.ts';
import type { BrokerAuthority, BrokerIdentity } from './credentials.ts';
import { type RateLimit, TokenBuckets } from './rate-limit.ts';

/** Where publishes on ingest's topics go before they are acknowledged (ingest's in-process intake). */
export interface BrokerIntake {
  /** Whether ingest reads this topic. */
  reads(topic: string): boolean;
  /** Resolves once the message is in the spool; rejects when it could not be written (no PUBACK then). */
  accept(topic: string, payload: Buffer, retained: boolean): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  port: number;
  /** When false and the port is taken, a free port is used instead (and reported). */
  portWasChosen: boolean;
  host?: string;
  authority: BrokerAuthority;
  /**
   * The meter whose credentials may publish on a bridged foreign topic (ONTAP_BRIDGES): the
   * bridged meter's own, or its hub's; no other meter's may.
   */
  publisherOf?: (topic: string) => string | undefined;
  intake?: BrokerIntake;
  /** Largest MQTT packet accepted (default: the contract's payload limit plus 64 KiB for topic and header). */
  maxPacketBytes?: number;
  /** Publishes per meter (default: a burst of 5,000, then 10 a second) … */
  meterRateLimit?: RateLimit;
  /** … and payload bytes per meter (default: a burst of 16 MiB, then 16 KiB a second). */
  meterByteLimit?: RateLimit;
  logger?: Logger;
}

export interface EmbeddedBroker {
  port: number;
  url: string;
  /** True when the wanted port was taken and another one is used. */
  movedFromPort?: number;
  aedes: Aedes;
  /**
   * Closes every connection of this meter, whatever its client id, and clears its retained status
   * (its household is erased).
   */
  forgetMeter(meterId: string): Promise<void>;
  close(): Promise<void>;
}

export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

export const DEFAULT_MAX_PACKET_BYTES = contractLimits.maxPayloadBytes + 64 * 1024;
const PRE_CONNECT_MAX_PACKET_BYTES = 16 * 1024;
export const DEFAULT_METER_RATE_LIMIT: RateLimit = { burst: 5000, perSecond: 10 };
export const DEFAULT_METER_BYTE_LIMIT: RateLimit = { burst: 16 * 1024 * 1024, perSecond: 16 * 1024 };
/** Client ids of OnTap's own services; a meter's is its user name, which never begins so. */
export const SERVICE_CLIENT_ID_PREFIX = 'ontap-';

const identities = new WeakMap<object, BrokerIdentity>();

function refused(message: string, returnCode: 2 | 5 = 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode });
}

/** Why `clientId` may not connect as `identity`, or undefined when it may. */
function clientIdProblem(identity: BrokerIdentity, username: string, clientId: string): string | undefined {
  if (identity.role === 'meter') {
    const bound = identity.clientId ?? username;
    return clientId === bound ? undefined : `this meter connects only with client id ${bound}`;
  }
  return clientId.startsWith(SERVICE_CLIENT_ID_PREFIX)
    ? undefined
    : `a service's client id begins with ${SERVICE_CLIENT_ID_PREFIX}`;
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  server.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
}

/**
 * Closes a connection as soon as a packet announces more than `maxBytes`: Aedes has no such
 * limit and would buffer a 200 MB packet whole. The MQTT parser (mqtt-packet) knows a packet's
 * length once its fixed header is read, well before its body arrives.
 */
function limitPacketSize(client: Client, socket: Socket, maxBytes: number, logger?: Logger): void {
  const parser = (client as unknown as { _parser: { parse(buffer: Buffer): unknown; packet?: { length?: number } } })._parser;
  const parse = parser.parse.bind(parser);
  // Before a client has signed in, nothing bigger than a CONNECT (a few hundred bytes) is needed.
  const limit = () => (client.connected ? maxBytes : PRE_CONNECT_MAX_PACKET_BYTES);
  parser.parse = (buffer: Buffer) => {
    const length = parser.packet?.length ?? 0;
    if (length > limit()) return 0;
    const result = parse(buffer);
    const announced = parser.packet?.length ?? 0;
    if (announced > limit()) {
      logger?.warn(
        { clientId: client.id, bytes: announced, maxBytes },
        'closed a connection sending a packet over the size limit',
      );
      socket.destroy();
    }
    return result;
  };
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const { intake, logger } = options;
  const messageBuckets = new TokenBuckets(options.meterRateLimit ?? DEFAULT_METER_RATE_LIMIT);
  const byteBuckets = new TokenBuckets(options.meterByteLimit ?? DEFAULT_METER_BYTE_LIMIT);
  const lastRateWarning = new Map<string, number>();

  /** Whether the identity may publish `packet`; adjusts its retain flag. */
  function mayPublish(identity: BrokerIdentity | undefined, packet: { topic: string; retain: boolean }): string | undefined {
    if (packet.topic.startsWith('$')) return 'topics beginning with $ are reserved';
    if (identity?.role === 'service') return undefined;
    if (identity?.role !== 'meter') return 'not authenticated';
    const { meterId } = identity;
    if (packet.topic === meterTopic(meterId, 'readings')) {
      // A retained reading would be the broker's to keep for ever, and replayed to every subscriber.
      packet.retain = false;
      return undefined;
    }
    if (packet.topic === meterTopic(meterId, 'status')) return undefined;
    const publisher = options.publisherOf?.(packet.topic);
    if (publisher === meterId) return undefined;
    if (publisher === undefined && !packet.topic.startsWith(`${TOPIC_PREFIX}/`) && !packet.topic.startsWith('ontap/')) {
      // A device's own housekeeping on topics nobody reads (Tasmota STATE and LWT, ESPHome
      // status): accepted so the device stays connected, but not kept as a retained value.
      packet.retain = false;
      return undefined;
    }
    return 'not authorized to publish on this topic';
  }

  const aedes = await Aedes.createBroker({
    drainTimeout: 30_000,
    // Meters' client ids are their user names: `meter-` and up to 64 characters.
    maxClientsIdLength: 128,
    authenticate(client, username, password, done) {
      if (!username || !password) return done(refused('username and password required'), false);
      options.authority.authenticate(username, password.toString('utf8')).then(
        (identity) => {
          if (!identity) return done(refused('bad username or password'), false);
          const problem = clientIdProblem(identity, username, client.id);
          if (problem) {
            logger?.warn({ clientId: client.id, username }, `refused a connection: ${problem}`);
            return done(refused(problem, 2), false);
          }
          identities.set(client, identity);
          done(null, true);
        },
        (error: Error) => done(Object.assign(error, { returnCode: 3 as const }), false),
      );
    },
    authorizePublish(client, packet, callback) {
      const identity = client ? identities.get(client) : undefined;
      const problem = mayPublish(identity, packet);
      if (problem) {
        logger?.warn({ clientId: client?.id, topic: packet.topic }, `refused a publish: ${problem}`);
        return callback(new Error(problem));
      }
      if (
        identity?.role === 'meter' &&
        !(messageBuckets.take(identity.meterId) && byteBuckets.take(identity.meterId, packet.payload.length))
      ) {
        const now = Date.now();
        if ((lastRateWarning.get(identity.meterId) ?? 0) < now - 60_000) {
          lastRateWarning.set(identity.meterId, now);
          logger?.warn({ meterId: identity.meterId }, 'a meter publishes faster than its rate limit; disconnected');
        }
        return callback(new Error('rate limit exceeded'));
      }
      if (intake?.reads(packet.topic)) {
        // Into ingest's spool before the PUBACK (Aedes acknowledges a QoS 1 publish after this callback).
        // Live, whatever its retain flag: that flag asks the broker to keep the message (Home
        // Assistant's statestream sets it on every state); only a replay to a subscriber is old.
        intake.accept(packet.topic, packet.payload as Buffer, false).then(
          () => callback(null),
          (error: Error) => callback(error),
        );
        return;
      }
      callback(null);
    },
    authorizeSubscribe(client, subscription, callback) {
      if (identities.get(client)?.role === 'service') return callback(null, subscription);
      // Refused with SUBACK 0x80 but kept connected: Tasmota, ESPHome and Zigbee2MQTT subscribe to
      // their own command topics when they connect, and must not be thrown off for it.
      callback(null, null);
    },
    // Only OnTap's services receive; a meter never gets a message, whatever it subscribed to.
    authorizeForward(client, packet) {
      return identities.get(client)?.role === 'service' ? packet : null;
    },
  });

  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    limitPacketSize(aedes.handle(socket), socket, maxPacketBytes, logger);
  });
  let port = options.port;
  let movedFromPort: number | undefined;
  try {
    await listen(server, port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (options.portWasChosen) {
      aedes.close();
      throw new PortTakenError(
        `ONTAP_MQTT_PORT ${port} is already in use (another MQTT broker?): choose a free port or leave ONTAP_MQTT_PORT unset`,
      );
    }
    movedFromPort = port;
    await listen(server, 0, host);
  }
  port = (server.address() as { port: number }).port;

  return {
    port,
    url: `mqtt://${host}:${port}`,
    ...(movedFromPort === undefined ? {} : { movedFromPort }),
    aedes,
    async forgetMeter(meterId) {
      const clients = Object.values((aedes as unknown as { clients: Record<string, Client | undefined> }).clients);
      const mine = clients.filter((client): client is Client => {
        const identity = client ? identities.get(client) : undefined;
        return identity?.role === 'meter' && identity.meterId === meterId;
      });
      await Promise.all(mine.map((client) => new Promise<void>((resolve) => client.close(() => resolve()))));
      // An empty retained message clears the retained one (MQTT-3.3.1-10).
      await new Promise<void>((resolve) =>
        aedes.publish(
          { cmd: 'publish', topic: meterTopic(meterId, 'status'), payload: Buffer.alloc(0), qos: 0, retain: true, dup: false },
          () => resolve(),
        ),
      );
    },
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
