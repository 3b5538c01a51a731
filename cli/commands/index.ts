// The subcommands of `ontap`. Each is a small module; adding a command is one line here.
import { configCommand } from './config.ts';
import { ingestCommand } from './ingest.ts';
import { simulateCommand } from './simulate.ts';
import { startCommand } from './start.ts';

export interface Command {
  summary: string;
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  start: startCommand,
  ingest: ingestCommand,
  simulate: simulateCommand,
  config: configCommand,
};
