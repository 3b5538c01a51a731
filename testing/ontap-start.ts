// `ontap start` as a child process, as a user runs it: started on a data dir, waited for until it
// says it is running, stopped with SIGTERM or killed with SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildOutput, collectOutput } from './child-output.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface OntapStart {
  child: ChildProcess;
  printed: ChildOutput;
  /** What it printed up to "OnTap is running". */
  banner: string;
  url: string;
  mqttUrl: string;
  metricsUrl: string;
  /** SIGKILL: no flush, no goodbye. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 20 s (saying so); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * With the demo on, `ontap start` is running (and prints its sign-ins) before the demo's history is
 * in; `waitForDemoHistory` waits for that too, for tests that read charts and boards.
 */
export async function spawnOntapStart(
  env: Record<string, string>,
  { timeoutMs = 110_000, waitForDemoHistory = false }: { timeoutMs?: number; waitForDemoHistory?: boolean } = {},
): Promise<OntapStart> {
  const child = spawn(process.execPath, [join(repoDir, 'cli', 'ontap.ts'), 'start'], {
    env: { ...process.env, ONTAP_HTTP_PORT: '0', ONTAP_MQTT_PORT: '0', ONTAP_METRICS_PORT: '0', ONTAP_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = await printed.waitFor(/OnTap is running/, 'ontap start', timeoutMs);
  if (waitForDemoHistory) await printed.waitFor(/Demo history is in/, 'the demo history', timeoutMs);
  return {
    child,
    printed,
    banner,
    url: /Dashboard:\s+(http:\/\/\S+?)\/?\s/.exec(banner)?.[1] as string,
    mqttUrl: /MQTT broker:\s+(mqtt:\/\/\S+)/.exec(banner)?.[1] as string,
    metricsUrl: /metrics (http:\/\/\S+)\/metrics/.exec(banner)?.[1] as string,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error(`ontap start did not stop within 20 s; its last output:\n${printed.text().slice(-3000)}`);
        child.kill('SIGKILL');
      }, 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
