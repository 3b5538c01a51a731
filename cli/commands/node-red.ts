// `ontap node-red`: a Node-RED runtime with OnTap's nodes (devices/node-red) in the palette and its
// example flows under Import → Examples; user directory under ONTAP_DATA_DIR/node-red.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/config.ts';
import { onStop } from '../stop-signal.ts';
import { parseOptions, UsageError } from '../usage-error.ts';
import type { Command } from './index.ts';

const DEFAULT_PORT = 1880;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'devices', 'node-red');
const options = { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } as const;

export const nodeRedCommand: Command = {
  usage: [
    'Usage: ontap node-red [--port N] [--host ADDRESS]',
    '',
    'Starts Node-RED with the OnTap nodes (ontap meter, ontap decode, ontap challenge and the',
    'ontap-server config node) installed and their example flows importable (menu → Import →',
    'Examples → node-red-contrib-ontap). Flows and credentials live in ONTAP_DATA_DIR/node-red.',
    '',
    `  --port N          editor port (default ${DEFAULT_PORT}; if that default is taken a free port is used)`,
    '  --host ADDRESS    address to listen on (default 127.0.0.1: the editor has no login of its own,',
    '                    so expose it only behind one — see Node-RED’s adminAuth)',
  ].join('\n'),
  async run(args) {
    const values = parseOptions(args, options);
    const chosen = values.port !== undefined;
    const port = chosen ? Number(values.port) : DEFAULT_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port: expected a port number, got "${values.port}"`);
    const config = loadConfig();
    const userDir = resolve(config.ONTAP_DATA_DIR, 'node-red');
    mkdirSync(userDir, { recursive: true });

    let listenPort = port;
    if (!(await portIsFree(port, values.host))) {
      if (chosen) throw new UsageError(`--port ${port} is already in use: choose a free port or leave --port out`);
      listenPort = 0;
      console.log(`Node-RED: port ${port} is taken, so a free port is used instead`);
    }
    // Node-RED encrypts flow credentials (meter passwords, API tokens) with this key: made once,
    // kept beside the flows, readable only by this user.
    const secretFile = join(userDir, '.credential-secret');
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    const credentialSecret = readFileSync(secretFile, 'utf8').trim();
    // A .cjs file: Node-RED require()s its settings, and OnTap's folders are ES modules.
    const settingsFile = join(userDir, 'ontap-settings.cjs');
    writeFileSync(
      settingsFile,
      `// Written by \`ontap node-red\` at each start; edit flows in the editor, not this file.\nmodule.exports = ${JSON.stringify(
        {
          uiPort: listenPort,
          uiHost: values.host,
          flowFile: 'flows.json',
          credentialSecret,
          nodesDir: [packageDir],
          editorTheme: { projects: { enabled: false }, tours: false },
          diagnostics: { enabled: false },
          telemetry: { enabled: false },
          logging: { console: { level: 'info', metrics: false, audit: false } },
        },
        null,
        2,
      )};\n`,
      { mode: 0o600 },
    );
    const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
    const child = spawn(process.execPath, [redJs, '--userDir', userDir, '--settings', settingsFile, '--no-telemetry'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const running = /Server now running at (\S+)/.exec(chunk.toString());
      if (running) console.log(`Node-RED editor: ${running[1]}  (OnTap nodes in the palette; user directory ${userDir})`);
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    // Stopped by a signal: Node-RED gets SIGTERM and its own stop, within the deadline.
    const stopping = onStop(async () => {
      child.kill('SIGTERM');
      const code = await exited;
      if (code) throw new Error(`Node-RED exited with code ${code}`);
    });
    // Node-RED ended by itself: so does this command, with its exit code.
    const code = await exited;
    stopping.uninstall();
    return code ?? 0;
  },
};

function portIsFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
}
