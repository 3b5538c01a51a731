// The embedded MQTT broker (Aedes) of the all-in-one mode. Aedes speaks MQTT 3.1.1 only.
// Devices authenticate; a meter may publish only under ontap/v1/meters/<its id>/ and on the
// foreign topics bridged to it, never on another meter's (its other publishes, a device's
// housekeeping, reach nobody), and may not subscribe; OnTap's services may subscribe to everything.
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError } from 'aedes';
import type { Logger } from 'pino';
import { TOPIC_PREFIX } from '../../devices/contract/topics.ts';
import type { BrokerAuthority, BrokerIdentity } from './credentials.ts';

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
  logger?: Logger;
}

export interface EmbeddedBroker {
  port: number;
  url: string;
  /** True when the wanted port was taken and another one is used. */
  movedFromPort?: number;
  aedes: Aedes;
  close(): Promise<void>;
}

export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

const identities = new WeakMap<object, BrokerIdentity>();

function notAuthorized(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: 5 as const });
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

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker({
    drainTimeout: 30_000,
    authenticate(client, username, password, done) {
      if (!username || !password) return done(notAuthorized('username and password required'), false);
      options.authority.authenticate(username, password.toString('utf8')).then(
        (identity) => {
          if (!identity) return done(notAuthorized('bad username or password'), false);
          identities.set(client, identity);
          done(null, true);
        },
        (error: Error) => done(Object.assign(error, { returnCode: 3 as const }), false),
      );
    },
    authorizePublish(client, packet, callback) {
      const identity = client ? identities.get(client) : undefined;
      if (packet.topic.startsWith('$SYS')) return callback(new Error('$SYS topics are reserved'));
      if (identity?.role === 'service') return callback(null);
      if (identity?.role === 'meter') {
        if (packet.topic.startsWith(`${TOPIC_PREFIX}/${identity.meterId}/`)) return callback(null);
        const publisher = options.publisherOf?.(packet.topic);
        if (publisher === identity.meterId) return callback(null);
        if (publisher === undefined && !packet.topic.startsWith(`${TOPIC_PREFIX}/`)) {
          // A device's own housekeeping on topics nobody reads (Tasmota STATE and LWT, ESPHome
          // status): accepted so the device stays connected, but not kept as a retained value.
          packet.retain = false;
          return callback(null);
        }
      }
      options.logger?.warn({ clientId: client?.id, topic: packet.topic }, 'refused a publish outside the meter’s own topics');
      callback(new Error('not authorized to publish on this topic'));
    },
    authorizeSubscribe(client, subscription, callback) {
      if (identities.get(client)?.role === 'service') return callback(null, subscription);
      // Refused with SUBACK 0x80 but kept connected: Tasmota, ESPHome and Zigbee2MQTT subscribe to
      // their own command topics when they connect, and must not be thrown off for it.
      callback(null, null);
    },
  });

  const server = createServer(aedes.handle);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
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
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
