// Structured logs (pino), one child logger per module so a line says where it came from. They go
// to standard output as JSON lines, or, for `ontap start` on a person's terminal, to a file
// (`logToFile`), so the terminal keeps only what a person reads: URLs, ports, sign-ins.
import pino, { type Logger } from 'pino';

export type { Logger };

let root: Logger | undefined;
let destination: pino.DestinationStream | undefined;

export function rootLogger(level = process.env.ONTAP_LOG_LEVEL ?? 'info'): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  root ??= destination ? pino(options, destination) : pino(options);
  return root;
}

export function moduleLogger(module: string): Logger {
  return rootLogger().child({ module });
}

/** Sends every log line from now on to `path` (created with its folder). Call before the first log. */
export function logToFile(path: string): void {
  if (root) throw new Error('logToFile must come before the first logger is made');
  destination = pino.destination({ dest: path, mkdir: true, sync: false });
}
