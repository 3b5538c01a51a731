// What a child process (ontap start, ingest, node-red) prints, stdout and stderr together, and a
// wait for a line the tests know it prints once it is up.
import type { ChildProcess } from 'node:child_process';

export interface ChildOutput {
  text(): string;
  /** Resolves with the output once it matches; fails (with the output) on exit or after the time. */
  waitFor(pattern: RegExp, what: string, timeoutMs: number): Promise<string>;
}

export function collectOutput(child: ChildProcess): ChildOutput {
  let output = '';
  const add = (chunk: Buffer | string) => {
    output += chunk;
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return {
    text: () => output,
    async waitFor(pattern, what, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what} did not come up:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return output;
    },
  };
}
