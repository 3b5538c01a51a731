// Browser-test support: `ontap start` (everything, with the demo) as a child process on free
// ports, and Debian's Chromium driven by playwright-core.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { collectOutput } from '../../testing/child-output.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AllInOne {
  child: ChildProcess;
  url: string;
  mqttUrl: string;
  dataDir: string;
  logins: { role: string; email: string; password: string; note: string }[];
  stop(): Promise<void>;
}

export async function startAllInOne(): Promise<AllInOne> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ontap-browser-'));
  const child = spawn(process.execPath, [join(repoDir, 'cli', 'ontap.ts'), 'start'], {
    env: {
      ...process.env,
      ONTAP_DATA_DIR: dataDir,
      ONTAP_HTTP_PORT: '0',
      ONTAP_MQTT_PORT: '0',
      ONTAP_METRICS_PORT: '0',
      ONTAP_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = await printed.waitFor(/OnTap is running/, 'ontap start', 110_000);
  const url = /Dashboard:\s+(http:\/\/\S+?)\/?\s/.exec(output)?.[1] as string;
  const mqttUrl = /MQTT broker:\s+(mqtt:\/\/\S+)/.exec(output)?.[1] as string;
  const logins = [...output.matchAll(/^\s{2}(champion|household|utility)\s+(\S+@\S+)\s+(\S+)\s+(.*)$/gm)].map((m) => ({
    role: m[1] as string,
    email: m[2] as string,
    password: m[3] as string,
    note: (m[4] as string).trim(),
  }));
  return {
    child,
    url,
    mqttUrl,
    dataDir,
    logins,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error(`ontap start did not stop within 20 s; its last output:\n${printed.text().slice(-3000)}`);
        child.kill('SIGKILL');
      }, 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
