// Broker → spool inside one process (the all-in-one `ontap start`): the embedded broker hands
// ingest each publish on a topic ingest reads *before* it acknowledges it, and ingest resolves
// only once the message is written to the spool. So what the broker acknowledged is on disk even
// if the process is killed the next instant, and there is no moment after a start when the broker
// acknowledges messages that no subscriber has yet (issue 12: 241 readings lost to kill -9, and
// 85–120 acknowledged before ingest had subscribed). Publishes arriving together are written
// with one system call, as the MQTT intake does per socket read.

import { topicMatchesFilter } from '../devices/contract/topics.ts';
import type { MessageStamps } from './message-stamps.ts';
import { subscriptionTopics } from './mqtt-intake.ts';
import type { Spool } from './spool/spool.ts';

export interface InProcessIntake {
  /** Whether ingest reads this topic (OnTap's meter topics and the bridged ones). */
  reads(topic: string): boolean;
  /** Resolves once the message is in the spool; rejects when it could not be written, or ingest is stopping. */
  accept(topic: string, payload: Buffer, retained: boolean): Promise<void>;
  connected(): boolean;
  /** Refuses what comes after (the broker then disconnects the sender without acknowledging). */
  close(): Promise<void>;
}

export function startInProcessIntake(
  spool: Spool,
  stamps: MessageStamps,
  onMessage: () => void,
  extraTopics: readonly string[] = [],
): InProcessIntake {
  const filters = subscriptionTopics(undefined, extraTopics);
  let waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let scheduled = false;
  let closed = false;

  const flush = () => {
    scheduled = false;
    const settled = waiting;
    waiting = [];
    try {
      spool.flush();
    } catch (error) {
      // Not in the spool: no acknowledgement may leave. The senders are disconnected and send again.
      for (const { reject } of settled) reject(error as Error);
      return;
    }
    for (const { resolve } of settled) resolve();
  };

  return {
    reads: (topic) => filters.some((filter) => topicMatchesFilter(filter, topic)),
    accept(topic, payload, retained) {
      if (closed) return Promise.reject(new Error('ingest is stopping'));
      spool.appendBuffered(topic, payload, stamps.receivedAt(Date.now()), stamps.sequence(), retained);
      onMessage();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    connected: () => !closed,
    async close() {
      closed = true;
      if (scheduled) flush();
    },
  };
}
