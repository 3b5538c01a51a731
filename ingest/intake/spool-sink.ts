// The sink ingest gives its intake: messages go into the spool with their stamps (arrival time,
// sequence); a commit is the spool's one-system-call group write.
import type { MessageStamps } from '../message-stamps.ts';
import type { Spool } from '../spool/spool.ts';
import type { IntakeSink } from './intake.ts';

export function spoolSink(spool: Spool, stamps: MessageStamps, onMessage: () => void): IntakeSink {
  return {
    add(topic, payload, retained, receivedAt) {
      const at = stamps.receivedAt(receivedAt);
      spool.appendBuffered(topic, payload, at, stamps.sequence(), retained);
      onMessage();
    },
    addFrom(buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained, receivedAt) {
      const at = stamps.receivedAt(receivedAt);
      spool.appendFrom(buffer, topicStart, topicEnd, buffer, payloadStart, payloadEnd, at, stamps.sequence(), retained);
      onMessage();
    },
    commit: () => spool.flush(),
  };
}
