// A worker thread of file-writer.ts: generates its partitions and posts their NDJSON bytes a day
// at a time, with the offset where each tick ends, waiting when it is CHUNKS_AHEAD ahead.
import { parentPort, workerData } from 'node:worker_threads';
import { CHUNKS_AHEAD, type WorkerReport, type WorkerTask } from './file-writer.ts';
import { type MessageSink, PartitionGenerator, type ReadingParts, runPartitions } from './generate.ts';
import { NdjsonBytes } from './ndjson.ts';

const { spec, manifest, first, last } = workerData as WorkerTask;
const port = parentPort as NonNullable<typeof parentPort>;

/** A chunk of ticks as NDJSON bytes, with the offset where each tick ends. */
class ChunkSink implements MessageSink {
  readonly bytes = new NdjsonBytes(16 << 20);
  tickEnds: number[] = [];
  private counted = 0;

  message(topic: string, payload: string, _at: number, isJson: boolean): void {
    this.bytes.line(topic, payload, isJson);
  }

  reading(parts: ReadingParts): void {
    this.bytes.reading(parts);
  }

  endTick(): void {
    this.tickEnds.push(this.bytes.used);
  }

  /** The chunk's bytes in a buffer of their own (to be transferred), and a fresh start. */
  take(): { bytes: ArrayBuffer; tickEnds: Int32Array; count: number } {
    const used = this.bytes.used;
    const bytes = new ArrayBuffer(used);
    new Uint8Array(bytes).set(this.bytes.buffer.subarray(0, used));
    this.bytes.used = 0;
    const chunk = { bytes, tickEnds: Int32Array.from(this.tickEnds), count: this.bytes.count - this.counted };
    this.counted = this.bytes.count;
    this.tickEnds = [];
    return chunk;
  }
}

let written = 0;
let wakeWriter: (() => void) | undefined;
port.on('message', () => {
  written++;
  wakeWriter?.();
});

const partitions: PartitionGenerator[] = [];
for (let index = first; index < last; index++) partitions.push(new PartitionGenerator(spec, manifest, index));
const sink = new ChunkSink();
let posted = 0;
const TICKS_PER_CHUNK = 96;

await runPartitions(spec, manifest, partitions, sink, async (at, final) => {
  sink.endTick();
  if (!final && sink.tickEnds.length < TICKS_PER_CHUNK) return;
  const chunk = sink.take();
  port.postMessage({ type: 'chunk', ...chunk, lastAt: at } satisfies WorkerReport, [chunk.bytes]);
  posted++;
  while (posted - written >= CHUNKS_AHEAD) await new Promise<void>((resolve) => (wakeWriter = resolve));
});
port.postMessage({ type: 'done', faults: partitions.map((p) => p.faults) } satisfies WorkerReport);
