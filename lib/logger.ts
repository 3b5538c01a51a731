// Structured logs (pino), one child logger per module so a line says where it came from.
import pino, { type Logger } from 'pino';

export type { Logger };

let root: Logger | undefined;

export function rootLogger(level = process.env.ONTAP_LOG_LEVEL ?? 'info'): Logger {
  root ??= pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
  return root;
}

export function moduleLogger(module: string): Logger {
  return rootLogger().child({ module });
}
