// Test support: a sink that keeps what it is given, whose writes a test can make slow or fail.
import type { IntakeSink } from '../intake/intake.ts';

export interface Received {
  topic: string;
  payload: Buffer;
  retained: boolean;
}

/**
 * Decides how one commit's write goes: return nothing (done at once), a promise (a write that
 * waits for it), or throw / reject (a failed write: none of the batch is kept).
 */
export type WriteHook = (batch: readonly Received[]) => void | Promise<void>;

export function recordingSink() {
  const pending: Received[] = [];
  const committed: Received[] = [];
  let hook: WriteHook = () => {};
  const sink: IntakeSink = {
    add(topic, payload, retained) {
      pending.push({ topic, payload: Buffer.from(payload), retained });
    },
    addFrom(buffer, topicStart, topicEnd, payloadStart, payloadEnd, retained) {
      pending.push({
        topic: Buffer.from(buffer.subarray(topicStart, topicEnd)).toString('utf8'),
        payload: Buffer.from(buffer.subarray(payloadStart, payloadEnd)),
        retained,
      });
    },
    commit() {
      const batch = pending.splice(0);
      const written = hook(batch);
      if (!written) {
        committed.push(...batch);
        return;
      }
      return written.then(() => void committed.push(...batch));
    },
  };
  return {
    sink,
    committed,
    /** Messages committed on topics containing `/<prefix>-` (the broker is shared with other tests). */
    ours: (prefix: string) => committed.filter((message) => message.topic.includes(`/${prefix}-`)),
    onWrite(next: WriteHook) {
      hook = next;
    },
  };
}
