// Ingest's own MQTT subscriber: one persistent-session connection that reads in bursts.
//
// Why not mqtt.js here: at one reading per message the cost is per packet, and most of it was
// neither parsing nor ingest's own work but reading: a consumer that keeps up reads each message
// with its own system call and wake-up (bench: ≈ 4–5 messages per read, ≈ 10 µs per message
// for a bare mqtt.js subscriber). This one stops reading for a moment after each read
// (`readPauseMs`), so the next read finds a burst in the socket buffer (≈ 100 messages per read
// at 1 ms), hands each PUBLISH to the sink as offsets into the read buffer, lets the sink make
// the burst durable (`commit`), and only then writes the burst's PUBACKs in one write.
// mqtt.js stays the client everywhere else (gateways, simulators, Node-RED, tests), and is
// ingest's other intake (../intake/mqttjs-intake.ts).
//
// Pausing needs Node's `onread` sockets (plain TCP); over TLS reads are not paced but work the same.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { Packet } from 'mqtt-packet';
import {
  connectPacket,
  controlPacketParser,
  DISCONNECT_BYTES,
  emptyFrame,
  emptyPublish,
  MqttProtocolError,
  PINGREQ_BYTES,
  PUBLISH,
  pubacks,
  readFrame,
  readPublish,
  subscribePacket,
} from './frames.ts';

export interface PacedSubscriberOptions {
  /** mqtt:// or mqtts:// */
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  protocolVersion: 4 | 5;
  sessionExpirySeconds?: number;
  topics: readonly string[];
  keepaliveSeconds?: number;
  reconnectMs?: number;
  connectTimeoutMs?: number;
  /** After each read, wait this long before reading again, so one read carries a burst. 0: read at once. */
  readPauseMs?: number;
}

/** Where messages go. Both calls are synchronous: the read buffer is reused after they return. */
export interface PublishSink {
  /** One PUBLISH: its topic and payload are `buffer[topicStart, topicEnd)` and `buffer[payloadStart, payloadEnd)`. */
  message(
    buffer: Uint8Array,
    topicStart: number,
    topicEnd: number,
    payloadStart: number,
    payloadEnd: number,
    retained: boolean,
    receivedAt: number,
  ): void;
  /**
   * Make every message since the last commit durable. If it throws (or rejects), their PUBACKs
   * never leave. A promise holds reading and the PUBACKs until it settles.
   */
  commit(): void | Promise<void>;
}

const READ_BUFFER_BYTES = 256 * 1024;

