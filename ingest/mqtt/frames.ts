// MQTT framing for ingest's receive path (MQTT 3.1.1 and 5), as pure functions over bytes.
// PUBLISH, the packet that comes a hundred thousand times a second, is read in place: the caller
// gets offsets into the read buffer, no packet object and no copy. The rare control packets
// (CONNACK, SUBACK, DISCONNECT) go to mqtt-packet, mqtt.js's own parser, and CONNECT/SUBSCRIBE
// are made by its generator.
import mqttPacket from 'mqtt-packet';

export const PUBLISH = 3;
export const PINGRESP = 13;

export class MqttProtocolError extends Error {
  constructor(message: string) {
    super(`MQTT protocol error: ${message}`);
    this.name = 'MqttProtocolError';
  }
}

/** Where one packet sits in a buffer. Reused from packet to packet (no allocation per packet). */
export interface Frame {
  type: number;
  flags: number;
  /** Offset of the variable header, just after the fixed header. */
  bodyStart: number;
  /** Offset just after the packet. */
  end: number;
}

export const emptyFrame = (): Frame => ({ type: 0, flags: 0, bodyStart: 0, end: 0 });

/**
 * Reads the fixed header of the packet at `offset` into `frame`; false when `buffer` (up to
 * `limit`) does not hold the whole packet yet.
 */
export function readFrame(buffer: Uint8Array, offset: number, limit: number, frame: Frame): boolean {
  let length = 0;
  let multiplier = 1;
  let i = offset + 1;
  for (;;) {
    if (i >= limit) return false;
    const byte = buffer[i++] as number;
    length += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) break;
    multiplier *= 128;
    if (multiplier > 128 ** 3) throw new MqttProtocolError('remaining length longer than 4 bytes');
  }
  if (i + length > limit) return false;
  const first = buffer[offset] as number;
  frame.type = first >> 4;
  frame.flags = first & 0x0f;
  frame.bodyStart = i;
  frame.end = i + length;
  return true;
}

/** Where a PUBLISH's parts are. Reused, like Frame. */
export interface PublishView {
  topicStart: number;
  topicEnd: number;
  payloadStart: number;
  qos: number;
  retain: boolean;
  /** 0 for QoS 0. */
  packetId: number;
}

export const emptyPublish = (): PublishView => ({
  topicStart: 0,
  topicEnd: 0,
  payloadStart: 0,
  qos: 0,
  retain: false,
  packetId: 0,
});

/** Reads a PUBLISH in place. MQTT 5 properties are skipped (topic aliases are never allowed: see CONNECT). */
export function readPublish(buffer: Uint8Array, frame: Frame, protocolVersion: 4 | 5, view: PublishView): void {
  const qos = (frame.flags >> 1) & 3;
  if (qos === 3) throw new MqttProtocolError('PUBLISH with QoS 3');
  let p = frame.bodyStart;
  const topicLength = ((buffer[p] as number) << 8) | (buffer[p + 1] as number);
  if (topicLength === 0) throw new MqttProtocolError('PUBLISH without a topic (topic aliases are not accepted)');
  p += 2;
  view.topicStart = p;
  p += topicLength;
  view.topicEnd = p;
  view.packetId = 0;
  if (qos > 0) {
    view.packetId = ((buffer[p] as number) << 8) | (buffer[p + 1] as number);
    p += 2;
  }
  if (protocolVersion === 5) {
    let propertiesLength = 0;
    let multiplier = 1;
    for (;;) {
      if (p >= frame.end) throw new MqttProtocolError('PUBLISH properties cut short');
      const byte = buffer[p++] as number;
      propertiesLength += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) break;
      multiplier *= 128;
      if (multiplier > 128 ** 3) throw new MqttProtocolError('PUBLISH property length longer than 4 bytes');
    }
    p += propertiesLength;
  }
  if (p > frame.end) throw new MqttProtocolError('PUBLISH shorter than its headers');
  view.payloadStart = p;
  view.qos = qos;
  view.retain = (frame.flags & 1) === 1;
}

/** PUBACKs for `count` packet ids, in one buffer (MQTT 5 allows leaving out reason 0, success). */
export function pubacks(packetIds: readonly number[], count: number): Buffer {
  const bytes = Buffer.allocUnsafe(4 * count);
  for (let i = 0; i < count; i++) {
    const id = packetIds[i] as number;
    bytes[4 * i] = 0x40;
    bytes[4 * i + 1] = 2;
    bytes[4 * i + 2] = id >> 8;
    bytes[4 * i + 3] = id & 0xff;
  }
  return bytes;
}

export const PINGREQ_BYTES = Buffer.from([0xc0, 0x00]);
/** Normal disconnection; under MQTT 5 the session lives on for its expiry interval. */
export const DISCONNECT_BYTES = Buffer.from([0xe0, 0x00]);

export interface ConnectOptions {
  clientId: string;
  protocolVersion: 4 | 5;
  keepaliveSeconds: number;
  username?: string;
  password?: string;
  /** MQTT 5 only: how long the broker keeps the session (and queues for it) while ingest is away. */
  sessionExpirySeconds?: number;
}

/** CONNECT with a persistent session (clean false). No topic aliases: PUBLISH always names its topic. */
export function connectPacket(options: ConnectOptions): Buffer {
  return mqttPacket.generate(
    {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: options.protocolVersion,
      clientId: options.clientId,
      clean: false,
      keepalive: options.keepaliveSeconds,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: Buffer.from(options.password) } : {}),
      ...(options.protocolVersion === 5 ? { properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 0 } } : {}),
    },
    { protocolVersion: options.protocolVersion },
  );
}

export function subscribePacket(messageId: number, topics: readonly string[], protocolVersion: 4 | 5): Buffer {
  return mqttPacket.generate(
    { cmd: 'subscribe', messageId, subscriptions: topics.map((topic) => ({ topic, qos: 1 as const })) },
    { protocolVersion },
  );
}

/** A parser for the control packets (everything but PUBLISH), fed whole packets. */
export function controlPacketParser(protocolVersion: 4 | 5, onPacket: (packet: mqttPacket.Packet) => void) {
  const parser = mqttPacket.parser({ protocolVersion });
  let failure: Error | undefined;
  parser.on('packet', onPacket);
  parser.on('error', (error: Error) => {
    failure = error;
  });
  return (bytes: Uint8Array) => {
    parser.parse(Buffer.from(bytes));
    if (failure) {
      const error = failure;
      failure = undefined;
      throw new MqttProtocolError(error.message);
    }
  };
}
