// Browser-test support: `ontap start` (everything, with the demo) as a child process on free
// ports, and Debian's Chromium driven by playwright-core.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { spawnOntapStart } from '../../testing/ontap-start.ts';

export interface AllInOne {
  child: ChildProcess;
  url: string;
  mqttUrl: string;
  dataDir: string;
  logins: { role: string; email: string; password: string; note: string }[];
  stop(): Promise<void>;
}

/** An operator account made on first run (ONTAP_ADMIN_EMAIL / ONTAP_ADMIN_PASSWORD), for admin pages. */
export const testAdmin = { role: 'admin', email: 'operator@example.org', password: 'kettle lantern orchard quay', note: '' };

/** `env`: more of OnTap's configuration (ONTAP_…) for this instance. */
export async function startAllInOne(env: Record<string, string> = {}): Promise<AllInOne> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ontap-browser-'));
  const started = await spawnOntapStart(
    { ...env, ONTAP_DATA_DIR: dataDir, ONTAP_ADMIN_EMAIL: testAdmin.email, ONTAP_ADMIN_PASSWORD: testAdmin.password },
    { waitForDemoHistory: true },
  );
  const logins = [...started.banner.matchAll(/^\s{2}(champion|household|utility)\s+(\S+@\S+)\s+(\S+)\s+(.*)$/gm)].map((m) => ({
    role: m[1] as string,
    email: m[2] as string,
    password: m[3] as string,
    note: (m[4] as string).trim(),
  }));
  return {
    child: started.child,
    url: started.url,
    mqttUrl: started.mqttUrl,
    dataDir,
    logins: [...logins, testAdmin],
    async stop() {
      await started.stop();
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
