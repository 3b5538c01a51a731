// Where ingest's messages come from. An intake takes each message into a sink (the spool) and
// lets its sender forget it (a QoS 1 PUBACK, or the embedded broker's own PUBACK) only once the
// sink's commit has returned: so whatever was acknowledged is on this machine's disk.
// Implementations: paced-intake.ts (ingest's own subscriber, the default for an external broker),
// mqttjs-intake.ts (mqtt.js) and in-process-intake.ts (the embedded broker of `ontap start`).
import { allMetersTopic } from '../../devices/contract/topics.ts';

/** What an intake puts messages into: in ingest, the spool (spool-sink.ts). */
export interface IntakeSink {
  /** Queues one message; nothing is durable before `commit`. */
  add(topic: string, payload: Uint8Array, retained: boolean, receivedAt: number): void;
  /** As `add`, topic and payload given as byte ranges of a buffer the caller reuses (they are copied). */
  addFrom(
    buffer: Uint8Array,
    topicStart: number,
    topicEnd: number,
    payloadStart: number,
    payloadEnd: number,
    retained: boolean,
    receivedAt: number,
  ): void;
  /**
   * Makes everything added since the last commit durable. Acknowledge those messages only after
   * it returns (or its promise resolves); if it throws (or rejects) none of them is in the sink.
   * The spool's is synchronous: a promise only when the write really waits.
   */
  commit(): void | Promise<void>;
}

export interface Intake {
  /** Names this ingest (its MQTT client id): message stamps of two ingest processes differ by it. */
  readonly id: string;
  /**
   * Starts taking messages on `topics` (MQTT filters) into `sink`. Resolves once ready (connected
   * and subscribed); rejects when the first attempt fails (refused, unreachable). Later losses of
   * the connection are the intake's to recover from.
   */
  start(topics: readonly string[], sink: IntakeSink): Promise<void>;
  /** Whether messages can arrive now (for /health). */
  connected(): boolean;
  /** Socket reads so far: messages ÷ reads is the burst size (0 where there is no socket). */
  socketReads(): number;
  /**
   * Stops taking messages: a write under way finishes and is acknowledged, what comes later is
   * not (the sender keeps it), then the connection ends. The broker keeps the session.
   */
  stop(): Promise<void>;
}

/** The topics ingest reads: every meter's readings and status, and the bridges' foreign topics. */
export const ingestTopics = (extraTopics: readonly string[] = []): string[] => [
  allMetersTopic('readings'),
  allMetersTopic('status'),
  ...extraTopics,
];
