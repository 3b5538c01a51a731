// NDJSON files from several threads: each worker thread generates a contiguous share of the
// partitions (generate.ts) and hands back, a day at a time, its bytes with the offset where each
// tick ends; this thread writes tick by tick in partition order. The file is byte for byte what
// one thread writes (generateMessages into NdjsonFileSink), only faster.

import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { generateMessages, type MessageFaults, PARTITIONS, recordMessageFaults } from './generate.ts';
import type { Manifest } from './manifest.ts';
import { NdjsonFileSink } from './ndjson.ts';
import type { SimulationSpec } from './spec.ts';

/** What a worker posts: a chunk of ticks, or at the end its partitions' message faults. */
export type WorkerReport =
  | { type: 'chunk'; bytes: ArrayBuffer; tickEnds: Int32Array; count: number; lastAt: number }
  | { type: 'done'; faults: MessageFaults[] };

export interface WorkerTask {
  spec: SimulationSpec;
  manifest: Manifest;
  /** Partitions [first, last) this worker generates. */
  first: number;
  last: number;
}

/** Chunks a worker may run ahead of the writer: bounds memory to a few days of output. */
export const CHUNKS_AHEAD = 2;

export async function writeNdjsonFile(
  spec: SimulationSpec,
  manifest: Manifest,
  path: string,
  options: { threads?: number; onProgress?: (at: number, messages: number) => void } = {},
): Promise<{ messages: number }> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), PARTITIONS));
  if (threads === 1) {
    const sink = new NdjsonFileSink(path);
    await generateMessages(spec, manifest, {
      message: (...args) => sink.message(...args),
      reading: (parts) => sink.reading(parts),
      tick: async (at) => {
        await sink.tick();
        options.onProgress?.(at, sink.count);
      },
    });
    await sink.close();
    return { messages: sink.count };
  }

  const workers = Array.from({ length: threads }, (_, w) => {
    const task: WorkerTask = {
      spec,
      manifest,
      first: Math.floor((w * PARTITIONS) / threads),
      last: Math.floor(((w + 1) * PARTITIONS) / threads),
    };
    // A young generation larger than V8's default: generation makes many short-lived strings.
    return new Worker(new URL('./file-worker.ts', import.meta.url), {
      workerData: task,
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
  });
  // Each worker's reports, in order, as they arrive.
  const queues = workers.map(() => [] as WorkerReport[]);
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const wake = waiting;
    waiting = [];
    for (const resolve of wake) resolve();
  };
  let failure: Error | undefined;
  workers.forEach((worker, w) => {
    worker.on('message', (report: WorkerReport) => {
      queues[w]?.push(report);
      wakeAll();
    });
    worker.on('error', (error) => {
      failure = error;
      wakeAll();
    });
  });
  const next = async (w: number): Promise<WorkerReport> => {
    for (;;) {
      if (failure) throw failure;
      const report = queues[w]?.shift();
      if (report) return report;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };

  const file = await open(path, 'w');
  let messages = 0;
  try {
    for (;;) {
      const reports = await Promise.all(workers.map((_, w) => next(w)));
      if (reports.every((report) => report.type === 'done')) {
        recordMessageFaults(
          manifest,
          reports.flatMap((report) => (report.type === 'done' ? report.faults : [])),
        );
        break;
      }
      const chunks = reports.map((report) => {
        if (report.type !== 'chunk') throw new Error('simulation workers fell out of step');
        return report;
      });
      // Tick by tick, the workers' bytes in partition order.
      const pieces: Buffer[] = [];
      const ticks = chunks[0]?.tickEnds.length ?? 0;
      for (let t = 0; t < ticks; t++) {
        for (const chunk of chunks) {
          const from = t === 0 ? 0 : (chunk.tickEnds[t - 1] as number);
          const to = chunk.tickEnds[t] as number;
          if (to > from) pieces.push(Buffer.from(chunk.bytes, from, to - from));
        }
      }
      for (let i = 0; i < pieces.length; i += 1024) await file.writev(pieces.slice(i, i + 1024));
      for (const chunk of chunks) messages += chunk.count;
      for (const worker of workers) worker.postMessage('written');
      options.onProgress?.(chunks[0]?.lastAt ?? 0, messages);
    }
  } finally {
    await file.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { messages };
}
