// `ontap node-red` as a resident runs it: a real Node-RED 5 runtime, the OnTap nodes loaded from
// this package (no error), the example flows listed under Import → Examples, and each example
// deploys (every node type known, every reference resolved) through Node-RED's admin API.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildOutput, collectOutput } from '../../testing/child-output.ts';

const ontap = new URL('../../cli/ontap.ts', import.meta.url).pathname;
const examplesDir = new URL('./examples/', import.meta.url).pathname;
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));

describe('ontap node-red', () => {
  let child: ChildProcess;
  let editor: string;
  let printed: ChildOutput;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ontap-node-red-'));
    child = spawn(process.execPath, [ontap, 'node-red', '--port', '0'], {
      env: { PATH: process.env.PATH, ONTAP_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    printed = collectOutput(child);
    const output = await printed.waitFor(/Node-RED editor: http:\/\/\S+/, 'ontap node-red', 30_000);
    editor = (/Node-RED editor: (http:\/\/\S+?)\/?\s/.exec(output) as RegExpExecArray)[1] as string;
  }, 40_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('loads the OnTap nodes from devices/node-red without an error', async () => {
    const response = await fetch(`${editor}/nodes`, { headers: { accept: 'application/json' } });
    const sets = (await response.json()) as { module: string; types: string[]; enabled: boolean; err?: string }[];
    const ours = sets.filter((set) => set.module === 'node-red-contrib-ontap');
    expect(ours.flatMap((set) => set.types).sort()).toStrictEqual([
      'ontap-challenge',
      'ontap-decode',
      'ontap-meter',
      'ontap-server',
    ]);
    for (const set of ours) {
      expect(set.enabled, JSON.stringify(set)).toBe(true);
      expect(set.err, JSON.stringify(set)).toBeUndefined();
    }
  });

  it('lists the example flows under Import → Examples', async () => {
    const modules = await (await fetch(`${editor}/library/examples/flows/`)).json();
    expect(modules).toContain('node-red-contrib-ontap');
    const listing = (await (await fetch(`${editor}/library/examples/flows/node-red-contrib-ontap`)).json()) as { fn: string }[];
    expect(listing.map((entry) => entry.fn).sort()).toStrictEqual(examples.map((file) => file.replace(/\.json$/, '')).sort());
    const first = await (await fetch(`${editor}/library/examples/flows/node-red-contrib-ontap/${listing[0]?.fn}`)).json();
    expect(Array.isArray(first)).toBe(true);
  });

  it.each(examples)('deploys the example %s: every node type known, every node started', async (file) => {
    const flow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { id: string; type: string }[];
    const deployed = await fetch(`${editor}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'node-red-api-version': 'v2', 'node-red-deployment-type': 'full' },
      body: JSON.stringify({ flows: flow }),
    });
    expect(deployed.status, await deployed.text()).toBe(200);
    const running = (await (await fetch(`${editor}/flows`, { headers: { 'node-red-api-version': 'v2' } })).json()) as {
      flows: { id: string }[];
    };
    expect(running.flows.map((node) => node.id).sort()).toStrictEqual(flow.map((node) => node.id).sort());
    // Unknown types would leave the flow waiting ("Waiting for missing types") instead of started.
    await expect.poll(() => printed.text(), { timeout: 10_000 }).toMatch(/Started flows/);
    expect(printed.text()).not.toMatch(/Waiting for missing types|Missing node modules/);
  });
});
