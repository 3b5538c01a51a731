// Broker → spool inside one process (the all-in-one `ontap start`): the embedded broker hands
// ingest each publish on a topic ingest reads *before* it acknowledges it (its `intake` option),
// and `accept` resolves only once the message is written to the spool. So what the broker
// acknowledged is on disk even if the process is killed the next instant, and there is no moment
// after a start when the broker acknowledges messages that no subscriber has yet. Publishes
// arriving together are written with one system call, as the paced subscriber does per socket read.
import { topicMatchesFilter } from '../../devices/contract/topics.ts';
import { type Intake, type IntakeSink, ingestTopics } from './intake.ts';

interface Waiting {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class InProcessIntake implements Intake {
  readonly id: string;
  #sink: IntakeSink | undefined;
  /** Until start() says otherwise, OnTap's own topics: a publish there is never acknowledged unspooled. */
  #filters: readonly string[] = ingestTopics();
  #waiting: Waiting[] = [];
  #scheduled = false;
  #closed = false;
  /** Commits that wait (a sink whose write is asynchronous): stop() lets them finish. */
  readonly #writes = new Set<Promise<void>>();

  /** `id` names this ingest (as an MQTT intake's client id would). */
  constructor(id: string) {
    this.id = id;
  }

  async start(topics: readonly string[], sink: IntakeSink): Promise<void> {
    this.#filters = [...topics];
    this.#sink = sink;
  }

  /** Whether ingest reads this topic (OnTap's meter topics and the bridged ones). */
  reads(topic: string): boolean {
    return this.#filters.some((filter) => topicMatchesFilter(filter, topic));
  }

  /** Resolves once the message is in the spool; rejects when it could not be written, or ingest is not taking messages. */
  accept(topic: string, payload: Buffer, retained: boolean): Promise<void> {
    const sink = this.#sink;
    if (!sink || this.#closed) return Promise.reject(new Error(sink ? 'ingest is stopping' : 'ingest has not started'));
    sink.add(topic, payload, retained, Date.now());
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  connected(): boolean {
    return this.#sink !== undefined && !this.#closed;
  }

  socketReads(): number {
    return 0;
  }

  /** Refuses what comes after (the broker then disconnects the sender without acknowledging). */
  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#scheduled) this.#flush();
    await Promise.all(this.#writes);
  }

  #flush(): void {
    if (!this.#scheduled) return;
    this.#scheduled = false;
    const settled = this.#waiting;
    this.#waiting = [];
    const fail = (error: unknown) => {
      // Not in the spool: no acknowledgement may leave. The senders are disconnected and send again.
      for (const { reject } of settled) reject(error instanceof Error ? error : new Error(String(error)));
    };
    let committed: void | Promise<void>;
    try {
      committed = (this.#sink as IntakeSink).commit();
    } catch (error) {
      fail(error);
      return;
    }
    if (!committed) {
      for (const { resolve } of settled) resolve();
      return;
    }
    const write = committed.then(() => {
      for (const { resolve } of settled) resolve();
    }, fail);
    this.#writes.add(write);
    write.then(() => this.#writes.delete(write));
  }
}
