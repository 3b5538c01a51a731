// Test support: private Mosquitto and InfluxDB instances (through infra/services.sh with their
// own services dir) that a fault test may stop and restart without disturbing other tests, and
// `ontap ingest` as a child process that can be killed with SIGKILL.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { collectOutput } from '../../testing/child-output.ts';
import { fromVariables, parseEnvFile } from '../../testing/services.ts';
import { INGEST_NODE_FLAGS } from '../runtime-flags.ts';

const run = promisify(execFile);
const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PrivateServices {
  mqttUrl: string;
  mqttAdmin: { username: string; password: string };
  mqttIngest: { username: string; password: string };
  influxUrl: string;
  stopMosquitto(): Promise<void>;
  startMosquitto(): Promise<void>;
  stopInflux(): Promise<void>;
  startInflux(): Promise<void>;
  down(): Promise<void>;
}

export async function startPrivateServices(): Promise<PrivateServices> {
  const dir = mkdtempSync(join(tmpdir(), 'ontap-private-services-'));
  const env = { ...process.env, ONTAP_SERVICES_DIR: dir };
  const script = join(repoDir, 'infra', 'services.sh');
  await run('bash', [script, 'up'], { env });
  const services = fromVariables(parseEnvFile(readFileSync(join(dir, 'services.env'), 'utf8')), 'infra-script');
  const processes = services.processes as NonNullable<typeof services.processes>;
  const kill = async (pidFile: string) => {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(pid, 'SIGKILL');
  };
  // `up` restarts whatever is down, with the same ports, data and credentials.
  const up = async () => void (await run('bash', [script, 'up'], { env }));
  return {
    mqttUrl: services.mqttUrl,
    mqttAdmin: services.mqttAdmin,
    mqttIngest: services.mqttIngest,
    influxUrl: services.influxUrl,
    stopMosquitto: () => kill(processes.mosquittoPidFile),
    startMosquitto: up,
    stopInflux: () => kill(processes.influxdPidFile),
    startInflux: up,
    down: async () => void (await run('bash', [script, 'down'], { env })),
  };
}

export interface IngestProcess {
  child: ChildProcess;
  metricsPort: number;
  output: () => string;
  /** SIGKILL: no flush, no goodbye. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
}

/** Starts `ontap ingest` with the given environment; resolves once it serves metrics. */
export async function spawnIngest(env: Record<string, string>, args: string[] = []): Promise<IngestProcess> {
  const child = spawn(
    process.execPath,
    [
      ...INGEST_NODE_FLAGS,
      ...(process.env.ONTAP_INGEST_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.ONTAP_INGEST_PROFILE] : []),
      join(repoDir, 'cli', 'ontap.ts'),
      'ingest',
      ...args,
    ],
    {
      env: { ...process.env, ONTAP_LOG_LEVEL: 'warn', ONTAP_METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const printed = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const metricsPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingest did not start:\n${printed.text()}`)), 30_000);
    const look = () => {
      const match = /metrics on http:\/\/127\.0\.0\.1:(\d+)/.exec(printed.text());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ingest exited with ${code}:\n${printed.text()}`));
    });
  });
  return {
    child,
    metricsPort,
    output: printed.text,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A counter's value from a /metrics page. */
export async function metricValue(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}
