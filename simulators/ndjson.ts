// NDJSON output: one line per message, {"topic": …, "payload": …} exactly as it would be
// published. A payload that is not JSON (a deliberately broken message) is written as a JSON
// string; readers publish a string payload's text as is.

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { MessageSink, ReadingParts } from './generate.ts';

export function ndjsonLine(topic: string, payload: string, isJson: boolean): string {
  return `{"topic":"${topic}","payload":${isJson ? payload : JSON.stringify(payload)}}\n`;
}

const DOT = 0x2e;
const ZERO = 0x30;

/**
 * NDJSON lines as bytes in a growing buffer. Ordinary readings are written from their parts (the
 * meter's constant bytes, the time's bytes, the register's digits) without making any text;
 * other messages are encoded from their line. All simulator output is ASCII, so latin1 is UTF-8.
 */
export class NdjsonBytes {
  buffer: Buffer;
  used = 0;
  count = 0;

  constructor(initialBytes = 4 << 20) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }

  line(topic: string, payload: string, isJson: boolean): void {
    const text = ndjsonLine(topic, payload, isJson);
    this.room(text.length);
    this.used += this.buffer.write(text, this.used, 'latin1');
    this.count++;
  }

  reading(parts: ReadingParts): void {
    const { head, middle, tail } = parts.line;
    this.room(head.length + parts.isoBytes.length + middle.length + 24 + tail.length);
    const buffer = this.buffer;
    let at = this.used;
    buffer.set(head, at);
    at += head.length;
    buffer.set(parts.isoBytes, at);
    at += parts.isoBytes.length;
    buffer.set(middle, at);
    at += middle.length;
    at = writeFixed(buffer, at, parts.units, parts.decimals);
    buffer.set(tail, at);
    this.used = at + tail.length;
    this.count++;
  }

  /** Hands over the bytes so far and starts again (the buffer goes with them). */
  take(): Buffer {
    const bytes = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.used = 0;
    return bytes;
  }
}

/** Writes `units / 10^decimals` with exactly that many decimals (as generate.ts's fixedText). */
function writeFixed(buffer: Buffer, at: number, units: number, decimals: 1 | 3): number {
  const scale = decimals === 1 ? 10 : 1000;
  let whole = Math.floor(units / scale);
  let fraction = units - whole * scale;
  let digits = 1;
  for (let power = 10; power <= whole; power *= 10) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = ZERO + (whole % 10);
    whole = Math.floor(whole / 10);
  }
  at += digits;
  buffer[at++] = DOT;
  for (let i = at + decimals - 1; i >= at; i--) {
    buffer[i] = ZERO + (fraction % 10);
    fraction = Math.floor(fraction / 10);
  }
  return at + decimals;
}

/** Writes NDJSON to a file a few megabytes at a time, waiting for the stream to drain (back-pressure). */
export class NdjsonFileSink implements MessageSink {
  private readonly stream: WriteStream;
  private readonly bytes = new NdjsonBytes();

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  get count(): number {
    return this.bytes.count;
  }

  message(topic: string, payload: string, _at: number, isJson: boolean): void {
    this.bytes.line(topic, payload, isJson);
  }

  reading(parts: ReadingParts): void {
    this.bytes.reading(parts);
  }

  async tick(): Promise<void> {
    if (this.bytes.used < 4 << 20) return;
    if (!this.stream.write(this.bytes.take())) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.bytes.used > 0) this.stream.write(this.bytes.take());
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** Parses an NDJSON line back into what is published. */
export function parseNdjsonLine(line: string): { topic: string; payload: string } {
  const { topic, payload } = JSON.parse(line) as { topic: string; payload: unknown };
  return { topic, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}