export class PacedSubscriber extends EventEmitter<{
  connect: [sessionPresent: boolean];
  offline: [reason: string];
  error: [error: Error];
}> {
  readonly #options: Required<Omit<PacedSubscriberOptions, 'username' | 'password' | 'sessionExpirySeconds'>> &
    PacedSubscriberOptions;
  readonly #sink: PublishSink;
  readonly #readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** Bytes of a packet cut by the end of a read, kept for the next read. */
  #carry = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  #carryLength = 0;
  readonly #frame = emptyFrame();
  readonly #publish = emptyPublish();
  #acks: number[] = [];
  #socket: net.Socket | undefined;
  #parseControl: ((bytes: Uint8Array) => void) | undefined;
  #connackSeen = false;
  #connected = false;
  #closing = false;
  #lastSent = 0;
  #lastReceived = 0;
  #timers: NodeJS.Timeout[] = [];
  #reconnectTimer: NodeJS.Timeout | undefined;
  /** A commit still under way (the sink's write waits): reading is paused until it settles. */
  #held: Promise<void> | undefined;
  /** Settles the first connection: start() waits for it; later connections only log. */
  #firstOutcome: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(options: PacedSubscriberOptions, sink: PublishSink) {
    super();
    const protocol = new URL(options.url).protocol;
    if (protocol !== 'mqtt:' && protocol !== 'mqtts:') {
      throw new Error(`ingest connects to its broker over mqtt:// or mqtts://, not ${protocol}//`);
    }
    this.#options = {
      ...options,
      // `??`, not spread defaults: an option passed as undefined means the default.
      keepaliveSeconds: options.keepaliveSeconds ?? 60,
      reconnectMs: options.reconnectMs ?? 1000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      readPauseMs: options.readPauseMs ?? 1,
    };
    this.#sink = sink;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Socket reads so far: messages ÷ reads says how well reads are batched. */
  reads = 0;

  /** The pause after each read, in ms (the option, or its default). */
  get readPauseMs(): number {
    return this.#options.readPauseMs;
  }

  /** Connects and subscribes; rejects if the first attempt fails (refused, unreachable, subscription refused). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#firstOutcome = { resolve, reject };
      this.#connect();
    });
  }

  /** Stops reading, says goodbye (the session stays on the broker), and waits for the socket to close. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    // A write under way finishes and its PUBACKs leave before the goodbye.
    await this.#held;
    const socket = this.#socket;
    if (!socket || socket.destroyed) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (this.#connackSeen) socket.write(DISCONNECT_BYTES);
    socket.end();
    const timer = setTimeout(() => socket.destroy(), 2000);
    await closed;
    clearTimeout(timer);
  }

  #connect(): void {
    const url = new URL(this.#options.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const onread = { buffer: this.#readBuffer, callback: (bytes: number) => this.#onRead(bytes) };
    const socket =
      url.protocol === 'mqtts:'
        ? tls.connect({
            host,
            port: Number(url.port || 8883),
            servername: net.isIP(host) ? undefined : host,
            onread,
          } as tls.ConnectionOptions)
        : net.connect({ host, port: Number(url.port || 1883), onread, noDelay: true });
    this.#socket = socket;
    this.#carryLength = 0;
    this.#acks = [];
    this.#connackSeen = false;
    this.#parseControl = controlPacketParser(this.#options.protocolVersion, (packet) => this.#onControl(packet));
    let failure: Error | undefined;
    const connectTimer = setTimeout(
      () => socket.destroy(new Error(`no CONNACK within ${this.#options.connectTimeoutMs} ms`)),
      this.#options.connectTimeoutMs,
    );
    this.#timers = [connectTimer];
    socket.once(url.protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => {
      this.#send(
        connectPacket({
          clientId: this.#options.clientId,
          protocolVersion: this.#options.protocolVersion,
          keepaliveSeconds: this.#options.keepaliveSeconds,
          username: this.#options.username,
          password: this.#options.password,
          sessionExpirySeconds: this.#options.sessionExpirySeconds,
        }),
      );
    });
    socket.on('error', (error) => {
      failure = error;
    });
    socket.once('close', () => {
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers = [];
      const wasConnected = this.#connected;
      this.#connected = false;
      const reason = failure?.message ?? 'connection closed';
      if (this.#firstOutcome) {
        this.#firstOutcome.reject(failure ?? new Error('the broker closed the connection before it was ready'));
        this.#firstOutcome = undefined;
        return;
      }
      if (this.#closing) return;
      if (failure) this.emit('error', failure);
      if (wasConnected) this.emit('offline', reason);
      this.#reconnectTimer = setTimeout(() => this.#connect(), this.#options.reconnectMs);
    });
  }

  #send(bytes: Uint8Array): void {
    this.#lastSent = Date.now();
    this.#socket?.write(bytes);
  }

  /** The `onread` callback: every whole packet in the read, then commit, PUBACKs, and a pause. */
  #onRead(bytes: number): boolean {
    const socket = this.#socket as net.Socket;
    if (this.#closing) return false;
    this.reads++;
    this.#lastReceived = Date.now();
    let data: Buffer = this.#readBuffer;
    let limit = bytes;
    if (this.#carryLength > 0) {
      limit = this.#carryLength + bytes;
      if (this.#carry.length < limit) {
        const bigger = Buffer.allocUnsafe(Math.max(limit, this.#carry.length * 2));
        this.#carry.copy(bigger, 0, 0, this.#carryLength);
        this.#carry = bigger;
      }
      this.#readBuffer.copy(this.#carry, this.#carryLength, 0, bytes);
      data = this.#carry;
    }
    let offset = 0;
    let messages = 0;
    let acks = 0;
    const frame = this.#frame;
    const publish = this.#publish;
    const protocolVersion = this.#options.protocolVersion;
    try {
      while (offset < limit && readFrame(data, offset, limit, frame)) {
        if (frame.type === PUBLISH) {
          if (!this.#connackSeen) throw new MqttProtocolError('PUBLISH before CONNACK');
          readPublish(data, frame, protocolVersion, publish);
          if (publish.qos === 2) throw new MqttProtocolError('QoS 2 PUBLISH on a QoS 1 subscription');
          this.#sink.message(
            data,
            publish.topicStart,
            publish.topicEnd,
            publish.payloadStart,
            frame.end,
            publish.retain,
            this.#lastReceived,
          );
          messages++;
          if (publish.qos === 1) this.#acks[acks++] = publish.packetId;
        } else {
          this.#parseControl?.(data.subarray(offset, frame.end));
        }
        offset = frame.end;
      }
      // Keep a packet cut short for the next read.
      const rest = limit - offset;
      if (rest > 0) {
        if (this.#carry.length < rest) this.#carry = Buffer.allocUnsafe(Math.max(rest, this.#carry.length * 2));
        data.copy(this.#carry, 0, offset, limit);
      }
      this.#carryLength = rest;
      // QoS 0 messages too: nothing else would write them out.
      if (messages > 0) {
        const committed = this.#sink.commit();
        if (committed) {
          this.#holdUntil(committed, socket, acks);
          return false;
        }
        if (acks > 0) this.#send(pubacks(this.#acks, acks));
      }
    } catch (error) {
      // Not committed (or not understood): no PUBACK leaves, the broker redelivers on the next connection.
      socket.destroy(error as Error);
      return false;
    }
    if (this.#options.readPauseMs > 0) {
      setTimeout(() => this.#resume(socket), this.#options.readPauseMs);
      return false;
    }
    return true;
  }

  /** Reads nothing more and sends no PUBACK until the sink's write settles. */
  #holdUntil(committed: Promise<void>, socket: net.Socket, acks: number): void {
    const packetIds = this.#acks.slice(0, acks);
    const held: Promise<void> = committed.then(
      () => {
        if (this.#held === held) this.#held = undefined;
        // The connection is gone: the broker sends these messages again on the next one, where
        // their packet ids may name other messages.
        if (socket.destroyed) return;
        if (acks > 0) this.#send(pubacks(packetIds, acks));
        setTimeout(() => this.#resume(socket), this.#options.readPauseMs);
      },
      (error: unknown) => {
        if (this.#held === held) this.#held = undefined;
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    this.#held = held;
  }

  #resume(socket: net.Socket): void {
    if (!socket.destroyed) socket.resume();
  }

  #onControl(packet: Packet): void {
    const socket = this.#socket as net.Socket;
    switch (packet.cmd) {
      case 'connack': {
        const code = packet.reasonCode ?? packet.returnCode ?? 0;
        if (code !== 0) {
          socket.destroy(new Error(`the broker refused the connection (${connackReason(code)})`));
          return;
        }
        this.#connackSeen = true;
        clearTimeout(this.#timers[0]);
        this.#send(subscribePacket(1, this.#options.topics, this.#options.protocolVersion));
        this.#keepAlive(socket);
        this.emit('connect', packet.sessionPresent);
        return;
      }
      case 'suback': {
        // A refused subscription (SUBACK ≥ 0x80, e.g. no ACL for $share/…) would leave ingest
        // connected and deaf: say so and drop the connection.
        const granted = packet.granted as number[];
        const refused = granted.findIndex((code) => code >= 0x80);
        if (refused >= 0) {
          socket.destroy(
            new Error(`the broker refused the subscription to ${this.#options.topics[refused]} (reason ${granted[refused]})`),
          );
          return;
        }
        this.#connected = true;
        this.#firstOutcome?.resolve();
        this.#firstOutcome = undefined;
        return;
      }
      case 'pingresp':
        return;
      case 'disconnect':
        socket.destroy(new Error(`the broker disconnected (reason ${packet.reasonCode ?? 0})`));
        return;
      default:
        socket.destroy(new MqttProtocolError(`unexpected ${packet.cmd} packet`));
    }
  }

  /** PINGREQ when nothing was sent for half the keep-alive; a broker silent for 1.5 keep-alives is gone. */
  #keepAlive(socket: net.Socket): void {
    const keepaliveMs = this.#options.keepaliveSeconds * 1000;
    if (keepaliveMs === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - this.#lastReceived > keepaliveMs * 1.5) {
        socket.destroy(new Error('the broker stopped answering (keep-alive)'));
        return;
      }
      if (now - this.#lastSent >= keepaliveMs / 2) this.#send(PINGREQ_BYTES);
    }, keepaliveMs / 4);
    timer.unref();
    this.#timers.push(timer);
  }
}

function connackReason(code: number): string {
  const reasons: Record<number, string> = {
    1: 'unacceptable protocol version',
    2: 'client id rejected',
    3: 'server unavailable',
    4: 'bad user name or password',
    5: 'not authorized',
    132: 'unsupported protocol version',
    133: 'client id not valid',
    134: 'bad user name or password',
    135: 'not authorized',
    136: 'server unavailable',
    137: 'server busy',
    138: 'banned',
  };
  return `reason ${code}${reasons[code] ? `: ${reasons[code]}` : ''}`;
}
