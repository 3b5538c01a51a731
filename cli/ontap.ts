// Entry point of the `ontap` command: picks a subcommand and turns failures into one clear line.
import { ConfigError } from '../config/config.ts';
import { type CommandEntry, commands } from './commands/index.ts';
import { UsageError } from './usage-error.ts';

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    'ontap — neighbourhood water- and energy-saving challenges on live smart-meter data',
    '',
    'Usage: ontap <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ontap <command> --help` for a command’s options. Configuration comes from ONTAP_* environment',
    'variables; `ontap config` prints what is in force.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(helpText());
    return 0;
  }
  const entry: CommandEntry | undefined = commands[name];
  if (!entry) {
    console.error(`ontap: unknown command "${name}". Run \`ontap --help\` for the list.`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`ontap ${name} — ${entry.summary}\n\n${command.usage}`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A finished command has closed what it opened; a library handle left behind (a socket in
    // TIME_WAIT, a WebAssembly worker) must not keep the process alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) console.error(`ontap: ${problem}`);
      process.exitCode = 2;
    } else if (error instanceof UsageError) {
      console.error(`ontap: ${error.message}`);
      process.exitCode = 2;
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`ontap: ${message}`);
      if (process.env.ONTAP_LOG_LEVEL === 'debug' || process.env.ONTAP_LOG_LEVEL === 'trace') console.error(error);
      process.exitCode = 1;
    }
  },
);
