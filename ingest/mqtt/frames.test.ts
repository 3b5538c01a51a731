import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { emptyFrame, emptyPublish, MqttProtocolError, PUBLISH, pubacks, readFrame, readPublish } from './frames.ts';

const publishBytes = (protocolVersion: 4 | 5, packet: Partial<mqttPacket.IPublishPacket>) =>
  mqttPacket.generate(
    {
      cmd: 'publish',
      topic: 'ontap/v1/meters/m1/readings',
      payload: '{"a":1}',
      qos: 1,
      retain: false,
      dup: false,
      messageId: 42,
      ...packet,
    },
    { protocolVersion },
  );

describe('MQTT framing', () => {
  it('reads a PUBLISH in place, under 3.1.1 and under 5 with properties', () => {
    for (const protocolVersion of [4, 5] as const) {
      const bytes = publishBytes(protocolVersion, {
        retain: true,
        ...(protocolVersion === 5 ? { properties: { messageExpiryInterval: 60, userProperties: { a: 'b' } } } : {}),
      });
      const frame = emptyFrame();
      expect(readFrame(bytes, 0, bytes.length, frame)).toBe(true);
      expect([frame.type, frame.end]).toStrictEqual([PUBLISH, bytes.length]);
      const view = emptyPublish();
      readPublish(bytes, frame, protocolVersion, view);
      expect(bytes.toString('utf8', view.topicStart, view.topicEnd)).toBe('ontap/v1/meters/m1/readings');
      expect(bytes.toString('utf8', view.payloadStart, frame.end)).toBe('{"a":1}');
      expect([view.qos, view.packetId, view.retain]).toStrictEqual([1, 42, true]);
    }
  });

  it('reads QoS 0 (no packet id) and a payload long enough for a 3-byte length', () => {
    const payload = 'x'.repeat(200_000);
    const bytes = publishBytes(4, { qos: 0, messageId: undefined, payload });
    const frame = emptyFrame();
    expect(readFrame(bytes, 0, bytes.length, frame)).toBe(true);
    expect(frame.bodyStart).toBe(4);
    const view = emptyPublish();
    readPublish(bytes, frame, 4, view);
    expect([view.qos, view.packetId, frame.end - view.payloadStart]).toStrictEqual([0, 0, payload.length]);
  });

  it('waits for the rest of a packet at every cut, and finds packets one after another', () => {
    const two = Buffer.concat([publishBytes(5, { messageId: 1 }), publishBytes(5, { messageId: 2, payload: 'y'.repeat(300) })]);
    const first = publishBytes(5, { messageId: 1 }).length;
    const frame = emptyFrame();
    for (let cut = 0; cut < first; cut++) expect(readFrame(two, 0, cut, frame), `cut at ${cut}`).toBe(false);
    expect(readFrame(two, 0, two.length, frame)).toBe(true);
    expect(frame.end).toBe(first);
    for (let cut = first; cut < two.length; cut++) expect(readFrame(two, first, cut, frame)).toBe(false);
    expect(readFrame(two, first, two.length, frame)).toBe(true);
    expect(frame.end).toBe(two.length);
  });

  it('refuses a malformed length, QoS 3 and a topic alias', () => {
    expect(() => readFrame(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0, 6, emptyFrame())).toThrow(MqttProtocolError);
    const qos3 = publishBytes(4, {});
    qos3[0] = 0x36;
    const frame = emptyFrame();
    readFrame(qos3, 0, qos3.length, frame);
    expect(() => readPublish(qos3, frame, 4, emptyPublish())).toThrow(/QoS 3/);
    const aliased = publishBytes(5, { topic: '', properties: { topicAlias: 1 } });
    readFrame(aliased, 0, aliased.length, frame);
    expect(() => readPublish(aliased, frame, 5, emptyPublish())).toThrow(/topic alias/);
  });

  it('writes PUBACKs that mqtt-packet reads back', () => {
    const ids = [1, 300, 65535];
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const seen: number[] = [];
    parser.on('packet', (packet) => seen.push(packet.messageId as number));
    parser.parse(pubacks(ids, 3));
    expect(seen).toStrictEqual(ids);
  });
});
