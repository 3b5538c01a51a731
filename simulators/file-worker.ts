// A worker thread of file-writer.ts: generates its partitions and posts their NDJSON bytes a day
// at a time, with the offset where each tick ends, waiting when it is CHUNKS_AHEAD ahead.
import { parentPort, workerData } from 'node:worker_threads';
import { CHUNKS_AHEAD, type WorkerReport, type WorkerTask } from './file-writer.ts';
import { type MessageSink, PartitionGenerator, runPartitions } from './generate.ts';
import { ndjsonLine } from './ndjson.ts';

const { spec, manifest, first, last } = workerData as WorkerTask;
const port = parentPort as NonNullable<typeof parentPort>;

/**
 * A tick's lines as one string (V8 builds it as a rope), encoded once at the tick's end: far
 * cheaper than encoding line by line. All simulator output is ASCII, so latin1 is its UTF-8.
 */
class ChunkSink implements MessageSink {
  private lines = '';
  private pieces: Buffer[] = [];
  private bytes = 0;
  count = 0;
  tickEnds: number[] = [];

  message(topic: string, payload: string, _at: number, isJson: boolean): void {
    this.lines += ndjsonLine(topic, payload, isJson);
    this.count++;
  }

  endTick(): void {
    if (this.lines.length > 0) {
      const piece = Buffer.from(this.lines, 'latin1');
      this.pieces.push(piece);
      this.bytes += piece.length;
      this.lines = '';
    }
    this.tickEnds.push(this.bytes);
  }

  /** The chunk's bytes in a buffer of their own (to be transferred), and a fresh start. */
  take(): { bytes: ArrayBuffer; tickEnds: Int32Array; count: number } {
    const bytes = new ArrayBuffer(this.bytes);
    const view = new Uint8Array(bytes);
    let offset = 0;
    for (const piece of this.pieces) {
      view.set(piece, offset);
      offset += piece.length;
    }
    const chunk = { bytes, tickEnds: Int32Array.from(this.tickEnds), count: this.count };
    this.pieces = [];
    this.bytes = 0;
    this.count = 0;
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
