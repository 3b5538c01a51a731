// NDJSON output: one line per message, {"topic": …, "payload": …} exactly as it would be
// published. A payload that is not JSON (a deliberately broken message) is written as a JSON
// string; readers publish a string payload's text as is.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { MessageSink } from './generate.ts';

export function ndjsonLine(topic: string, payload: string, isJson: boolean): string {
  return `{"topic":"${topic}","payload":${isJson ? payload : JSON.stringify(payload)}}\n`;
}

/** Writes lines in large chunks and waits for the stream to drain (back-pressure). */
export class NdjsonFileSink implements MessageSink {
  private readonly stream: WriteStream;
  // One growing string (V8 concatenates it as a rope), written out a megabyte at a time.
  private chunk = '';
  count = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  message(topic: string, payload: string, _at: number, isJson: boolean): void {
    this.chunk += ndjsonLine(topic, payload, isJson);
    this.count++;
  }

  async tick(): Promise<void> {
    if (this.chunk.length < 1 << 20) return;
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const text = this.chunk;
    this.chunk = '';
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** Parses an NDJSON line back into what is published. */
export function parseNdjsonLine(line: string): { topic: string; payload: string } {
  const { topic, payload } = JSON.parse(line) as { topic: string; payload: unknown };
  return { topic, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}
